// Reads `ip addr` text line by line, keeping every line (explain annotates each one): which interface it
// belongs to and what kind of line it is. Lines it cannot place are kind 'other', never dropped.
import { splitLines } from '../model/parsed.js';

export type IpAddrLineKind = 'header' | 'link-layer' | 'inet' | 'inet6' | 'lifetime' | 'altname' | 'detail' | 'blank' | 'other';

export interface IpAddrLine {
  line: number;
  text: string;
  kind: IpAddrLineKind;
  /** The interface the line belongs to (its header's name, without @...). */
  link: string | null;
  /** header: ifindex, the @ suffix, flags and the words after them; link-layer: type, address, words after. */
  ifindex?: number;
  at?: string | null;
  flags?: string[];
  words?: string[];
  /** inet/inet6: the address with prefix; link-layer: the hardware address. */
  address?: string;
  linkType?: string;
  /** lifetime: the two values, e.g. forever / 3588sec. */
  valid?: string;
  preferred?: string;
}

const HEADER = /^(\d+):\s+([^\s:@/]+)(?:@([^\s:]+))?:\s+<([^<>]*)>(.*)$/;
const LINK = /^link\/(\S+)(?:\s+(\S+))?(.*)$/;
const ADDR = /^(inet6?)\s+(\S+)(.*)$/;
const LIFETIME = /^valid_lft\s+(\S+)\s+preferred_lft\s+(\S+)$/;
const ALTNAME = /^altname\s+(\S+)$/;
// The first word of an `ip -d` detail line: a link kind, or a generic attribute line.
const DETAIL =
  /^(promiscuity|veth|bridge|bridge_slave|macvlan|ipvlan|vxlan|dummy|ifb|bond|bond_slave|vlan|tun|openvswitch|wireguard|addrgenmode|numtxqueues)\b/;

export function ipAddrLines(text: string): IpAddrLine[] {
  let link: string | null = null;
  const lines = splitLines(text);
  // A trailing newline is the end of the last line, not a line of its own.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((raw, i): IpAddrLine => {
    const n = i + 1;
    const t = raw.trim();
    if (t === '') return { line: n, text: raw, kind: 'blank', link };
    if (!/^\s/.test(raw)) {
      const h = HEADER.exec(raw);
      if (!h) {
        link = null;
        return { line: n, text: raw, kind: 'other', link: null };
      }
      link = h[2] ?? null;
      return {
        line: n,
        text: raw,
        kind: 'header',
        link,
        ifindex: Number(h[1]),
        at: h[3] ?? null,
        flags: (h[4] ?? '').split(',').filter(Boolean),
        words: (h[5] ?? '').trim().split(/\s+/).filter(Boolean),
      };
    }
    if (link === null) return { line: n, text: raw, kind: 'other', link };
    const l = LINK.exec(t);
    if (l)
      return {
        line: n,
        text: raw,
        kind: 'link-layer',
        link,
        linkType: l[1] ?? '',
        address: l[2] ?? '',
        words: (l[3] ?? '').trim().split(/\s+/).filter(Boolean),
      };
    const a = ADDR.exec(t);
    if (a)
      return {
        line: n,
        text: raw,
        kind: a[1] === 'inet6' ? 'inet6' : 'inet',
        link,
        address: a[2] ?? '',
        words: (a[3] ?? '').trim().split(/\s+/).filter(Boolean),
      };
    const lt = LIFETIME.exec(t);
    if (lt) return { line: n, text: raw, kind: 'lifetime', link, valid: lt[1] ?? '', preferred: lt[2] ?? '' };
    if (ALTNAME.test(t)) return { line: n, text: raw, kind: 'altname', link, address: ALTNAME.exec(t)?.[1] ?? '' };
    if (DETAIL.test(t)) return { line: n, text: raw, kind: 'detail', link, words: t.split(/\s+/) };
    return { line: n, text: raw, kind: 'other', link };
  });
}
