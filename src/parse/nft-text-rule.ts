// One rule line of `nft list ruleset` text, read statement by statement into the JSON form of `nft -j`,
// so that the JSON parser's rule fields apply. What is not understood is kept as text and said.

import { expressionStatement, selector } from './nft-text-expr.js';
import { closedString, groupEnd, jsonNatTarget, jsonValue, type Token, tokenize } from './nft-text-tokens.js';

export interface Statement {
  /** The nft JSON statement key (match, counter, dnat, jump, xt, ...); 'unknown' for text not understood. */
  kind: string;
  value: unknown;
  /** The statement as written in the line. */
  text: string;
}

export interface RuleLine {
  statements: Statement[];
  comment: string | null;
  /** `# handle N` (nft -a). */
  handle: number | null;
}

const SIMPLE_VERDICTS = new Set(['accept', 'drop', 'return', 'continue', 'notrack']);
const NAT_FLAGS = /^(?:persistent|random|fully-random)(?:,(?:persistent|random|fully-random))*$/;

type Step = { kind: string; value: unknown; end: number } | null;

function w(toks: Token[], i: number): string | null {
  const t = toks[i];
  return t === undefined || t.quoted ? null : t.value;
}

/** Takes the words after toks[i] while they are options of the statement (`prefix "x"`, `level warn`, ...). */
function options(toks: Token[], i: number, withValue: Set<string>, alone: Set<string> = new Set()): number {
  let k = i;
  for (;;) {
    const o = w(toks, k);
    if (o !== null && withValue.has(o) && toks[k + 1] !== undefined) k += 2;
    else if (o !== null && alone.has(o)) k += 1;
    else return k;
  }
}

function counter(toks: Token[], i: number): Step {
  if (w(toks, i + 1) === 'packets' && w(toks, i + 3) === 'bytes' && toks[i + 4] !== undefined) {
    return { kind: 'counter', value: { packets: jsonValue(toks[i + 2] as Token), bytes: jsonValue(toks[i + 4] as Token) }, end: i + 5 };
  }
  if (w(toks, i + 1) === 'name' && toks[i + 2] !== undefined) return { kind: 'counter', value: (toks[i + 2] as Token).value, end: i + 3 };
  // `counter` alone: a counter whose values the listing does not show (moby's docs print it so).
  return { kind: 'counter', value: {}, end: i + 1 };
}

function nat(toks: Token[], i: number, kind: 'dnat' | 'snat'): Step {
  let k = i + 1;
  const value: Record<string, unknown> = {};
  if (w(toks, k) === 'ip' || w(toks, k) === 'ip6') {
    value.family = w(toks, k);
    k += 1;
  }
  if (w(toks, k) === 'to') k += 1;
  const target = toks[k];
  if (target === undefined) return null;
  const sel = selector(toks, k);
  if (sel !== null && w(toks, sel.end) === 'map' && toks[sel.end + 1] !== undefined) {
    // `dnat ip to tcp dport map { 80 : 192.0.2.10 }`: an address computed per packet, not one literal.
    const end = w(toks, sel.end + 1) === '{' ? groupEnd(toks, sel.end + 1) : sel.end + 2;
    value.addr = {
      map: {
        key: sel.value,
        data: toks
          .slice(sel.end + 1, end)
          .map((t) => t.raw)
          .join(' '),
      },
    };
    k = end;
  } else {
    const to = jsonNatTarget(target.value);
    if (to === null) return null;
    Object.assign(value, to);
    k += 1;
  }
  if (NAT_FLAGS.test(w(toks, k) ?? '')) {
    value.flags = (w(toks, k) as string).split(',');
    k += 1;
  }
  return { kind, value, end: k };
}

function portsOnly(toks: Token[], i: number, kind: 'masquerade' | 'redirect'): Step {
  let k = i + 1;
  const value: Record<string, unknown> = {};
  if (w(toks, k) === 'to' && (w(toks, k + 1) ?? '').startsWith(':')) {
    const to = jsonNatTarget(w(toks, k + 1) as string);
    if (to?.port !== undefined) value.port = to.port;
    k += 2;
  }
  if (NAT_FLAGS.test(w(toks, k) ?? '')) {
    value.flags = (w(toks, k) as string).split(',');
    k += 1;
  }
  return { kind, value: Object.keys(value).length === 0 ? null : value, end: k };
}

function reject(toks: Token[], i: number): Step {
  if (w(toks, i + 1) !== 'with') return { kind: 'reject', value: null, end: i + 1 };
  let k = i + 2;
  const proto = w(toks, k);
  k += 1;
  if (proto === 'tcp' && w(toks, k) === 'reset') return { kind: 'reject', value: { type: 'tcp reset' }, end: k + 1 };
  if (w(toks, k) === 'type') k += 1;
  return { kind: 'reject', value: { type: proto, expr: w(toks, k) }, end: Math.min(toks.length, k + 1) };
}

function limit(toks: Token[], i: number): Step {
  if (w(toks, i + 1) !== 'rate') return null;
  let k = i + 2;
  if (w(toks, k) === 'over') k += 1;
  // `10/second`, or `10 mbytes/second`.
  k += /\//.test(w(toks, k) ?? '') ? 1 : 2;
  if (k > toks.length) return null;
  if (w(toks, k) === 'burst' && toks[k + 2] !== undefined) k += 3;
  return { kind: 'limit', value: toks.slice(i, k).map((t) => t.raw), end: k };
}

/** `# xt_conntrack`, `# xt_REJECT` (an xt match or target older nft could not print), `# handle 7` (nft -a). */
function hashComment(toks: Token[], i: number): Step {
  const next = w(toks, i + 1) ?? '';
  if (next === 'handle' && /^\d+$/.test(w(toks, i + 2) ?? '')) return { kind: 'handle', value: Number(w(toks, i + 2)), end: i + 3 };
  const xt = /^xt_(\w+)$/.exec(next);
  // iptables names targets in capitals (DNAT, REJECT, CONNMARK) and matches in lower case (conntrack, connmark).
  if (xt && xt[1] !== undefined) {
    return { kind: 'xt', value: { type: /^[A-Z]/.test(xt[1]) ? 'target' : 'match', name: xt[1] }, end: i + 2 };
  }
  return null;
}

/** The statement at toks[i] whose first word is a statement keyword; null when it is none nft prints. */
function keywordStatement(toks: Token[], i: number): Step {
  const head = w(toks, i);
  if (head === null) return null;
  if (SIMPLE_VERDICTS.has(head)) return { kind: head, value: null, end: i + 1 };
  switch (head) {
    case 'counter':
      return counter(toks, i);
    case 'jump':
    case 'goto':
      return toks[i + 1] === undefined ? null : { kind: head, value: { target: (toks[i + 1] as Token).value }, end: i + 2 };
    case 'dnat':
    case 'snat':
      return nat(toks, i, head);
    case 'masquerade':
    case 'redirect':
      return portsOnly(toks, i, head);
    case 'reject':
      return reject(toks, i);
    case 'xt':
      return toks[i + 2] === undefined
        ? null
        : { kind: 'xt', value: { type: w(toks, i + 1), name: (toks[i + 2] as Token).value }, end: i + 3 };
    case '#':
      return hashComment(toks, i);
    case 'comment':
      return toks[i + 1]?.quoted ? { kind: 'comment', value: (toks[i + 1] as Token).value, end: i + 2 } : null;
    case 'log':
      return {
        kind: 'log',
        value: null,
        end: options(toks, i + 1, new Set(['prefix', 'level', 'group', 'snaplen', 'queue-threshold', 'flags'])),
      };
    case 'limit':
      return limit(toks, i);
    case 'queue':
      return { kind: 'queue', value: null, end: options(toks, i + 1, new Set(['num', 'to', 'flags']), new Set(['bypass', 'fanout'])) };
    default:
      return otherStatement(toks, i, head);
  }
}

/** Statements Docker never writes, read only far enough to know where they end. */
function otherStatement(toks: Token[], i: number, head: string): Step {
  const span = (end: number, kind = head): Step => ({ kind, value: toks.slice(i, end).map((t) => t.raw), end });
  switch (head) {
    case 'quota': {
      // `quota over 25 mbytes used 10 mbytes`
      let k = ['over', 'until'].includes(w(toks, i + 1) ?? '') ? i + 4 : i + 3;
      if (w(toks, k) === 'used') k += 3;
      return k > toks.length ? null : span(k);
    }
    case 'dup':
    case 'fwd':
    case 'tproxy':
      return span(options(toks, i + 1, new Set(['to', 'device']), new Set(['ip', 'ip6'])));
    case 'synproxy':
      return span(options(toks, i + 1, new Set(['mss', 'wscale']), new Set(['timestamp', 'sack-perm'])));
    case 'add':
    case 'update':
    case 'delete':
      return w(toks, i + 2) === '{' && (w(toks, i + 1) ?? '').startsWith('@') ? span(groupEnd(toks, i + 2), 'set') : null;
    case 'meter': {
      const k = options(toks, i + 2, new Set(['size']));
      return w(toks, k) === '{' ? span(groupEnd(toks, k)) : null;
    }
    case 'flow':
      return span(Math.min(toks.length, i + 3));
    case 'secmark':
    case 'last':
      return span(Math.min(toks.length, i + 3));
    default:
      return null;
  }
}

/** Reads one rule line: its statements in order, unknown words kept together as one 'unknown' statement each. */
export function readRuleLine(line: string): RuleLine {
  const toks = tokenize(line);
  const out: RuleLine = { statements: [], comment: null, handle: null };
  let unknownFrom = -1;
  const text = (from: number, to: number): string => line.slice((toks[from] as Token).start, (toks[to - 1] as Token).end);
  const flushUnknown = (to: number): void => {
    if (unknownFrom < 0) return;
    out.statements.push({ kind: 'unknown', value: null, text: text(unknownFrom, to) });
    unknownFrom = -1;
  };
  let i = 0;
  while (i < toks.length) {
    const step = keywordStatement(toks, i) ?? expressionStatement(toks, i);
    if (step === null || step.end <= i || step.end > toks.length || !toks.slice(i, step.end).every(closedString)) {
      if (unknownFrom < 0) unknownFrom = i;
      i += 1;
      continue;
    }
    flushUnknown(i);
    if (step.kind === 'comment') out.comment = step.value as string;
    else if (step.kind === 'handle') out.handle = step.value as number;
    else out.statements.push({ kind: step.kind, value: step.value, text: text(i, step.end) });
    i = step.end;
  }
  flushUnknown(toks.length);
  return out;
}
