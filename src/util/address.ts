// IP addresses and prefixes, both families, in one place: parsing, matching and the host-IP forms
// Docker writes. Validity is Node's own isIP; matching compares the addresses as 128-bit numbers, each
// text parsed once (reach asks about the same few prefixes hundreds of thousands of times, and
// net.BlockList costs a SocketAddress per question: 8 of 25 s of an --exposure of 2,000 containers).
import { isIP } from 'node:net';

export type IpFamily = 'ipv4' | 'ipv6';

/** A prefix as parsed: the address as written (no zone) and its length. */
export interface Prefix {
  address: string;
  length: number;
  family: IpFamily;
}

/** 4 or 6 for a valid address (IPv6 zone ids `%eth0` allowed), 0 otherwise. */
export function ipVersion(ip: string): 0 | 4 | 6 {
  return isIP(stripZone(ip)) as 0 | 4 | 6;
}

export function isIpv4(ip: string): boolean {
  return ipVersion(ip) === 4;
}

export function isIpv6(ip: string): boolean {
  return ipVersion(ip) === 6;
}

export function isValidIp(ip: string): boolean {
  return ipVersion(ip) !== 0;
}

function stripZone(ip: string): string {
  const i = ip.indexOf('%');
  return i >= 0 ? ip.slice(0, i) : ip;
}

export function familyOf(ip: string): IpFamily {
  return ip.includes(':') ? 'ipv6' : 'ipv4';
}

/** The address of an "address/len" form, or the address itself: `172.17.0.2/16` -> `172.17.0.2`. */
export function bareAddress(cidr: string | null | undefined): string | null {
  if (!cidr) return null;
  const i = cidr.indexOf('/');
  return i >= 0 ? cidr.slice(0, i) : cidr;
}

/** "a.b.c.d/len", "fd00::/64", or a bare address (a host prefix); null when it is neither. */
export function parsePrefix(text: string): Prefix | null {
  const [addr, lenText, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return null;
  const ip = stripZone(addr);
  const v = isIP(ip);
  if (v === 0) return null;
  const bits = v === 4 ? 32 : 128;
  const length = lenText === undefined ? bits : /^\d{1,3}$/.test(lenText) ? Number(lenText) : Number.NaN;
  if (!Number.isInteger(length) || length < 0 || length > bits) return null;
  return { address: ip, length, family: v === 4 ? 'ipv4' : 'ipv6' };
}

interface Parsed {
  family: IpFamily;
  /** The address as a number: 32 bits for IPv4, 128 for IPv6. */
  value: bigint;
  /** The prefix length (the family's full length for a bare address). */
  length: number;
}

// Each text is parsed once. Bounded, so that no input makes it grow without end.
const PARSED = new Map<string, Parsed | null>();
const MAX_PARSED = 65536;

function ipv4Value(ip: string): bigint {
  let v = 0;
  for (const part of ip.split('.')) v = v * 256 + Number(part);
  return BigInt(v);
}

/** The groups of a valid IPv6 address (isIP said so), with `::` expanded and a dotted IPv4 tail as two groups. */
function ipv6Value(ip: string): bigint {
  const dotted = ip.lastIndexOf(':');
  let text = ip;
  if (ip.includes('.', dotted)) {
    const v4 = Number(ipv4Value(ip.slice(dotted + 1)));
    text = `${ip.slice(0, dotted + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (t: string) => (t === '' ? [] : t.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  let v = 0n;
  for (const g of all) v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  return v;
}

function parsed(text: string): Parsed | null {
  const known = PARSED.get(text);
  if (known !== undefined) return known;
  const p = parsePrefix(text);
  const result = p && {
    family: p.family,
    value: p.family === 'ipv4' ? ipv4Value(p.address) : ipv6Value(p.address),
    length: p.length,
  };
  if (PARSED.size >= MAX_PARSED) PARSED.clear();
  PARSED.set(text, result);
  return result;
}

/** Whether the first `length` bits of two addresses of one family agree. */
function samePrefix(a: Parsed, b: Parsed, length: number): boolean {
  const shift = BigInt((a.family === 'ipv4' ? 32 : 128) - length);
  return a.value >> shift === b.value >> shift;
}

/** Whether `ip` lies inside `prefix` (either family; false across families or for unreadable input). */
export function inPrefix(ip: string, prefix: string): boolean {
  const p = parsed(prefix);
  const a = parsed(stripZone(ip));
  if (!p || !a || a.length !== (a.family === 'ipv4' ? 32 : 128) || a.family !== p.family) return false;
  return samePrefix(a, p, p.length);
}

/** True when the two prefixes share any address (same family only). */
export function prefixesOverlap(a: string, b: string): boolean {
  const x = parsed(a);
  const y = parsed(b);
  if (!x || !y || x.family !== y.family) return false;
  // Two prefixes overlap exactly when the shorter one holds the other's first address.
  return samePrefix(x, y, Math.min(x.length, y.length));
}

/** Two addresses are the same address (`::ffff:0:1` forms and case folded by comparing canonically). */
export function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parsed(a);
  const y = parsed(b);
  if (!x || !y || x.family !== y.family || x.length !== y.length) return false;
  return samePrefix(x, y, x.length);
}

export function isLoopback(ip: string): boolean {
  return inPrefix(ip, '127.0.0.0/8') || inPrefix(ip, '::1/128');
}

/** The wildcard address of the family, as Docker and the kernel print it. */
export function wildcardOf(ip: string): '0.0.0.0' | '::' {
  return familyOf(ip) === 'ipv6' ? '::' : '0.0.0.0';
}

export function isWildcard(ip: string): boolean {
  return ip === '' || ip === '0.0.0.0' || ip === '::';
}

/**
 * A publication's host IP as Docker means it: the Engine writes '' for "all IPv4 addresses" in
 * HostConfig.PortBindings and `docker ps` prints `:::` for all IPv6 ones.
 */
export function normaliseHostIp(ip: string | null | undefined): string {
  if (ip === null || ip === undefined || ip === '') return '0.0.0.0';
  const t = ip.replace(/^\[|\]$/g, '');
  return t === ':::' || t === '' ? '::' : t;
}

export function sameHostIp(a: string, b: string): boolean {
  return normaliseHostIp(a) === normaliseHostIp(b);
}
