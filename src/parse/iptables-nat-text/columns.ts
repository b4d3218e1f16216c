// The columns of an `iptables -L` listing: the layout its header line gives, the tokens of a line,
// counters (`1234K`), negations and interfaces.
import { scaledCount } from '../numbers.js';

const COUNTER = /^(\d+)([KMGTPE]?)$/;

const SUFFIX: Readonly<Record<string, number>> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export interface Token {
  text: string;
  start: number;
  end: number;
}

export interface Layout {
  num: boolean;
  counters: boolean;
  opt: boolean;
  via: boolean;
  /** Where the header starts: a paste indented as a whole is indented here too. */
  indent: number;
}

export function tokens(line: string): Token[] {
  const out: Token[] = [];
  for (const m of line.matchAll(/\S+/g)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** A counter column (`1234`, `1234K`); value null when too large to hold exactly (said by the caller). */
export function counter(s: string): { value: number | null; exact: boolean } | null {
  const m = COUNTER.exec(s);
  if (!m || m[1] === undefined) return null;
  const unit = m[2] ?? '';
  return { value: scaledCount(m[1], SUFFIX[unit] ?? 1), exact: unit === '' };
}

export const TOO_LARGE = 'a counter too large to hold exactly: left unknown';

export function negatable(s: string): { value: string; negated: boolean } {
  return s.startsWith('!') ? { value: s.slice(1), negated: true } : { value: s, negated: false };
}

export function iface(s: string): { value: string | null; negated: boolean } {
  const { value, negated } = negatable(s);
  return { value: value === '*' || value === 'any' ? null : value, negated };
}

export function layoutOf(header: string): Layout {
  const words = header.trim().split(/\s+/);
  return {
    num: words.includes('num'),
    counters: words.includes('pkts'),
    opt: words.includes('opt'),
    via: words.includes('in'),
    indent: header.length - header.trimStart().length,
  };
}
