// nft expressions in rule text (`iifname`, `ip saddr`, `tcp dport`, `ct state`, `fib daddr type`, ...) and
// their comparisons, read into the JSON form of `nft -j` (`{"match": {"op", "left", "right"}}`).

import { BARE_META } from './nft-print.js';
import { groupEnd, jsonSet, jsonValue, type Token } from './nft-text-tokens.js';

/** Where an expression ends in the token list, and its JSON form. */
export interface Read {
  value: unknown;
  end: number;
}

// Protocol headers nft reads with `PROTO FIELD` (payload expressions and IPv6 extension headers).
const PAYLOAD = new Set([
  'ip',
  'ip6',
  'tcp',
  'udp',
  'udplite',
  'sctp',
  'dccp',
  'th',
  'icmp',
  'icmpv6',
  'igmp',
  'ether',
  'vlan',
  'arp',
  'ah',
  'esp',
  'comp',
  'gre',
  'geneve',
  'vxlan',
  'hbh',
  'frag',
  'rt0',
  'rt2',
  'srh',
  'mh',
  'dst',
]);
const CT_DIRECTIONS = new Set(['original', 'reply']);
const FIB_FLAGS = new Set(['saddr', 'daddr', 'mark', 'iif', 'oif', '.']);
const COMPARE = new Set(['==', '!=', '<', '>', '<=', '>=', 'eq', 'ne', 'lt', 'gt', 'le', 'ge']);
const BINARY = new Set(['&', '|', '^', '<<', '>>', '/']);
const FIELD = /^[a-z][a-z0-9_-]*$/;

function word(toks: Token[], i: number): string | null {
  const t = toks[i];
  return t === undefined || t.quoted ? null : t.value;
}

function isField(toks: Token[], i: number): boolean {
  const w = word(toks, i);
  return w !== null && FIELD.test(w) && !COMPARE.has(w) && w !== 'set' && w !== 'map' && w !== 'vmap';
}

/** One expression that names a packet or connection attribute, e.g. `tcp dport`, `ct original ip saddr`. */
function oneSelector(toks: Token[], i: number): Read | null {
  const w = word(toks, i);
  if (w === null) return null;
  if (BARE_META.has(w)) return { value: { meta: { key: w } }, end: i + 1 };
  if (w === 'meta') return isField(toks, i + 1) ? { value: { meta: { key: word(toks, i + 1) } }, end: i + 2 } : null;
  if (/^@(ll|nh|th|ih),\d+,\d+$/.test(w)) return { value: { raw: w }, end: i + 1 };
  if (PAYLOAD.has(w)) {
    if (!isField(toks, i + 1)) return null;
    const field = word(toks, i + 1) as string;
    if (field === 'option' && isField(toks, i + 2)) {
      // `tcp option maxseg size`: the option, then one of its fields when one follows.
      const end = isField(toks, i + 3) && !['exists', 'missing'].includes(word(toks, i + 3) ?? '') ? i + 4 : i + 3;
      return { value: { option: toks.slice(i, end).map((t) => t.raw) }, end };
    }
    return { value: { payload: { protocol: w, field } }, end: i + 2 };
  }
  if (w === 'ct') {
    let k = i + 1;
    if (CT_DIRECTIONS.has(word(toks, k) ?? '')) k += 1;
    if (word(toks, k) === 'ip' || word(toks, k) === 'ip6') k += 1;
    return isField(toks, k) ? { value: { ct: { key: word(toks, k) } }, end: k + 1 } : null;
  }
  if (w === 'fib') {
    let k = i + 1;
    while (FIB_FLAGS.has(word(toks, k) ?? '')) k += 1;
    return k > i + 1 && isField(toks, k) ? { value: { fib: toks.slice(i + 1, k + 1).map((t) => t.raw) }, end: k + 1 } : null;
  }
  if (w === 'rt' || w === 'socket') {
    let k = i + 1;
    if (word(toks, k) === 'ip' || word(toks, k) === 'ip6') k += 1;
    return isField(toks, k) ? { value: { [w]: word(toks, k) }, end: k + 1 } : null;
  }
  if (w === 'numgen' || w === 'symhash' || w === 'jhash') return hashExpr(toks, i);
  return null;
}

/** `numgen inc mod 2`, `jhash ip saddr mod 2 seed 0xdead`, `symhash mod 2 offset 100`. */
function hashExpr(toks: Token[], i: number): Read | null {
  let k = i + 1;
  while (k < toks.length && word(toks, k) !== 'mod') k += 1;
  if (word(toks, k) !== 'mod' || toks[k + 1] === undefined) return null;
  k += 2;
  while ((word(toks, k) === 'seed' || word(toks, k) === 'offset') && toks[k + 1] !== undefined) k += 2;
  return { value: { hash: toks.slice(i, k).map((t) => t.raw) }, end: k };
}

/** A selector, or a concatenation of them (`ip saddr . tcp dport`), with bitwise operations after it. */
export function selector(toks: Token[], i: number): Read | null {
  const first = oneSelector(toks, i);
  if (first === null) return null;
  const parts = [first.value];
  let end = first.end;
  while (word(toks, end) === '.') {
    const next = oneSelector(toks, end + 1);
    if (next === null) break;
    parts.push(next.value);
    end = next.end;
  }
  return withOperations(toks, parts.length === 1 ? parts[0] : { concat: parts }, end);
}

/** A value followed by bitwise operations (`mark & 0xff`, `tcp flags & (fin|syn) `, `syn / syn,rst`). */
function withOperations(toks: Token[], first: unknown, start: number): Read {
  let [value, end] = [first, start];
  while (BINARY.has(word(toks, end) ?? '') && toks[end + 1] !== undefined) {
    const operand = operandEnd(toks, end + 1);
    const text = toks
      .slice(end + 1, operand)
      .map((t) => t.raw)
      .join(' ');
    value = { [word(toks, end) as string]: [value, text] };
    end = operand;
  }
  return { value, end };
}

function operandEnd(toks: Token[], i: number): number {
  const w = word(toks, i);
  return w === '(' || w === '{' ? groupEnd(toks, i) : i + 1;
}

/** The right-hand side of a comparison (a value, a `{ set }`, a `@named` set), or of a write (also an expression). */
function rightSide(toks: Token[], i: number, expression: boolean): Read | null {
  const t = toks[i];
  if (t === undefined) return null;
  if (!t.quoted && t.value === '{') {
    const end = groupEnd(toks, i);
    return { value: jsonSet(toks.slice(i, end)), end };
  }
  if (!t.quoted && (t.value === '}' || t.value === ',' || t.value === ')' || t.value === ';')) return null;
  const sel = t.quoted || !expression ? null : selector(toks, i);
  if (sel !== null) return sel;
  return withOperations(toks, jsonValue(t), i + 1);
}

/**
 * An expression statement at toks[i]: a comparison (`iifname != "docker0"`, `ct state established,related`),
 * a verdict map (`oifname vmap @jumps`) or a payload/meta write (`meta mark set 0x1`). Null when toks[i]
 * does not start an expression nft prints.
 */
export function expressionStatement(toks: Token[], i: number): { kind: string; value: unknown; end: number } | null {
  const left = selector(toks, i);
  if (left === null) return null;
  const next = word(toks, left.end);
  if (next === 'vmap' || next === 'set') {
    const right = rightSide(toks, left.end + 1, next === 'set');
    if (right === null) return null;
    if (next === 'vmap') return { kind: 'vmap', value: { key: left.value, data: right.value }, end: right.end };
    return { kind: 'mangle', value: { key: left.value, value: right.value }, end: right.end };
  }
  const op = next !== null && COMPARE.has(next) ? next : null;
  const right = rightSide(toks, op === null ? left.end : left.end + 1, false);
  if (right === null) return null;
  const json = { op: op === 'ne' ? '!=' : op === null || op === 'eq' ? '==' : op, left: left.value, right: right.value };
  return { kind: 'match', value: json, end: right.end };
}
