// nftables tables (`nft -j list ruleset`, or its text) in the firewall model's vocabulary: each rule's
// statements, in the nft JSON form both parsers give, read into conditions and one action. A statement
// docknet does not model becomes an `unmodelled` condition (or action) with its text, never nothing.
import type { Action, BaseChain, Cond, FwChain, FwRule, FwTable, Hook, IpFamily } from '../model/firewall.js';
import type { NatRule, NatSet, NatTable } from '../model/nat-rule.js';
import { standardConds } from './firewall-iptables.js';
import { keyOf, matchText, type NftContext, quotesValues, unmodelled, valueCond } from './firewall-nft-match.js';
import { numberOf } from './firewall-nft-values.js';
import { statementText, verdictStatement, vmapOf, xtStatement } from './firewall-nft-verdict.js';
import { isObj, type Json, kindOf, str } from './nft-print.js';

export type { NftContext } from './firewall-nft-match.js';

const HOOKS: ReadonlySet<string> = new Set(['prerouting', 'input', 'forward', 'output', 'postrouting']);

function base(c: NatTable['chains'][number]): BaseChain | null {
  if (c.hook === null || !HOOKS.has(c.hook)) return null;
  const type = c.type === 'nat' ? 'nat' : c.type === 'route' ? 'route' : 'filter';
  return { hook: c.hook as Hook, priority: c.priority ?? 0, type, policy: c.policy === 'DROP' ? 'drop' : 'accept' };
}

/** A table's sets and maps and chain names, for reading its rules. */
export function nftContext(t: NatTable): NftContext {
  const family = t.family === 'ipv4' ? 'ip' : t.family === 'ipv6' ? 'ip6' : 'inet';
  const sets = new Map<string, NatSet>();
  for (const s of t.sets) if (!sets.has(s.name)) sets.set(s.name, s);
  return { family, sets, chains: new Set(t.chains.map((c) => c.name)), elements: new Map() };
}

const ASSUMED_WHY: Readonly<Record<string, string>> = {
  limit: 'a rate limit, taken as not yet reached',
  meter: 'a rate limit per key, taken as not yet reached',
  quota: 'a byte quota, taken as not yet used up',
  'ct count': 'a connection-count limit, taken as not yet reached',
};

/** `limit rate over 10/second` matches when the limit is exceeded: the assumed condition, negated. */
function assumedOf(kind: string, v: unknown, text: string): Cond {
  const over = (isObj(v) && v.inv === true) || (Array.isArray(v) && v.includes('over'));
  return { kind: 'assumed', text, why: ASSUMED_WHY[kind] ?? '', negated: over };
}

/** A mark as `meta mark set` computes it, in MARK's value/mask form (mark = (mark & ~mask) ^ value); null when not one of those forms. */
function markSet(v: unknown): { value: number; mask: number } | null {
  const n = numberOf(v);
  if (n !== null) return { value: n, mask: 0xffffffff };
  const isMark = (x: unknown): boolean => isObj(x) && isObj(x.meta) && x.meta.key === 'mark';
  if (!isObj(v)) return null;
  const op = kindOf(v);
  const args = op === null ? null : v[op];
  if (!Array.isArray(args) || args.length !== 2) return null;
  const [inner, operand] = args;
  const k = numberOf(operand);
  if (k === null) return null;
  if (isMark(inner)) {
    if (op === '|') return { value: k, mask: k };
    if (op === '^') return { value: k, mask: 0 };
    if (op === '&') return { value: 0, mask: ~k >>> 0 };
    return null;
  }
  // `meta mark set meta mark & 0xffff00ff | 0x100`
  if (op === '|' && isObj(inner) && Array.isArray(inner['&']) && inner['&'].length === 2 && isMark(inner['&'][0])) {
    const m = numberOf(inner['&'][1]);
    return m === null ? null : { value: k, mask: (~m | k) >>> 0 };
  }
  return null;
}

// Writes that change nothing a verdict depends on: tracing, queueing priority, DSCP/ECN, TTL, MSS
// clamping, and connection marks and labels (their matches are not modelled, so they cannot be misread).
const HARMLESS_META = new Set(['nftrace', 'priority']);
const HARMLESS_CT = new Set(['mark', 'label', 'event', 'helper', 'expectation', 'timeout']);
const HARMLESS_PAYLOAD = new Set(['dscp', 'ecn', 'ttl', 'hoplimit', 'tos']);

/** What `KEY set VALUE` does: a mark, nothing that matters, or something not modelled. */
function mangleOf(v: unknown): { value: number; mask: number } | 'harmless' | null {
  if (!isObj(v) || !isObj(v.key)) return null;
  const k = v.key;
  if (isObj(k.meta) && k.meta.key === 'mark') return markSet(v.value);
  if (isObj(k.meta) && HARMLESS_META.has(str(k.meta.key) ?? '')) return 'harmless';
  if (isObj(k.ct) && HARMLESS_CT.has(str(k.ct.key) ?? '')) return 'harmless';
  if (isObj(k.payload) && HARMLESS_PAYLOAD.has(str(k.payload.field) ?? '')) return 'harmless';
  // `tcp option maxseg size set rt mtu`: MSS clamping.
  if (Array.isArray(k.option) || isObj(k['tcp option'])) return 'harmless';
  return null;
}

// Statements that neither match nor decide: counters, logging, set updates, flow offload, accounting.
const PASSING = new Set([
  'counter',
  'log',
  'comment',
  'last',
  'secmark',
  'set',
  'map',
  'flow',
  'dup',
  'ct helper',
  'ct timeout',
  'ct expectation',
]);

/** What the statements of one rule have said so far, read in order. */
interface Reading {
  conds: Cond[];
  writes: { text: string; mark: { value: number; mask: number } | null }[];
  matchAfterWrite: boolean;
  verdict: Action | null;
  /** The verdict's statement, printed only when a write beside it makes the action unmodelled. */
  verdictOf: { kind: string; value: unknown } | null;
}

/**
 * One nftables rule. Its statements run in order: matches narrow it, a verdict (or NAT rewrite, or
 * vmap) ends it. A write that changes the packet (a mark) is the action when no verdict follows; a
 * write together with a verdict, or before a later match, or one not modelled (notrack, a header
 * rewrite), makes the action unmodelled, so no verdict that depends on it is guessed.
 */
export function fwRuleFromNft(r: NatRule, ctx: NftContext): FwRule {
  const out = (conds: Cond[], action: Action): FwRule => ({
    table: r.table,
    chain: r.chain,
    number: r.number,
    conds,
    action,
    text: r.text,
    packets: r.packets,
    bytes: r.bytes,
  });
  if (r.statements === undefined) return out([...standardConds(r), unmodelled(r.matches || r.text)], { kind: 'continue' });
  const st: Reading = { conds: [], writes: [], matchAfterWrite: false, verdict: null, verdictOf: null };
  for (const s of r.statements) {
    // Nothing after a verdict runs (nft does not even load such a rule).
    if (st.verdict !== null) break;
    readStatement(st, s, ctx);
  }
  const { conds, writes, verdict, verdictOf } = st;
  if (writes.length === 0) return out(conds, verdict ?? { kind: 'continue' });
  const [only] = writes;
  if (writes.length === 1 && only?.mark && verdict === null && !st.matchAfterWrite) return out(conds, { kind: 'mark', ...only.mark });
  return out(conds, {
    kind: 'unmodelled',
    target: [...writes.map((w) => w.text), verdictOf ? statementText(verdictOf.kind, verdictOf.value) : ''].filter(Boolean).join(' '),
  });
}

function decide(st: Reading, s: { kind: string; value: unknown }, action: Action): void {
  st.verdict = action;
  st.verdictOf = s;
}

/** One statement: a condition, a write, or the verdict. */
function readStatement(st: Reading, s: { kind: string; value: unknown }, ctx: NftContext): void {
  const v = s.value;
  switch (s.kind) {
    case 'match':
      if (!isObj(v)) st.conds.push(unmodelled(JSON.stringify(v) ?? 'match'));
      else {
        if (st.writes.length > 0) st.matchAfterWrite = true;
        push(st.conds, matchConds(v, ctx));
      }
      return;
    case 'unknown':
      st.conds.push(unmodelled(typeof v === 'string' ? v : JSON.stringify(v)));
      return;
    case 'limit':
    case 'meter':
    case 'quota':
    case 'ct count':
      st.conds.push(assumedOf(s.kind, v, statementText(s.kind, v)));
      return;
    case 'mangle': {
      const m = mangleOf(v);
      if (m !== 'harmless') st.writes.push({ text: statementText('mangle', v), mark: m });
      return;
    }
    case 'notrack':
      // The connection is not tracked: no NAT, and ctstate UNTRACKED in later chains.
      st.writes.push({ text: 'notrack', mark: null });
      return;
    case 'xt': {
      const x = xtStatement(v);
      if (x !== null && 'cond' in x) st.conds.push(x.cond);
      else if (x !== null) decide(st, s, x.verdict);
      return;
    }
    case 'vmap': {
      const { deps, action } = vmapOf(v, ctx);
      push(st.conds, deps);
      decide(st, s, action);
      return;
    }
    default: {
      if (PASSING.has(s.kind)) return;
      const a = verdictStatement(s.kind, v, ctx);
      // `dnat ip to ...` in an inet table applies to IPv4 packets only (nft adds that match itself).
      const natFamily = isObj(v) && (s.kind === 'dnat' || s.kind === 'snat') && ctx.family === 'inet' ? familyOf(v.family) : null;
      if (natFamily !== null) push(st.conds, [{ kind: 'family', family: natFamily, negated: false }]);
      if (a !== null) decide(st, s, a);
      // A statement of a kind docknet does not know: it may match or decide, so it is a condition not modelled.
      else st.conds.push(unmodelled(statementText(s.kind, v)));
    }
  }
}

function familyOf(v: unknown): IpFamily | null {
  return v === 'ip' ? 'ipv4' : v === 'ip6' ? 'ipv6' : null;
}

/** Adds conditions, leaving out the protocol or family one already there (`udp sport 67 udp dport 68` says udp twice). */
function push(conds: Cond[], add: Cond[]): void {
  for (const c of add) {
    const same = (x: Cond): boolean =>
      x.kind === c.kind &&
      x.negated === c.negated &&
      ((x.kind === 'protocol' && c.kind === 'protocol' && x.protocol === c.protocol) ||
        (x.kind === 'family' && c.kind === 'family' && x.family === c.family));
    if (!conds.some(same)) conds.push(c);
  }
}

/** One match statement as conditions: those its key implies (`tcp dport` implies tcp), then its own. */
function matchConds(m: Json, ctx: NftContext): Cond[] {
  const op = m.op === undefined ? '==' : m.op === 'lt' ? '<' : m.op === 'gt' ? '>' : m.op === 'le' ? '<=' : m.op === 'ge' ? '>=' : m.op;
  const k = keyOf(m.left, ctx);
  if (k === null) return [unmodelled(matchText(m))];
  let c: Cond | null = null;
  if (op === '==' || op === '!=' || op === 'in') c = valueCond(k, m.right, ctx, quotesValues(m.left));
  else if (typeof op === 'string' && k.compare) c = k.compare(op, m.right);
  if (c === null) return [...k.deps, unmodelled(matchText(m))];
  return [...k.deps, op === '!=' ? { ...c, negated: !c.negated } : c];
}

/** An nftables table of the ip, ip6 or inet family in the model; null for the others (arp, bridge, netdev). */
export function fwTableFromNft(t: NatTable, from: string): FwTable | null {
  const family = t.family === 'ipv4' ? 'ip' : t.family === 'ipv6' ? 'ip6' : t.family === 'inet' ? 'inet' : null;
  if (family === null) return null;
  const ctx = nftContext(t);
  const chains = new Map<string, FwChain>();
  for (const c of t.chains) if (!chains.has(c.name)) chains.set(c.name, { name: c.name, base: base(c), rules: [] });
  for (const r of [...t.rules].sort((a, b) => a.number - b.number)) {
    let chain = chains.get(r.chain);
    if (chain === undefined) {
      chain = { name: r.chain, base: null, rules: [] };
      chains.set(r.chain, chain);
    }
    chain.rules.push(fwRuleFromNft(r, ctx));
  }
  return { family, name: t.name, kind: 'nftables', from, chains };
}
