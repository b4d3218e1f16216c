// nftables-native tables (`nft -j list ruleset`, or its text) in the firewall model's vocabulary.
import type { Action, BaseChain, Cond, FwChain, FwRule, FwTable, Hook } from '../model/firewall.js';
import type { NatRule, NatTable } from '../model/nat-rule.js';
import { standardConds } from './firewall-iptables.js';

const HOOKS: ReadonlySet<string> = new Set(['prerouting', 'input', 'forward', 'output', 'postrouting']);

function base(c: NatTable['chains'][number]): BaseChain | null {
  if (c.hook === null || !HOOKS.has(c.hook)) return null;
  const type = c.type === 'nat' ? 'nat' : c.type === 'route' ? 'route' : 'filter';
  return { hook: c.hook as Hook, priority: c.priority ?? 0, type, policy: c.policy === 'DROP' ? 'drop' : 'accept' };
}

function actionOf(r: NatRule, chains: ReadonlySet<string>): Action {
  switch (r.target) {
    case '':
      return { kind: 'continue' };
    case 'ACCEPT':
      return { kind: 'accept' };
    case 'DROP':
      return { kind: 'drop' };
    case 'RETURN':
      return { kind: 'return' };
    case 'DNAT':
      return { kind: 'dnat', to: r.dnatTo };
    case 'SNAT':
      return { kind: 'snat', to: r.snatTo };
    case 'MASQUERADE':
      return { kind: 'masquerade', to: r.snatTo };
    case 'REDIRECT':
      return { kind: 'redirect', to: r.dnatTo };
    default: {
      if (chains.has(r.target)) {
        const goto = r.statements?.some((s) => s.kind === 'goto') ?? false;
        return { kind: goto ? 'goto' : 'jump', chain: r.target };
      }
      return { kind: 'unmodelled', target: r.target };
    }
  }
}

/**
 * One nftables rule. This first reading knows only the fields every rule parser fills (interfaces,
 * addresses, protocol, ports, verdicts, NAT): a rule with any other statement carries it as an
 * unmodelled condition, so a verdict that depends on it is unknown rather than guessed.
 */
export function fwRuleFromNft(r: NatRule, chains: ReadonlySet<string>): FwRule {
  const conds: Cond[] = standardConds(r);
  const other = (r.statements ?? []).filter(
    (s) => !['counter', 'accept', 'drop', 'return', 'jump', 'goto', 'dnat', 'snat', 'masquerade', 'redirect'].includes(s.kind),
  );
  if (other.length > 0 || r.statements === undefined) conds.push({ kind: 'unmodelled', text: r.matches || r.text, negated: false });
  return {
    table: r.table,
    chain: r.chain,
    number: r.number,
    conds,
    action: actionOf(r, chains),
    text: r.text,
    packets: r.packets,
    bytes: r.bytes,
  };
}

export function fwTableFromNft(t: NatTable, from: string): FwTable | null {
  const family = t.family === 'ipv4' ? 'ip' : t.family === 'ipv6' ? 'ip6' : t.family === 'inet' ? 'inet' : null;
  if (family === null) return null;
  const names = new Set(t.chains.map((c) => c.name));
  const chains = new Map<string, FwChain>();
  for (const c of t.chains) chains.set(c.name, { name: c.name, base: base(c), rules: [] });
  for (const r of [...t.rules].sort((a, b) => a.number - b.number)) {
    let chain = chains.get(r.chain);
    if (chain === undefined) {
      chain = { name: r.chain, base: null, rules: [] };
      chains.set(r.chain, chain);
    }
    chain.rules.push(fwRuleFromNft(r, names));
  }
  return { family, name: t.name, kind: 'nftables', from, chains };
}
