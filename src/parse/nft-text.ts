// Parses `nft list ruleset` (and `nft list table ...`) text into the NatTables `nft -j` gives: every
// table of every family, chains with hook, type, priority and policy, sets and maps, and rules whose
// statements become the same fields as in the JSON. Lines it cannot read are reported, never dropped.

import { blankChain, blankRule, type NatChain, type NatRule, type NatSet, type NatTable } from '../model/nat-rule.js';
import { issue, type ParseIssue, type Parsed, splitLines } from '../model/parsed.js';
import { cutShortIssue, internalErrorIssue, isPromptLine } from './listing-text.js';
import { applyStatement, countReferences, FAMILIES, isXtNat, nftTable, tableIssue, xtNatIssues } from './nft-rule-fields.js';
import { readChainSpec, readSetLine, type SetBlock } from './nft-text-blocks.js';
import { readRuleLine } from './nft-text-rule.js';
import { type Token, tokenize } from './nft-text-tokens.js';

type Block =
  | { kind: 'table'; table: NatTable; indent: number; line: number }
  | { kind: 'chain'; table: NatTable; chain: NatChain; indent: number; line: number }
  | { kind: 'set'; table: NatTable; set: SetBlock; indent: number; line: number }
  /** A block docknet does not model (flowtable, counter, ...), or one outside any table: its lines are not read. */
  | { kind: 'skip'; what: string; indent: number; line: number };

interface Walk {
  tables: NatTable[];
  byKey: Map<string, NatTable>;
  stack: Block[];
  counts: Map<string, number>;
  xtNat: Map<NatTable, number>;
  issues: ParseIssue[];
  lastUsed: number;
}

// `# Warning: table ip nat is managed by iptables-nft, do not touch!` (nft prints it to stderr; pastes keep it).
const WARNING = /^(?:#\s*)?Warning:\s/;
const BLOCK_KINDS = new Set(['chain', 'set', 'map', 'flowtable', 'counter', 'quota', 'limit', 'ct', 'secmark', 'synproxy']);

/** Reads `nft list ruleset` text: one NatTable per table, in input order. */
export function parseNftText(text: string): Parsed<NatTable[]> {
  const walk: Walk = { tables: [], byKey: new Map(), stack: [], counts: new Map(), xtNat: new Map(), issues: [], lastUsed: 0 };
  const lines = splitLines(typeof text === 'string' ? text : '');
  for (const [idx, raw] of lines.entries()) {
    try {
      readLine(walk, raw, idx + 1);
    } catch (e) {
      walk.issues.push(internalErrorIssue(idx + 1, raw.trim(), e));
    }
  }
  for (const b of walk.stack) {
    walk.issues.push(issue(lines.length, '', `${describe(b)} (line ${b.line}) is not closed: the input ends inside it`));
  }
  const cut = cutShortIssue(typeof text === 'string' ? text : '', lines, walk.lastUsed);
  if (cut) walk.issues.push(cut);
  walk.issues.push(...xtNatIssues(walk.tables, walk.xtNat, 'text'));
  for (const t of walk.tables) countReferences(t);
  return { value: walk.tables, issues: walk.issues };
}

function describe(b: Block): string {
  if (b.kind === 'table') return `table ${b.table.name}`;
  if (b.kind === 'chain') return `chain ${b.chain.name}`;
  if (b.kind === 'set') return `${b.set.set.kind} ${b.set.set.name}`;
  return b.what;
}

function readLine(walk: Walk, raw: string, lineNo: number): void {
  const line = raw.trim();
  if (line === '') return;
  const top = walk.stack[walk.stack.length - 1];
  if (top?.kind === 'set' && top.set.elementsOpen) {
    readSetLine(top.set, line);
    return;
  }
  // Older nft prints an xt match it cannot translate as `# xt_NAME`: inside a chain that is a rule, not a comment.
  if (WARNING.test(line)) return;
  const xtRule = top?.kind === 'chain' && /^#\s*xt_\w/.test(line);
  if (line.startsWith('#') && !xtRule) {
    walk.issues.push(issue(lineNo, line, 'comment or prompt, not part of `nft list` output'));
    return;
  }
  if (!xtRule && isPromptLine(raw)) {
    closeAll(walk, lineNo, 'a shell prompt');
    walk.issues.push(issue(lineNo, line, 'shell prompt or command line, not part of `nft list` output'));
    return;
  }
  const toks = tokenize(line);
  const head = toks[0]?.quoted ? '' : (toks[0]?.value ?? '');
  const indent = raw.length - raw.trimStart().length;
  if (head === 'table') {
    closeAll(walk, lineNo, `table line ${lineNo}`);
    openTable(walk, toks, line, lineNo, indent);
    return;
  }
  if (head === '}') {
    closeBlock(walk, line, lineNo, indent);
    return;
  }
  if (top === undefined) {
    if (opensBlock(toks))
      walk.stack.push({ kind: 'skip', what: `${head} ${toks[1]?.value ?? ''} outside any table`, indent, line: lineNo });
    walk.issues.push(issue(lineNo, line, 'outside any `table ... {` block: not read'));
    return;
  }
  readInBlock(walk, top, toks, line, lineNo, indent);
}

function readInBlock(walk: Walk, top: Block, toks: Token[], line: string, lineNo: number, indent: number): void {
  const head = toks[0]?.quoted ? '' : (toks[0]?.value ?? '');
  const opens = opensBlock(toks);
  if (opens && top.kind !== 'table' && top.kind !== 'skip') {
    walk.issues.push(issue(lineNo, line, `${describe(top)} (line ${top.line}) has no closing brace before this line`));
    walk.stack.pop();
    const parent = walk.stack[walk.stack.length - 1];
    if (parent !== undefined) readInBlock(walk, parent, toks, line, lineNo, indent);
    return;
  }
  switch (top.kind) {
    case 'skip':
      if (opens) walk.stack.push({ kind: 'skip', what: `${head} inside ${top.what}`, indent, line: lineNo });
      walk.issues.push(issue(lineNo, line, `inside ${top.what}: not read`));
      return;
    case 'table':
      if (opens) openBlock(walk, top.table, toks, line, lineNo, indent);
      else if (head !== 'flags' && head !== 'comment') {
        walk.issues.push(tableIssue(top.table, lineNo, line, 'in a table but in no chain (its `chain ... {` line is missing?): not read'));
      }
      return;
    case 'set':
      if (!readSetLine(top.set, line)) walk.issues.push(tableIssue(top.table, lineNo, line, `not a line of ${describe(top)}`));
      return;
    case 'chain':
      if (head === 'type' || head === 'policy') {
        const bad = readChainSpec(top.chain, top.table.family, toks);
        if (bad !== null) walk.issues.push(tableIssue(top.table, lineNo, line, bad));
      } else if (!(head === 'comment' && toks.length === 2)) {
        readRule(walk, top.table, top.chain, line, lineNo);
      }
      return;
  }
}

/** `chain NAME {`, `set NAME {`, `ct helper NAME {` (with nft -a's `# handle N` after the brace). */
function opensBlock(toks: Token[]): boolean {
  const head = toks[0]?.quoted ? '' : (toks[0]?.value ?? '');
  const brace = toks.findIndex((t) => !t.quoted && t.value === '{');
  if (!BLOCK_KINDS.has(head) || brace !== (head === 'ct' ? 3 : 2)) return false;
  const rest = toks.slice(brace + 1).map((t) => t.value);
  return rest.length === 0 || (rest.length === 3 && rest[0] === '#' && rest[1] === 'handle');
}

function openTable(walk: Walk, toks: Token[], line: string, lineNo: number, indent: number): void {
  // `table ip nat {`; nft's default family ip when it is left out (`table nat {` in a hand-written file).
  const words = toks.slice(1).filter((t) => t.quoted || t.value !== '{');
  const fam = words.length >= 2 ? (words[0] as Token).value : 'ip';
  const name = words.length >= 2 ? (words[1] as Token).value : words[0]?.value;
  if (name === undefined || name === '#') {
    walk.issues.push(issue(lineNo, line, 'table line without a name'));
    walk.stack.push({ kind: 'skip', what: 'a table without a name', indent, line: lineNo });
    return;
  }
  if (FAMILIES[fam] === undefined) walk.issues.push(issue(lineNo, line, `unknown nft family "${fam}"; kept as inet`));
  const key = `${fam}\u0000${name}`;
  let t = walk.byKey.get(key);
  if (t === undefined) {
    t = nftTable(fam, name, null);
    walk.byKey.set(key, t);
    walk.tables.push(t);
  } else walk.issues.push(tableIssue(t, lineNo, line, `table ${fam} ${name} is listed a second time: read into the first`));
  walk.stack.push({ kind: 'table', table: t, indent, line: lineNo });
  walk.lastUsed = lineNo;
}

function openBlock(walk: Walk, t: NatTable, toks: Token[], line: string, lineNo: number, indent: number): void {
  const kind = toks[0]?.value ?? '';
  const name = toks[1]?.quoted || toks[1]?.value !== '{' ? toks[1]?.value : undefined;
  if (name === undefined || (kind !== 'chain' && kind !== 'set' && kind !== 'map')) {
    walk.issues.push(tableIssue(t, lineNo, line, `nft ${kind} object not modelled: its lines are not read`));
    walk.stack.push({ kind: 'skip', what: `${kind} ${name ?? ''} of table ${t.name}`, indent, line: lineNo });
    return;
  }
  walk.lastUsed = lineNo;
  if (kind === 'chain') {
    let chain = t.chains.find((c) => c.name === name);
    if (chain === undefined) {
      chain = blankChain(name, lineNo);
      t.chains.push(chain);
    } else walk.issues.push(tableIssue(t, lineNo, line, `chain ${name} is declared a second time: read into the first`));
    const handle = /#\s*handle\s+(\d+)\s*$/.exec(line);
    if (handle) chain.handle = Number(handle[1]);
    walk.stack.push({ kind: 'chain', table: t, chain, indent, line: lineNo });
    return;
  }
  const set: NatSet = { name, kind, type: '', map: null, elements: [] };
  t.sets.push(set);
  walk.stack.push({ kind: 'set', table: t, set: { set, elementsOpen: false, depth: 0, item: [] }, indent, line: lineNo });
}

function closeBlock(walk: Walk, line: string, lineNo: number, indent: number): void {
  const top = walk.stack[walk.stack.length - 1];
  if (top === undefined) {
    walk.issues.push(issue(lineNo, line, 'closing brace outside any block'));
    return;
  }
  // nft indents chains under their table: a brace indented deeper than the table line closes a chain
  // whose `chain ... {` line is missing, not the table.
  if (top.kind === 'table' && indent > top.indent) {
    walk.issues.push(tableIssue(top.table, lineNo, line, 'closing brace of a block whose opening line is missing'));
    return;
  }
  walk.stack.pop();
}

function closeAll(walk: Walk, lineNo: number, what: string): void {
  for (const b of walk.stack) walk.issues.push(issue(lineNo, '', `${describe(b)} (line ${b.line}) is not closed before ${what}`));
  walk.stack = [];
}

function readRule(walk: Walk, t: NatTable, chain: NatChain, line: string, lineNo: number): void {
  const key = `${t.family}\u0000${t.name}\u0000${chain.name}`;
  const n = (walk.counts.get(key) ?? 0) + 1;
  walk.counts.set(key, n);
  const read = readRuleLine(line);
  const rule: NatRule = {
    ...blankRule(),
    family: t.family,
    table: t.name,
    chain: chain.name,
    number: n,
    handle: read.handle,
    comment: read.comment,
    text: line,
    line: lineNo,
  };
  for (const s of read.statements) {
    if (s.kind === 'unknown') {
      walk.issues.push(tableIssue(t, lineNo, line, `unknown nft statement "${s.text}" in ${t.name} ${chain.name} rule ${n}; kept as text`));
    } else applyStatement(rule, s.kind, s.value);
  }
  // Statements not understood stay, as kind 'unknown' with their text: the firewall model must not read them as absent.
  rule.statements = read.statements.map((s) => ({ kind: s.kind, value: s.kind === 'unknown' ? s.text : s.value }));
  rule.matches = read.statements
    .filter((s) => s.kind !== 'counter')
    .map((s) => s.text)
    .join(' ');
  if (read.statements.some((s) => isXtNat(s.kind, s.value))) walk.xtNat.set(t, (walk.xtNat.get(t) ?? 0) + 1);
  t.rules.push(rule);
  walk.lastUsed = lineNo;
}
