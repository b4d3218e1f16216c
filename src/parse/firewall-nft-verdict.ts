// The verdicts of nftables rules in the firewall model: accept, drop, jumps to chains the data holds,
// reject types in iptables' words, NAT rewrites, verdict maps, and iptables targets kept as `xt`.
import type { Action, Cond } from '../model/firewall.js';
import { targetAction } from './firewall-iptables.js';
import { type Element, elementsOf, exprText, keyOf, type NftContext, quotesValues, unmodelled } from './firewall-nft-match.js';
import { isObj, type Json, kindOf, renderExpr, renderStatement, str } from './nft-print.js';
import { natAddress, portRange } from './nft-rule-fields.js';

/** A statement as nft prints it; the text parser keeps the words of statements it only spans (`limit rate 10/second`). */
export function statementText(kind: string, v: unknown): string {
  if (Array.isArray(v) && v.every((w) => typeof w === 'string')) return v.join(' ');
  return renderStatement(kind, v).text;
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

/** A statement that ends the rule with a verdict or a NAT rewrite; null when the kind is none. */
export function verdictStatement(kind: string, v: unknown, ctx: NftContext): Action | null {
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
export function vmapOf(v: unknown, ctx: NftContext): { deps: Cond[]; action: Action } {
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

// xt matches whose options nft cannot show, but whose kind alone says what to take them as: limit has no
// inverted form (recent, hashlimit and connlimit have: `! --rcheck`, `--hashlimit-above`, so they stay unmodelled).
const XT_ASSUMED: Readonly<Record<string, string>> = { limit: 'a rate limit, taken as not yet reached' };
const NO_CHAINS: ReadonlySet<string> = new Set();

/**
 * An `xt` statement (an iptables match or target iptables-nft keeps as it is): a condition, the
 * rule's verdict, or nothing (a comment, a target that lets the packet go on). Targets read as
 * iptables' own do (targetAction), except that nft cannot show their options: a DNAT's address is in
 * iptables-save (--to-destination), not here, and a jump is never an xt target.
 */
export function xtStatement(v: unknown): { cond: Cond } | { verdict: Action } | null {
  const name = isObj(v) ? str(v.name) : null;
  const text = statementText('xt', v);
  if (isObj(v) && v.type === 'match' && name !== null && XT_ASSUMED[name] !== undefined)
    return { cond: { kind: 'assumed', text, why: XT_ASSUMED[name] ?? '', negated: false } };
  if (isObj(v) && v.type === 'match' && name === 'comment') return null;
  if (!isObj(v) || v.type !== 'target') return { cond: unmodelled(text) };
  if (name === null || name === '') return { verdict: { kind: 'unmodelled', target: text } };
  const action = targetAction(
    { target: name, dnatTo: null, snatTo: null },
    { rejectWith: null, mark: null, markText: text },
    false,
    NO_CHAINS,
  );
  if (action.kind === 'continue') return null;
  return { verdict: action.kind === 'unmodelled' ? { kind: 'unmodelled', target: text } : action };
}
