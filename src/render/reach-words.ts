// The words reach's renderers share: an address and port, a packet, a rule by its chain and place.
import type { RuleRef } from '../correlate/reach/hooks.js';
import type { Expect, PacketView, Verdict } from '../correlate/reach/path-result.js';
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

/** What a client of the walked connection sees, for each expectation. */
export const EXPECT_WORDS: Readonly<Record<Expect, string>> = {
  connect: 'a client connects',
  refused: 'a client is refused',
  timeout: 'a client times out',
  unreachable: 'a client gets "unreachable"',
  unknown: 'what a client sees cannot be told',
};

/** `verdict: dropped on the way back (the request got through): a client times out`. */
export function verdictLine(verdict: Verdict, decidedOnReply: boolean, expect: Expect): string {
  return `verdict: ${verdict}${decidedOnReply ? ' on the way back (the request got through)' : ''}: ${EXPECT_WORDS[expect]}`;
}

/** Hops numbered on from `from` (a reply goes on from its request's count): each hop's first line numbered, the rest indented. */
export function numberedHops<H>(hops: readonly H[], from: number, linesOf: (h: H) => string[]): string[] {
  return hops.flatMap((h, i) => {
    const [first, ...rest] = linesOf(h);
    return [`${String(from + i + 1).padStart(3)}. ${escapeText(first ?? '')}`, ...rest.map((l) => `     ${escapeText(l)}`)];
  });
}

interface Walked<H, D> {
  verdict: Verdict;
  expect: Expect;
  decidedBy: D;
  rejectWith: string | null;
  hops: readonly H[];
  reply: { verdict: Verdict; decidedBy: D; rejectWith: string | null; hops: readonly H[] } | null;
  decidedOnReply: boolean;
}

/** The verdict's fields of a reach JSON document, in their order: the single-host one and the cross-node one alike. */
export function verdictJson<H, D>(r: Walked<H, D>): Walked<H, D> {
  return {
    verdict: r.verdict,
    expect: r.expect,
    decidedBy: r.decidedBy,
    rejectWith: r.rejectWith,
    hops: r.hops,
    reply: r.reply && { verdict: r.reply.verdict, decidedBy: r.reply.decidedBy, rejectWith: r.reply.rejectWith, hops: r.reply.hops },
    decidedOnReply: r.decidedOnReply,
  };
}
