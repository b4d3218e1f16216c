// Paths and rules in words: the table, the rule and its counters, the hops to the container, and why
// a loopback connection bypasses DNAT.
import type { NatRule, NatTable } from '../../model/nat-rule.js';
import { hostAddress, type PortMapping, type ProxyRef, type RuleRef } from '../../model/port-path.js';
import { bareAddress as bare, inPrefix as inNet } from '../../util/address.js';
import { outputChainName } from './chain-graph.js';
import type { RuleCtx } from './rules.js';

export function tableWord(t: NatTable, from: string): string {
  if (t.origin.tool === 'nft') return `${t.family === 'ipv6' ? 'ip6' : t.family === 'ipv4' ? 'ip' : t.family} ${t.name}`;
  const legacy = t.origin.backend === 'legacy' && /legacy/.test(from) ? ' (legacy)' : '';
  return `${t.family === 'ipv6' ? 'ip6tables ' : ''}${t.name}${legacy}`;
}

export function counters(r: RuleRef): string {
  if (r.packets === null || r.bytes === null) return 'no counters';
  const approx = r.countersExact ? '' : '~';
  return `pkts ${approx}${r.packets}, bytes ${approx}${r.bytes}`;
}

export function proxyWords(p: ProxyRef): string {
  return `docker-proxy pid ${p.pid} (-host-ip ${p.hostIp} -host-port ${p.hostPort})`;
}

function endWords(m: PortMapping): string {
  const who = m.container ?? 'no known container';
  const iface = m.interface ? ` ${m.interface}` : '';
  return `${who}${iface} ${m.containerIp ? hostAddress(m.containerIp, m.containerPort, m.protocol).replace(/\/\w+$/, '') : `?:${m.containerPort}`}`;
}

export function hopsToContainer(m: PortMapping): string {
  const hops: string[] = [];
  if (m.bridge) hops.push(m.bridge);
  if (m.hostVeth) hops.push(m.hostVeth);
  else if (m.probableHostVeth) hops.push(`${m.probableHostVeth}? (probably)`);
  hops.push(endWords(m));
  return hops.join(' -> ');
}

export function dnatWords(m: PortMapping, r: RuleRef, chains: string[], tableText: string): string {
  const [first, ...rest] = chains;
  const via = rest.length > 0 ? `${tableText} ${first} -> ${rest.join(' -> ')}` : `${tableText} ${first ?? r.chain}`;
  return `${via}: DNAT to ${hostAddress(m.containerIp ?? '?', m.containerPort, m.protocol).replace(/\/\w+$/, '')} (${counters(r)})`;
}

/** Why the host's own connection to `loop` does not reach the rule's chain. */
export function outputExclusion(rc: RuleCtx, loop: string): string {
  const excl = rc.graph.outputJumps.find((r) => r.destination !== null && r.destinationNegated && inNet(loop, r.destination));
  const out = `${tableWord(rc.table, rc.from)} ${outputChainName(rc.graph)}`;
  if (excl) return `${out} sends only ! -d ${excl.destination} to ${excl.target}`;
  return `no ${out} jump reaches ${rc.rule.chain} for ${loop}`;
}

export function ruleWords(r: RuleRef): string {
  return `${r.table === 'nat' && r.backend !== 'nftables' ? 'nat' : r.table} ${r.chain} rule ${r.number}`;
}

/** The host address a rule matches, as ip:port/protocol. */
export function ruleHost(rc: RuleCtx): string {
  const r = rc.rule;
  const ip =
    r.destination && !r.destinationNegated ? (bare(r.destination) ?? r.destination) : rc.table.family === 'ipv6' ? '::' : '0.0.0.0';
  const port = r.dport ? (r.dport.from === r.dport.to ? String(r.dport.from) : `${r.dport.from}-${r.dport.to}`) : '*';
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}/${r.protocol ?? 'all'}`;
}

export function ruleTo(r: NatRule): string {
  const to = r.dnatTo;
  if (!to) return r.target;
  const port = to.port ? (to.port.from === to.port.to ? `:${to.port.from}` : `:${to.port.from}-${to.port.to}`) : '';
  return `${r.target} to ${to.ip ? (to.ip.includes(':') && port ? `[${to.ip}]` : to.ip) : ''}${port}`;
}
