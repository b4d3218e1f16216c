// One rule line of an `iptables -L` listing, read column by column under its chain's header.
import { issue, type ParseIssue } from '../../model/parsed.js';
import { normaliseAddress, normaliseProtocol, type NatRule } from '../../model/nat-rule.js';
import { exactCount } from '../numbers.js';
import { counter, iface, negatable, tokens, TOO_LARGE, type Layout } from './columns.js';
import { readMatches } from './matches.js';

const OPT_COLUMN = /^(?:--|-f|!f)$/;
const PROTOCOL_LIKE = /^!?(?:all|tcp|udp|udplite|icmp|icmpv6|ipv6-icmp|esp|ah|sctp|dccp|gre|igmp|mh|ipv6|\d{1,3})$/i;

export type RuleCore = Omit<NatRule, 'family' | 'table' | 'chain' | 'number' | 'line' | 'text'> & {
  num: number | null;
  /** An IPv6 address in the source or destination column (`::/0`, `fd01::2`). */
  ipv6: boolean;
};

/** One rule line under a known header; a reason string when the line is not a rule. */
export function parseRule(line: string, layout: Layout, lineNo: number, issues: ParseIssue[]): RuleCore | string {
  const t = tokens(line);
  let i = 0;
  let num: number | null = null;
  let expectedTarget = layout.indent;
  const first = t[0];
  if (first === undefined) return 'empty line';
  if (layout.num) {
    num = exactCount(first.text);
    if (num === null || num < 1) return 'expected a rule number (1 or more) in the num column';
    expectedTarget = first.start + Math.max(first.text.length, 4) + 1;
    i = 1;
  }
  let packets: number | null = null;
  let bytes: number | null = null;
  let countersExact = true;
  if (layout.counters) {
    const p = t[i] ? counter(t[i]!.text) : null;
    const b = t[i + 1] ? counter(t[i + 1]!.text) : null;
    if (p === null || b === null) return 'expected packet and byte counters';
    packets = p.value;
    bytes = b.value;
    if (packets === null || bytes === null) issues.push(issue(lineNo, line, TOO_LARGE));
    countersExact = p.exact && b.exact;
    expectedTarget = t[i + 1]!.end + 1;
    i += 2;
  }
  const tok = t[i];
  if (tok === undefined) return 'no target or protocol column';
  // An empty target leaves blanks where the target would start; and its protocol is followed by `--`.
  const protoLike = PROTOCOL_LIKE.test(tok.text);
  const nextIsOpt = t[i + 1] !== undefined && OPT_COLUMN.test(t[i + 1]!.text);
  const targetEmpty = protoLike && ((layout.opt && nextIsOpt) || tok.start > expectedTarget);
  let target = '';
  if (!targetEmpty) {
    target = tok.text;
    i += 1;
  }
  const protoTok = t[i];
  if (protoTok === undefined) return 'no protocol column';
  const proto = negatable(protoTok.text);
  i += 1;
  if (layout.opt && t[i] !== undefined && OPT_COLUMN.test(t[i]!.text)) i += 1;
  let inI = { value: null as string | null, negated: false };
  let outI = { value: null as string | null, negated: false };
  if (layout.via) {
    if (t[i] === undefined || t[i + 1] === undefined) return 'too few columns for in/out';
    inI = iface(t[i]!.text);
    outI = iface(t[i + 1]!.text);
    i += 2;
  }
  const srcTok = t[i];
  const dstTok = t[i + 1];
  if (srcTok === undefined || dstTok === undefined) return 'too few columns for source/destination';
  const src = negatable(srcTok.text);
  const dst = negatable(dstTok.text);
  const matches = line.slice(dstTok.end).trim();
  return {
    num,
    ipv6: src.value.includes(':') || dst.value.includes(':'),
    handle: null,
    packets,
    bytes,
    countersExact,
    target,
    protocol: normaliseProtocol(proto.value),
    protocolNegated: proto.negated,
    inInterface: inI.value,
    inNegated: inI.negated,
    outInterface: outI.value,
    outNegated: outI.negated,
    source: normaliseAddress(src.value),
    sourceNegated: src.negated,
    destination: normaliseAddress(dst.value),
    destinationNegated: dst.negated,
    matches,
    ...readMatches(matches, target, lineNo, issues),
  };
}
