// The swarm's ports between nodes (4789/udp, 7946, 2377, ESP): each pair of nodes walked through the
// receiver's prerouting and input and the sender's output and postrouting, and what blocks them.
import type { Finding } from '../../model/finding.js';
import type { RuleRef } from '../reach/hooks.js';
import { linkWith, type NodeAddress, routeTo, ruleText, type Unknowns } from './checks.js';
import type { OverlayView } from './overlay.js';
import { ESP, GOSSIP_TCP, GOSSIP_UDP, MANAGER_PORT, type PortVerdict, type SwarmPort, VXLAN_PORT, walkSwarmPort } from './ports.js';

interface Blocked {
  /** The node whose rule decided, and which way: the receiver's input, or the sender's output. */
  node: string;
  dir: 'in' | 'out';
  port: SwarmPort;
  rule: RuleRef | null;
  verdict: 'drop' | 'reject';
  /** The other ends: senders for `in`, receivers for `out`. */
  peers: string[];
  pairs: string[];
}

/** One node's walk of a packet between two nodes: the receiver's prerouting and input, or the sender's output and postrouting. */
function walkSide(
  n: NodeAddress,
  side: 'send' | 'receive',
  port: SwarmPort,
  src: string,
  dst: string,
  vni: number | null,
): PortVerdict | { verdict: 'unknown'; reason: string } {
  const rs = n.node.model.firewall.ipv4;
  if (!rs.known) return { verdict: 'unknown', reason: rs.reason };
  let iface: string | null;
  if (side === 'receive') iface = linkWith(n.node.model.hostLinks.known ? n.node.model.hostLinks.value : [], dst)?.name ?? null;
  else {
    if (!n.node.model.routes.known) return { verdict: 'unknown', reason: n.node.model.routes.reason };
    iface = routeTo(n.node.model.routes.value, dst)?.dev ?? null;
  }
  return walkSwarmPort(rs.value, port, src, dst, iface, vni, side);
}

export function checkPorts(views: OverlayView[], nodes: NodeAddress[], unknowns: Unknowns): Finding[] {
  const blocked = new Map<string, Blocked>();
  for (const n of nodes) {
    const rs = n.node.model.firewall.ipv4;
    if (n.addr && !rs.known) unknowns.push({ subject: `${n.node.host}: swarm ports`, reason: rs.reason });
  }
  for (const r of nodes) {
    if (!r.addr) continue;
    const manager = r.node.swarm.known && r.node.swarm.value.controlAvailable;
    for (const s of nodes) {
      if (s === r || !s.addr) continue;
      const shared = views.filter((v) => !v.encrypted && both(v, r.node.host, s.node.host));
      const encrypted = views.filter((v) => v.encrypted && both(v, r.node.host, s.node.host));
      const checks: { port: SwarmPort; vni: number | null; nets: OverlayView[] }[] = [
        ...shared.map((v) => ({ port: VXLAN_PORT, vni: v.vni, nets: [v] })),
        { port: GOSSIP_TCP, vni: null, nets: [] },
        { port: GOSSIP_UDP, vni: null, nets: [] },
        ...(manager ? [{ port: MANAGER_PORT, vni: null, nets: [] }] : []),
        ...(encrypted.length ? [{ port: ESP, vni: null, nets: encrypted }] : []),
      ];
      for (const c of checks) {
        // Blocked by a rule on either side, each said: the receiver's input, and the sender's output.
        for (const side of ['receive', 'send'] as const) {
          const decider = side === 'receive' ? r : s;
          const peer = side === 'receive' ? s : r;
          if (!decider.node.model.firewall.ipv4.known) continue;
          const w = walkSide(decider, side, c.port, s.addr, r.addr, c.vni);
          if (w.verdict === 'accept') continue;
          if (w.verdict === 'unknown') {
            unknowns.push({
              subject: `${c.port.label} from ${s.node.host} to ${r.node.host}${side === 'send' ? ` (${s.node.host}'s output)` : ''}`,
              reason: w.reason,
            });
            continue;
          }
          const dir = side === 'receive' ? 'in' : 'out';
          const key = `${decider.node.host}|${dir}|${c.port.label}|${w.decidedBy ? `${w.decidedBy.table}/${w.decidedBy.chain}/${w.decidedBy.number}` : 'none'}`;
          const b = blocked.get(key) ?? {
            node: decider.node.host,
            dir,
            port: c.port,
            rule: w.decidedBy,
            verdict: w.verdict,
            peers: [],
            pairs: [],
          };
          if (!b.peers.includes(peer.node.host)) b.peers.push(peer.node.host);
          const nets = c.nets.length
            ? c.nets.map((v) => v.name)
            : views.filter((v) => both(v, r.node.host, s.node.host)).map((v) => v.name);
          for (const net of nets) b.pairs.push(`${s.node.host} <-> ${r.node.host} on ${net}`);
          if (!nets.length) b.pairs.push(`${s.node.host} -> ${r.node.host}`);
          blocked.set(key, b);
        }
      }
    }
  }
  return [...blocked.values()].map(blockedFinding);
}

function blockedFinding(b: Blocked): Finding {
  return {
    check: 'overlay',
    kind: 'swarm-port-blocked',
    subject: `${b.node}: ${b.port.label}${b.dir === 'out' ? ' out' : ''}`,
    severity: 'error',
    title: `${b.node} ${b.verdict === 'drop' ? 'drops' : 'rejects'} ${b.port.label} (${b.port.role}) ${b.dir === 'in' ? 'from' : 'it sends to'} ${b.peers.join(', ')}`,
    evidence: [
      { source: b.rule?.from ?? 'iptables-save', text: ruleText(b.rule) },
      ...[...new Set(b.pairs)].map((p) => ({ source: 'broken pair', text: p })),
    ],
    why:
      b.port === VXLAN_PORT
        ? b.dir === 'in'
          ? 'Overlay traffic from those nodes never reaches this node’s VXLAN device, while the node stays Ready (the control plane and gossip use other ports): tasks across the pair cannot talk.'
          : 'This node’s overlay traffic never leaves for those nodes, while every node stays Ready (the control plane and gossip use other ports): tasks across the pair cannot talk.'
        : b.port === ESP
          ? 'An encrypted overlay’s packets are ESP: dropped, its tasks across the pair cannot talk.'
          : b.port === MANAGER_PORT
            ? 'Nodes cannot reach this manager: joins and the Raft control plane fail.'
            : 'Gossip carries the overlay’s peer and endpoint tables: without it, nodes never learn each other’s tasks.',
    fix:
      b.rule && b.rule.number > 0
        ? `inspect the rule: iptables -t ${b.rule.table} -L ${b.rule.chain} ${b.rule.number} -v -n   # on ${b.node}`
        : `iptables -S ${b.dir === 'in' ? 'INPUT' : 'OUTPUT'}   # on ${b.node}`,
    changesHost: false,
    unproven: null,
  };
}

function both(v: OverlayView, a: string, b: string): boolean {
  const has = (h: string) => v.nodes.some((n) => n.host === h && n.agreement !== 'no-namespace');
  return has(a) && has(b);
}
