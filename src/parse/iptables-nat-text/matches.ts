// The free-text last column of a rule: its comment, port matches and NAT targets.
import { issue, type ParseIssue } from '../../model/parsed.js';
import { parseNatAddress, parsePortRange, type NatAddress, type NatRule, type PortRange } from '../../model/nat-rule.js';
import { portSpec } from './services.js';

// Inside the free-text column.
const COMMENT = /\/\* (.*?) \*\//;
const DPORT = /(?:^|\s)dpts?:(!?)(\S+)/;
const SPORT = /(?:^|\s)spts?:(!?)(\S+)/;
const NAT_TO = /(?:^|\s)to:(\S+)/;
const REDIR_PORTS = /(?:^|\s)redir ports (\S+)/;
const MASQ_PORTS = /(?:^|\s)masq ports: (\S+)/;

/** What the free-text column says that the model has fields for. */
export function readMatches(
  matches: string,
  target: string,
  line: number,
  issues: ParseIssue[],
): Pick<NatRule, 'comment' | 'dport' | 'dportNegated' | 'sport' | 'sportNegated' | 'dnatTo' | 'snatTo'> {
  const comment = COMMENT.exec(matches)?.[1] ?? null;
  // Port words inside a comment are not matches.
  const bare = matches.replace(/\/\* .*? \*\//g, ' ');
  const port = (re: RegExp): { range: PortRange | null; negated: boolean } => {
    const m = re.exec(bare);
    if (!m || m[2] === undefined) return { range: null, negated: false };
    const { range, unknown } = portSpec(m[2]);
    if (unknown !== null) {
      issues.push(issue(line, matches, `port name "${unknown}" is not a known service: list with -n to get numbers`));
    }
    return { range, negated: m[1] === '!' };
  };
  const d = port(DPORT);
  const s = port(SPORT);
  let dnatTo: NatAddress | null = null;
  let snatTo: NatAddress | null = null;
  const to = NAT_TO.exec(bare)?.[1];
  if (to !== undefined) {
    const addr = parseNatAddress(to);
    if (addr === null) issues.push(issue(line, matches, `cannot read the NAT address "to:${to}"`));
    else if (target === 'SNAT') snatTo = addr;
    else dnatTo = addr;
  }
  const redir = REDIR_PORTS.exec(bare)?.[1];
  if (redir !== undefined && dnatTo === null) dnatTo = { ip: null, port: parsePortRange(redir) };
  const masq = MASQ_PORTS.exec(bare)?.[1];
  if (masq !== undefined && snatTo === null) snatTo = { ip: null, port: parsePortRange(masq) };
  return { comment, dport: d.range, dportNegated: d.negated, sport: s.range, sportNegated: s.negated, dnatTo, snatTo };
}
