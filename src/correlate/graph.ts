// The host as the kernel wires it, as a graph: interfaces, bridges, veth pairs, containers (each in its
// network namespace), published ports and their NAT paths. Built from veth-map and nat; unknowns are nodes.
import { lookupIn } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import type { NatReport } from '../model/port-path.js';
import type { VethWords } from './veth-map-notes.js';
import { naturalCompare } from '../util/natural-compare.js';
import {
  GraphBuilder,
  HOST_CLUSTER,
  hostNodeId,
  nodeId,
  PORTS_CLUSTER,
  type GraphNode,
  type GraphOptions,
  type HostGraph,
} from './graph-builder.js';
import { addPortPaths } from './graph-ports.js';
import { groupContainers, GROUP_THRESHOLD } from './graph-group.js';
import { isUplink, roleUnknown, type HostInterfaceRow } from './host-interfaces.js';
import type { HostVethRow, InterfaceRow, VethMap } from './veth-map.js';

function insideName(r: InterfaceRow): string {
  const iface = r.interface ?? '?';
  return r.peerIfindex !== null && r.peerIfindex !== r.ifindex ? `${iface}@if${r.peerIfindex}` : iface;
}

/** Which host interfaces are bridges: a bridge kind, another link's master, a veth's bridge, a Docker network's device. */
function bridgeNames(model: HostModel, map: VethMap): Set<string> {
  const names = new Set<string>();
  for (const l of lookupIn(model.hostLinks)) {
    if (l.kind === 'bridge') names.add(l.name);
    if (l.master) names.add(l.master);
  }
  for (const b of lookupIn(model.bridges)) names.add(b.name);
  for (const v of map.hostVeths) if (v.bridge) names.add(v.bridge);
  for (const r of map.interfaces) if (r.bridge) names.add(r.bridge);
  for (const n of lookupIn(model.networks)) if (n.bridgeName && n.driver === 'bridge') names.add(n.bridgeName);
  return names;
}

function hostInterfaceNode(g: GraphBuilder, h: HostInterfaceRow, bridges: Set<string>, words: VethWords): GraphNode {
  const isBridge = bridges.has(h.name);
  const id = isBridge ? nodeId.bridge(h.name) : nodeId.hostIf(h.name);
  const head = h.ifindex !== null ? `${h.name} (${h.ifindex})` : h.name;
  const role = words.hostRole(h.role, h.listed);
  return g.node({
    id,
    kind: isBridge ? 'bridge' : 'host-interface',
    label: [head, ...(h.ipv4 ? [h.ipv4] : []), role],
    unknown: roleUnknown(h),
    detail: role,
  });
}

function ownerLabel(v: HostVethRow): string {
  if (v.owner) return `owner ${v.owner}${v.ownerInterface ? ` ${v.ownerInterface}` : ''}`;
  if (v.ownerStatus === 'none') return 'owner: none (no container, no sandbox)';
  if (v.ownerStatus === 'owned') return 'owner: a shared namespace';
  return 'owner: unknown';
}

function vethNode(g: GraphBuilder, v: HostVethRow, words: VethWords): GraphNode {
  const head = `${v.name}${v.peerIfindex !== null ? `@if${v.peerIfindex}` : ''}${v.ifindex !== null ? ` (${v.ifindex})` : ''}`;
  const ns = v.linkNetnsId !== null ? [`link-netnsid ${v.linkNetnsId}`] : [];
  return g.node({
    id: nodeId.veth(v.name),
    kind: 'host-veth',
    label: [head, ...ns, ownerLabel(v)],
    unknown: v.ownerStatus === 'unknown' && v.owner === null,
    detail: v.note ? words.hostVeth(v.note) : null,
  });
}

/** The namespace each container's rows live in: its own, or its owner's for a `container:` follower. */
function clusterOf(r: InterfaceRow): string {
  return nodeId.netns(r.sharesNetnsWith ?? r.container);
}

function modeWords(r: InterfaceRow): string {
  switch (r.mode) {
    case 'host':
      return 'host mode: the host network namespace, no veth';
    case 'none':
      return 'none: loopback only';
    case 'container':
      return `--network container:${r.sharesNetnsWith ?? '?'}: shares its namespace`;
    case 'unknown':
      return 'network mode unknown';
    default:
      return `mode ${r.mode}`;
  }
}

/**
 * Namespaces drawn as a box of their own, or, past GROUP_THRESHOLD containers (--no-group), only those
 * with more than one interface or with followers: Graphviz's layout time grows fast with clusters, and a
 * one-interface container reads as well as one box labelled with its name.
 */
function containerClusters(g: GraphBuilder, rows: InterfaceRow[]): Set<string> {
  const inline = new Set<string>();
  const compact = new Set(rows.map((r) => r.container)).size > GROUP_THRESHOLD;
  const owners = new Map<string, InterfaceRow[]>();
  for (const r of rows) {
    if (r.mode === 'host') continue;
    const key = r.sharesNetnsWith ?? r.container;
    owners.set(key, [...(owners.get(key) ?? []), r]);
  }
  for (const [owner, own] of owners) {
    const followers = [...new Set(own.filter((r) => r.sharesNetnsWith !== null).map((r) => r.container))].sort(naturalCompare);
    const first = own.find((r) => r.container === owner) ?? own[0];
    const id = first?.shortId ? ` ${first.shortId}` : '';
    if (compact && own.length === 1 && followers.length === 0 && first?.interface) {
      inline.add(owner);
      continue;
    }
    g.cluster({
      id: nodeId.netns(owner),
      kind: 'netns',
      label: [
        `${owner}${id}`,
        ...(first ? [first.mode === 'unknown' ? 'network mode unknown' : `${first.mode} mode`] : []),
        ...(first?.netns ? [`network namespace ${first.netns}`] : []),
        ...(followers.length ? [`shared with ${followers.join(', ')}`] : []),
      ],
      containers: [owner, ...followers],
    });
  }
  return inline;
}

function containerNodes(g: GraphBuilder, rows: InterfaceRow[], map: VethMap, inline: Set<string>, words: VethWords): void {
  const uplink = map.hostInterfaces.find(isUplink);
  const followerJoined = new Set<string>();
  for (const r of rows) {
    const cluster = clusterOf(r);
    if (r.mode === 'host') {
      const n = g.node({
        id: nodeId.container(r.container),
        kind: 'container',
        label: [r.container, modeWords(r)],
        cluster: HOST_CLUSTER,
        container: r.container,
        detail: words.interfaceNotes(r.notes),
      });
      if (uplink) g.edge({ kind: 'host-namespace', from: n.id, to: nodeId.hostIf(uplink.name), label: ["uses the host's interfaces"] });
      continue;
    }
    if (r.sharesNetnsWith !== null) {
      if (r.interface !== null && !followerJoined.has(r.container)) {
        followerJoined.add(r.container);
        g.edge({
          kind: 'shares-netns',
          from: nodeId.iface(r.sharesNetnsWith, r.interface),
          to: nodeId.container(r.container),
          label: ['same namespace'],
        });
      }
      g.node({
        id: nodeId.container(r.container),
        kind: 'container',
        label: [r.container, modeWords(r)],
        cluster,
        container: r.container,
        detail: words.interfaceNotes(r.notes),
      });
      continue;
    }
    if (r.interface === null) {
      const none = r.mode === 'none';
      g.node({
        id: nodeId.container(r.container),
        kind: none ? 'container' : 'unknown',
        label: none
          ? [r.container, modeWords(r)]
          : [r.container, 'interfaces unknown', ...(r.mode !== 'unknown' ? [`mode ${r.mode}`] : [])],
        cluster,
        container: r.container,
        unknown: !none,
        detail: words.interfaceNotes(r.notes),
      });
      continue;
    }
    const addr = [r.ipv4, r.ipv6].filter((a): a is string => Boolean(a));
    const net = r.network ? [`network ${r.network}${r.driver && r.driver !== r.network ? ` (${r.driver})` : ''}`] : [];
    const own = inline.has(r.container);
    g.node({
      id: nodeId.iface(r.container, r.interface),
      kind: 'interface',
      label: [
        ...(own ? [`${r.container}${r.shortId ? ` ${r.shortId}` : ''}`] : []),
        `${insideName(r)}${r.ifindex !== null ? ` (${r.ifindex})` : ''}`,
        ...addr,
        ...net,
      ],
      cluster: own ? null : cluster,
      container: r.container,
      detail: words.interfaceNotes(r.notes),
    });
  }
}

function interfaceEdges(g: GraphBuilder, rows: InterfaceRow[], map: VethMap, words: VethWords): void {
  for (const r of rows) {
    if (r.interface === null || r.sharesNetnsWith !== null) continue;
    const from = nodeId.iface(r.container, r.interface);
    if (r.hostVeth) {
      const v = map.hostVeths.find((x) => x.name === r.hostVeth);
      if (v) vethNode(g, v, words);
      else g.node({ id: nodeId.veth(r.hostVeth), kind: 'host-veth', label: [`${r.hostVeth} (${r.hostIfindex ?? '?'})`] });
      g.edge({
        kind: 'veth-pair',
        from,
        to: nodeId.veth(r.hostVeth),
        label: [r.pairedBy === 'host-side-only' ? 'veth pair (host side only)' : 'veth pair'],
      });
    } else if (r.parent) {
      g.edge({ kind: 'parent', from, to: hostNodeId(g, r.parent), label: [`${r.mode} on parent`] });
    } else if (r.mode === 'overlay' && r.network) {
      const overlay = g.node({
        id: nodeId.overlay(r.network),
        kind: 'overlay-netns',
        label: [`overlay namespace of '${r.network}'`, 'bridge + vxlan, not on the host'],
        cluster: null,
      });
      g.edge({
        kind: 'overlay',
        from,
        to: overlay.id,
        label: [r.peerIfindex !== null ? `veth to ifindex ${r.peerIfindex} there` : 'veth there'],
      });
    }
  }
}

function vethEdges(g: GraphBuilder, map: VethMap, shown: Set<string>, all: boolean, words: VethWords): void {
  for (const v of map.hostVeths) {
    const ownerShown = v.owner !== null && shown.has(v.owner);
    // With containers named, a veth is drawn when it is theirs; otherwise every veth (owned or not) is.
    if (!all && !ownerShown) continue;
    vethNode(g, v, words);
    if (v.bridge) g.edge({ kind: 'bridge-port', from: nodeId.veth(v.name), to: nodeId.bridge(v.bridge), label: ['port of'] });
    if (v.ownerKind === 'ingress-sbox' && v.owner) {
      g.cluster({ id: nodeId.netns(v.owner), kind: 'netns', label: [v.owner, 'swarm ingress sandbox'], containers: [] });
      const sb = g.node({
        id: nodeId.sandbox(v.owner),
        kind: 'sandbox',
        label: [v.owner, v.ownerInterface ?? 'eth1', 'by elimination (inference)'],
        cluster: nodeId.netns(v.owner),
        detail: v.note ? words.hostVeth(v.note) : null,
      });
      g.edge({ kind: 'veth-pair', from: sb.id, to: nodeId.veth(v.name), label: ['veth pair (by elimination)'], inferred: true });
    }
  }
}

/** Links enslaved to a bridge that are not veths (libvirt's virbr0-nic, a bond): drawn as its ports. */
function otherBridgePorts(g: GraphBuilder, model: HostModel): void {
  for (const l of lookupIn(model.hostLinks)) {
    if (!l.master || !g.nodes.has(nodeId.hostIf(l.name))) continue;
    g.edge({ kind: 'bridge-port', from: nodeId.hostIf(l.name), to: nodeId.bridge(l.master), label: ['port of'] });
  }
}

/** Docker's `-s SUBNET ! -o BRIDGE -j MASQUERADE`: the bridge's traffic leaves through the uplink with the host's address. */
function masqueradeEdges(g: GraphBuilder, model: HostModel, map: VethMap): void {
  const uplink = map.hostInterfaces.find(isUplink);
  if (!uplink) return;
  for (const { table } of model.portFacts.nat.tables) {
    for (const r of table.rules) {
      if (r.chain !== 'POSTROUTING' || r.target !== 'MASQUERADE' || !r.outInterface || !r.outNegated || !r.source) continue;
      if (!g.nodes.has(nodeId.bridge(r.outInterface))) continue;
      const counters = r.packets !== null ? `, ${r.packets} pkts` : '';
      g.edge({
        kind: 'masquerade',
        from: nodeId.bridge(r.outInterface),
        to: nodeId.hostIf(uplink.name),
        label: [`routed out, MASQUERADE ${r.source}`, `(${table.name} POSTROUTING ${r.number}${counters})`],
      });
    }
  }
}

function selectRows(map: VethMap, wanted: string[]): InterfaceRow[] {
  const running = map.interfaces.filter((r) => r.running);
  if (wanted.length === 0) return running;
  const names = new Set(wanted);
  // A named follower brings its namespace's owner, a named owner its followers: they are one namespace.
  for (const r of running) {
    if (r.sharesNetnsWith && names.has(r.container)) names.add(r.sharesNetnsWith);
  }
  for (const r of running) if (r.sharesNetnsWith && names.has(r.sharesNetnsWith)) names.add(r.container);
  return running.filter((r) => names.has(r.container));
}

/** Host interfaces a selection needs: the bridges and parents of its rows, and the uplink. */
function neededInterfaces(rows: InterfaceRow[], map: VethMap): Set<string> {
  const need = new Set<string>();
  for (const r of rows) {
    if (r.bridge) need.add(r.bridge);
    if (r.parent) need.add(r.parent);
  }
  for (const h of map.hostInterfaces) if (isUplink(h)) need.add(h.name);
  return need;
}

export function buildHostGraph(model: HostModel, map: VethMap, nat: NatReport, opts: GraphOptions): HostGraph {
  const g = new GraphBuilder();
  const all = opts.containers.length === 0;
  const rows = selectRows(map, opts.containers);
  const shown = new Set(rows.map((r) => r.container));
  const bridges = bridgeNames(model, map);
  g.cluster({ id: HOST_CLUSTER, kind: 'host', label: ['host network namespace'], containers: [] });
  g.cluster({ id: PORTS_CLUSTER, kind: 'host', label: ['published ports (host addresses)'], containers: [] });
  const need = all ? null : neededInterfaces(rows, map);
  for (const h of map.hostInterfaces) if (need === null || need.has(h.name)) hostInterfaceNode(g, h, bridges, opts.vethWords);
  for (const b of bridges) {
    if (need !== null && !need.has(b)) continue;
    if (!g.nodes.has(nodeId.bridge(b)))
      g.node({ id: nodeId.bridge(b), kind: 'bridge', label: [b, 'bridge (not in the link listing)'], unknown: true });
  }
  const grouping = opts.group && all ? groupContainers(g, rows, nat) : null;
  if (grouping === null) {
    containerNodes(g, rows, map, containerClusters(g, rows), opts.vethWords);
    interfaceEdges(g, rows, map, opts.vethWords);
    vethEdges(g, map, shown, all, opts.vethWords);
    addPortPaths(g, nat, opts.natWords, shown, all);
    probableOwners(g, nat, shown);
  } else {
    // Grouped: the veths no container owns are still drawn one by one (they are findings).
    vethEdges(
      g,
      { ...map, hostVeths: map.hostVeths.filter((v) => v.owner === null || v.ownerKind === 'ingress-sbox') },
      new Set(),
      true,
      opts.vethWords,
    );
  }
  otherBridgePorts(g, model);
  masqueradeEdges(g, model, map);
  if (!map.hostLinksKnown)
    g.notes.push("host links unknown: no listing of the host's interfaces in the data, so no host veth or bridge is drawn from it");
  else if (!map.hostVethsComplete && map.hostVethsIncomplete)
    g.notes.push(`the host veths drawn may not be all: ${opts.vethWords.vethsIncomplete(map.hostVethsIncomplete)}`);
  if (!nat.available)
    g.notes.push(`NAT rules unavailable: ${nat.reason ?? 'not in the data'}; published ports are drawn from the Engine alone`);
  if (!nat.publicationsKnown && nat.publicationsReason)
    g.notes.push(`publications unknown (${nat.publicationsReason}): the ports drawn are those the DNAT rules show`);
  for (const n of map.notes) g.notes.push(opts.vethWords.source(n));
  return g.build(grouping);
}

/** A veth whose owner is unknown but which the NAT report names as probably a container's: a dashed, labelled edge. */
function probableOwners(g: GraphBuilder, nat: NatReport, shown: Set<string>): void {
  for (const m of nat.mappings) {
    if (!m.probableHostVeth || !m.container || !shown.has(m.container)) continue;
    const target = g.nodes.has(nodeId.container(m.container)) ? nodeId.container(m.container) : null;
    if (!target || !g.nodes.has(nodeId.veth(m.probableHostVeth))) continue;
    g.edge({
      kind: 'probable',
      from: target,
      to: nodeId.veth(m.probableHostVeth),
      label: ['probably its veth', '(inference, not confirmed)'],
      inferred: true,
    });
  }
}

export { GROUP_THRESHOLD };
export type * from './graph-builder.js';
