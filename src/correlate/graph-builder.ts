// The host graph's vocabulary (nodes, edges, clusters: pure data) and the builder that keeps ids unique.
import type { NatWords } from '../model/nat-path.js';
import type { VethWords } from './veth-map-notes.js';
import { naturalCompare } from '../util/natural-compare.js';

export type GraphNodeKind =
  /** A host interface that is neither a bridge nor a veth: lo, the uplink, a macvlan parent, a dummy. */
  | 'host-interface'
  | 'bridge'
  | 'host-veth'
  /** A container's own interface, inside its namespace (eth0@if1608). */
  | 'interface'
  /** A container drawn as one box: host mode, none mode, a `container:` follower, or one whose interfaces are unknown. */
  | 'container'
  /** A host address:port/proto a client sends to. */
  | 'port'
  /** The network namespace of an overlay network (its bridge and vxlan live there, not on the host). */
  | 'overlay-netns'
  /** A Docker sandbox that owns a veth and is no container (the swarm ingress sandbox). */
  | 'sandbox'
  /** Many containers drawn as one box (past GROUP_THRESHOLD). */
  | 'group'
  /** Something the data does not say: drawn, dashed, so that it is never silently left out. */
  | 'unknown';

export type GraphEdgeKind =
  /** The two ends of a veth pair: a container interface (or a sandbox) and the host veth. */
  | 'veth-pair'
  /** A link enslaved to a bridge (IFLA_MASTER). */
  | 'bridge-port'
  /** A macvlan/ipvlan interface on its parent. */
  | 'parent'
  /** An overlay interface whose peer is in the overlay network's namespace. */
  | 'overlay'
  /** A published port through a DNAT rule. */
  | 'dnat'
  /** A published port served by docker-proxy (127.0.0.1, [::], or no DNAT rule). */
  | 'docker-proxy'
  /** A published port whose path is unknown or missing. */
  | 'no-path'
  /** A bridge's traffic routed out of the uplink through a MASQUERADE rule. */
  | 'masquerade'
  /** A `container:` follower in its owner's namespace, joined to the owner's interface it uses. */
  | 'shares-netns'
  /** A host-mode container on the host's own interfaces. */
  | 'host-namespace'
  /** An inference: the veth is probably this container's (not confirmed). */
  | 'probable';

/** Who reaches a port or address (graph --exposure): beyond the uplink, only the host and its containers, nobody, unknown. */
export type GraphExposure = 'outside' | 'local' | 'none' | 'unknown';

export interface GraphNode {
  /** Stable and unique: `bridge:docker0`, `veth:veth12c370c`, `if:tomcat01/eth0`, `port:0.0.0.0:49154/tcp`. */
  id: string;
  kind: GraphNodeKind;
  /** The lines of its label, first line the name. */
  label: string[];
  /** The cluster (network namespace) it is drawn in; null at top level. */
  cluster: string | null;
  /** True when the node stands for a fact the data does not hold (drawn dashed). */
  unknown: boolean;
  /** The container it belongs to, for links from the picture to a report's sections. */
  container: string | null;
  /** A longer explanation (a tooltip in SVG). */
  detail: string | null;
  /** Set by graph --exposure on published ports and container interfaces; null otherwise. */
  exposure: GraphExposure | null;
}

export interface GraphEdge {
  id: string;
  kind: GraphEdgeKind;
  from: string;
  to: string;
  label: string[];
  /** True when what the edge says is not in the data (drawn dashed). */
  unknown: boolean;
  /** True when it rests on an inference (drawn dashed, labelled so). */
  inferred: boolean;
}

export type GraphClusterKind = 'host' | 'netns' | 'group';

export interface GraphCluster {
  id: string;
  kind: GraphClusterKind;
  label: string[];
  /** The containers drawn in it (a namespace's owner first, then those sharing it). */
  containers: string[];
}

export interface GraphGrouping {
  /** Containers drawn one by one up to this many. */
  threshold: number;
  containers: number;
  groups: number;
  /** How to see the containers one by one. */
  hint: string;
}

export interface HostGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
  /** Set when containers were grouped per network. */
  grouping: GraphGrouping | null;
  notes: string[];
}

export interface GraphOptions {
  /** Containers to draw (with what connects them); empty for all. */
  containers: string[];
  /** Group past about 40 containers (correlate/graph-group.ts); false draws every container. */
  group: boolean;
  /** The sentences of nat's paths and anomalies (render/nat-words.ts), for the ports' details. */
  natWords: NatWords;
  /** The sentences of veth-map's notes (render/veth-words.ts), for the veths' details. */
  vethWords: VethWords;
}

export const HOST_CLUSTER = 'host';
/** Published ports: host addresses, drawn in a box of their own beside the containers they reach. */
export const PORTS_CLUSTER = 'ports';

/** The graph under construction: ids are unique, an edge is added once. */
export class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  readonly clusters = new Map<string, GraphCluster>();
  readonly notes: string[] = [];

  node(n: Omit<GraphNode, 'cluster' | 'unknown' | 'container' | 'detail' | 'exposure'> & Partial<GraphNode>): GraphNode {
    const existing = this.nodes.get(n.id);
    if (existing) return existing;
    const node: GraphNode = { cluster: HOST_CLUSTER, unknown: false, container: null, detail: null, exposure: null, ...n };
    this.nodes.set(node.id, node);
    return node;
  }

  edge(e: Omit<GraphEdge, 'id' | 'unknown' | 'inferred'> & Partial<GraphEdge>): GraphEdge {
    const id = e.id ?? `${e.kind}:${e.from}->${e.to}`;
    const existing = this.edges.get(id);
    if (existing) return existing;
    const edge: GraphEdge = { unknown: false, inferred: false, ...e, id };
    this.edges.set(id, edge);
    return edge;
  }

  cluster(c: GraphCluster): GraphCluster {
    const existing = this.clusters.get(c.id);
    if (existing) {
      for (const name of c.containers) if (!existing.containers.includes(name)) existing.containers.push(name);
      return existing;
    }
    this.clusters.set(c.id, c);
    return c;
  }

  build(grouping: GraphGrouping | null): HostGraph {
    const byId = (a: { id: string }, b: { id: string }) => naturalCompare(a.id, b.id);
    return {
      nodes: [...this.nodes.values()].sort(byId),
      edges: [...this.edges.values()].sort(byId),
      clusters: [...this.clusters.values()].sort((a, b) =>
        a.kind === b.kind ? naturalCompare(a.id, b.id) : a.kind === 'host' ? -1 : b.kind === 'host' ? 1 : naturalCompare(a.id, b.id),
      ),
      grouping,
      notes: [...new Set(this.notes)],
    };
  }
}

/** The node of a host interface by name: its bridge box when it is one. */
export function hostNodeId(g: GraphBuilder, name: string): string {
  return g.nodes.has(`bridge:${name}`) ? `bridge:${name}` : `if:${name}`;
}

export const nodeId = {
  hostIf: (name: string) => `if:${name}`,
  bridge: (name: string) => `bridge:${name}`,
  veth: (name: string) => `veth:${name}`,
  iface: (container: string, iface: string) => `if:${container}/${iface}`,
  container: (name: string) => `container:${name}`,
  netns: (owner: string) => `netns:${owner}`,
  overlay: (network: string) => `overlay:${network}`,
  sandbox: (name: string) => `sandbox:${name}`,
  port: (address: string) => `port:${address}`,
};
