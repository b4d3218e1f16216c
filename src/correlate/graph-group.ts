// Past about 40 containers a picture of every veth is a hairball: containers are drawn per network, with
// counts (veth pairs, published ports), and the graph says how to see them one by one.
import type { NatReport } from '../model/port-path.js';
import { naturalCompare } from '../util/natural-compare.js';
import { type GraphBuilder, type GraphGrouping, hostNodeId, nodeId, PORTS_CLUSTER } from './graph-builder.js';
import type { InterfaceRow } from './veth-map.js';

export const GROUP_THRESHOLD = 40;

interface Group {
  key: string;
  title: string;
  containers: Set<string>;
  bridges: Map<string, Set<string>>;
  parents: Set<string>;
  overlays: Set<string>;
}

/** A container's group: the network of its first interface (natural order), or its mode. */
function groupKeyOf(rows: InterfaceRow[]): { key: string; title: string } {
  const first = rows.find((r) => r.network !== null && r.sharesNetnsWith === null) ?? rows[0];
  if (!first) return { key: 'mode:unknown', title: 'mode unknown' };
  if (first.sharesNetnsWith !== null)
    return { key: 'mode:container', title: "sharing another container's namespace (--network container:)" };
  if (first.mode === 'host') return { key: 'mode:host', title: 'host mode (no namespace of their own)' };
  if (first.mode === 'none') return { key: 'mode:none', title: 'network none (loopback only)' };
  if (first.network)
    return {
      key: `net:${first.network}`,
      title: `network ${first.network}${first.driver && first.driver !== first.network ? ` (${first.driver})` : ''}`,
    };
  return { key: `mode:${first.mode}`, title: `mode ${first.mode}, network not in the data` };
}

export function groupContainers(g: GraphBuilder, rows: InterfaceRow[], nat: NatReport): GraphGrouping | null {
  const byContainer = new Map<string, InterfaceRow[]>();
  for (const r of rows) byContainer.set(r.container, [...(byContainer.get(r.container) ?? []), r]);
  if (byContainer.size <= GROUP_THRESHOLD) return null;
  const groups = new Map<string, Group>();
  const groupOf = new Map<string, Group>();
  for (const [name, own] of byContainer) {
    const { key, title } = groupKeyOf(own);
    const grp = groups.get(key) ?? { key, title, containers: new Set(), bridges: new Map(), parents: new Set(), overlays: new Set() };
    groups.set(key, grp);
    grp.containers.add(name);
    groupOf.set(name, grp);
    for (const r of own) {
      if (r.sharesNetnsWith !== null) continue;
      if (r.hostVeth && r.bridge) grp.bridges.set(r.bridge, (grp.bridges.get(r.bridge) ?? new Set()).add(r.hostVeth));
      if (r.parent) grp.parents.add(r.parent);
      if (r.mode === 'overlay' && r.network) grp.overlays.add(r.network);
    }
  }
  const ports = new Map<Group, Set<string>>();
  for (const m of nat.mappings) {
    const grp = m.container ? groupOf.get(m.container) : undefined;
    if (!grp) continue;
    ports.set(grp, (ports.get(grp) ?? new Set()).add(`${m.hostPort}/${m.protocol}`));
  }
  const hint = `${byContainer.size} containers are drawn in ${groups.size} group(s); name containers to draw them one by one (docknet graph NAME ...), or give --no-group`;
  for (const grp of [...groups.values()].sort((a, b) => naturalCompare(a.key, b.key))) {
    const names = [...grp.containers].sort(naturalCompare);
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, ... (${names.length - 3} more)` : '');
    const clusterId = `group:${grp.key}`;
    g.cluster({ id: clusterId, kind: 'group', label: [grp.title], containers: names });
    const node = g.node({
      id: clusterId,
      kind: 'group',
      label: [`${names.length} containers`, shown],
      cluster: clusterId,
      detail: `${grp.title}: ${names.join(', ')}`,
    });
    for (const [bridge, veths] of [...grp.bridges].sort((a, b) => naturalCompare(a[0], b[0]))) {
      if (!g.nodes.has(nodeId.bridge(bridge))) continue;
      g.edge({ kind: 'veth-pair', from: node.id, to: nodeId.bridge(bridge), label: [`${veths.size} veth pairs`] });
    }
    for (const parent of grp.parents)
      g.edge({ kind: 'parent', from: node.id, to: hostNodeId(g, parent), label: ['macvlan/ipvlan on parent'] });
    for (const net of grp.overlays) {
      const o = g.node({
        id: nodeId.overlay(net),
        kind: 'overlay-netns',
        label: [`overlay namespace of '${net}'`, 'bridge + vxlan, not on the host'],
        cluster: null,
      });
      g.edge({ kind: 'overlay', from: node.id, to: o.id, label: ['veths there'] });
    }
    const published = [...(ports.get(grp) ?? [])].sort(naturalCompare);
    if (published.length) {
      const p = g.node({
        id: `port:${clusterId}`,
        kind: 'port',
        label: [`${published.length} published port(s)`, published.slice(0, 4).join(', ') + (published.length > 4 ? ', ...' : '')],
        cluster: PORTS_CLUSTER,
        detail: published.join(', '),
      });
      g.edge({ kind: 'dnat', from: p.id, to: node.id, label: ['DNAT / docker-proxy'] });
    }
  }
  g.notes.push(hint);
  return { threshold: GROUP_THRESHOLD, containers: byContainer.size, groups: groups.size, hint };
}
