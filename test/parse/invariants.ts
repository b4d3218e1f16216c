// What a parse result must hold whatever the input, shared by the parser unit tests and the property
// tests: each check returns a complaint naming what is wrong, or null; holds() asserts there is none.
import assert from 'node:assert/strict';
import type { BridgeInfo } from '../../src/model/bridge.js';
import type { Link } from '../../src/model/link.js';
import type { NatTable } from '../../src/model/nat-rule.js';
import { splitLines, type ParseIssue, type Parsed } from '../../src/model/parsed.js';

export const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
export const isIndex = (v: unknown): boolean => isCount(v) && (v as number) > 0;
export const nullOr = (v: unknown, ok: (x: unknown) => boolean): boolean => v === null || ok(v);
const isName = (v: unknown): boolean => typeof v === 'string' && v !== '';
const isPortRange = (v: unknown): boolean => {
  const r = v as { from?: unknown; to?: unknown } | null;
  return (
    r !== null &&
    typeof r === 'object' &&
    isCount(r.from) &&
    isCount(r.to) &&
    (r.from as number) <= (r.to as number) &&
    (r.to as number) <= 65535
  );
};

/** Asserts a check found nothing wrong; `what` names the input in the failure. */
export function holds(complaint: string | null, what = 'parse'): void {
  assert.equal(complaint, null, `${what}: ${complaint}`);
}

/** Every line number is 0 or a line of the input, every issue says why, and none is a crash. */
export function issueComplaint(text: string, issues: ParseIssue[]): string | null {
  const lines = splitLines(text).length;
  for (const i of issues) {
    if (!Number.isSafeInteger(i.line) || i.line < 0 || i.line > lines) return `issue line ${i.line} outside 0..${lines}: ${i.reason}`;
    if (typeof i.reason !== 'string' || i.reason === '' || typeof i.text !== 'string') return `malformed issue ${JSON.stringify(i)}`;
    if (i.text.length > 201) return `issue text of ${i.text.length} characters (not cut to a readable length)`;
    // The rule parsers turn an exception into this issue so a user still gets the rest: for a test it is a crash.
    if (/internal error/i.test(i.reason)) return `a parser crashed on line ${i.line}: ${i.reason} (${JSON.stringify(i.text.slice(0, 80))})`;
  }
  return null;
}

export interface RuleCheck {
  /**
   * How rule numbers are given: 'counted' (iptables-save, nft: 1, 2, 3 per chain in input order),
   * or 'listed' (`-L --line-numbers` prints them, so damaged input may skip or repeat one).
   */
  numbers: 'counted' | 'listed';
  /** The input's lines, for text formats: each rule's line is one of them. */
  lines?: string[];
  /** The format indents its rules (nft list ruleset): a rule is its line without the indent. */
  indented?: boolean;
  /** Every rule's chain is one of its table's chains (true for iptables formats; nft may list a rule before its chain). */
  chainsDeclared?: boolean;
}

/**
 * Tables have names; every rule has its table's name and family, a chain, a number >= 1, a line within
 * the input; ports, NAT ports and counters within what the kernel holds.
 */
export function ruleComplaint(tables: NatTable[], check: RuleCheck): string | null {
  for (const t of tables) {
    if (!isName(t.name)) return `table without a name ${JSON.stringify(t.name)}`;
    const chains = new Set(t.chains.map((c) => c.name));
    for (const c of t.chains) {
      if (!isName(c.name)) return `chain without a name in table ${t.name}`;
      if (!nullOr(c.packets, isCount) || !nullOr(c.bytes, isCount) || !nullOr(c.references, isCount))
        return `bad counters on chain ${c.name}`;
    }
    const counted = new Map<string, number>();
    for (const r of t.rules) {
      const where = `${t.name} ${r.chain} #${r.number} (${JSON.stringify(r.text.slice(0, 80))})`;
      if (!isName(r.chain)) return `rule without a chain: ${where}`;
      if (r.table !== t.name || r.family !== t.family) return `rule of table ${r.family} ${r.table} filed under ${t.family} ${t.name}`;
      if (check.chainsDeclared && !chains.has(r.chain)) return `rule of chain ${r.chain}, which its table does not hold: ${where}`;
      if (!isIndex(r.number)) return `bad rule number ${r.number}: ${where}`;
      if (check.numbers === 'counted') {
        const n = (counted.get(r.chain) ?? 0) + 1;
        counted.set(r.chain, n);
        if (r.number !== n) return `rule numbered ${r.number} where its chain has ${n - 1} before it: ${where}`;
      }
      if (!isCount(r.line)) return `bad line ${r.line}: ${where}`;
      if (check.lines) {
        const line = check.lines[r.line - 1];
        const own = check.indented ? line?.trim() : line?.trimEnd();
        if (own === undefined || own !== r.text) return `rule ${JSON.stringify(r.text)} is not line ${r.line}`;
      } else if (r.line !== 0) return `a JSON rule with a line number ${r.line}: ${where}`;
      if (!nullOr(r.dport, isPortRange) || !nullOr(r.sport, isPortRange)) return `bad port range: ${where}`;
      for (const to of [r.dnatTo, r.snatTo]) if (to !== null && !nullOr(to.port, isPortRange)) return `bad NAT port: ${where}`;
      if (!nullOr(r.packets, isCount) || !nullOr(r.bytes, isCount)) return `bad counters: ${where}`;
      if (typeof r.target !== 'string' || typeof r.matches !== 'string') return `bad target or matches: ${where}`;
    }
  }
  return null;
}

/** Every link has an ifindex >= 1 and a name; peer, netns id, MTU and prefixes within what the kernel gives. */
export function linkComplaint(links: Link[]): string | null {
  for (const l of links) {
    if (!isIndex(l.ifindex) || !isName(l.name)) return `bad link identity ${JSON.stringify([l.ifindex, l.name])}`;
    if (!nullOr(l.peerIfindex, isIndex) || !nullOr(l.linkNetnsId, isCount) || !nullOr(l.mtu, isCount))
      return `bad link numbers on ${l.name}`;
    for (const a of l.addresses) {
      if (!(isCount(a.prefixlen) && a.prefixlen <= (a.family === 'inet' ? 32 : 128))) return `bad prefix on ${l.name}`;
      if (!isName(a.address)) return `an address without its address on ${l.name}`;
    }
  }
  return null;
}

/** A link read from text comes from a header line that names it, and its name is a kernel name. */
export function textLinkComplaint(links: Link[], lines: string[]): string | null {
  for (const l of links) {
    if (/[\s:@/]/.test(l.name) || l.name.length > 15) return `link name ${JSON.stringify(l.name)} is not a kernel interface name`;
    if (!lines.some((line) => line.startsWith(`${l.ifindex}:`) && line.includes(l.name)))
      return `link ${l.ifindex}:${l.name} comes from no header line`;
  }
  return null;
}

/** Every bridge and every port has a name; a bridge starts a line of the input. */
export function bridgeComplaint(bridges: BridgeInfo[], lines: string[]): string | null {
  for (const b of bridges) {
    if (!isName(b.name) || !b.interfaces.every(isName)) return `a bridge or port without a name: ${JSON.stringify(b)}`;
    if (!lines.some((l) => l.trim().split(/\s+/)[0] === b.name)) return `bridge ${b.name} starts no line`;
  }
  return null;
}

/** The checks of one rule parse as one: issues, then rules. */
export function ruleParseComplaint(text: string, parsed: Parsed<NatTable[]>, check: RuleCheck): string | null {
  return issueComplaint(text, parsed.issues) ?? ruleComplaint(parsed.value, check);
}
