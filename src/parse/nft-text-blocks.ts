// The non-rule lines of an nft text listing: a base chain's `type ... hook ... priority ...; policy ...;`
// and the lines of a set or map (`type ifname : verdict`, `elements = { ... }` over several lines).

import type { NatChain, NatFamily, NatSet } from '../model/nat-rule.js';
import { PRIORITIES } from './nft-rule-fields.js';
import { type Token, tokenize } from './nft-text-tokens.js';

/** A set or map being read: its elements may run over several lines. */
export interface SetBlock {
  set: NatSet;
  elementsOpen: boolean;
  /** Brace depth inside `elements = { ... }`, and the words of the element being read. */
  depth: number;
  item: string[];
}

// nft(8) CHAIN PRIORITIES: the bridge family has its own names and values.
const BRIDGE_PRIORITIES: Readonly<Record<string, number>> = { dstnat: -300, filter: -200, out: 100, srcnat: 300 };

function priority(words: string[], family: NatFamily): number | null {
  const [base, op, offset] = words;
  if (base === undefined) return null;
  const names = family === 'bridge' ? BRIDGE_PRIORITIES : PRIORITIES;
  const value = /^-?\d+$/.test(base) ? Number(base) : (names[base] ?? null);
  if (value === null || op === undefined) return value;
  if ((op !== '+' && op !== '-') || offset === undefined || !/^\d+$/.test(offset)) return null;
  return op === '+' ? value + Number(offset) : value - Number(offset);
}

/** Reads `type nat hook prerouting priority dstnat; policy accept;` into the chain; the reason when it cannot. */
export function readChainSpec(chain: NatChain, family: NatFamily, toks: Token[]): string | null {
  const clauses: Token[][] = [[]];
  for (const t of toks) {
    if (!t.quoted && t.value === ';') clauses.push([]);
    else (clauses[clauses.length - 1] as Token[]).push(t);
  }
  for (const c of clauses) {
    const words = c.map((t) => t.value);
    const head = words[0];
    if (head === undefined || head === 'comment') continue;
    if (head === 'policy' && words[1] !== undefined) {
      chain.policy = words[1].toUpperCase();
      continue;
    }
    if (head !== 'type' || words[1] === undefined) return `unknown chain attribute "${words.join(' ')}"`;
    chain.type = words[1];
    const hook = words.indexOf('hook');
    if (hook > 0 && words[hook + 1] !== undefined) chain.hook = words[hook + 1] as string;
    const prio = words.indexOf('priority');
    if (prio > 0) {
      chain.priority = priority(words.slice(prio + 1), family);
      if (chain.priority === null) return `cannot read the chain priority "${words.slice(prio + 1).join(' ')}"`;
    }
  }
  return null;
}

const SET_ATTRIBUTES = new Set(['flags', 'size', 'timeout', 'gc-interval', 'policy', 'counter', 'comment', 'auto-merge']);

/** Reads one line of a set or map block; false when it is no line of one. */
export function readSetLine(block: SetBlock, line: string): boolean {
  const toks = tokenize(line);
  const set = block.set;
  if (block.elementsOpen) {
    readElements(block, toks);
    return true;
  }
  const head = toks[0]?.quoted ? '' : (toks[0]?.value ?? '');
  if (head === 'type' || head === 'typeof') {
    const words = toks.slice(1).map((t) => t.raw);
    const colon = words.indexOf(':');
    set.type = (colon < 0 ? words : words.slice(0, colon)).join(' ');
    if (colon >= 0) set.map = words.slice(colon + 1).join(' ');
    return true;
  }
  if (head === 'elements' && toks[1]?.value === '=' && toks[2]?.value === '{') {
    block.elementsOpen = true;
    block.depth = 1;
    block.item = [];
    readElements(block, toks.slice(3));
    return true;
  }
  return SET_ATTRIBUTES.has(head);
}

/** Adds the words of one line of `elements = { a, b : c }` to the set, until the closing brace. */
function readElements(block: SetBlock, toks: Token[]): void {
  const { item, set } = block;
  for (const t of toks) {
    const v = t.quoted ? '' : t.value;
    if (v === '{') block.depth += 1;
    if (v === '}') {
      block.depth -= 1;
      if (block.depth === 0) {
        if (item.length > 0) set.elements.push(item.join(' '));
        item.length = 0;
        block.elementsOpen = false;
        return;
      }
    }
    if (v === ',' && block.depth === 1) {
      if (item.length > 0) set.elements.push(item.join(' '));
      item.length = 0;
    } else item.push(t.raw);
  }
}
