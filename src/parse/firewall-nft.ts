// nftables tables (`nft -j list ruleset`, or its text) in the firewall model's vocabulary: each rule's
// statements, in the nft JSON form both parsers give, read into conditions and one action. A statement
// docknet does not model becomes an `unmodelled` condition (or action) with its text, never nothing.
import type { Action, BaseChain, Cond, FwChain, FwRule, FwTable, Hook, IpFamily } from '../model/firewall.js';
import type { NatRule, NatSet, NatTable } from '../model/nat-rule.js';
import { standardConds } from './firewall-iptables.js';
import {
  type Element,
  elementsOf,
  exprText,
  keyOf,
  matchText,
  type NftContext,
  numberOf,
  quotesValues,
  unmodelled,
  valueCond,
} from './firewall-nft-match.js';
import { isObj, type Json, kindOf, renderExpr, renderStatement, str } from './nft-print.js';
import { natAddress, portRange } from './nft-rule-fields.js';

export type { NftContext } from './firewall-nft-match.js';

/** A statement as nft prints it; the text parser keeps the words of statements it only spans (`limit rate 10/second`). */
function statementText(kind: string, v: unknown): string {
  if (Array.isArray(v) && v.every((w) => typeof w === 'string')) return v.join(' ');
  return renderStatement(kind, v).text;
}

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

function jumpTo(kind: 'jump' | 'goto', target: unknown, ctx: NftContext): Action {
  if (typeof target !== 'string' || target === '') return { kind: 'unmodelled', target: kind };
  // A chain the data does not hold (a paste that left it out) cannot be followed.
  return ctx.chains.has(target) ? { kind, chain: target } : { kind: 'unmodelled', target: `${kind} ${target} (chain not in the data)` };
}

const SIMPLE: Readonly<Record<string, Action>> = {
  accept: { kind: 'accept' },
  drop: { kind: 'drop' },
  return: { kind: 'return' },
  continue: { kind: 'continue' },
};

/** A verdict as a map's value holds it: JSON `{"jump": {"target": "x"}}` or `{"accept": null}`, text `jump x`, `accept`. */
function verdictValue(v: unknown, ctx: NftContext): Action | null {
  if (typeof v === 'string') {
    const [word, target, ...rest] = v.trim().split(/\s+/);
    if (word === undefined || rest.length > 0) return null;
    if ((word === 'jump' || word === 'goto') && target !== undefined) return jumpTo(word, target, ctx);
    return target === undefined ? (SIMPLE[word] ?? null) : null;
  }
  if (!isObj(v)) return null;
  const kind = kindOf(v);
  if (kind === 'jump' || kind === 'goto') return jumpTo(kind, isObj(v[kind]) ? (v[kind] as Json).target : undefined, ctx);
  return kind !== null ? (SIMPLE[kind] ?? null) : null;
}

// nft's ICMP reject types in iptables' words (iptables-extensions REJECT), so that both sources read alike.
const REJECT_ICMP: Readonly<Record<string, string>> = {
  'net-unreachable': 'icmp-net-unreachable',
  'host-unreachable': 'icmp-host-unreachable',
  'prot-unreachable': 'icmp-proto-unreachable',
  'port-unreachable': 'icmp-port-unreachable',
  'net-prohibited': 'icmp-net-prohibited',
  'host-prohibited': 'icmp-host-prohibited',
  'admin-prohibited': 'icmp-admin-prohibited',
};
const REJECT_ICMPV6: Readonly<Record<string, string>> = {
  'no-route': 'icmp6-no-route',
  'admin-prohibited': 'icmp6-adm-prohibited',
  'addr-unreachable': 'icmp6-addr-unreachable',
  'port-unreachable': 'icmp6-port-unreachable',
  'policy-fail': 'icmp6-policy-fail',
  'reject-route': 'icmp6-reject-route',
};

/** `reject`, `reject with tcp reset`, `reject with icmp type host-prohibited`, `reject with icmpx admin-prohibited`. */
function rejectOf(v: unknown): Action {
  if (!isObj(v)) return { kind: 'reject', with: null };
  const type = str(v.type);
  const expr = typeof v.expr === 'string' ? v.expr : typeof v.expr === 'number' ? String(v.expr) : null;
  if (type === 'tcp reset') return { kind: 'reject', with: 'tcp-reset' };
  if (type === 'icmp' && expr !== null) return { kind: 'reject', with: REJECT_ICMP[expr] ?? `icmp-${expr}` };
  if (type === 'icmpv6' && expr !== null) return { kind: 'reject', with: REJECT_ICMPV6[expr] ?? `icmp6-${expr}` };
  // icmpx: the inet family's type, sent as ICMP or ICMPv6 by the packet's family.
  if (type === 'icmpx' && expr !== null) return { kind: 'reject', with: `icmpx-${expr}` };
  return { kind: 'reject', with: type === null ? null : [type, expr].filter(Boolean).join(' ') };
}

// iptables targets an iptables-nft rule keeps as `xt target "NAME"` in nft's listing, with what they do.
const XT_TARGETS: Readonly<Record<string, Action>> = {
  ACCEPT: { kind: 'accept' },
  DROP: { kind: 'drop' },
  RETURN: { kind: 'return' },
  // nft cannot show an xt target's options: the address is in iptables-save (--to-destination), not here.
  DNAT: { kind: 'dnat', to: null },
  SNAT: { kind: 'snat', to: null },
  MASQUERADE: { kind: 'masquerade', to: null },
  REDIRECT: { kind: 'redirect', to: null },
  REJECT: { kind: 'reject', with: null },
};
// xt matches whose options nft cannot show, but whose kind alone says what to take them as: limit has no
// inverted form (recent, hashlimit and connlimit have: `! --rcheck`, `--hashlimit-above`, so they stay unmodelled).
const XT_ASSUMED: Readonly<Record<string, string>> = { limit: 'a rate limit, taken as not yet reached' };
const XT_CONTINUING = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'TCPMSS', 'DSCP', 'TOS', 'CLASSIFY', 'CHECKSUM', 'AUDIT']);

/** A statement that ends the rule with a verdict or a NAT rewrite; null when the kind is none. */
function verdictStatement(kind: string, v: unknown, ctx: NftContext): Action | null {
  switch (kind) {
    case 'accept':
    case 'drop':
    case 'return':
    case 'continue':
      return SIMPLE[kind] ?? null;
    case 'jump':
    case 'goto':
      return jumpTo(kind, isObj(v) ? v.target : undefined, ctx);
    case 'reject':
      return rejectOf(v);
    case 'dnat':
      return { kind: 'dnat', to: natAddress(v) };
    case 'snat':
      return { kind: 'snat', to: natAddress(v) };
    case 'masquerade':
    case 'redirect': {
      const port = isObj(v) && v.port !== undefined ? portRange(v.port) : null;
      return { kind, to: port === null ? null : { ip: null, port } };
    }
    case 'queue':
    case 'fwd':
    case 'tproxy':
    case 'synproxy':
      // The packet goes to userspace, another device or a local socket: where it ends is not in the rules.
      return { kind: 'unmodelled', target: statementText(kind, v) };
    default:
      return null;
  }
}

/** A vmap statement: the verdict chosen by the key's value, case by case. */
function vmapOf(v: unknown, ctx: NftContext): { deps: Cond[]; action: Action } {
  if (!isObj(v)) return { deps: [], action: { kind: 'unmodelled', target: 'vmap' } };
  const text = statementText('vmap', v);
  const k = keyOf(v.key, ctx);
  if (k === null) return { deps: [], action: { kind: 'unmodelled', target: text } };
  const quote = quotesValues(v.key);
  const data = v.data;
  const caseOf = (key: unknown, value: unknown): { when: Cond; action: Action } => ({
    when: k.one(key) ?? unmodelled(`${exprText(k.left)} ${renderExpr(key, quote)}`),
    action: verdictValue(value, ctx) ?? { kind: 'unmodelled', target: typeof value === 'string' ? value : renderExpr(value) },
  });
  let name: string;
  let cases: { when: Cond; action: Action }[] | null;
  if (typeof data === 'string' && data.startsWith('@')) {
    name = data;
    const elements: Element[] | null = elementsOf(ctx, data.slice(1));
    cases = elements === null ? null : elements.map((e) => caseOf(e.key, e.value));
  } else if (isObj(data) && Array.isArray(data.set)) {
    name = renderExpr(data, quote);
    cases = data.set.map((el) => (Array.isArray(el) && el.length === 2 ? caseOf(el[0], el[1]) : caseOf(el, null)));
  } else return { deps: [], action: { kind: 'unmodelled', target: text } };
  return { deps: k.deps, action: { kind: 'vmap', key: exprText(v.key), map: name, cases } };
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
  const conds: Cond[] = [];
  const writes: { text: string; mark: { value: number; mask: number } | null }[] = [];
  let matchAfterWrite = false;
  let verdict: Action | null = null;
  // The verdict's statement, printed only when a write beside it makes the action unmodelled.
  let verdictOf: { kind: string; value: unknown } | null = null;
  for (const s of r.statements) {
    // Nothing after a verdict runs (nft does not even load such a rule).
    if (verdict !== null) break;
    const v = s.value;
    switch (s.kind) {
      case 'match': {
        if (!isObj(v)) {
          conds.push(unmodelled(JSON.stringify(v) ?? 'match'));
          break;
        }
        if (writes.length > 0) matchAfterWrite = true;
        push(conds, matchConds(v, ctx));
        break;
      }
      case 'unknown':
        conds.push(unmodelled(typeof v === 'string' ? v : JSON.stringify(v)));
        break;
      case 'limit':
      case 'meter':
      case 'quota':
      case 'ct count':
        conds.push(assumedOf(s.kind, v, statementText(s.kind, v)));
        break;
      case 'mangle': {
        const m = mangleOf(v);
        if (m === 'harmless') break;
        writes.push({ text: statementText('mangle', v), mark: m });
        break;
      }
      case 'notrack':
        // The connection is not tracked: no NAT, and ctstate UNTRACKED in later chains.
        writes.push({ text: 'notrack', mark: null });
        break;
      case 'xt': {
        const name = isObj(v) ? str(v.name) : null;
        const text = statementText('xt', v);
        if (isObj(v) && v.type === 'match' && name !== null && XT_ASSUMED[name] !== undefined)
          conds.push({ kind: 'assumed', text, why: XT_ASSUMED[name] ?? '', negated: false });
        else if (isObj(v) && v.type === 'match' && name === 'comment') break;
        else if (!isObj(v) || v.type !== 'target') conds.push(unmodelled(text));
        else if (name !== null && XT_CONTINUING.has(name)) break;
        else {
          verdict = (name !== null ? XT_TARGETS[name] : undefined) ?? { kind: 'unmodelled', target: text };
          verdictOf = s;
        }
        break;
      }
      case 'vmap': {
        const { deps, action } = vmapOf(v, ctx);
        push(conds, deps);
        verdict = action;
        verdictOf = s;
        break;
      }
      default: {
        if (PASSING.has(s.kind)) break;
        const a = verdictStatement(s.kind, v, ctx);
        // `dnat ip to ...` in an inet table applies to IPv4 packets only (nft adds that match itself).
        const natFamily = isObj(v) && (s.kind === 'dnat' || s.kind === 'snat') && ctx.family === 'inet' ? familyOf(v.family) : null;
        if (natFamily !== null) push(conds, [{ kind: 'family', family: natFamily, negated: false }]);
        if (a !== null) {
          verdict = a;
          verdictOf = s;
        } else {
          // A statement of a kind docknet does not know: it may match or decide, so it is a condition not modelled.
          conds.push(unmodelled(statementText(s.kind, v)));
        }
      }
    }
  }
  if (writes.length === 0) return out(conds, verdict ?? { kind: 'continue' });
  const [only] = writes;
  if (writes.length === 1 && only?.mark && verdict === null && !matchAfterWrite) return out(conds, { kind: 'mark', ...only.mark });
  return out(conds, {
    kind: 'unmodelled',
    target: [...writes.map((w) => w.text), verdictOf ? statementText(verdictOf.kind, verdictOf.value) : ''].filter(Boolean).join(' '),
  });
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
