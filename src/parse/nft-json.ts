// Parses `nft -j list ruleset` into NatTables: iptables-nft's `ip nat`, Docker 29's `ip docker-bridges`
// and `ip6 docker-bridges`, and any other table. Rule expressions docknet needs become fields; every
// expression is also rendered as nft text, unknown ones included, so nothing is dropped.

import { blankChain, blankRule, type NatChain, type NatRule, type NatSet, type NatTable } from '../model/nat-rule.js';
import { internalErrorIssue } from './listing-text.js';
import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';
import { jsonPreview } from './json-preview.js';
import { isObj, type Json, kindOf, num, renderExpr, renderStatement, str } from './nft-print.js';
import { applyStatement, countReferences, FAMILIES, isXtNat, nftTable, PRIORITIES, tableIssue, xtNatIssues } from './nft-rule-fields.js';

// Top-level objects that are not tables, chains, rules, sets or maps.
const OTHER_OBJECTS = new Set([
  'element',
  'flowtable',
  'counter',
  'quota',
  'ct helper',
  'ct timeout',
  'ct expectation',
  'limit',
  'secmark',
  'synproxy',
]);

/** The document being read: its tables by family and name, rule counts per chain, and what went wrong. */
interface Walk {
  byKey: Map<string, NatTable>;
  order: NatTable[];
  counts: Map<string, number>;
  /** Rules per table whose DNAT/SNAT nft could only show as an `xt` target. */
  xtNat: Map<NatTable, number>;
  version: string | null;
  issues: ParseIssue[];
}

function tableKey(family: string, name: string): string {
  return `${family}\u0000${name}`;
}

/**
 * Reads the JSON of `nft -j list ruleset` (or `list table`). One NatTable per nft table, in input order;
 * iptables-nft tables (ip nat, ip6 nat) are among them, their NAT targets shown as `xt` without addresses.
 */
export function parseNftJson(text: string): Parsed<NatTable[]> {
  const walk: Walk = { byKey: new Map(), order: [], counts: new Map(), xtNat: new Map(), version: null, issues: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(typeof text === 'string' ? text : '');
  } catch (e) {
    walk.issues.push(issue(0, typeof text === 'string' ? text : '', `not JSON: ${e instanceof Error ? e.message : String(e)}`));
    return { value: [], issues: walk.issues };
  }
  const list = isObj(doc) ? doc.nftables : undefined;
  if (!Array.isArray(list)) {
    walk.issues.push(issue(0, jsonPreview(doc), 'not nft JSON: no "nftables" array at the top'));
    return { value: [], issues: walk.issues };
  }
  for (const entry of list) {
    const what = jsonPreview(entry);
    try {
      readEntry(walk, entry, what);
    } catch (e) {
      walk.issues.push(internalErrorIssue(0, what, e, 'object'));
    }
  }
  walk.issues.push(...xtNatIssues(walk.order, walk.xtNat, 'JSON'));
  for (const t of walk.order) countReferences(t);
  return { value: walk.order, issues: walk.issues };
}

function readEntry(walk: Walk, entry: unknown, what: string): void {
  const kind = isObj(entry) ? kindOf(entry) : null;
  const v = kind === null || !isObj(entry) ? undefined : entry[kind];
  if (kind === null || !isObj(v)) {
    walk.issues.push(issue(0, what, 'not an nft object'));
    return;
  }
  switch (kind) {
    case 'metainfo':
      walk.version = str(v.version);
      for (const t of walk.order) t.origin.version = walk.version;
      return;
    case 'table':
      tableFor(walk, v.family, v.name, what);
      return;
    case 'chain':
      readChain(walk, v, what);
      return;
    case 'set':
    case 'map': {
      const t = tableFor(walk, v.family, v.table, what);
      if (t !== null) t.sets.push(readSet(kind, v));
      return;
    }
    case 'rule':
      readRuleEntry(walk, v, what);
      return;
    default:
      if (OTHER_OBJECTS.has(kind)) walk.issues.push(issue(0, what, `nft ${kind} object not modelled`));
      else walk.issues.push(issue(0, what, `unknown nft object "${kind}"`));
  }
}

/** A name nft could have given: a string, not empty (nft refuses an empty table, chain or set name). */
function nonEmpty(v: unknown): string | null {
  const s = str(v);
  return s === '' ? null : s;
}

function tableFor(walk: Walk, familyRaw: unknown, nameRaw: unknown, what: string): NatTable | null {
  const fam = nonEmpty(familyRaw);
  const name = nonEmpty(nameRaw);
  if (fam === null || name === null) {
    walk.issues.push(issue(0, what, 'object without a table family and name'));
    return null;
  }
  const key = tableKey(fam, name);
  let t = walk.byKey.get(key);
  if (t === undefined) {
    if (FAMILIES[fam] === undefined) walk.issues.push(issue(0, what, `unknown nft family "${fam}"; kept as inet`));
    t = nftTable(fam, name, walk.version);
    walk.byKey.set(key, t);
    walk.order.push(t);
  }
  return t;
}

function readChain(walk: Walk, v: Json, what: string): void {
  const t = tableFor(walk, v.family, v.table, what);
  const name = nonEmpty(v.name);
  if (name === null) walk.issues.push(issue(0, what, 'chain without a name'));
  if (t === null || name === null) return;
  const prio = num(v.prio) ?? (typeof v.prio === 'string' ? (PRIORITIES[v.prio] ?? null) : null);
  const chain: NatChain = {
    ...blankChain(name, 0),
    policy: str(v.policy)?.toUpperCase() ?? null,
    hook: str(v.hook),
    type: str(v.type),
    priority: prio,
    handle: num(v.handle),
  };
  t.chains.push(chain);
}

function readRuleEntry(walk: Walk, v: Json, what: string): void {
  const t = tableFor(walk, v.family, v.table, what);
  const chain = nonEmpty(v.chain);
  if (chain === null) walk.issues.push(issue(0, what, 'rule without a chain'));
  if (t === null || chain === null) return;
  const key = `${tableKey(t.family, t.name)}\u0000${chain}`;
  const n = (walk.counts.get(key) ?? 0) + 1;
  walk.counts.set(key, n);
  t.rules.push(readRule(t, chain, n, v, what, walk.issues));
  if (Array.isArray(v.expr) && v.expr.some((e) => isObj(e) && kindOf(e) === 'xt' && isXtNat('xt', e.xt))) {
    walk.xtNat.set(t, (walk.xtNat.get(t) ?? 0) + 1);
  }
}

function readSet(kind: 'set' | 'map', v: Json): NatSet {
  const type = Array.isArray(v.type) ? v.type.map((x) => renderExpr(x)).join(' . ') : (str(v.type) ?? renderExpr(v.type));
  const quote = /ifname|string/.test(type);
  const elements: string[] = [];
  if (Array.isArray(v.elem)) {
    for (const el of v.elem) {
      if (Array.isArray(el) && el.length === 2) elements.push(`${renderExpr(el[0], quote)} : ${renderExpr(el[1])}`);
      else elements.push(renderExpr(el, quote));
    }
  }
  return { name: str(v.name) ?? '', kind, type, map: kind === 'map' ? (str(v.map) ?? renderExpr(v.map)) : null, elements };
}

function readRule(t: NatTable, chain: string, n: number, v: Json, what: string, issues: ParseIssue[]): NatRule {
  const rule: NatRule = {
    ...blankRule(),
    family: t.family,
    table: t.name,
    chain,
    number: n,
    handle: num(v.handle),
    comment: str(v.comment),
    text: '',
    line: 0,
  };
  const parts: string[] = [];
  const matchParts: string[] = [];
  const statements: { kind: string; value: unknown }[] = [];
  const exprs = Array.isArray(v.expr) ? v.expr : [];
  if (!Array.isArray(v.expr)) issues.push(tableIssue(t, 0, what, 'rule without an "expr" list'));
  for (const e of exprs) {
    const kind = isObj(e) ? kindOf(e) : null;
    if (!isObj(e) || kind === null) {
      const s = jsonPreview(e);
      issues.push(tableIssue(t, 0, s, `unreadable expression in ${t.name} ${chain} rule ${n}; kept as text`));
      parts.push(s);
      matchParts.push(s);
      continue;
    }
    const val = e[kind];
    const { text, known } = renderStatement(kind, val);
    parts.push(text);
    if (kind !== 'counter') matchParts.push(text);
    if (!known)
      issues.push(tableIssue(t, 0, jsonPreview(e), `unknown nft statement "${kind}" in ${t.name} ${chain} rule ${n}; kept as text`));
    applyStatement(rule, kind, val);
    statements.push({ kind, value: val });
  }
  rule.statements = statements;
  if (rule.comment !== null) parts.push(`comment ${JSON.stringify(rule.comment)}`);
  rule.text = parts.join(' ');
  rule.matches = matchParts.join(' ');
  return rule;
}
