// Parses `nft -j list ruleset` into NatTables: iptables-nft's `ip nat`, Docker 29's `ip docker-bridges`
// and `ip6 docker-bridges`, and any other table. Rule expressions docknet needs become fields; every
// expression is also rendered as nft text, unknown ones included, so nothing is dropped.

import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';
import { jsonPreview } from './json-preview.js';
import {
  blankChain,
  blankRule,
  normaliseAddress,
  normaliseProtocol,
  type NatAddress,
  type NatChain,
  type NatFamily,
  type NatRule,
  type NatSet,
  type NatTable,
  type PortRange,
} from '../model/nat-rule.js';

type Json = Record<string, unknown>;

const FAMILIES: Readonly<Record<string, NatFamily>> = {
  ip: 'ipv4',
  ip6: 'ipv6',
  inet: 'inet',
  arp: 'arp',
  bridge: 'bridge',
  netdev: 'netdev',
};

// Symbolic chain priorities (nft(8), "CHAIN PRIORITIES") for JSON that spells them out.
const PRIORITIES: Readonly<Record<string, number>> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

// Meta keys nft prints without the `meta` keyword.
const BARE_META = new Set(['iif', 'oif', 'iifname', 'oifname', 'iiftype', 'oiftype', 'skuid', 'skgid', 'mark', 'iifgroup', 'oifgroup']);
const L4_PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite', 'th']);
// Statements that end a rule's evaluation or rewrite addresses: they name the rule's target.
const VERDICTS: Readonly<Record<string, string>> = {
  accept: 'ACCEPT',
  drop: 'DROP',
  return: 'RETURN',
  continue: 'CONTINUE',
  queue: 'QUEUE',
  reject: 'REJECT',
  notrack: 'NOTRACK',
};
// Statements rendered without being modelled; anything else is reported.
const KNOWN_STATEMENTS = new Set([
  'limit',
  'log',
  'quota',
  'mangle',
  'set',
  'map',
  'meter',
  'dup',
  'fwd',
  'ct helper',
  'ct timeout',
  'ct expectation',
  'ct count',
  'synproxy',
  'tproxy',
  'secmark',
  'flow',
  'last',
]);
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

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A packet or byte counter: a whole number from 0 up; anything else is not a count and stays unknown. */
function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

/** The single key of an nft JSON object such as {"counter": {...}}. */
function kindOf(o: Json): string | null {
  const keys = Object.keys(o);
  return keys.length === 1 ? (keys[0] ?? null) : null;
}

function isIfnameKey(e: unknown): boolean {
  if (!isObj(e) || !isObj(e.meta)) return false;
  const key = str(e.meta.key);
  return key === 'iifname' || key === 'oifname';
}

/** An expression as nft prints it; unknown shapes as their JSON. */
function renderExpr(e: unknown, quoteStrings = false): string {
  if (typeof e === 'string') return quoteStrings ? JSON.stringify(e) : e;
  if (typeof e === 'number' || typeof e === 'boolean') return String(e);
  if (e === null || e === undefined) return '';
  if (Array.isArray(e)) return e.map((x) => renderExpr(x, quoteStrings)).join(',');
  if (!isObj(e)) return JSON.stringify(e);
  const kind = kindOf(e);
  const v = kind === null ? undefined : e[kind];
  switch (kind) {
    case 'set':
      // A map's data is a set of [key, value] pairs.
      return Array.isArray(v)
        ? `{ ${v.map((x) => (Array.isArray(x) && x.length === 2 ? `${renderExpr(x[0], quoteStrings)} : ${renderExpr(x[1], quoteStrings)}` : renderExpr(x, quoteStrings))).join(', ')} }`
        : renderExpr(v, quoteStrings);
    case 'prefix':
      return isObj(v) ? `${renderExpr(v.addr)}/${renderExpr(v.len)}` : JSON.stringify(e);
    case 'range':
      return Array.isArray(v) && v.length === 2 ? `${renderExpr(v[0], quoteStrings)}-${renderExpr(v[1], quoteStrings)}` : JSON.stringify(e);
    case 'payload':
      if (isObj(v) && typeof v.protocol === 'string') return `${v.protocol} ${renderExpr(v.field)}`;
      if (isObj(v) && v.base !== undefined) return `@${renderExpr(v.base)},${renderExpr(v.offset)},${renderExpr(v.len)}`;
      return JSON.stringify(e);
    case 'meta': {
      const key = isObj(v) ? str(v.key) : null;
      if (key === null) return JSON.stringify(e);
      return BARE_META.has(key) ? key : `meta ${key}`;
    }
    case 'ct':
      return isObj(v) ? `ct ${v.dir !== undefined ? `${renderExpr(v.dir)} ` : ''}${renderExpr(v.key)}` : JSON.stringify(e);
    case 'fib':
      return isObj(v)
        ? `fib ${Array.isArray(v.flags) ? v.flags.map((f) => renderExpr(f)).join(' . ') : renderExpr(v.flags)} ${renderExpr(v.result)}`
        : JSON.stringify(e);
    case 'rt':
      return isObj(v) ? `rt ${renderExpr(v.key)}` : JSON.stringify(e);
    case 'concat':
      return Array.isArray(v) ? v.map((x) => renderExpr(x, quoteStrings)).join(' . ') : JSON.stringify(e);
    case 'elem':
      return isObj(v) ? renderExpr(v.val, quoteStrings) : JSON.stringify(e);
    case 'map':
      return isObj(v) ? `${renderExpr(v.key)} map ${renderExpr(v.data)}` : JSON.stringify(e);
    case 'jump':
    case 'goto':
      return isObj(v) ? `${kind} ${renderExpr(v.target)}` : JSON.stringify(e);
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>':
      return Array.isArray(v) && v.length === 2 ? `${renderExpr(v[0])} ${kind} ${renderExpr(v[1])}` : JSON.stringify(e);
    default:
      if (kind !== null && v === null) return kind; // verdicts such as {"accept": null} inside maps
      return JSON.stringify(e);
  }
}

function renderPort(p: unknown): string {
  return renderExpr(p);
}

function renderNatTo(v: Json): string {
  const addr = v.addr;
  const port = v.port;
  const a = addr === undefined ? '' : renderExpr(addr);
  if (port === undefined) return a;
  const bracket = typeof addr === 'string' && addr.includes(':');
  return `${bracket ? `[${a}]` : a}:${renderPort(port)}`;
}

/** A statement as nft prints it, and whether it is a kind docknet knows. */
function renderStatement(kind: string, v: unknown): { text: string; known: boolean } {
  switch (kind) {
    case 'match': {
      if (!isObj(v)) return { text: JSON.stringify({ match: v }), known: false };
      const quote = isIfnameKey(v.left);
      const op = str(v.op) ?? '==';
      const left = renderExpr(v.left);
      const right = renderExpr(v.right, quote);
      return { text: op === '==' || op === 'in' ? `${left} ${right}` : `${left} ${op} ${right}`, known: true };
    }
    case 'counter':
      if (isObj(v)) return { text: `counter packets ${renderExpr(v.packets)} bytes ${renderExpr(v.bytes)}`, known: true };
      return { text: `counter name ${renderExpr(v, true)}`, known: true };
    case 'jump':
    case 'goto':
      return { text: renderExpr({ [kind]: v }), known: true };
    case 'dnat':
    case 'snat': {
      if (!isObj(v)) return { text: kind, known: true };
      const fam = str(v.family);
      const to = renderNatTo(v);
      return { text: `${kind}${fam ? ` ${fam}` : ''}${to ? ` to ${to}` : ''}${flags(v)}`, known: true };
    }
    case 'masquerade':
    case 'redirect': {
      const port = isObj(v) && v.port !== undefined ? ` to :${renderPort(v.port)}` : '';
      return { text: `${kind}${port}${isObj(v) ? flags(v) : ''}`, known: true };
    }
    case 'xt':
      return isObj(v) ? { text: `xt ${renderExpr(v.type)} ${JSON.stringify(v.name ?? '')}`, known: true } : { text: 'xt', known: true };
    case 'vmap':
      return isObj(v) ? { text: `${renderExpr(v.key)} vmap ${renderExpr(v.data)}`, known: true } : { text: 'vmap', known: true };
    case 'limit': {
      if (!isObj(v)) return { text: 'limit', known: true };
      const inv = v.inv === true ? 'over ' : '';
      const unit = typeof v.rate_unit === 'string' && v.rate_unit !== 'packets' ? ` ${v.rate_unit}` : '';
      const burst =
        v.burst !== undefined && v.burst !== 0
          ? ` burst ${renderExpr(v.burst)} ${typeof v.burst_unit === 'string' ? v.burst_unit : 'packets'}`
          : '';
      return { text: `limit rate ${inv}${renderExpr(v.rate)}${unit}/${renderExpr(v.per)}${burst}`, known: true };
    }
    case 'log':
      return { text: isObj(v) && typeof v.prefix === 'string' ? `log prefix ${JSON.stringify(v.prefix)}` : 'log', known: true };
    case 'mangle':
      return isObj(v) ? { text: `${renderExpr(v.key)} set ${renderExpr(v.value)}`, known: true } : { text: 'mangle', known: true };
    default:
      if (VERDICTS[kind] !== undefined) return { text: v === null || v === undefined ? kind : `${kind} ${renderExpr(v)}`, known: true };
      return { text: `${kind} ${JSON.stringify(v)}`, known: KNOWN_STATEMENTS.has(kind) };
  }
}

function flags(v: Json): string {
  const f = v.flags;
  if (Array.isArray(f)) return ` ${f.map((x) => renderExpr(x)).join(',')}`;
  if (typeof f === 'string') return ` ${f}`;
  return '';
}

/** A port number: a whole number 0-65535; anything else is not a port and stays unknown. */
function port(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : null;
}

function portRange(v: unknown): PortRange | null {
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
function natAddress(v: unknown): NatAddress | null {
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

interface Tables {
  byKey: Map<string, NatTable>;
  order: NatTable[];
}

function tableKey(family: string, name: string): string {
  return `${family}\u0000${name}`;
}

/**
 * Reads the JSON of `nft -j list ruleset` (or `list table`). One NatTable per nft table, in input order;
 * iptables-nft tables (ip nat, ip6 nat) are among them, their NAT targets shown as `xt` without addresses.
 */
export function parseNftJson(text: string): Parsed<NatTable[]> {
  const issues: ParseIssue[] = [];
  const tables: Tables = { byKey: new Map(), order: [] };
  let version: string | null = null;
  let doc: unknown;
  try {
    doc = JSON.parse(typeof text === 'string' ? text : '');
  } catch (e) {
    issues.push(issue(0, typeof text === 'string' ? text : '', `not JSON: ${e instanceof Error ? e.message : String(e)}`));
    return { value: [], issues };
  }
  const list = isObj(doc) ? doc.nftables : undefined;
  if (!Array.isArray(list)) {
    issues.push(issue(0, jsonPreview(doc), 'not nft JSON: no "nftables" array at the top'));
    return { value: [], issues };
  }
  const counts = new Map<string, number>();
  const xtNat = new Map<string, number>();

  const tableFor = (familyRaw: unknown, nameRaw: unknown, what: string): NatTable | null => {
    const fam = str(familyRaw);
    const name = str(nameRaw);
    if (fam === null || name === null) {
      issues.push(issue(0, what, 'object without a table family and name'));
      return null;
    }
    const key = tableKey(fam, name);
    let t = tables.byKey.get(key);
    if (t === undefined) {
      const family = FAMILIES[fam];
      if (family === undefined) issues.push(issue(0, what, `unknown nft family "${fam}"; kept as inet`));
      t = {
        family: family ?? 'inet',
        name,
        chains: [],
        rules: [],
        sets: [],
        origin: { tool: 'nft', version, backend: 'nf_tables', legacyTablesPresent: false },
      };
      tables.byKey.set(key, t);
      tables.order.push(t);
    }
    return t;
  };

  for (const entry of list) {
    const what = jsonPreview(entry);
    try {
      if (!isObj(entry)) {
        issues.push(issue(0, what, 'not an nft object'));
        continue;
      }
      const kind = kindOf(entry);
      const v = kind === null ? undefined : entry[kind];
      if (kind === null || !isObj(v)) {
        issues.push(issue(0, what, 'not an nft object'));
        continue;
      }
      switch (kind) {
        case 'metainfo':
          version = str(v.version);
          for (const t of tables.order) t.origin.version = version;
          break;
        case 'table':
          tableFor(v.family, v.name, what);
          break;
        case 'chain': {
          const t = tableFor(v.family, v.table, what);
          const name = str(v.name);
          if (t === null || name === null) {
            if (name === null) issues.push(issue(0, what, 'chain without a name'));
            break;
          }
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
          break;
        }
        case 'set':
        case 'map': {
          const t = tableFor(v.family, v.table, what);
          if (t === null) break;
          t.sets.push(readSet(kind, v));
          break;
        }
        case 'rule': {
          const t = tableFor(v.family, v.table, what);
          const chain = str(v.chain);
          if (t === null || chain === null) {
            if (chain === null) issues.push(issue(0, what, 'rule without a chain'));
            break;
          }
          const key = `${tableKey(t.family, t.name)}\u0000${chain}`;
          const n = (counts.get(key) ?? 0) + 1;
          counts.set(key, n);
          const rule = readRule(t, chain, n, v, what, issues);
          if (
            (rule.target === 'DNAT' || rule.target === 'SNAT') &&
            rule.dnatTo === null &&
            rule.snatTo === null &&
            rule.matches.includes(`xt target "${rule.target}"`)
          ) {
            const tk = `${t.family === 'ipv6' ? 'ip6' : 'ip'} ${t.name}`;
            xtNat.set(tk, (xtNat.get(tk) ?? 0) + 1);
          }
          t.rules.push(rule);
          break;
        }
        default:
          if (OTHER_OBJECTS.has(kind)) issues.push(issue(0, what, `nft ${kind} object not modelled`));
          else issues.push(issue(0, what, `unknown nft object "${kind}"`));
      }
    } catch (e) {
      issues.push(issue(0, what, `internal error while reading this object: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  for (const [tk, n] of xtNat) {
    issues.push(
      issue(
        0,
        tk,
        `${n} iptables-nft DNAT/SNAT rule(s) appear in nft JSON as "xt" targets without their addresses; read iptables-save for --to-destination`,
      ),
    );
  }
  for (const t of tables.order) countReferences(t);
  return { value: tables.order, issues };
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
  const exprs = Array.isArray(v.expr) ? v.expr : [];
  if (!Array.isArray(v.expr)) issues.push(issue(0, what, 'rule without an "expr" list'));
  for (const e of exprs) {
    if (!isObj(e) || kindOf(e) === null) {
      const s = jsonPreview(e);
      issues.push(issue(0, s, `unreadable expression in ${t.name} ${chain} rule ${n}; kept as text`));
      parts.push(s);
      matchParts.push(s);
      continue;
    }
    const kind = kindOf(e)!;
    const val = e[kind];
    const { text, known } = renderStatement(kind, val);
    parts.push(text);
    if (kind !== 'counter') matchParts.push(text);
    if (!known) issues.push(issue(0, jsonPreview(e), `unknown nft statement "${kind}" in ${t.name} ${chain} rule ${n}; kept as text`));
    applyStatement(rule, kind, val);
  }
  if (rule.comment !== null) parts.push(`comment ${JSON.stringify(rule.comment)}`);
  rule.text = parts.join(' ');
  rule.matches = matchParts.join(' ');
  return rule;
}

/** Copies what one statement says into the rule's fields. */
function applyStatement(rule: NatRule, kind: string, v: unknown): void {
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
function countReferences(t: NatTable): void {
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
