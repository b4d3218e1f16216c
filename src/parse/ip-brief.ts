// Parses `ip -br addr` and `ip -br link` (also `ip -br -c`, its colour codes removed) into Links. The brief
// form prints no ifindex, so every Link it gives has ifindex 0: "not in this listing", never a real index.

import { isIpv4 as isV4, isIpv6 as isV6 } from '../util/address.js';
import type { Addr, Link } from '../model/link.js';
import { issue, type ParseIssue, type Parsed, splitLines } from '../model/parsed.js';
import { cutShortIssue, isPromptLine } from './listing-text.js';

// operstate names iproute2 prints (IF_OPER_*).
const STATES = new Set(['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP']);
// `vethb6447f0@if10`, `macvlan0@eth0`, `gre0@NONE`; names cannot hold ':', '/' or blanks (dev_valid_name).
const NAME = /^([^\s:@/]{1,15})(?:@([^\s:@/]{1,15}))?$/;
const PEER_IFINDEX = /^if(\d{1,10})$/;
const FLAGS = /^<([A-Z0-9_,-]*)>$/;
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5,19}$/i;
// SGR colour codes of `ip -c` (and any other CSI sequence a terminal paste keeps).
const ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/** Which brief listing a line belongs to: `ip -br link` lines end with the flags. */
export type BriefForm = 'addr' | 'link';

/** A line without the colour codes `ip -c` puts in it. */
export function withoutColour(line: string): string {
  return line.replace(ESCAPE, '');
}

/** Reads `ip -br addr` / `ip -br link` text. A name listed twice in the same form is reported and read once. */
export function parseIpBrief(text: string): Parsed<Link[]> {
  const source = typeof text === 'string' ? text : '';
  const lines = splitLines(source);
  const issues: ParseIssue[] = [];
  const byName = new Map<string, { link: Link; forms: Set<BriefForm> }>();
  let lastUsed = 0;
  for (const [idx, raw] of lines.entries()) {
    const line = withoutColour(raw).trim();
    if (line === '') continue;
    const read = readLine(line);
    if (typeof read === 'string') {
      issues.push(issue(idx + 1, line, isPromptLine(line) ? 'shell prompt or command line, not `ip -br` output' : read));
      continue;
    }
    lastUsed = idx + 1;
    const known = byName.get(read.link.name);
    if (known === undefined) {
      byName.set(read.link.name, { link: read.link, forms: new Set([read.form]) });
    } else if (known.forms.has(read.form)) {
      issues.push(issue(idx + 1, line, `${read.link.name} is listed a second time (another listing or namespace pasted?): not read`));
    } else {
      const conflict = merge(known.link, read.link);
      known.forms.add(read.form);
      if (conflict !== null) issues.push(issue(idx + 1, line, conflict));
    }
  }
  const cut = cutShortIssue(source, lines, lastUsed);
  if (cut) issues.push(cut);
  return { value: [...byName.values()].map((v) => v.link), issues };
}

/** One line as a Link and the form it has, or why it is not a brief line. */
function readLine(line: string): { link: Link; form: BriefForm } | string {
  const words = line.split(/\s+/);
  const [nameWord = '', state = '', ...rest] = words;
  const m = NAME.exec(nameWord);
  if (!m || m[1] === undefined) return 'not `ip -br` output: the first column is no interface name';
  if (!STATES.has(state)) return `not \`ip -br\` output: "${state}" is no interface state`;
  const peer = m[2];
  const peerIndex = peer === undefined ? null : PEER_IFINDEX.exec(peer);
  const link: Link = {
    ifindex: 0,
    name: m[1],
    peerIfindex: peerIndex ? Number(peerIndex[1]) : null,
    peerName: peer === undefined || peerIndex || peer === 'NONE' ? null : peer,
    linkNetnsId: null,
    master: null,
    kind: null,
    mac: null,
    mtu: null,
    state,
    flags: [],
    addresses: [],
  };
  if (link.peerIfindex !== null && !Number.isSafeInteger(link.peerIfindex)) return 'peer index out of range';
  const flags = FLAGS.exec(rest[rest.length - 1] ?? '');
  if (flags) {
    // `ip -br link`: the link-layer address (when the link has one), then the flags.
    link.flags = (flags[1] ?? '').split(',').filter((f) => f !== '');
    const hw = rest.slice(0, -1);
    if (hw.length > 1) return 'more than one address before the flags';
    if (hw[0] !== undefined && MAC.test(hw[0])) link.mac = hw[0].toLowerCase();
    return { link, form: 'link' };
  }
  for (const w of rest) {
    const addr = address(w);
    if (addr === null) return `"${w}" is not an address with its prefix length`;
    link.addresses.push(addr);
  }
  return { link, form: 'addr' };
}

function address(word: string): Addr | null {
  const [ip = '', len = '', extra] = word.split('/');
  if (extra !== undefined || !/^\d{1,3}$/.test(len)) return null;
  const family = isV4(ip) ? 'inet' : isV6(ip) ? 'inet6' : null;
  const prefixlen = Number(len);
  if (family === null || prefixlen > (family === 'inet' ? 32 : 128)) return null;
  return { family, address: ip, prefixlen, scope: null };
}

/** Adds what the other brief form says of the same link; the reason when the two disagree. */
function merge(into: Link, from: Link): string | null {
  const conflict = into.state !== from.state || into.peerIfindex !== from.peerIfindex || into.peerName !== from.peerName;
  into.mac ??= from.mac;
  if (into.flags.length === 0) into.flags = from.flags;
  if (into.addresses.length === 0) into.addresses = from.addresses;
  return conflict ? `${into.name} reads differently in the other listing (state or peer changed between the two?)` : null;
}

/** The links of an `ip -br addr` and an `ip -br link` listing of the same namespace, as one list. */
export function mergeBriefListings(addr: Link[], link: Link[]): Link[] {
  const byName = new Map(addr.map((l) => [l.name, { ...l, addresses: [...l.addresses], flags: [...l.flags] }]));
  for (const l of link) {
    const known = byName.get(l.name);
    if (known === undefined) byName.set(l.name, { ...l, addresses: [...l.addresses], flags: [...l.flags] });
    else merge(known, l);
  }
  return [...byName.values()];
}
