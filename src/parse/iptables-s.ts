// Parses `iptables -S`, `iptables -t nat -S`, `ip6tables -S` listings (iptables-save's rule syntax without
// `*table` and COMMIT: `-P CHAIN POLICY`, `-N CHAIN`, `-A CHAIN ...`) into NatTables. The listing does not
// name its table: the caller may, otherwise it is read from the built-in chains and the targets.

import { emptyOrigin, type NatTable } from '../model/nat-rule.js';
import { issue, type ParseIssue, type Parsed, splitLines } from '../model/parsed.js';
import { addCommand, closeTable, readCommand, type TableBuild } from './iptables-rule.js';
import { LEGACY_WARNING } from './iptables-save.js';
import { cutShortIssue, internalErrorIssue, isPromptLine } from './listing-text.js';

export interface IptablesSOptions {
  /** ip6tables -S: 'ipv6'. Otherwise IPv6 addresses in the rules make a listing ipv6. */
  family?: 'ipv4' | 'ipv6';
  /** The table the listing was made with (`-t nat`); otherwise inferred, and said when it is only assumed. */
  table?: string;
}

// The built-in chains each table has, as the `-P` lines of its listing show them.
const BUILTINS: readonly [string, string][] = [
  ['nat', 'INPUT OUTPUT POSTROUTING PREROUTING'],
  ['mangle', 'FORWARD INPUT OUTPUT POSTROUTING PREROUTING'],
  ['raw', 'OUTPUT PREROUTING'],
  ['filter', 'FORWARD INPUT OUTPUT'],
];
// Targets valid in one table only (iptables-extensions(8)).
const NAT_TARGETS = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);
const RAW_TARGETS = new Set(['CT', 'NOTRACK']);
// MARK and CONNMARK are valid in filter too (Tailscale's ts-forward -j MARK), so they say nothing of the table.
const MANGLE_TARGETS = new Set(['TPROXY', 'TOS', 'TTL', 'HL', 'DSCP', 'ECN']);
const FILTER_CHAINS = new Set(['FORWARD', 'DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-FORWARD']);
// `iptables v1.8.10 (nf_tables): Parsing nftables rule failed`, `Error: meta sreg is not an immediate`
const TOOL_MESSAGE = /^(?:ip6?tables(?:-\w+)*(?:\s+v[\d.]+)?(?:\s+\(\w+\))?:|Error:|Perhaps |Try `)/;
const WARNING = /^#\s*Warning:\s*(.*)$/;
const ROOT_PROMPT = /^#\s*(?:sudo\s+)?(?:ip6?tables(?:-\w+)?|nft|docker|ip)\s/;

interface Walk {
  options: IptablesSOptions;
  issues: ParseIssue[];
  tables: NatTable[];
  legacyPresent: boolean;
  current: TableBuild | null;
  /** The last command was a rule or -N: a `-P` line after it starts another listing. */
  pastPolicies: boolean;
  lastUsed: number;
}

/** Reads `iptables -S` text: one NatTable per listing (a paste may hold several, each starting with its -P lines). */
export function parseIptablesS(text: string, options: IptablesSOptions = {}): Parsed<NatTable[]> {
  const w: Walk = { options, issues: [], tables: [], legacyPresent: false, current: null, pastPolicies: false, lastUsed: 0 };
  const lines = splitLines(typeof text === 'string' ? text : '');
  for (const [idx, raw] of lines.entries()) {
    const line = raw.trim();
    try {
      if (line !== '') readLine(w, raw, line, idx + 1);
    } catch (e) {
      w.issues.push(internalErrorIssue(idx + 1, line, e));
    }
  }
  finish(w);
  const cut = cutShortIssue(typeof text === 'string' ? text : '', lines, w.lastUsed);
  if (cut) w.issues.push(cut);
  return { value: w.tables, issues: w.issues };
}

function readLine(w: Walk, raw: string, line: string, lineNo: number): void {
  const warn = WARNING.exec(line);
  if (warn && LEGACY_WARNING.test(warn[1] ?? '')) {
    w.legacyPresent = true;
    for (const t of w.tables) t.origin.legacyTablesPresent = true;
    if (w.current !== null) w.current.table.origin.legacyTablesPresent = true;
    return;
  }
  // `# 所有目的地址...`: a note the poster wrote between the rules; `# iptables -t nat -S` is root's prompt.
  if (line.startsWith('#') && !ROOT_PROMPT.test(line)) {
    w.issues.push(issue(lineNo, line, 'comment not written by iptables -S'));
    return;
  }
  const cmd = readCommand(line, lineNo, w.issues);
  if (cmd === null) {
    if (isPromptLine(raw)) finish(w);
    const reason = isPromptLine(raw)
      ? 'shell prompt or command line, not part of `iptables -S` output'
      : TOOL_MESSAGE.test(line)
        ? 'a message from iptables, not a rule'
        : 'not an `iptables -S` line';
    w.issues.push(issue(lineNo, line, reason));
    return;
  }
  const policy = cmd.kind === 'chain' && cmd.policy !== null;
  if (w.current !== null && policy && w.pastPolicies) finish(w);
  if (w.current === null) {
    const table: NatTable = { family: w.options.family ?? 'ipv4', name: '', chains: [], rules: [], sets: [], origin: emptyOrigin() };
    table.origin.legacyTablesPresent = w.legacyPresent;
    w.current = { table, explicitFamily: w.options.family !== undefined, sawIpv6: false, counts: new Map(), line: lineNo };
  }
  w.pastPolicies = !policy;
  addCommand(w.current, cmd, raw, lineNo, w.issues, (chain) => `chain ${chain} has a rule but no -N or -P line`);
  w.lastUsed = lineNo;
}

/** Ends the listing being read: names its table and closes it. */
function finish(w: Walk): void {
  const b = w.current;
  if (b === null) return;
  w.current = null;
  w.pastPolicies = false;
  const t = b.table;
  const inferred = inferTable(t);
  if (w.options.table !== undefined) {
    t.name = w.options.table;
    if (inferred.from !== 'default' && inferred.name !== t.name) {
      const what = inferred.from === 'chains' ? 'built-in chains' : 'targets and chains';
      w.issues.push(issue(b.line, '', `the listing was given as table ${t.name}, but its ${what} are those of table ${inferred.name}`));
    }
  } else {
    t.name = inferred.name;
    if (inferred.from === 'default') {
      w.issues.push(
        issue(b.line, '', "no -P line or table-specific target says which table this listing is: assuming filter, iptables' default table"),
      );
    }
  }
  closeTable(b);
  w.tables.push(t);
}

/** The table a listing belongs to: by targets only one table allows, else its `-P` chains, else chains only one table has. */
export function inferTable(t: NatTable): { name: string; from: 'chains' | 'rules' | 'default' } {
  const targets = new Set(t.rules.map((r) => r.target));
  if ([...targets].some((x) => NAT_TARGETS.has(x))) return { name: 'nat', from: 'rules' };
  if ([...targets].some((x) => RAW_TARGETS.has(x))) return { name: 'raw', from: 'rules' };
  if ([...targets].some((x) => MANGLE_TARGETS.has(x))) return { name: 'mangle', from: 'rules' };
  const policies = t.chains
    .filter((c) => c.policy !== null)
    .map((c) => c.name)
    .sort()
    .join(' ');
  const byChains = BUILTINS.find(([, chains]) => chains === policies);
  if (byChains) return { name: byChains[0], from: 'chains' };
  const chains = new Set([...t.chains.map((c) => c.name), ...t.rules.map((r) => r.chain)]);
  if ([...chains].some((x) => FILTER_CHAINS.has(x))) return { name: 'filter', from: 'rules' };
  if (chains.has('POSTROUTING') && chains.has('PREROUTING') && !chains.has('FORWARD')) return { name: 'nat', from: 'rules' };
  return { name: 'filter', from: 'default' };
}
