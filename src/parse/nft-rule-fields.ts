// What nft statements say about a rule, as NatRule fields: shared by the JSON and the text parser
// (the text parser turns each statement it reads into the same JSON form first).

import {
  normaliseAddress,
  normaliseProtocol,
  type NatAddress,
  type NatFamily,
  type NatRule,
  type NatTable,
  type PortRange,
} from '../model/nat-rule.js';
import { issue, type ParseIssue } from '../model/parsed.js';
import { isObj, type Json, renderExpr, str, VERDICTS } from './nft-print.js';

/** nft's family keywords (`table ip nat`, `"family": "ip6"`) in the model's words. */
export const FAMILIES: Readonly<Record<string, NatFamily>> = {
  ip: 'ipv4',
  ip6: 'ipv6',
  inet: 'inet',
  arp: 'arp',
  bridge: 'bridge',
  netdev: 'netdev',
};

/** A new, empty table of an nft listing; an unknown family word is kept as inet (and reported by the caller). */
export function nftTable(family: string, name: string, version: string | null): NatTable {
  return {
    family: FAMILIES[family] ?? 'inet',
    name,
    chains: [],
    rules: [],
    sets: [],
    origin: { tool: 'nft', version, backend: 'nf_tables', legacyTablesPresent: false },
  };
}

/** An issue about one table, saying which, so that readers can set aside what concerns tables they skip. */
export function tableIssue(t: Pick<NatTable, 'family' | 'name'>, line: number, text: string, reason: string): ParseIssue {
  return { ...issue(line, text, reason), table: { family: t.family, name: t.name } };
}

/** nft's own word for a family, as in `table ip6 nat`. */
export function nftFamilyWord(f: NatFamily): string {
  return f === 'ipv4' ? 'ip' : f === 'ipv6' ? 'ip6' : f;
}

/** An iptables-nft DNAT/SNAT kept by nft as an `xt` target: nft cannot show its address. */
export function isXtNat(kind: string, v: unknown): boolean {
  return kind === 'xt' && isObj(v) && v.type === 'target' && (v.name === 'DNAT' || v.name === 'SNAT');
}

/** One issue per table holding DNAT/SNAT rules that nft shows as `xt` targets without their addresses. */
export function xtNatIssues(tables: NatTable[], xtNat: Map<NatTable, number>, format: 'JSON' | 'text'): ParseIssue[] {
  return tables
    .filter((t) => (xtNat.get(t) ?? 0) > 0)
    .map((t) =>
      tableIssue(
        t,
        0,
        `${nftFamilyWord(t.family)} ${t.name}`,
        `${xtNat.get(t)} iptables-nft DNAT/SNAT rule(s) appear in nft ${format} as "xt" targets without their addresses; read iptables-save for --to-destination`,
      ),
    );
}

// Symbolic chain priorities (nft(8), "CHAIN PRIORITIES") for JSON that spells them out.
export const PRIORITIES: Readonly<Record<string, number>> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

const L4_PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite', 'th']);

/** A packet or byte counter: a whole number from 0 up; anything else is not a count and stays unknown. */
export function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

/** A port number: a whole number 0-65535; anything else is not a port and stays unknown. */
function port(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : null;
}

export function portRange(v: unknown): PortRange | null {
  const n = port(v);
  if (n !== null) return { from: n, to: n };
  if (isObj(v) && Array.isArray(v.range) && v.range.length === 2) {
    const a = port(v.range[0]);
    const b = port(v.range[1]);
    if (a !== null && b !== null && a <= b) return { from: a, to: b };
  }
  return null;
}

/** The literal address and ports of dnat/snat; null when they are computed (`dnat ip to tcp dport map {...}`). */
export function natAddress(v: unknown): NatAddress | null {
  if (!isObj(v)) return null;
  if (v.addr !== undefined && typeof v.addr !== 'string') return null;
  const port = v.port === undefined ? null : portRange(v.port);
  if (v.port !== undefined && port === null) return null;
  return { ip: typeof v.addr === 'string' ? v.addr : null, port };
}

function address(v: unknown): string | null {
  if (typeof v === 'string') return normaliseAddress(v);
  if (isObj(v) && (v.prefix !== undefined || v.range !== undefined)) return normaliseAddress(renderExpr(v));
  return renderExpr(v);
}

/** Copies what one statement says into the rule's fields. */
export function applyStatement(rule: NatRule, kind: string, v: unknown): void {
  switch (kind) {
    case 'match':
      if (isObj(v)) applyMatch(rule, v);
      return;
    case 'counter':
      if (isObj(v)) {
        rule.packets = count(v.packets);
        rule.bytes = count(v.bytes);
      }
      return;
    case 'jump':
    case 'goto':
      if (isObj(v) && rule.target === '') rule.target = str(v.target) ?? '';
      return;
    case 'dnat':
      rule.target = 'DNAT';
      rule.dnatTo = natAddress(v);
      return;
    case 'snat':
      rule.target = 'SNAT';
      rule.snatTo = natAddress(v);
      return;
    case 'masquerade':
      rule.target = 'MASQUERADE';
      if (isObj(v) && v.port !== undefined) rule.snatTo = { ip: null, port: portRange(v.port) };
      return;
    case 'redirect':
      rule.target = 'REDIRECT';
      if (isObj(v) && v.port !== undefined) rule.dnatTo = { ip: null, port: portRange(v.port) };
      return;
    case 'xt':
      if (isObj(v) && v.type === 'target' && typeof v.name === 'string' && rule.target === '') rule.target = v.name;
      return;
    default: {
      const verdict = VERDICTS[kind];
      if (verdict !== undefined && rule.target === '') rule.target = verdict;
    }
  }
}

function applyMatch(rule: NatRule, m: Json): void {
  const negated = m.op === '!=';
  const plain = m.op === '==' || m.op === '!=' || m.op === undefined;
  const left = m.left;
  const right = m.right;
  if (!isObj(left)) return;
  if (isObj(left.meta)) {
    const key = str(left.meta.key);
    if ((key === 'iifname' || key === 'iif') && plain && typeof right === 'string') {
      rule.inInterface = right;
      rule.inNegated = negated;
    } else if ((key === 'oifname' || key === 'oif') && plain && typeof right === 'string') {
      rule.outInterface = right;
      rule.outNegated = negated;
    } else if (key === 'l4proto' && plain && (typeof right === 'string' || typeof right === 'number')) {
      rule.protocol = normaliseProtocol(right);
      rule.protocolNegated = negated;
    }
    return;
  }
  if (!isObj(left.payload)) return;
  const proto = str(left.payload.protocol);
  const field = str(left.payload.field);
  if (proto === null || field === null || !plain) return;
  if ((proto === 'ip' || proto === 'ip6') && (field === 'saddr' || field === 'daddr')) {
    if (field === 'saddr') {
      rule.source = address(right);
      rule.sourceNegated = negated;
    } else {
      rule.destination = address(right);
      rule.destinationNegated = negated;
    }
    return;
  }
  if ((proto === 'ip' && field === 'protocol') || (proto === 'ip6' && field === 'nexthdr')) {
    if (typeof right === 'string' || typeof right === 'number') {
      rule.protocol = normaliseProtocol(right);
      rule.protocolNegated = negated;
    }
    return;
  }
  if (L4_PROTOCOLS.has(proto) && (field === 'dport' || field === 'sport')) {
    if (proto !== 'th' && rule.protocol === 'all') rule.protocol = proto;
    const range = portRange(right);
    if (field === 'dport') {
      rule.dport = range;
      rule.dportNegated = negated && range !== null;
    } else {
      rule.sport = range;
      rule.sportNegated = negated && range !== null;
    }
  }
}

/** Jumps and gotos into each regular chain, from rules and from verdict maps, as `-L` counts references. */
export function countReferences(t: NatTable): void {
  const refs = new Map<string, number>();
  const add = (name: string): void => {
    refs.set(name, (refs.get(name) ?? 0) + 1);
  };
  const names = new Set(t.chains.map((c) => c.name));
  for (const r of t.rules) if (names.has(r.target)) add(r.target);
  for (const s of t.sets) {
    for (const el of s.elements) for (const m of el.matchAll(/(?:^|\s)(?:jump|goto) (\S+)/g)) if (m[1] !== undefined) add(m[1]);
  }
  for (const c of t.chains) if (c.hook === null) c.references = refs.get(c.name) ?? 0;
}
