// IP addresses and prefixes, both families, in one place: parsing, matching and the host-IP forms
// Docker writes. Matching uses Node's own net.BlockList rather than hand-written bit arithmetic.
import { BlockList, isIP } from 'node:net';

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

// A host's rules name few prefixes (loopback, its subnets) and ask about them once per rule or
// mapping: each list is made once. Bounded, so that no input makes it grow without end.
const BLOCKS = new Map<string, BlockList>();
const MAX_BLOCKS = 4096;

function blockOf(p: Prefix): BlockList {
  const key = `${p.address}/${p.length}`;
  let list = BLOCKS.get(key);
  if (list) return list;
  list = new BlockList();
  list.addSubnet(p.address, p.length, p.family);
  if (BLOCKS.size >= MAX_BLOCKS) BLOCKS.clear();
  BLOCKS.set(key, list);
  return list;
}

/** Whether `ip` lies inside `prefix` (either family; false across families or for unreadable input). */
export function inPrefix(ip: string, prefix: string): boolean {
  const p = parsePrefix(prefix);
  const a = stripZone(ip);
  const v = isIP(a);
  if (!p || v === 0 || (v === 4) !== (p.family === 'ipv4')) return false;
  return blockOf(p).check(a, p.family);
}

/** True when the two prefixes share any address (same family only). */
export function prefixesOverlap(a: string, b: string): boolean {
  const x = parsePrefix(a);
  const y = parsePrefix(b);
  if (!x || !y || x.family !== y.family) return false;
  // Two prefixes overlap exactly when the shorter one holds the other's first address.
  const [wide, narrow] = x.length <= y.length ? [x, y] : [y, x];
  return blockOf(wide).check(narrow.address, narrow.family);
}

/** Two addresses are the same address (`::ffff:0:1` forms and case folded by comparing canonically). */
export function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parsePrefix(a);
  const y = parsePrefix(b);
  if (!x || !y || x.family !== y.family || x.length !== y.length) return false;
  return blockOf(x).check(y.address, y.family);
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
