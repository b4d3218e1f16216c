// iptables rules (iptables-save, `iptables -S`) in the firewall model's vocabulary: the standard
// columns the rule parser read, and the extension matches and target options of its option words.
import {
  type Action,
  type BaseChain,
  type Cond,
  type FwChain,
  type FwRule,
  type FwTable,
  IPTABLES_HOOKS,
  iptablesPriority,
} from '../model/firewall.js';
import { type NatRule, type NatTable, parsePortRange, type PortRange } from '../model/nat-rule.js';
import { words } from './iptables-rule.js';

/** One option of a rule's words: `--ctstate RELATED,ESTABLISHED`, negated or not, in the module that defines it. */
interface Option {
  module: string | null;
  name: string;
  args: string[];
  negated: boolean;
  text: string;
}

/** Extension options in order, with the module (`-m NAME`, or the target after -j) they belong to. */
function optionsOf(matches: string): { options: Option[]; target: Option[]; goto: boolean } {
  const ws = words(matches);
  const out = { options: [] as Option[], target: [] as Option[], goto: false };
  if (typeof ws === 'string') return out;
  let module: string | null = null;
  let inTarget = false;
  let negated = false;
  for (let i = 0; i < ws.length; i += 1) {
    const w = ws[i]?.value ?? '';
    if (w === '!') {
      negated = true;
      continue;
    }
    if (w === '-m' || w === '--match') {
      module = ws[++i]?.value ?? null;
      negated = false;
      continue;
    }
    if (w === '-j' || w === '--jump' || w === '-g' || w === '--goto') {
      out.goto = w === '-g' || w === '--goto';
      module = ws[++i]?.value ?? null;
      inTarget = true;
      negated = false;
      continue;
    }
    if (!w.startsWith('-')) continue;
    const args: string[] = [];
    const raws: string[] = [ws[i]?.raw ?? w];
    while (i + 1 < ws.length && !(ws[i + 1]?.value ?? '-').startsWith('-') && ws[i + 1]?.value !== '!') {
      i += 1;
      args.push(ws[i]?.value ?? '');
      raws.push(ws[i]?.raw ?? '');
    }
    const o = { module, name: w, args, negated, text: `${negated ? '! ' : ''}${module ? `-m ${module} ` : ''}${raws.join(' ')}` };
    (inTarget ? out.target : out.options).push(o);
    negated = false;
  }
  return out;
}

function portList(s: string): PortRange[] | null {
  const out: PortRange[] = [];
  for (const part of s.split(',')) {
    const r = parsePortRange(part);
    if (r === null) return null;
    out.push(r);
  }
  return out;
}

/** `0x1/0xffffffff`, `0x4000`, `16`: a mark and its mask. */
export function markOf(s: string): { value: number; mask: number } | null {
  const [v, m] = s.split('/');
  const value = Number(v);
  const mask = m === undefined ? 0xffffffff : Number(m);
  if (!Number.isInteger(value) || !Number.isInteger(mask) || value < 0 || mask < 0 || value > 0xffffffff || mask > 0xffffffff) return null;
  return { value, mask };
}

const ASSUMED_MODULES: Readonly<Record<string, string>> = {
  limit: 'a rate limit, taken as not yet reached',
  hashlimit: 'a rate limit, taken as not yet reached',
  recent: 'a list of recent sources, taken as matching',
  connlimit: 'a connection-count limit, taken as not yet reached',
};

/** One extension option as a condition; null for options that never change what matches (comments, ports read already). */
function condOf(o: Option): Cond | null {
  const neg = o.negated;
  const arg = o.args[0] ?? '';
  const unmodelled: Cond = { kind: 'unmodelled', text: o.text, negated: false };
  if (o.module === 'comment') return null;
  if (
    (o.name === '--dport' || o.name === '--sport' || o.name === '--destination-port' || o.name === '--source-port') &&
    o.module !== 'multiport'
  )
    return null;
  // `--hashlimit-above`, `--connlimit-above`: match only past the limit, which a first connection is not.
  if (o.module && ASSUMED_MODULES[o.module])
    return { kind: 'assumed', text: o.text, why: ASSUMED_MODULES[o.module] ?? '', negated: /-above$/.test(o.name) };
  switch (o.name) {
    case '--ctstate':
    case '--state':
      return { kind: 'ctstate', states: arg.toUpperCase().split(','), negated: neg };
    case '--dst-type':
    case '--src-type':
      return { kind: 'addrtype', dir: o.name === '--dst-type' ? 'dst' : 'src', types: arg.toUpperCase().split(','), negated: neg };
    case '--dports':
    case '--sports':
    case '--ports':
    case '--destination-ports':
    case '--source-ports': {
      const ports = portList(arg);
      if (ports === null) return unmodelled;
      const dir = o.name.startsWith('--d') ? 'dst' : o.name.startsWith('--s') ? 'src' : 'any';
      return { kind: 'port', dir, ports, negated: neg };
    }
    case '--mark': {
      const m = markOf(arg);
      return m ? { kind: 'mark', ...m, negated: neg } : unmodelled;
    }
    case '--syn':
      return { kind: 'tcp-syn', negated: neg };
    case '--tcp-flags':
      // The first packet of a connection: SYN set, ACK, RST and FIN clear.
      if ((o.args[1] ?? '').toUpperCase() === 'SYN' && /SYN/i.test(arg) && /ACK/i.test(arg)) return { kind: 'tcp-syn', negated: neg };
      return unmodelled;
    case '--match-set': {
      const dirs = (o.args[1] ?? '').split(',').filter((d): d is 'src' | 'dst' => d === 'src' || d === 'dst');
      return { kind: 'set', name: arg, dirs, negated: neg };
    }
    case '--src-range':
    case '--dst-range': {
      const [from, to] = arg.split('-');
      if (from === undefined || to === undefined) return unmodelled;
      return { kind: 'address-range', dir: o.name === '--src-range' ? 'src' : 'dst', from, to, negated: neg };
    }
    case '--pkt-type':
      // The packets docknet walks are unicast.
      return { kind: 'addrtype', dir: 'dst', types: [arg.toUpperCase()], negated: neg };
    default:
      return unmodelled;
  }
}

const CONTINUING_TARGETS = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'TCPMSS', 'DSCP', 'TOS', 'CLASSIFY', 'CHECKSUM', 'AUDIT']);

/** What a target's options say, as each iptables format writes them (save words, or `-L` free text). */
export interface TargetOptions {
  rejectWith: string | null;
  /** MARK's --set-xmark/--set-mark, read; null when absent or unreadable. */
  mark: { value: number; mask: number } | null;
  /** How an unreadable MARK is named in the model. */
  markText: string;
}

/** An iptables target as the model's action: the one mapping iptables-save, -S and -L listings share. */
export function targetAction(
  r: Pick<NatRule, 'target' | 'dnatTo' | 'snatTo'>,
  o: TargetOptions,
  goto: boolean,
  chains: ReadonlySet<string>,
): Action {
  const t = r.target;
  switch (t) {
    case '':
      return { kind: 'continue' };
    case 'ACCEPT':
      return { kind: 'accept' };
    case 'DROP':
      return { kind: 'drop' };
    case 'RETURN':
      return { kind: 'return' };
    case 'REJECT':
      return { kind: 'reject', with: o.rejectWith };
    case 'DNAT':
      return { kind: 'dnat', to: r.dnatTo };
    case 'REDIRECT':
      return { kind: 'redirect', to: r.dnatTo };
    case 'SNAT':
      return { kind: 'snat', to: r.snatTo };
    case 'MASQUERADE':
      return { kind: 'masquerade', to: r.snatTo };
    case 'MARK':
      return o.mark ? { kind: 'mark', ...o.mark } : { kind: 'unmodelled', target: o.markText };
    default:
      if (CONTINUING_TARGETS.has(t)) return { kind: 'continue' };
      if (chains.has(t)) return { kind: goto ? 'goto' : 'jump', chain: t };
      return { kind: 'unmodelled', target: t };
  }
}

function actionOf(r: NatRule, target: Option[], goto: boolean, chains: ReadonlySet<string>): Action {
  const opt = (name: string) => target.find((o) => o.name === name)?.args[0] ?? null;
  const set = opt('--set-xmark') ?? opt('--set-mark');
  return targetAction(r, { rejectWith: opt('--reject-with'), mark: set === null ? null : markOf(set), markText: r.target }, goto, chains);
}

/** The standard columns as conditions. */
export function standardConds(r: NatRule): Cond[] {
  const out: Cond[] = [];
  if (r.protocol !== null && r.protocol !== 'all') out.push({ kind: 'protocol', protocol: r.protocol, negated: r.protocolNegated });
  if (r.source !== null) out.push({ kind: 'address', dir: 'src', cidr: r.source, negated: r.sourceNegated });
  if (r.destination !== null) out.push({ kind: 'address', dir: 'dst', cidr: r.destination, negated: r.destinationNegated });
  if (r.inInterface !== null) out.push({ kind: 'interface', dir: 'in', name: r.inInterface, negated: r.inNegated });
  if (r.outInterface !== null) out.push({ kind: 'interface', dir: 'out', name: r.outInterface, negated: r.outNegated });
  if (r.dport !== null) out.push({ kind: 'port', dir: 'dst', ports: [r.dport], negated: r.dportNegated });
  if (r.sport !== null) out.push({ kind: 'port', dir: 'src', ports: [r.sport], negated: r.sportNegated });
  return out;
}

/** iptables-save -c writes each rule's counters before it (`[12:720] -A ...`); the model holds them apart. */
function withoutCounters(text: string): string {
  return text.replace(/^\[\d+:\d+\]\s+/, '');
}

/** One rule of iptables-save or `iptables -S`. */
export function fwRuleFromOptions(r: NatRule, chains: ReadonlySet<string>): FwRule {
  const { options, target, goto } = optionsOf(r.matches);
  const conds = standardConds(r);
  for (const o of options) {
    const c = condOf(o);
    if (c !== null) conds.push(c);
  }
  return {
    table: r.table,
    chain: r.chain,
    number: r.number,
    conds,
    action: actionOf(r, target, goto, chains),
    text: withoutCounters(r.text),
    packets: r.packets,
    bytes: r.bytes,
  };
}

/** A built-in chain's hook, priority and policy; null for user chains and chains not on a hook of this table. */
export function iptablesBase(table: string, chain: string, policy: string | null): BaseChain | null {
  const hook = IPTABLES_HOOKS[chain];
  if (hook === undefined) return null;
  const priority = iptablesPriority(table, hook);
  if (priority === null) return null;
  return { hook, priority, type: table === 'nat' ? 'nat' : 'filter', policy: policy === 'DROP' ? 'drop' : 'accept' };
}

/** An iptables table (from iptables-save or -S) in the model: `rule` turns each rule into the model's. */
export function fwTableFromIptables(t: NatTable, from: string, rule = fwRuleFromOptions): FwTable {
  const names = new Set(t.chains.map((c) => c.name));
  const chains = new Map<string, FwChain>();
  for (const c of t.chains) chains.set(c.name, { name: c.name, base: iptablesBase(t.name, c.name, c.policy), rules: [] });
  for (const r of [...t.rules].sort((a, b) => a.number - b.number)) {
    let chain = chains.get(r.chain);
    if (chain === undefined) {
      chain = { name: r.chain, base: iptablesBase(t.name, r.chain, null), rules: [] };
      chains.set(r.chain, chain);
    }
    chain.rules.push(rule(r, names));
  }
  return { family: t.family === 'ipv6' ? 'ip6' : 'ip', name: t.name, kind: 'iptables', from, chains };
}
