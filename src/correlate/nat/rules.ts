// The NAT rules as correlation sees them: each with its table's chain graph, whether Docker wrote it,
// whether a publication has claimed it, and the matches that tie a rule to a host address and port.
import type { NatRule, NatTable } from '../../model/nat-rule.js';
import type { SourcedTable } from '../../model/port-facts.js';
import type { RuleRef } from '../../model/port-path.js';
import { familyOf, inPrefix as inNet, isWildcard as isAnyAddress, normaliseHostIp } from '../../util/address.js';
import { chainGraph, hookPath, type ChainGraph } from './chain-graph.js';

export interface RuleCtx {
  rule: NatRule;
  table: NatTable;
  /** The chain graph of `table`, shared by all its rules. */
  graph: ChainGraph;
  from: string;
  /** Written by Docker: its DOCKER / DOCKER-INGRESS chains, or its nftables tables. */
  docker: boolean;
  ingress: boolean;
  used: boolean;
}

export function isDockerNftTable(t: NatTable): boolean {
  return t.origin.tool === 'nft' && /^docker-/.test(t.name);
}

/** Every rule of every table read, in table order, each table's chain graph built once. */
export function ruleContexts(tables: SourcedTable[]): RuleCtx[] {
  const graphs = new Map<NatTable, ChainGraph>();
  const out: RuleCtx[] = [];
  for (const st of tables) {
    let graph = graphs.get(st.table);
    if (!graph) graphs.set(st.table, (graph = chainGraph(st.table)));
    for (const rule of st.table.rules) {
      // iptables' nat table (also as nft lists iptables-nft's `table ip nat`) holds Docker's rules in chain DOCKER.
      const iptablesDocker = st.table.name === 'nat' && (rule.chain === 'DOCKER' || rule.chain === 'DOCKER-INGRESS');
      out.push({
        rule,
        table: st.table,
        graph,
        from: st.from,
        docker: iptablesDocker || isDockerNftTable(st.table),
        ingress: rule.chain === 'DOCKER-INGRESS',
        used: false,
      });
    }
  }
  return out;
}

/** nftables for Docker's own nftables tables; iptables' tables keep their backend, also when nft listed them (iptables-nft). */
export function backendOf(t: NatTable): string | null {
  if (isDockerNftTable(t)) return 'nftables';
  if (t.origin.tool === 'nft') return 'nf_tables';
  return t.origin.backend;
}

export function ruleRef(rc: RuleCtx): RuleRef {
  const r = rc.rule;
  const path = hookPath(rc.graph, r.chain, 'prerouting', null) ?? hookPath(rc.graph, r.chain, 'output', null) ?? [r.chain];
  return {
    family: rc.table.family,
    backend: backendOf(rc.table),
    table: rc.table.name,
    chain: r.chain,
    number: r.number,
    handle: r.handle,
    packets: r.packets,
    bytes: r.bytes,
    countersExact: r.countersExact,
    target: r.target,
    text: r.text,
    hookPath: path,
    from: rc.from,
  };
}

export function familyFits(t: NatTable, ip: string): boolean {
  if (t.family === 'inet') return true;
  return familyOf(ip) === 'ipv6' ? t.family === 'ipv6' : t.family === 'ipv4';
}

/** Whether a rule matches packets to hostIp:hostPort/protocol (family, protocol, port and destination). */
export function matchesHostPort(rc: RuleCtx, hostIp: string, hostPort: number, protocol: string): boolean {
  const r = rc.rule;
  if (!familyFits(rc.table, normaliseHostIp(hostIp))) return false;
  if (r.protocol !== protocol || r.protocolNegated) return false;
  if (!r.dport || r.dportNegated || hostPort < r.dport.from || hostPort > r.dport.to) return false;
  if (isAnyAddress(hostIp)) return r.destination === null;
  return r.destination !== null && !r.destinationNegated && inNet(hostIp, r.destination);
}

/** The container ip:port a DNAT rule sends `hostPort` to, when the rule is for this binding. */
export function dnatFor(rc: RuleCtx, hostIp: string, hostPort: number, protocol: string): { ip: string; port: number } | null {
  const r = rc.rule;
  if (r.target !== 'DNAT' || !r.dnatTo?.ip || r.dnatTo.ip.includes('-') || !r.dport) return null;
  if (!matchesHostPort(rc, hostIp, hostPort, protocol)) return null;
  const to = r.dnatTo.port;
  let port = hostPort;
  if (to) port = to.to - to.from === r.dport.to - r.dport.from ? to.from + (hostPort - r.dport.from) : to.from;
  return { ip: r.dnatTo.ip, port };
}

/** Whether two rules match the same packets (a later one is then never reached). */
export function sameMatch(a: NatRule, b: NatRule): boolean {
  const range = (r: { from: number; to: number } | null) => (r ? `${r.from}-${r.to}` : '');
  return (
    a.protocol === b.protocol &&
    range(a.dport) === range(b.dport) &&
    a.destination === b.destination &&
    a.destinationNegated === b.destinationNegated &&
    a.inInterface === b.inInterface &&
    a.inNegated === b.inNegated
  );
}
