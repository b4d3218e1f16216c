// Parses `ip -j -d link` / `ip -j -d addr` (iproute2 JSON) into Links.

import { isIpv4 as isV4, isIpv6 as isV6 } from '../util/address.js';
import type { Addr, Link } from '../model/link.js';
import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';
import { finishListing } from './ip-addr-text.js';
import { jsonPreview } from './json-preview.js';

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i;

type Json = Record<string, unknown>;

export function parseIpLinkJson(text: string): Parsed<Link[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { value: [], issues: [issue(0, text, `not valid JSON: ${(err as Error).message}`)] };
  }
  if (!Array.isArray(data)) {
    return { value: [], issues: [issue(0, text, 'expected a JSON array of links')] };
  }
  const links: Link[] = [];
  const issues: ParseIssue[] = [];
  data.forEach((entry: unknown, i) => {
    const link = isObject(entry) ? toLink(entry, i, issues) : null;
    if (link === null) {
      // iproute2 4.x-5.x prints {} for every link a -4/-6 filter left out; still say it was skipped.
      issues.push(issue(0, jsonPreview(entry), `entry ${i}: no ifindex/ifname, skipped`));
      return;
    }
    links.push(link);
  });
  finishListing(links, issues);
  return { value: links, issues };
}

function toLink(e: Json, i: number, issues: ParseIssue[]): Link | null {
  const ifindex = e.ifindex;
  const name = e.ifname;
  if (!isIndex(ifindex) || typeof name !== 'string' || name === '') return null;
  const linkinfo = isObject(e.linkinfo) ? e.linkinfo : {};
  const addrInfo = Array.isArray(e.addr_info) ? e.addr_info : [];
  const addresses: Addr[] = [];
  for (const a of addrInfo) {
    const addr = isObject(a) ? toAddr(a) : null;
    if (addr === null) issues.push(issue(0, jsonPreview(a), `entry ${i} (${name}): address not understood`));
    else addresses.push(addr);
  }
  return {
    ifindex,
    name,
    peerIfindex: isIndex(e.link_index) ? e.link_index : null,
    // "link" is the peer's name when it is in this namespace; null for "@NONE".
    peerName: typeof e.link === 'string' && e.link !== '' ? e.link : null,
    linkNetnsId: isCount(e.link_netnsid) ? e.link_netnsid : null,
    master: str(e.master),
    kind: str(linkinfo.info_kind),
    mac: typeof e.address === 'string' && MAC.test(e.address) ? e.address.toLowerCase() : null,
    mtu: isCount(e.mtu) ? e.mtu : null,
    state: str(e.operstate),
    flags: Array.isArray(e.flags) ? e.flags.filter((f): f is string => typeof f === 'string') : [],
    addresses,
  };
}

function toAddr(a: Json): Addr | null {
  const { family, local, prefixlen } = a;
  if (typeof local !== 'string' || !isCount(prefixlen)) return null;
  if (family === 'inet' && isV4(local) && prefixlen <= 32) return { family, address: local, prefixlen, scope: str(a.scope) };
  if (family === 'inet6' && isV6(local) && prefixlen <= 128) return { family, address: local, prefixlen, scope: str(a.scope) };
  return null;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isIndex(v: unknown): v is number {
  return isCount(v) && v > 0;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
