// Whether a rule's conditions match a packet: yes, no, or cannot be told (an unmodelled match, a set
// whose members are not in the data, an address type the host's addresses do not tell).
import type { Cond, FwRule } from '../../model/firewall.js';
import { inPrefix, isValidIp, sameAddress } from '../../util/address.js';
import type { Packet, Tri } from './packet.js';

/** What conditions need from the host beyond the packet. */
export interface CondContext {
  /** The address type of an address on this host: LOCAL, UNICAST, BROADCAST, MULTICAST; or why it cannot be told. */
  addrtype(ip: string): string[] | { unknown: string };
}

/** iptables' interface names: a trailing `+` matches every name that starts with the rest. */
export function interfaceMatches(pattern: string, name: string | null): boolean {
  if (name === null) return false;
  if (pattern.endsWith('+')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

function addressMatches(cidr: string, ip: string): boolean {
  if (cidr === ip) return true;
  if (cidr.includes('/')) return inPrefix(ip, cidr);
  // Two IPv4 addresses that are not the same string are not the same address.
  return cidr.includes(':') && isValidIp(cidr) && sameAddress(cidr, ip);
}

function inRange(from: string, to: string, ip: string): boolean {
  const n = (a: string) => (isValidIp(a) && !a.includes(':') ? a.split('.').reduce((x, p) => x * 256 + Number(p), 0) : Number.NaN);
  const v = n(ip);
  return v >= n(from) && v <= n(to);
}

function ctMatches(states: string[], p: Packet): boolean {
  return states.some((s) => s === p.ctstate || (s === 'DNAT' && p.dnat) || (s === 'SNAT' && p.snat));
}

function positive(c: Cond, p: Packet, ctx: CondContext): Tri {
  switch (c.kind) {
    case 'protocol':
      return c.protocol === p.protocol ? 'yes' : 'no';
    case 'address':
      return addressMatches(c.cidr, c.dir === 'src' ? p.src : p.dst) ? 'yes' : 'no';
    case 'address-range':
      return inRange(c.from, c.to, c.dir === 'src' ? p.src : p.dst) ? 'yes' : 'no';
    case 'interface':
      return interfaceMatches(c.name, c.dir === 'in' ? p.in : p.out) ? 'yes' : 'no';
    case 'port': {
      const ports = c.dir === 'src' ? [p.sport] : c.dir === 'dst' ? [p.dport] : [p.sport, p.dport];
      return c.ports.some((r) => ports.some((x) => x >= r.from && x <= r.to)) ? 'yes' : 'no';
    }
    case 'ctstate':
      return ctMatches(c.states, p) ? 'yes' : 'no';
    case 'addrtype': {
      const types = ctx.addrtype(c.dir === 'src' ? p.src : p.dst);
      if (!Array.isArray(types)) return types;
      return c.types.some((t) => types.includes(t)) ? 'yes' : 'no';
    }
    case 'mark':
      return (p.mark & c.mask) === (c.value & c.mask) ? 'yes' : 'no';
    case 'tcp-syn':
      // The packet walked is a connection's first: a SYN for TCP.
      return p.protocol === 'tcp' ? 'yes' : 'no';
    case 'set': {
      // nftables sets carry their members; an ipset's are not in the data.
      if (c.members === undefined) return { unknown: `the members of set ${c.name} are not in the data` };
      let unknown: string | null = null;
      for (const m of c.members) {
        const r = one(m, p, ctx);
        if (r === 'yes') return 'yes';
        if (r !== 'no') unknown ??= r.unknown;
      }
      return unknown === null ? 'no' : { unknown };
    }
    case 'family':
      return c.family === p.family ? 'yes' : 'no';
    case 'assumed':
      return 'yes';
    case 'unmodelled':
      return { unknown: `docknet does not model the match "${c.text}"` };
  }
}

function one(c: Cond, p: Packet, ctx: CondContext): Tri {
  const r = positive(c, p, ctx);
  if (!c.negated || typeof r !== 'string') return r;
  return r === 'yes' ? 'no' : 'yes';
}

/** All conditions must match; one that does not decides, whatever the unknown ones would say. */
export function ruleMatches(rule: FwRule, p: Packet, ctx: CondContext): Tri {
  let unknown: string | null = null;
  for (const c of rule.conds) {
    const r = one(c, p, ctx);
    if (r === 'no') return 'no';
    if (r !== 'yes') unknown ??= r.unknown;
  }
  return unknown === null ? 'yes' : { unknown };
}

/** The conditions a matched rule was taken to pass without docknet checking them (rate limits, recent lists). */
export function assumedOf(rule: FwRule): string[] {
  return rule.conds.flatMap((c) => (c.kind === 'assumed' ? [`${c.text}: ${c.why}`] : []));
}
