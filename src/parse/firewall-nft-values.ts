// The values of nftables matches as firewall-model conditions: interface names, addresses, ports,
// protocols, conntrack states and statuses, address types, TCP flags, families; numbers as nft writes them.
import type { Cond, IpFamily } from '../model/firewall.js';
import { normaliseAddress, normaliseProtocol, type PortRange } from '../model/nat-rule.js';
import { isObj } from './nft-print.js';
import { portRange } from './nft-rule-fields.js';
/** A number as nft writes it: JSON numbers, and text's `0x1`, `16`. */
export function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string' || !/^(?:0x[0-9a-f]{1,8}|\d{1,10})$/i.test(v.trim())) return null;
  const n = Number(v.trim());
  return n <= 0xffffffff ? n : null;
}

/** nft's interface wildcard `"docker*"` is iptables' `docker+`; `\*` is a literal star. */
export function ifname(v: unknown): string | null {
  if (typeof v !== 'string' || v === '' || v.length > 17 || /[\s"]/.test(v)) return null;
  if (v.endsWith('\\*')) return `${v.slice(0, -2)}*`;
  if (v.endsWith('*')) return `${v.slice(0, -1)}+`;
  return v;
}

const V4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const V6 = /^[0-9a-f:]*:[0-9a-f:.]*$/i;

function isAddress(s: string): boolean {
  return V4.test(s) || V6.test(s);
}

/** An address value: `172.17.0.2`, a prefix, a range. */
export function addressCond(dir: 'src' | 'dst', v: unknown): Cond | null {
  if (typeof v === 'string' && isAddress(v)) return { kind: 'address', dir, cidr: normaliseAddress(v) ?? v, negated: false };
  if (isObj(v) && isObj(v.prefix)) {
    const addr = v.prefix.addr;
    const len = v.prefix.len;
    if (typeof addr !== 'string' || !isAddress(addr) || typeof len !== 'number' || !Number.isInteger(len) || len < 0 || len > 128)
      return null;
    const cidr = `${addr}/${len}`;
    return { kind: 'address', dir, cidr: normaliseAddress(cidr) ?? cidr, negated: false };
  }
  if (isObj(v) && Array.isArray(v.range) && v.range.length === 2) {
    const [from, to] = v.range;
    if (typeof from !== 'string' || typeof to !== 'string' || !isAddress(from) || !isAddress(to)) return null;
    return { kind: 'address-range', dir, from, to, negated: false };
  }
  return null;
}

export function portCond(dir: 'src' | 'dst' | 'any', v: unknown): Cond | null {
  const r = portRange(v);
  return r === null ? null : { kind: 'port', dir, ports: [r], negated: false };
}

export function comparePort(dir: 'src' | 'dst' | 'any', op: string, v: unknown): Cond | null {
  const n = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : null;
  if (n === null) return null;
  const range: PortRange | null =
    op === '<'
      ? n > 0
        ? { from: 0, to: n - 1 }
        : null
      : op === '<='
        ? { from: 0, to: n }
        : op === '>'
          ? n < 65535
            ? { from: n + 1, to: 65535 }
            : null
          : op === '>='
            ? { from: n, to: 65535 }
            : null;
  return range === null ? null : { kind: 'port', dir, ports: [range], negated: false };
}

export function protocolCond(v: unknown): Cond | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255)
    return { kind: 'protocol', protocol: normaliseProtocol(v), negated: false };
  if (typeof v === 'string' && /^[a-z][a-z0-9-]*$|^\d{1,3}$/i.test(v))
    return { kind: 'protocol', protocol: normaliseProtocol(v), negated: false };
  return null;
}

const CT_STATES = new Set(['new', 'established', 'related', 'invalid', 'untracked']);

/** `established,related` (text), `["established", "related"]` (JSON's bitmask `in`), `established`. */
export function ctStates(v: unknown): string[] | null {
  const words = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : null;
  if (words === null || words.length === 0) return null;
  const out: string[] = [];
  for (const w of words) {
    if (typeof w !== 'string' || !CT_STATES.has(w.trim().toLowerCase())) return null;
    out.push(w.trim().toUpperCase());
  }
  return out;
}

/** `ct status dnat` is conntrack's --ctstate DNAT: the connection's destination was rewritten. */
export function ctStatuses(v: unknown): string[] | null {
  const words = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : null;
  if (words === null || words.length === 0) return null;
  const out: string[] = [];
  for (const w of words) {
    if (w !== 'dnat' && w !== 'snat') return null;
    out.push(w.toUpperCase());
  }
  return out;
}

export const ADDRTYPES = new Set([
  'local',
  'unicast',
  'broadcast',
  'multicast',
  'anycast',
  'blackhole',
  'unreachable',
  'prohibit',
  'unspec',
  'nat',
  'xresolve',
  'throw',
]);

/** TCP flags named in a value or mask: `syn`, `fin,syn,rst,ack`, `( fin|syn|rst|ack )`, `["fin", "syn"]`, `{"|": [...]}`. */
function flagWords(v: unknown): Set<string> | null {
  const out = new Set<string>();
  const add = (x: unknown): boolean => {
    if (typeof x === 'string') {
      for (const w of x.split(/[^a-z]+/i)) if (w !== '') out.add(w.toLowerCase());
      return true;
    }
    if (Array.isArray(x)) return x.every(add);
    if (isObj(x) && Array.isArray(x['|'])) return x['|'].every(add);
    return false;
  };
  return add(v) && out.size > 0 ? out : null;
}

/** The first packet of a TCP connection: SYN set with ACK (and RST, FIN) clear, as iptables' --syn. */
export function synCond(value: unknown, mask: unknown): Cond | null {
  const v = flagWords(value);
  const m = flagWords(mask);
  if (v === null || m === null || v.size !== 1 || !v.has('syn') || !m.has('syn') || !m.has('ack')) return null;
  return { kind: 'tcp-syn', negated: false };
}

export function familyOfWord(v: unknown): IpFamily | null {
  if (v === 'ipv4' || v === 'ip' || v === 2) return 'ipv4';
  if (v === 'ipv6' || v === 'ip6' || v === 10) return 'ipv6';
  return null;
}
