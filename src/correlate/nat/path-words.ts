// The few words correlation's own notes share with the sentences render/nat-words.ts writes for paths
// and anomalies: a table's name, a rule's match as an address, why a loopback connection skips DNAT.
// Written once here, so that a note and the path it speaks of say it alike.
import type { OutputExclusion, RuleMatch, TableName } from '../../model/nat-path.js';

/** `ip nat` (nft), `nat`, `ip6tables nat`, `nat (legacy)`. */
export function tableLabel(t: TableName): string {
  if (t.tool === 'nft') return `${t.family === 'ipv6' ? 'ip6' : t.family === 'ipv4' ? 'ip' : t.family} ${t.name}`;
  return `${t.family === 'ipv6' ? 'ip6tables ' : ''}${t.name}${t.legacy ? ' (legacy)' : ''}`;
}

/** Why the host's own connection to a loopback address does not reach the rule's chain. */
export function exclusionWords(e: OutputExclusion): string {
  const out = `${tableLabel(e.table)} ${e.outputChain}`;
  if (e.only) return `${out} sends only ! -d ${e.only.destination} to ${e.only.target}`;
  return `no ${out} jump reaches ${e.ruleChain} for ${e.address}`;
}

/** The host address a rule matches, as ip:port/protocol (`0.0.0.0:8080/tcp`, `[::]:*\/all`). */
export function matchHost(m: RuleMatch): string {
  const port = m.dport ? (m.dport.from === m.dport.to ? String(m.dport.from) : `${m.dport.from}-${m.dport.to}`) : '*';
  return `${m.ip.includes(':') ? `[${m.ip}]` : m.ip}:${port}/${m.protocol ?? 'all'}`;
}
