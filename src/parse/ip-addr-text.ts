// Parses the text of `ip addr` / `ip link` (with or without -d), from iproute2 or busybox, into Links.

import { isIpv4 as isV4, isIpv6 as isV6 } from '../util/address.js';
import type { Addr, AddrFamily, Link } from '../model/link.js';
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import { isPromptLine, cutShortIssue } from './listing-text.js';
import { kernelId, kernelIndex } from './numbers.js';

// "9: vethd4ac7ba@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master docker0 ..."
// Names cannot hold ':', '/' or whitespace (the kernel's dev_valid_name); '@' is split off because `ip`
// uses it to print IFLA_LINK.
const HEADER = /^(\d+):\s+([^\s:@/]+)(?:@([^\s:@]+))?:\s+<([^<>]*)>(.*)$/;
// "link/ether 9e:dd:50:f2:d3:ae brd ff:ff:ff:ff:ff:ff link-netnsid 1 promiscuity 0 ..."
const LINK_LINE = /^link\/(\S+)(?:\s+(\S+))?(.*)$/;
// "inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0", "inet 10.0.0.1 peer 10.0.0.2/32 ..."
const ADDR_LINE = /^(inet6?)\s+(\S+)(.*)$/;
// "valid_lft forever preferred_lft forever" / "valid_lft 3588sec preferred_lft 1788sec"
const LIFETIME = /^valid_lft\s+\S+\s+preferred_lft\s+\S+$/;
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i;
// "@if8" is how `ip` prints a peer index it could not name: the peer lives in another namespace.
const PEER_IFINDEX = /^if(\d+)$/;
// `ip -o` prints each link on one line, with "\\" where the newlines were.
const ONELINE_BREAK = /\\(?=\s)/;
const NAME_TOKEN = /^[a-z][a-z0-9_]*$/;
// Command output ends with a newline; a paste that does not may have lost the end of its last line.
// IFNAMSIZ is 16 with the NUL: a longer "name" is not a kernel interface name.
const MAX_NAME = 15;
// "[root@192 ~]# ip addr", "root@Devon:~# brctl show", "/ # ip addr", "$ ip link": only picks the wording.

// Link kinds (IFLA_INFO_KIND) iproute2 prints as the first word of a -d detail line.
const KINDS = new Set([
  'amt',
  'bareudp',
  'batadv',
  'bond',
  'bridge',
  'can',
  'dsa',
  'dummy',
  'erspan',
  'geneve',
  'gre',
  'gretap',
  'gtp',
  'hsr',
  'ifb',
  'ip6erspan',
  'ip6gre',
  'ip6gretap',
  'ip6tnl',
  'ipip',
  'ipoib',
  'ipvlan',
  'ipvtap',
  'lowpan',
  'macsec',
  'macvlan',
  'macvtap',
  'netdevsim',
  'netkit',
  'nlmon',
  'openvswitch',
  'rmnet',
  'sit',
  'team',
  'tun',
  'vcan',
  'veth',
  'virt_wifi',
  'vlan',
  'vrf',
  'vti',
  'vti6',
  'vxcan',
  'vxlan',
  'wireguard',
  'wwan',
  'xfrm',
]);
// Detail lines that carry generic attributes, not a kind (their order differs between versions).
const GENERIC_DETAIL = new Set([
  'addrgenmode',
  'numtxqueues',
  'numrxqueues',
  'gso_max_size',
  'gso_max_segs',
  'tso_max_size',
  'tso_max_segs',
  'gro_max_size',
  'gso_ipv4_max_size',
  'gro_ipv4_max_size',
  'parentbus',
  'parentdev',
  'promiscuity',
  'allmulti',
  'minmtu',
  'maxmtu',
  'portname',
  'portid',
  'switchid',
  'protodown',
]);

export function parseIpAddrText(text: string): Parsed<Link[]> {
  const links: Link[] = [];
  const issues: ParseIssue[] = [];
  let current: Link | null = null;
  // Why indented lines have no link: a header we rejected, or text that was not `ip` output.
  let orphanReason = 'indented line before any link header';
  let lastUsed = 0;
  // Detail lines read for the current link: `ip` prints the link/ line first, so a link/ line after
  // others means the header of the next link was lost, and its lines must not join this link.
  let details = 0;

  // Reads one line, or one "\\"-separated piece of an `ip -o` line; returns a problem or null.
  const read = (segment: string, n: number): string | null => {
    if (!/^\s/.test(segment)) {
      const header = parseHeader(segment);
      if (typeof header === 'string') {
        current = null;
        orphanReason = 'belongs to a link whose header was not understood';
        return header;
      }
      links.push(header);
      current = header;
      details = 0;
      lastUsed = n;
      return null;
    }
    if (current === null) return orphanReason;
    if (details > 0 && LINK_LINE.test(segment.trim())) {
      current = null;
      orphanReason = 'belongs to a link whose header line is missing';
      return 'link/ line in the middle of a link: the header line of its own link is missing';
    }
    details += 1;
    const problem = parseDetail(segment.trim(), current);
    if (problem === null && !LIFETIME.test(segment.trim())) lastUsed = n;
    return problem;
  };

  const lines = splitLines(text);
  lines.forEach((raw, i) => {
    const [head = '', ...rest] = raw.split(ONELINE_BREAK);
    const problems = [head, ...rest.map((r) => ` ${r}`)]
      .filter((segment) => segment.trim() !== '')
      .map((segment) => read(segment, i + 1))
      .filter((p): p is string => p !== null);
    // One issue per input line, with the first reason: the rest follow from it.
    if (problems[0] !== undefined) issues.push(issue(i + 1, raw, problems[0]));
  });
  const cut = cutShortIssue(text, lines, lastUsed);
  if (cut) issues.push(cut);

  finishListing(links, issues);
  return { value: links, issues };
}

/** A Link from a header line, or the reason the line is not one. */
function parseHeader(line: string): Link | string {
  const m = HEADER.exec(line);
  if (!m) {
    if (/^\d+:/.test(line)) return 'link header not understood (truncated?)';
    return isPromptLine(line) ? 'shell prompt or command line, not `ip` output' : 'not `ip` output';
  }
  const ifindex = kernelIndex(m[1] ?? '');
  if (ifindex === null) return `ifindex ${m[1]} out of range`;
  const peerIndex = PEER_IFINDEX.exec(m[3] ?? '');
  if (peerIndex && kernelIndex(peerIndex[1] ?? '') === null) return `peer ifindex @${m[3]} out of range`;
  if ((m[2] ?? '').length > MAX_NAME) return `link name longer than ${MAX_NAME} characters`;
  const link: Link = {
    ifindex,
    name: m[2] ?? '',
    peerIfindex: null,
    peerName: m[3] === undefined || m[3] === 'NONE' ? null : m[3],
    linkNetnsId: null,
    master: null,
    kind: null,
    mac: null,
    mtu: null,
    state: null,
    flags: (m[4] ?? '').split(',').filter((f) => f !== ''),
    addresses: [],
  };
  const words = (m[5] ?? '').trim().split(/\s+/);
  for (let k = 0; k + 1 < words.length; k++) {
    const value = words[k + 1] ?? '';
    switch (words[k]) {
      case 'mtu':
        link.mtu = toCount(value);
        k++;
        break;
      case 'master':
        link.master = value;
        k++;
        break;
      case 'state':
        link.state = value;
        k++;
        break;
      default:
        break; // qdisc, group, qlen, mode...: not modelled
    }
  }
  return link;
}

/** Applies one indented line to its link; returns why it was not understood, or null. */
function parseDetail(line: string, link: Link): string | null {
  const linkLine = LINK_LINE.exec(line);
  if (linkLine) {
    const hw = linkLine[2];
    if (hw !== undefined && MAC.test(hw)) link.mac = hw.toLowerCase();
    return parseLinkNetns(linkLine[3] ?? '', link);
  }
  const addrLine = ADDR_LINE.exec(line);
  if (addrLine) {
    const addr = parseAddr(addrLine[1] as AddrFamily, addrLine[2] ?? '', addrLine[3] ?? '');
    if (typeof addr === 'string') return addr;
    link.addresses.push(addr);
    return null;
  }
  if (LIFETIME.test(line)) return null;
  const first = line.split(/\s+/, 1)[0] ?? '';
  if (first === 'altname' || first === 'alias' || first === 'vf') return null;
  if (GENERIC_DETAIL.has(first) || (NAME_TOKEN.test(first) && first.endsWith('_slave'))) return null;
  if (KINDS.has(first)) {
    if (link.kind !== null) return `second link-kind line (already ${link.kind})`;
    link.kind = first;
    return null;
  }
  return 'line not understood';
}

/** Reads "link-netnsid N" / "link-netns NAME" from the rest of a link/ line. */
function parseLinkNetns(rest: string, link: Link): string | null {
  const words = rest.trim().split(/\s+/);
  for (let k = 0; k < words.length; k++) {
    const value = words[k + 1];
    if (words[k] === 'link-netnsid') {
      if (value === undefined || !/^\d+$/.test(value)) {
        return `link-netnsid ${value ?? ''} is not a number: the peer is in a namespace with no id`;
      }
      const id = kernelId(value);
      if (id === null) return `link-netnsid ${value} out of range`;
      link.linkNetnsId = id;
    } else if (words[k] === 'link-netns' && value !== undefined) {
      link.linkNetnsName = value;
    }
  }
  return null;
}

function parseAddr(family: AddrFamily, local: string, rest: string): Addr | string {
  const words = rest.trim().split(/\s+/);
  let withPrefix = local;
  let scope: string | null = null;
  for (let k = 0; k + 1 < words.length; k++) {
    // Point-to-point: "inet 10.0.0.1 peer 10.0.0.2/32": the prefix is printed on the peer.
    if (words[k] === 'peer' && !local.includes('/')) withPrefix = `${local}/${(words[k + 1] ?? '').split('/')[1] ?? ''}`;
    if (words[k] === 'scope') scope = words[k + 1] ?? null;
  }
  const [address = '', prefix = ''] = withPrefix.split('/');
  const valid = family === 'inet' ? isV4(address) : isV6(address);
  const prefixlen = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!valid || !(prefixlen <= (family === 'inet' ? 32 : 128))) return `${family} address not understood`;
  return { family, address, prefixlen, scope };
}

function toCount(text: string): number | null {
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/**
 * Steps shared by the text and JSON parsers once a whole listing (one namespace) is read:
 * "@ifN" becomes a peer index, a peer name is resolved to its ifindex within the listing, and
 * repeated ifindexes or names (two outputs pasted together?) are reported.
 */
export function finishListing(links: Link[], issues: ParseIssue[]): void {
  const byName = new Map<string, Link[]>();
  const byIndex = new Map<number, number>();
  for (const link of links) {
    const named = byName.get(link.name);
    if (named) named.push(link);
    else byName.set(link.name, [link]);
    byIndex.set(link.ifindex, (byIndex.get(link.ifindex) ?? 0) + 1);
  }
  for (const link of links) {
    if (link.peerName === null || link.peerIfindex !== null) continue;
    const named = byName.get(link.peerName) ?? [];
    const m = PEER_IFINDEX.exec(link.peerName);
    const peer = m ? kernelIndex(m[1] ?? '') : null;
    if (named.length === 1 && named[0]) {
      link.peerIfindex = named[0].ifindex;
    } else if (named.length === 0 && peer !== null) {
      link.peerIfindex = peer;
      link.peerName = null;
    }
  }
  for (const [ifindex, count] of byIndex) {
    if (count > 1)
      issues.push(issue(0, `ifindex ${ifindex}`, `ifindex ${ifindex} appears ${count} times: more than one listing pasted together?`));
  }
  for (const [name, named] of byName) {
    if (named.length > 1)
      issues.push(issue(0, name, `link name ${name} appears ${named.length} times: more than one listing pasted together?`));
  }
}
