// One iptables rule as `iptables-save` and `iptables -S` write it (`-A CHAIN -s ... -j DNAT ...`), and the
// chain declarations of both (`-N CHAIN`, `-P CHAIN POLICY`): the rule reading the two parsers share.

import {
  blankChain,
  blankRule,
  type NatAddress,
  type NatChain,
  type NatTable,
  normaliseAddress,
  normaliseProtocol,
  parseNatAddress,
  parsePortRange,
} from '../model/nat-rule.js';
import { issue, type ParseIssue } from '../model/parsed.js';
import { exactCount } from './numbers.js';

/** A counter past 2^53 would be rounded by a JavaScript number: unknown, and said. */
export const TOO_LARGE = 'a counter too large to hold exactly: left unknown';

/** A word of a rule line: its value with quotes removed, and its text as written. */
export interface Word {
  value: string;
  raw: string;
}

export type RuleOptions = ReturnType<typeof blankRule>;

/** Splits a rule the way iptables-restore does: "double quotes" group, \" and \\ escape inside them. */
export function words(line: string): Word[] | string {
  const out: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i] as string)) i += 1;
    if (i >= line.length) break;
    const start = i;
    let value = '';
    while (i < line.length && !/\s/.test(line[i] as string)) {
      const c = line[i] as string;
      if (c !== '"' && c !== "'") {
        value += c;
        i += 1;
        continue;
      }
      const quote = c;
      i += 1;
      let closed = false;
      while (i < line.length) {
        const d = line[i] as string;
        if (d === '\\' && quote === '"' && i + 1 < line.length) {
          value += line[i + 1];
          i += 2;
          continue;
        }
        i += 1;
        if (d === quote) {
          closed = true;
          break;
        }
        value += d;
      }
      if (!closed) return 'unterminated quote';
    }
    out.push({ value, raw: line.slice(start, i) });
  }
  return out;
}

/** Reading state: the words, where we are, and the rule being filled. */
interface Cursor {
  ws: Word[];
  i: number;
  r: RuleOptions;
  rest: string[];
  lineNo: number;
  text: string;
  issues: ParseIssue[];
}

function arg(c: Cursor): Word | undefined {
  c.i += 1;
  return c.ws[c.i];
}

/**
 * The standard columns: -s, -d, -i, -o, -p and `-c PKTS BYTES` (iptables -S -v). True when the word was one
 * of them; a reason string when its argument is missing.
 */
function standardOption(c: Cursor, opt: string, neg: boolean): boolean | string {
  const r = c.r;
  switch (opt) {
    case '-s':
    case '--source':
    case '--src':
    case '-d':
    case '--destination':
    case '--dst': {
      const a = arg(c);
      if (a === undefined) return `${opt} without an address`;
      if (opt.startsWith('-s') || opt.startsWith('--s')) [r.source, r.sourceNegated] = [normaliseAddress(a.value), neg];
      else [r.destination, r.destinationNegated] = [normaliseAddress(a.value), neg];
      return true;
    }
    case '-i':
    case '--in-interface':
    case '-o':
    case '--out-interface': {
      const a = arg(c);
      if (a === undefined) return `${opt} without an interface`;
      if (opt === '-i' || opt === '--in-interface') [r.inInterface, r.inNegated] = [a.value, neg];
      else [r.outInterface, r.outNegated] = [a.value, neg];
      return true;
    }
    case '-p':
    case '--protocol': {
      const a = arg(c);
      if (a === undefined) return `${opt} without a protocol`;
      [r.protocol, r.protocolNegated] = [normaliseProtocol(a.value), neg];
      return true;
    }
    case '-c':
    case '--set-counters': {
      const p = arg(c);
      const b = arg(c);
      if (p === undefined || b === undefined || !/^\d+$/.test(p.value) || !/^\d+$/.test(b.value)) return '-c without two counters';
      [r.packets, r.bytes] = [exactCount(p.value), exactCount(b.value)];
      if (r.packets === null || r.bytes === null) c.issues.push(issue(c.lineNo, c.text, TOO_LARGE));
      return true;
    }
    default:
      return false;
  }
}

/** Options kept in `matches` whose argument docknet also reads: targets, ports, comments, NAT addresses. */
function extensionOption(c: Cursor, opt: string, neg: boolean): string | null {
  const r = c.r;
  const needs = ['-j', '--jump', '-g', '--goto', '--dport', '--destination-port', '--sport', '--source-port', '--comment'];
  const nat = ['--to-destination', '--to-source', '--to-ports', '--to'];
  if (!needs.includes(opt) && !nat.includes(opt)) return null;
  const a = arg(c);
  if (a === undefined) {
    if (opt === '--comment') return '--comment without text';
    return `${opt} without ${nat.includes(opt) ? 'an address' : opt.includes('port') ? 'a port' : 'a target'}`;
  }
  c.rest.push(a.raw);
  if (opt === '-j' || opt === '--jump' || opt === '-g' || opt === '--goto') r.target = a.value;
  else if (opt === '--comment') r.comment ??= a.value;
  else if (!nat.includes(opt)) {
    const range = parsePortRange(a.value);
    if (range === null) c.issues.push(issue(c.lineNo, c.text, `cannot read the port "${a.value}" of ${opt}`));
    if (opt.startsWith('--d')) [r.dport, r.dportNegated] = [range, neg];
    else [r.sport, r.sportNegated] = [range, neg];
  } else {
    const addr: NatAddress | null = opt === '--to-ports' ? portsOnly(a.value) : parseNatAddress(a.value);
    if (addr === null) c.issues.push(issue(c.lineNo, c.text, `cannot read the NAT address "${a.value}" of ${opt}`));
    else if (opt === '--to-destination' || (opt === '--to-ports' && r.target === 'REDIRECT')) r.dnatTo = addr;
    else if (opt === '--to-source' || opt === '--to-ports') r.snatTo = addr;
  }
  return '';
}

/** The options of one `-A CHAIN ...` rule, after the chain name. A reason string when unreadable. */
function readRuleOptions(ws: Word[], lineNo: number, text: string, issues: ParseIssue[]): RuleOptions | string {
  const c: Cursor = { ws, i: 0, r: blankRule(), rest: [], lineNo, text, issues };
  let negate = false;
  for (; c.i < ws.length; c.i += 1) {
    const w = ws[c.i] as Word;
    if (w.value === '!') {
      negate = true;
      continue;
    }
    const neg = negate;
    negate = false;
    const standard = standardOption(c, w.value, neg);
    if (typeof standard === 'string') return standard;
    if (standard) continue;
    if (neg) c.rest.push('!');
    c.rest.push(w.raw);
    const bad = extensionOption(c, w.value, neg);
    if (bad) return bad;
  }
  if (negate) c.rest.push('!');
  c.r.matches = c.rest.join(' ');
  return c.r;
}

function portsOnly(s: string): NatAddress | null {
  const port = parsePortRange(s);
  return port ? { ip: null, port } : null;
}

// `[78210471:4692629836] -A PREROUTING ...` (iptables-save -c)
const COUNTERS_PREFIX = /^\[(\d+):(\d+)\]\s+/;
const COMMAND = /^-([ANP])\s/;
const ADDRESS_OPTIONS = new Set(['-s', '-d', '--to-destination', '--to-source']);

/** A line of `-A`, `-N` or `-P`, read. */
export type Command =
  | { kind: 'rule'; chain: string; rule: RuleOptions; ipv6: boolean }
  | { kind: 'chain'; chain: string; policy: string | null; packets: number | null; bytes: number | null }
  | { kind: 'bad'; reason: string };

/** Reads a `-A`/`-N`/`-P` line (with iptables-save -c's `[pkts:bytes]` before it); null when the line is none. */
export function readCommand(line: string, lineNo: number, issues: ParseIssue[]): Command | null {
  let counters: [number | null, number | null] | null = null;
  let body = line;
  const cp = COUNTERS_PREFIX.exec(body);
  if (cp) {
    counters = [exactCount(cp[1] ?? ''), exactCount(cp[2] ?? '')];
    body = body.slice(cp[0].length);
  }
  const cmd = COMMAND.exec(body)?.[1];
  if (cmd === undefined) return null;
  const ws = words(body);
  if (typeof ws === 'string') return { kind: 'bad', reason: `not a readable rule: ${ws}` };
  const chain = ws[1]?.value;
  if (chain === undefined) return { kind: 'bad', reason: `-${cmd} without a chain name` };
  if (cmd === 'N' || cmd === 'P') {
    // `-P INPUT ACCEPT`, `-P INPUT ACCEPT -c 0 0` (iptables -S -v), `-N DOCKER`.
    const c = ws[3]?.value === '-c' && /^\d+$/.test(ws[4]?.value ?? '') && /^\d+$/.test(ws[5]?.value ?? '');
    const policy = cmd === 'P' ? (ws[2]?.value.toUpperCase() ?? null) : null;
    const [packets, bytes] = c ? [exactCount(ws[4]?.value ?? ''), exactCount(ws[5]?.value ?? '')] : [null, null];
    if (c && (packets === null || bytes === null)) issues.push(issue(lineNo, line, TOO_LARGE));
    return { kind: 'chain', chain, policy, packets, bytes };
  }
  const rule = readRuleOptions(ws.slice(2), lineNo, line, issues);
  if (typeof rule === 'string') return { kind: 'bad', reason: `not a readable rule: ${rule}` };
  if (counters !== null) {
    [rule.packets, rule.bytes] = counters;
    if (counters[0] === null || counters[1] === null) issues.push(issue(lineNo, line, TOO_LARGE));
  }
  const opts = ws.slice(2);
  // An IPv6 address has two colons at least; `172.17.0.3:8080` and `:53` (a port) have one.
  const ipv6 = opts.some((w, k) => ADDRESS_OPTIONS.has(w.value) && (opts[k + 1]?.value.split(':').length ?? 0) > 2);
  return { kind: 'rule', chain, rule, ipv6 };
}

const BUILTIN_CHAINS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/** A table being filled from `-A`/`-N`/`-P` lines: rule numbers per chain, and whether IPv6 addresses appeared. */
export interface TableBuild {
  table: NatTable;
  /** The family was given or stated; otherwise IPv6 addresses make it ipv6. */
  explicitFamily: boolean;
  sawIpv6: boolean;
  counts: Map<string, number>;
  line: number;
}

export function chainOf(name: string, policy: string | null, packets: number | null, bytes: number | null, line: number): NatChain {
  return { ...blankChain(name, line), policy, packets, bytes };
}

/**
 * Adds one read command to the table; `raw` is the line as written, kept as the rule's text. `undeclared`
 * words the issue for a rule whose chain was not declared (each format declares chains its own way).
 */
export function addCommand(
  b: TableBuild,
  cmd: Command,
  raw: string,
  lineNo: number,
  issues: ParseIssue[],
  undeclared: (chain: string) => string,
): void {
  const t = b.table;
  if (cmd.kind === 'bad') {
    issues.push(issue(lineNo, raw.trim(), cmd.reason));
    return;
  }
  if (cmd.kind === 'chain') {
    const existing = t.chains.find((c) => c.name === cmd.chain);
    if (existing) {
      existing.policy = cmd.policy ?? existing.policy;
      if (cmd.packets !== null) [existing.packets, existing.bytes] = [cmd.packets, cmd.bytes];
    } else t.chains.push(chainOf(cmd.chain, cmd.policy, cmd.packets, cmd.bytes, lineNo));
    return;
  }
  if (!t.chains.some((c) => c.name === cmd.chain)) {
    t.chains.push(chainOf(cmd.chain, null, null, null, lineNo));
    issues.push(issue(lineNo, cmd.chain, undeclared(cmd.chain)));
  }
  const n = (b.counts.get(cmd.chain) ?? 0) + 1;
  b.counts.set(cmd.chain, n);
  if (cmd.ipv6) b.sawIpv6 = true;
  // trimEnd, not replace(/\s+$/): that regex is quadratic in a long run of inner blanks.
  t.rules.push({ family: t.family, table: t.name, chain: cmd.chain, number: n, ...cmd.rule, text: raw.trimEnd(), line: lineNo });
}

/** Ends a table: its family from the addresses when nothing said it, and references counted as `-L` shows them. */
export function closeTable(b: TableBuild): void {
  const t = b.table;
  if (!b.explicitFamily && b.sawIpv6) t.family = 'ipv6';
  for (const r of t.rules) [r.family, r.table] = [t.family, t.name];
  for (const c of t.chains) {
    if (c.policy === null && !BUILTIN_CHAINS.has(c.name)) c.references = t.rules.filter((r) => r.target === c.name).length;
  }
}
