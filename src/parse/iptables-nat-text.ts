// Parses `iptables -t nat -L` listings (-v, -n, -x, --line-numbers in any mix; ip6tables too) into a NatTable.
// Columns are found from each chain's header line so the free-text last column stays whole.
// The line readers live in iptables-nat-text/: chain lines, column layouts, rule lines, matches, services.

import { cutShortIssue, internalErrorIssue, isPromptLine } from './listing-text.js';
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import { blankChain, emptyOrigin, type NatChain, type NatTable } from '../model/nat-rule.js';
import { CHAIN_LINE, parseChainLine } from './iptables-nat-text/chain-line.js';
import { layoutOf, type Layout } from './iptables-nat-text/columns.js';
import { parseRule } from './iptables-nat-text/rule-line.js';

// ` pkts bytes target prot opt in out source destination`, `num target prot opt source destination`, ...
const HEADER_LINE = /^\s*(?:num\s+)?(?:pkts\s+bytes\s+)?target\s+prot\s+(?:opt\s+)?(?:in\s+out\s+)?source\s+destination\s*$/;
// iptables-nft: `# Warning: iptables-legacy tables present, use iptables-legacy to see them`
const WARNING_LINE = /^\s*#\s*Warning:\s*(.*?)\s*$/;
const LEGACY_WARNING = /\b(ip6?tables)-legacy tables present/;
// `[root@192 ~]# iptables -t nat -vnL`, `$ sudo iptables ...`, `root@mail:/opt# ...`, `➜  dir git:(master) ip6tables ...`
// `iptables v1.4.21: can't initialize iptables table `nat': Permission denied (you must be root)`
const TOOL_MESSAGE = /^\s*(?:ip6?tables|xtables)(?:-\w+)*(?:\s+v[\d.]+)?(?:\s+\(\w+\))?:\s/;

/** The listing read so far: the table, and where in it the next line falls. */
interface Reader {
  value: NatTable;
  issues: ParseIssue[];
  table: string;
  familyHint: 'ipv4' | 'ipv6' | null;
  sawIpv6Address: boolean;
  chain: NatChain | null;
  chainIsRepeat: boolean;
  layout: Layout | null;
  /** Rules read in the current chain: their numbers when the listing has no num column. */
  count: number;
  /** The last line that was part of the listing, for the check of a listing cut short. */
  lastUsed: number;
}

/**
 * Reads `iptables -t nat -L` output. `family` when known (ip6tables: 'ipv6'); otherwise it is read from
 * the text (an ip6tables prompt or warning, IPv6 addresses). `table` names the table listed (-t).
 */
export function parseIptablesNatText(text: string, family?: 'ipv4' | 'ipv6', table = 'nat'): Parsed<NatTable> {
  const r: Reader = {
    value: { family: family ?? 'ipv4', name: table, chains: [], rules: [], sets: [], origin: emptyOrigin() },
    issues: [],
    table,
    familyHint: null,
    sawIpv6Address: false,
    chain: null,
    chainIsRepeat: false,
    layout: null,
    count: 0,
    lastUsed: 0,
  };
  const { value, issues } = r;
  const input = typeof text === 'string' ? text : '';
  const lines = splitLines(input);
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    // trimEnd, not replace(/\s+$/): that regex is quadratic in a long run of inner blanks.
    const line = raw.trimEnd();
    try {
      readLine(r, line, lineNo);
    } catch (e) {
      issues.push(internalErrorIssue(lineNo, line, e));
    }
  });
  const cut = cutShortIssue(input, lines, r.lastUsed);
  if (cut) issues.push(cut);
  value.family = family ?? r.familyHint ?? (r.sawIpv6Address ? 'ipv6' : 'ipv4');
  for (const rule of value.rules) rule.family = value.family;
  return { value, issues };
}

function readLine(r: Reader, line: string, lineNo: number): void {
  if (line.trim() === '') return;
  const ch = CHAIN_LINE.exec(line);
  const warn = ch ? null : WARNING_LINE.exec(line);
  if (ch && ch[1] !== undefined && ch[2] !== undefined) readChainLine(r, line, lineNo, ch[1], ch[2]);
  else if (HEADER_LINE.test(line)) readHeaderLine(r, line, lineNo);
  else if (warn && warn[1] !== undefined) readWarningLine(r, line, lineNo, warn[1]);
  else if (isPromptLine(line)) {
    if (/\bip6tables\b/.test(line) && r.value.rules.length === 0) r.familyHint = 'ipv6';
    r.issues.push(issue(lineNo, line, 'shell prompt or command line, not part of the listing'));
  } else if (TOOL_MESSAGE.test(line)) r.issues.push(issue(lineNo, line, 'a message from iptables, not part of the listing'));
  else readRuleLine(r, line, lineNo);
}

function readChainLine(r: Reader, line: string, lineNo: number, name: string, inner: string): void {
  const { value, issues } = r;
  const parsed = parseChainLine(name, inner, lineNo, (reason) => issues.push(issue(lineNo, line, reason)));
  if (parsed === null) {
    issues.push(issue(lineNo, line, 'chain line with an unknown policy/references part'));
  }
  const c = parsed ?? blankChain(name, lineNo);
  r.chainIsRepeat = value.chains.some((x) => x.name === c.name);
  if (r.chainIsRepeat) {
    issues.push(issue(lineNo, line, `chain ${c.name} is listed a second time: the input holds more than one listing`));
  } else {
    value.chains.push(c);
  }
  r.chain = c;
  r.layout = null;
  r.count = 0;
  r.lastUsed = lineNo;
}

function readHeaderLine(r: Reader, line: string, lineNo: number): void {
  if (r.chain !== null && r.layout !== null) {
    // One header per chain: a second one means the `Chain` line above it was lost, and the
    // rules below belong to a chain whose name is unknown, not to the one above.
    r.issues.push(
      issue(lineNo, line, `a second column header under "Chain ${r.chain.name}": the Chain line of the rules below is missing`),
    );
    r.chain = null;
  }
  r.layout = layoutOf(line);
}

function readWarningLine(r: Reader, line: string, lineNo: number, warning: string): void {
  const legacy = LEGACY_WARNING.exec(warning);
  if (legacy) {
    r.value.origin.legacyTablesPresent = true;
    r.value.origin.backend = 'nf_tables';
    if (legacy[1] === 'ip6tables') r.familyHint = 'ipv6';
  } else {
    r.issues.push(issue(lineNo, line, 'warning printed by the tool'));
  }
}

function readRuleLine(r: Reader, line: string, lineNo: number): void {
  const { chain, layout, issues } = r;
  if (chain === null) {
    issues.push(issue(lineNo, line, 'not an iptables listing line (no "Chain" line before it)'));
    return;
  }
  if (layout === null) {
    issues.push(issue(lineNo, line, `no column header under "Chain ${chain.name}" before this line`));
    return;
  }
  const rule = parseRule(line, layout, lineNo, issues);
  if (typeof rule === 'string') {
    issues.push(issue(lineNo, line, `not a rule line: ${rule}`));
    return;
  }
  if (r.chainIsRepeat) {
    issues.push(issue(lineNo, line, `rule of chain ${chain.name} listed a second time; not merged`));
    return;
  }
  r.count += 1;
  const { num, ipv6, ...rest } = rule;
  if (ipv6) r.sawIpv6Address = true;
  r.value.rules.push({
    family: r.value.family,
    table: r.table,
    chain: chain.name,
    number: num ?? r.count,
    ...rest,
    text: line,
    line: lineNo,
  });
  r.lastUsed = lineNo;
}
