// One sentence for each line of an `ip addr` listing (the host's, or one pasted from inside a container):
// what the interface is on this host, what each flag, address and lifetime says.
import type { IpAddrLine } from '../parse/ip-addr-lines.js';
import type { VethWords } from './veth-map-notes.js';
import { isPromptLine } from '../parse/listing-text.js';
import { PROMPT_SENTENCE } from './explain-listings.js';
import type { ExplainedLine } from './explain-types.js';
import type { VethMap } from './veth-map.js';

/** Where the listing was taken: on the host, or inside a container's namespace. */
export type ListingSide = { kind: 'host' } | { kind: 'container'; name: string };

const FLAG_WORDS: Record<string, string> = {
  UP: 'administratively up',
  LOWER_UP: 'carrier present',
  'NO-CARRIER': 'no carrier (nothing attached, or the other end is down)',
  LOOPBACK: 'loopback',
  BROADCAST: 'can broadcast',
  MULTICAST: 'can multicast',
  NOARP: 'no ARP',
  POINTOPOINT: 'point-to-point',
  PROMISC: 'promiscuous',
  DORMANT: 'dormant',
  'M-DOWN': 'its master is down',
};

/** Well-known MAC prefixes that say who made the address. */
function macMaker(mac: string): string | null {
  const m = mac.toLowerCase();
  if (m.startsWith('02:42:')) return '02:42 is the prefix Docker gives the MACs it generates for containers and bridges';
  if (m.startsWith('52:54:00:')) return '52:54:00 is the prefix QEMU/KVM and libvirt use';
  if (m.startsWith('00:0c:29:') || m.startsWith('00:50:56:')) return 'a VMware virtual NIC (VMware prefix)';
  if (m.startsWith('08:00:27:')) return 'a VirtualBox virtual NIC';
  if (m === '00:00:00:00:00:00') return 'no hardware address';
  const first = Number.parseInt(m.slice(0, 2), 16);
  if (!Number.isNaN(first) && first & 2) return 'locally administered (made up by software, as for veths, not burnt into hardware)';
  return null;
}

function headerSentence(l: IpAddrLine, side: ListingSide, map: VethMap, vethWords: VethWords): string {
  const name = l.link ?? '?';
  const words = l.words ?? [];
  const val = (k: string) => {
    const i = words.indexOf(k);
    return i >= 0 ? (words[i + 1] ?? null) : null;
  };
  const flags = (l.flags ?? []).map((f) => FLAG_WORDS[f] ?? f.toLowerCase()).join(', ');
  const mtu = val('mtu');
  const master = val('master');
  const state = val('state');
  const tail = `Flags: ${flags || 'none'}${mtu ? `; MTU ${mtu}` : ''}${state ? `; state ${state}${state === 'UNKNOWN' && name === 'lo' ? ' (loopback reports no operational state)' : ''}` : ''}${master ? `; enslaved to bridge ${master}` : ''}.`;
  const peer = l.at && /^if\d+$/.test(l.at) ? Number(l.at.slice(2)) : null;
  if (side.kind === 'container') {
    const row = map.interfaces.find((r) => r.container === side.name && r.interface === name);
    if (name === 'lo')
      return `Interface ${l.ifindex}, lo, inside ${side.name}: the container's own loopback (each network namespace has one). ${tail}`;
    const host = row?.hostVeth ? `; its host end is ${row.hostVeth} (ifindex ${row.hostIfindex}) on ${row.bridge ?? 'no bridge'}` : '';
    const what =
      peer !== null
        ? `the container end of a veth pair: "@if${peer}" is the ifindex of its peer, in the host's namespace${host}`
        : 'an interface inside the container';
    return `Interface ${l.ifindex}, ${name}, inside ${side.name}: ${what}. ${tail}`;
  }
  const veth = map.hostVeths.find((v) => v.name === name);
  if (veth) {
    const owner = veth.owner
      ? `it is ${veth.owner}'s${veth.ownerInterface ? ` ${veth.ownerInterface}` : ''}`
      : veth.ownerStatus === 'none'
        ? 'no container or sandbox owns it (a leftover)'
        : veth.note
          ? vethWords.hostVeth(veth.note)
          : 'its owner is not in the data';
    return `Interface ${l.ifindex}, ${name}: the host end of a veth pair; "@if${peer ?? '?'}" is the ifindex of the other end, in another network namespace; ${owner}. ${tail}`;
  }
  const h = map.hostInterfaces.find((x) => x.name === name);
  return `Interface ${l.ifindex}, ${name}: ${h ? vethWords.hostRole(h.role, h.listed) : 'a host interface'}. ${tail}`;
}

function linkLayerSentence(l: IpAddrLine): string {
  const words = l.words ?? [];
  const nsid = words.indexOf('link-netnsid');
  const netns =
    nsid >= 0
      ? ` link-netnsid ${words[nsid + 1]}: the peer lives in the network namespace this one knows by id ${words[nsid + 1]} (ids are local to each namespace, not global).`
      : '';
  if (l.linkType === 'loopback') return `Link layer: loopback, no hardware address.${netns}`;
  if (l.linkType === 'ether') {
    const maker = macMaker(l.address ?? '');
    return `Link layer: Ethernet, MAC address ${l.address}${maker ? ` (${maker})` : ''}; brd is the broadcast address.${netns}`;
  }
  if (l.linkType === 'none') return `Link layer: none (a tunnel or layer-3 device without a hardware address).${netns}`;
  return `Link layer: ${l.linkType}${l.address ? `, address ${l.address}` : ''}.${netns}`;
}

function scopeWords(words: string[]): string {
  const i = words.indexOf('scope');
  const scope = i >= 0 ? words[i + 1] : null;
  const extra: string[] = [];
  if (scope === 'host') extra.push('scope host: usable only inside this namespace');
  else if (scope === 'link') extra.push('scope link: valid on this link only, never routed');
  else if (scope === 'global') extra.push('scope global: routable');
  else if (scope) extra.push(`scope ${scope}`);
  const b = words.indexOf('brd');
  if (b >= 0) extra.push(`broadcast ${words[b + 1]}`);
  if (words.includes('noprefixroute'))
    extra.push('noprefixroute: no route for the prefix was added with it (NetworkManager manages routes itself)');
  if (words.includes('dynamic')) extra.push('dynamic: leased (DHCP or router advertisement)');
  if (words.includes('nodad')) extra.push('nodad: no duplicate-address detection was done');
  if (words.includes('secondary')) extra.push('a secondary address on the interface');
  return extra.join('; ');
}

function addressSentence(l: IpAddrLine): string {
  const addr = l.address ?? '';
  const words = l.words ?? [];
  if (l.kind === 'inet') {
    const kind = addr.startsWith('127.') ? 'the loopback address' : /^169\.254\./.test(addr) ? 'a link-local address' : 'an IPv4 address';
    return `IPv4: ${addr}, ${kind} (address/prefix length); ${scopeWords(words)}.`;
  }
  const kind =
    addr === '::1/128'
      ? 'the IPv6 loopback address'
      : /^fe80:/i.test(addr)
        ? 'an IPv6 link-local address, made from the MAC, that every IPv6 interface has'
        : /^f[cd]/i.test(addr)
          ? 'an IPv6 unique local address (private range fc00::/7)'
          : 'an IPv6 address';
  return `IPv6: ${addr}, ${kind}; ${scopeWords(words)}.`;
}

function lifetimeSentence(l: IpAddrLine): string {
  if (l.valid === 'forever' && l.preferred === 'forever')
    return 'The address above never expires: set statically (by hand, a config file, or Docker), not leased.';
  return `The address above is leased: still valid for ${l.valid}, preferred for ${l.preferred} (then renewed or dropped).`;
}

export function explainIpAddrLines(
  file: string,
  lines: IpAddrLine[],
  side: ListingSide,
  map: VethMap,
  vethWords: VethWords,
): ExplainedLine[] {
  return lines.map((l): ExplainedLine => {
    const base = { file, line: l.line, text: l.text };
    switch (l.kind) {
      case 'header':
        return { ...base, explanation: headerSentence(l, side, map, vethWords) };
      case 'link-layer':
        return { ...base, explanation: linkLayerSentence(l) };
      case 'inet':
      case 'inet6':
        return { ...base, explanation: addressSentence(l) };
      case 'lifetime':
        return { ...base, explanation: lifetimeSentence(l) };
      case 'altname':
        return { ...base, explanation: `altname ${l.address}: another name the kernel accepts for ${l.link}.` };
      case 'detail':
        return { ...base, explanation: `Link details (ip -d): ${(l.words ?? []).slice(0, 1).join('')} and its attributes.` };
      case 'blank':
        return { ...base, explanation: 'A blank line.' };
      default:
        if (isPromptLine(l.text)) return { ...base, explanation: PROMPT_SENTENCE };
        return {
          ...base,
          explanation: null,
          reason: l.link === null ? 'not a line of an `ip addr` listing' : 'a detail line docknet does not know',
        };
    }
  });
}
