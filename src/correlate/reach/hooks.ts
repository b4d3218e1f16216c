// One netfilter hook walked: every base chain on it, of every table that applies, in priority order;
// jumps, gotos, returns and policies; NAT and marks rewriting the packet as the kernel would.
import type { Action, FwChain, FwRule, FwTable, Hook, Ruleset } from '../../model/firewall.js';
import { tableApplies } from '../../model/firewall.js';
import { assumedOf, type CondContext, ruleMatches } from './conds.js';
import { type Assumptions, assume, type Packet } from './packet.js';

/** A rule as the walk names it. */
export interface RuleRef {
  family: FwTable['family'];
  kind: FwTable['kind'];
  table: string;
  chain: string;
  /** 1-based position in the chain; 0 for a chain's policy. */
  number: number;
  text: string;
  packets: number | null;
  bytes: number | null;
  /** The snapshot file the rule was read from. */
  from: string;
}

/** What a rule that matched did, or a base chain's end (its policy). */
export interface Step {
  rule: RuleRef;
  /** The action taken: a jump, goto, verdict, NAT or mark; 'policy' at the end of a base chain. */
  action: Action['kind'] | 'policy';
  /** Set when docknet could not tell whether the rule matches and the walk took an answer (reach.ts forks). */
  assumedMatch: boolean | null;
  /** Conditions taken as matching (rate limits, recent lists). */
  assumed: string[];
}

export interface HookResult {
  verdict: 'accept' | 'drop' | 'reject';
  /** The rule (or policy) that ended it: for accept, the last base chain's accepting rule or policy. */
  decidedBy: RuleRef | null;
  rejectWith: string | null;
  steps: Step[];
  /** Rewrites done on this hook, in order. */
  rewrites: { kind: 'dnat' | 'snat' | 'masquerade' | 'redirect'; before: string; after: string; rule: RuleRef }[];
}

export interface HookContext extends CondContext {
  /** The address SNAT-like targets take from an interface (MASQUERADE), or null when unknown. */
  primaryAddress(iface: string | null, family: Packet['family']): string | null;
}

/** iptables tables with chains on each hook: one of these not in the data makes the hook unknown. */
const IPTABLES_TABLES_ON: Readonly<Record<Hook, readonly string[]>> = {
  prerouting: ['raw', 'mangle', 'nat'],
  input: ['mangle', 'filter', 'security', 'nat'],
  forward: ['mangle', 'filter', 'security'],
  output: ['raw', 'mangle', 'nat', 'filter', 'security'],
  postrouting: ['mangle', 'nat'],
};

interface Base {
  table: FwTable;
  chain: FwChain;
}

function refOf(t: FwTable, r: FwRule): RuleRef {
  return {
    family: t.family,
    kind: t.kind,
    table: t.name,
    chain: r.chain,
    number: r.number,
    text: r.text,
    packets: r.packets,
    bytes: r.bytes,
    from: t.from,
  };
}

function policyRef(t: FwTable, c: FwChain): RuleRef {
  const p = c.base?.policy ?? 'accept';
  return {
    family: t.family,
    kind: t.kind,
    table: t.name,
    chain: c.name,
    number: 0,
    text: `policy ${p.toUpperCase()}`,
    packets: null,
    bytes: null,
    from: t.from,
  };
}

/** The base chains on a hook, lowest priority first; ties keep iptables' tables first, as they register first. */
export function baseChains(rs: Ruleset, hook: Hook): Base[] {
  const out: Base[] = [];
  for (const table of rs.tables) {
    if (!tableApplies(table, rs.family)) continue;
    for (const chain of table.chains.values()) if (chain.base?.hook === hook) out.push({ table, chain });
  }
  return out.sort((a, b) => (a.chain.base?.priority ?? 0) - (b.chain.base?.priority ?? 0));
}

type Outcome = { kind: 'accept' | 'drop' | 'return' } | { kind: 'reject'; with: string | null };

interface Walk {
  table: FwTable;
  packet: Packet;
  ctx: HookContext;
  assumptions: Assumptions;
  steps: Step[];
  rewrites: HookResult['rewrites'];
  natChain: boolean;
  last: RuleRef | null;
  depth: number;
}

const MAX_DEPTH = 64;

function firstAddress(range: string): string {
  const i = range.indexOf('-');
  return i > 0 && !range.includes(':') ? range.slice(0, i) : range;
}

function rewrite(w: Walk, a: Extract<Action, { to: unknown }>, ref: RuleRef): void {
  const p = w.packet;
  const before = a.kind === 'dnat' || a.kind === 'redirect' ? `${p.dst}:${p.dport}` : `${p.src}:${p.sport}`;
  if (a.kind === 'dnat' || a.kind === 'redirect') {
    const ip =
      a.kind === 'redirect'
        ? p.in === null
          ? p.family === 'ipv4'
            ? '127.0.0.1'
            : '::1'
          : w.ctx.primaryAddress(p.in, p.family)
        : a.to?.ip
          ? firstAddress(a.to.ip)
          : null;
    if (ip) p.dst = ip;
    if (a.to?.port) p.dport = a.to.port.from;
    p.dnat = true;
  } else {
    const ip = a.kind === 'masquerade' ? w.ctx.primaryAddress(p.out, p.family) : a.to?.ip ? firstAddress(a.to.ip) : null;
    if (ip) p.src = ip;
    if (a.to?.port) p.sport = a.to.port.from;
    p.snat = true;
  }
  const after = a.kind === 'dnat' || a.kind === 'redirect' ? `${p.dst}:${p.dport}` : `${p.src}:${p.sport}`;
  w.rewrites.push({ kind: a.kind, before, after, rule: ref });
}

function vmapCase(w: Walk, rule: FwRule, a: Extract<Action, { kind: 'vmap' }>): Action | null {
  if (a.cases === null) return { kind: 'unmodelled', target: `${a.key} vmap ${a.map} (its elements are not in the data)` };
  for (const [i, c] of a.cases.entries()) {
    const m = ruleMatches({ ...rule, conds: [c.when] }, w.packet, w.ctx);
    if (m === 'no') continue;
    if (m !== 'yes') {
      const key = `vmap:${w.table.family}/${w.table.name}/${rule.chain}/${rule.number}/${i}`;
      if (!assume(w.assumptions, { key, why: `${w.table.name} ${rule.chain} rule ${rule.number} (${rule.text}): ${m.unknown}` })) continue;
    }
    return c.action;
  }
  return null;
}

/**
 * A chain's rules by what a packet must carry for them to match at all: an exact destination port or
 * address. Docker writes one rule per publication and per container, so a chain of thousands holds a
 * handful a given packet can match; the walk visits only those, in order. Built once per chain.
 */
interface ChainIndex {
  byKey: Map<string, number[]>;
  always: number[];
  alwaysRules: FwRule[];
}

const INDEXES = new WeakMap<FwChain, ChainIndex>();

/** An exact IPv4 destination first (one container's), else an exact destination port (one publication's). */
function keyOf(rule: FwRule): string | null {
  // IPv4 only: an IPv6 address has many spellings, and a missed candidate would be a wrong verdict.
  for (const c of rule.conds)
    if (!c.negated && c.kind === 'address' && c.dir === 'dst' && /^\d+\.\d+\.\d+\.\d+$/.test(c.cidr)) return `d:${c.cidr}`;
  for (const c of rule.conds) {
    if (c.negated) continue;
    if (c.kind === 'port' && c.dir === 'dst' && c.ports.length === 1 && c.ports[0]?.from === c.ports[0]?.to) return `p:${c.ports[0]?.from}`;
  }
  return null;
}

function indexOf(chain: FwChain): ChainIndex {
  let ix = INDEXES.get(chain);
  if (ix) return ix;
  ix = { byKey: new Map(), always: [], alwaysRules: [] };
  for (const [i, rule] of chain.rules.entries()) {
    const key = keyOf(rule);
    if (key === null) {
      ix.always.push(i);
      ix.alwaysRules.push(rule);
    } else {
      const list = ix.byKey.get(key);
      if (list) list.push(i);
      else ix.byKey.set(key, [i]);
    }
  }
  INDEXES.set(chain, ix);
  return ix;
}

/** Two ascending lists of rule positions as one, without repeats. */
function merge(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i] ?? Number.POSITIVE_INFINITY;
    const y = b[j] ?? Number.POSITIVE_INFINITY;
    if (x <= y) {
      out.push(x);
      i += 1;
      if (x === y) j += 1;
    } else {
      out.push(y);
      j += 1;
    }
  }
  return out;
}

/** The rules of a chain this packet can match, in chain order. */
function candidates(chain: FwChain, p: Packet): FwRule[] {
  const ix = indexOf(chain);
  const byPort = ix.byKey.get(`p:${p.dport}`);
  const byDst = ix.byKey.get(`d:${p.dst}`);
  if (!byPort && !byDst) return ix.alwaysRules;
  let positions = ix.always;
  if (byPort) positions = merge(positions, byPort);
  if (byDst) positions = merge(positions, byDst);
  return positions.map((i) => chain.rules[i] as FwRule);
}

// Long on purpose: one rule's whole fate in chain order (continue, match or fork, then each action kind
// in its own case); split, the cases would pass the walk's state back and forth for no clarity.
function walkChain(w: Walk, chain: FwChain, stack: string[]): Outcome {
  if (w.depth > MAX_DEPTH || stack.includes(chain.name)) return { kind: 'return' };
  for (const rule of candidates(chain, w.packet)) {
    // LOG, counters and the like change nothing, whether they match or not.
    if (rule.action.kind === 'continue') continue;
    const m = ruleMatches(rule, w.packet, w.ctx);
    let assumedMatch: boolean | null = null;
    if (m === 'no') continue;
    if (m !== 'yes') {
      const key = `rule:${w.table.family}/${w.table.name}/${rule.chain}/${rule.number}`;
      assumedMatch = assume(w.assumptions, { key, why: `${w.table.name} ${rule.chain} rule ${rule.number} (${rule.text}): ${m.unknown}` });
      if (!assumedMatch) continue;
    }
    const ref = refOf(w.table, rule);
    let a = rule.action;
    if (a.kind === 'vmap') {
      // The verdict map's case for this packet is the rule's action; no case: the rule does not match.
      const chosen = vmapCase(w, rule, a);
      if (chosen === null) continue;
      a = chosen;
    }
    w.steps.push({ rule: ref, action: a.kind, assumedMatch, assumed: assumedOf(rule) });
    switch (a.kind) {
      case 'continue':
        continue;
      case 'mark':
        w.packet.mark = (w.packet.mark & ~a.mask) ^ a.value;
        continue;
      case 'accept':
      case 'drop':
        w.last = ref;
        return { kind: a.kind };
      case 'reject':
        w.last = ref;
        return { kind: 'reject', with: a.with };
      case 'return':
        return { kind: 'return' };
      case 'dnat':
      case 'snat':
      case 'masquerade':
      case 'redirect':
        rewrite(w, a, ref);
        // A NAT target ends the nat chain's walk for this packet, as ACCEPT would.
        w.last = ref;
        return { kind: 'accept' };
      case 'jump':
      case 'goto': {
        const target = w.table.chains.get(a.chain);
        if (target === undefined) {
          // A chain the data does not hold (a paste cut short): what it does cannot be told.
          const passes = assume(w.assumptions, {
            key: `chain:${w.table.family}/${w.table.name}/${a.chain}`,
            why: `${w.table.name} ${rule.chain} rule ${rule.number} jumps to ${a.chain}, which is not in the data`,
          });
          if (passes) continue;
          w.last = ref;
          return { kind: 'drop' };
        }
        w.depth += 1;
        const out = walkChain(w, target, [...stack, chain.name]);
        w.depth -= 1;
        if (out.kind !== 'return') return out;
        if (a.kind === 'goto') return { kind: 'return' };
        continue;
      }
      case 'vmap':
        continue;
      case 'unmodelled': {
        const key = `target:${w.table.family}/${w.table.name}/${rule.chain}/${rule.number}`;
        const passes = assume(w.assumptions, {
          key,
          why: `${w.table.name} ${rule.chain} rule ${rule.number} (${rule.text}) ends in ${a.target}, which docknet does not model`,
        });
        if (!passes) {
          w.last = ref;
          return { kind: 'drop' };
        }
        continue;
      }
    }
  }
  return { kind: 'return' };
}

/**
 * Walks `packet` (rewritten in place by NAT and marks) through every base chain on `hook`. nat chains see
 * a connection's first packet only. A table of the hook that is not in the data is a question (reach.ts).
 */
export function walkHook(rs: Ruleset, hook: Hook, packet: Packet, ctx: HookContext, assumptions: Assumptions): HookResult {
  for (const t of rs.unknownTables) {
    if (t !== 'legacy backend' && !IPTABLES_TABLES_ON[hook].includes(t)) continue;
    const passes = assume(assumptions, {
      key: `table:${rs.family}/${t}`,
      why: `the ${t === 'legacy backend' ? 'legacy-backend tables are' : `iptables ${t} table is`} not in the data`,
    });
    if (!passes) return { verdict: 'drop', decidedBy: null, rejectWith: null, steps: [], rewrites: [] };
  }
  const steps: Step[] = [];
  const rewrites: HookResult['rewrites'] = [];
  // An accepting rule decides over a policy that merely let the packet pass.
  let byRule: RuleRef | null = null;
  let byPolicy: RuleRef | null = null;
  for (const { table, chain } of baseChains(rs, hook)) {
    undoNat(packet, hook, chain.base?.priority ?? 0);
    const nat = chain.base?.type === 'nat';
    if (nat && packet.ctstate !== 'NEW') continue;
    const w: Walk = { table, packet, ctx, assumptions, steps, rewrites, natChain: nat, last: null, depth: 0 };
    const out = walkChain(w, chain, []);
    if (out.kind === 'drop' || out.kind === 'reject') {
      return { verdict: out.kind, decidedBy: w.last, rejectWith: out.kind === 'reject' ? out.with : null, steps, rewrites };
    }
    if (out.kind === 'return') {
      const ref = policyRef(table, chain);
      // An empty chain that accepts says nothing worth a step.
      if (chain.rules.length > 0 || chain.base?.policy === 'drop')
        steps.push({ rule: ref, action: 'policy', assumedMatch: null, assumed: [] });
      if (chain.base?.policy === 'drop') return { verdict: 'drop', decidedBy: ref, rejectWith: null, steps, rewrites };
      if (!nat) byPolicy = ref;
    } else if (!nat) byRule = w.last;
  }
  undoNat(packet, hook, Number.POSITIVE_INFINITY);
  return { verdict: 'accept', decidedBy: byRule ?? byPolicy, rejectWith: null, steps, rewrites };
}

/** conntrack's own rewrite of a reply (Packet.unnat), made where the hook's nat priority is reached. */
function undoNat(p: Packet, hook: Hook, priority: number): void {
  const u = p.unnat;
  if (u === null) return;
  if (u.dst && (hook === 'prerouting' || hook === 'output') && priority >= -100) {
    p.dst = u.dst.ip;
    p.dport = u.dst.port;
    p.unnat = { ...u, dst: null };
  }
  if (u.src && (hook === 'postrouting' || hook === 'input') && priority >= 100) {
    p.src = u.src.ip;
    p.sport = u.src.port;
    p.unnat = { ...(p.unnat ?? u), src: null };
  }
}
