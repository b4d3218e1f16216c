// Published ports in the host graph: one node per address a client sends to, and an arrow per path
// (through the DNAT rule with its counters, through docker-proxy, or unknown) to the container port.
import type { NatWords } from '../model/nat-path.js';
import { hostAddress, type NatAnomaly, type NatReport, type PortMapping, type PortPath } from '../model/port-path.js';
import { type GraphBuilder, type GraphEdgeKind, nodeId, PORTS_CLUSTER } from './graph-builder.js';

function counters(m: PortMapping): string {
  const r = m.rule;
  if (!r) return '';
  if (r.packets === null) return ', counters not shown';
  return `, ${r.packets} pkts ${r.bytes ?? '?'} bytes${r.countersExact ? '' : ' (rounded)'}`;
}

/** Where the arrow ends: the container's interface holding the address, else the container's own box. */
function targetOf(g: GraphBuilder, m: PortMapping): string | null {
  if (!m.container) return null;
  const owner = m.container;
  if (m.interface && g.nodes.has(nodeId.iface(owner, m.interface))) return nodeId.iface(owner, m.interface);
  // A follower's ports are its owner's: the mapping names the owner container.
  if (g.nodes.has(nodeId.container(owner))) return nodeId.container(owner);
  const anyIface = [...g.nodes.values()].find((n) => n.kind === 'interface' && n.container === owner);
  return anyIface?.id ?? null;
}

/** One line of an arrow's label per path, e.g. `0.0.0.0: DNAT DOCKER 6, 6 pkts 360 bytes`. */
function pathLine(m: PortMapping, p: PortPath): { kind: GraphEdgeKind; line: string; unknown: boolean } {
  const at = p.address.replace(/:\d+\/\w+$/, '');
  const local = p.from === 'this host' ? ' (from this host)' : '';
  if (p.via === 'dnat' && m.rule)
    return { kind: 'dnat', line: `${at}: DNAT ${m.rule.chain} ${m.rule.number}${counters(m)}`, unknown: false };
  if (p.via === 'docker-proxy') {
    const pid = m.proxy ? ` pid ${m.proxy.pid}` : '';
    const why = p.from === 'this host' ? ', bypasses DNAT' : m.rule ? '' : ', no DNAT rule';
    return { kind: 'docker-proxy', line: `${at}${local}: docker-proxy${pid}${why}`, unknown: false };
  }
  if (p.via === 'none') return { kind: 'no-path', line: `${at}${local}: no DNAT rule, no docker-proxy`, unknown: false };
  return { kind: 'no-path', line: `${at}${local}: path unknown`, unknown: true };
}

type Arrow = { kind: GraphEdgeKind; from: string; to: string; lines: string[]; unknown: boolean; toText: string };

/** The box a mapping's arrows end at: its container's interface, or an unknown box when the container is not drawn. */
function mappingTarget(g: GraphBuilder, m: PortMapping): string {
  return (
    targetOf(g, m) ??
    g.node({
      id: `unknown:${m.containerIp ?? '?'}:${m.containerPort}`,
      kind: 'unknown',
      label: [`${m.containerIp ?? '?'}:${m.containerPort}`, 'container not in the data'],
      cluster: null,
      unknown: true,
    }).id
  );
}

/** One mapping: its host port's box (shared by the mappings to one target), a label line and an arrow per path. */
function addMapping(g: GraphBuilder, m: PortMapping, words: NatWords, arrows: Map<string, Arrow>): void {
  const target = mappingTarget(g, m);
  // A mapping without paths (none were built) still gets its arrow, by how it travels.
  const paths: PortPath[] = m.paths.length
    ? m.paths
    : [{ address: hostAddress(m.hostIp, m.hostPort, m.protocol), from: 'outside', via: m.via, hops: [], reason: null }];
  const portId = nodeId.port(`${m.hostPort}/${m.protocol}>${target}`);
  const port =
    g.nodes.get(portId) ??
    g.node({
      id: portId,
      kind: 'port',
      label: [`${m.hostPort}/${m.protocol}`],
      cluster: PORTS_CLUSTER,
      container: m.container,
      detail: null,
    });
  for (const p of paths) {
    const line = `${p.address}${p.from === 'this host' ? ' (from this host)' : ''}`;
    if (!port.label.includes(line)) port.label.push(line);
    port.detail = [port.detail, m.paths.length ? words.path(p) : ''].filter(Boolean).join('\n');
    const e = pathLine(m, p);
    const key = `${e.kind}:${portId}`;
    const arrow = arrows.get(key) ?? {
      kind: e.kind,
      from: portId,
      to: target,
      lines: [],
      unknown: e.unknown,
      toText: `to ${m.containerIp ?? '?'}:${m.containerPort}`,
    };
    arrows.set(key, arrow);
    if (!arrow.lines.includes(e.line)) arrow.lines.push(e.line);
  }
}

/** A DNAT rule no publication claims (stale, foreign, ingress): its port, and an arrow to where it sends. */
function addRuleAnomaly(g: GraphBuilder, a: NatAnomaly, words: NatWords): void {
  if (a.hostPort === null) return;
  const address = `${a.hostIp ?? '0.0.0.0'}:${a.hostPort}/${a.protocol ?? 'tcp'}`;
  const text = words.anomaly(a);
  const port = g.node({
    id: nodeId.port(address),
    kind: 'port',
    label: [`${a.hostPort}/${a.protocol ?? 'tcp'}`, address],
    cluster: PORTS_CLUSTER,
    detail: text,
  });
  const where = `${a.containerIp ?? '?'}:${a.containerPort ?? '?'}`;
  const target =
    a.kind === 'ingress' && g.nodes.has(nodeId.sandbox('ingress-sbox'))
      ? nodeId.sandbox('ingress-sbox')
      : g.node({
          id: `unknown:${where}`,
          kind: 'unknown',
          label: [
            where,
            a.kind === 'stale-rule' ? (a.confirmed ? 'no container has it (stale rule)' : 'no known container has it') : a.kind,
          ],
          cluster: null,
          unknown: true,
          detail: text,
        }).id;
  const rule = a.rule ? `DNAT ${a.rule.chain} ${a.rule.number}` : 'DNAT';
  g.edge({ kind: 'dnat', from: port.id, to: target, label: [`${rule} (${a.kind})`, `to ${where}`], unknown: a.kind !== 'ingress' });
}

export function addPortPaths(g: GraphBuilder, nat: NatReport, words: NatWords, shown: Set<string>, all: boolean): void {
  // One box per host port and container (its addresses inside), one arrow per way (DNAT, docker-proxy, none).
  const arrows = new Map<string, Arrow>();
  for (const m of nat.mappings) {
    if (m.container !== null && !shown.has(m.container) && !m.followers.some((f) => shown.has(f))) continue;
    if (m.container === null && !all) continue;
    addMapping(g, m, words, arrows);
  }
  for (const a of arrows.values()) g.edge({ kind: a.kind, from: a.from, to: a.to, label: [...a.lines, a.toText], unknown: a.unknown });
  if (!all) return;
  for (const a of nat.anomalies)
    if (a.kind === 'stale-rule' || a.kind === 'foreign-rule' || a.kind === 'ingress') addRuleAnomaly(g, a, words);
}
