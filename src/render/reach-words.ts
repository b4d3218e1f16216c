// The words reach's renderers share: an address and port, a packet, a rule by its chain and place.
import type { RuleRef } from '../correlate/reach/hooks.js';
import type { PacketView } from '../correlate/reach/path-result.js';
import { escapeText } from './escape.js';

export function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function packetText(p: PacketView): string {
  return `${endpoint(p.src, p.sport)} -> ${endpoint(p.dst, p.dport)}/${p.protocol}`;
}

/** `iptables filter FORWARD`, `nft inet firewalld filter_FORWARD`. */
export function chainName(r: RuleRef): string {
  return r.kind === 'iptables'
    ? `${r.family === 'ip6' ? 'ip6tables' : 'iptables'} ${r.table} ${r.chain}`
    : `nft ${r.family} ${r.table} ${r.chain}`;
}

function counters(r: RuleRef): string {
  return r.packets === null ? '' : ` [${r.packets} packets, ${r.bytes ?? '?'} bytes]`;
}

/** A rule by its place only: `iptables filter DOCKER-USER rule 1`, `iptables filter FORWARD policy`. */
export function ruleName(r: RuleRef): string {
  return r.number === 0 ? `${chainName(r)} policy` : `${chainName(r)} rule ${r.number}`;
}

export function ruleText(r: RuleRef): string {
  if (r.number === 0) return `${chainName(r)} ${r.text}`;
  return `${chainName(r)} rule ${r.number}: ${escapeText(r.text.replace(/^\[\d+:\d+\]\s+/, ''))}${counters(r)}`;
}
