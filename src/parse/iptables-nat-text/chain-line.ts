// The `Chain` lines of an `iptables -L` listing: a chain's name, policy and counters, or its references.
import { blankChain, type NatChain } from '../../model/nat-rule.js';
import { exactCount } from '../numbers.js';
import { counter, TOO_LARGE } from './columns.js';

// `Chain DOCKER (2 references)`, `Chain PREROUTING (policy ACCEPT 1118K packets, 74M bytes)`, `(policy ACCEPT)`
export const CHAIN_LINE = /^\s*Chain\s+(\S+)\s+\((.*)\)\s*$/;
const CHAIN_POLICY = /^policy\s+(\S+)(?:\s+(\S+)\s+packets,\s+(\S+)\s+bytes)?$/;
const CHAIN_REFERENCES = /^(\d+)\s+references?$/;

/** The part in parentheses of a `Chain` line; null when it is neither a policy nor references. */
export function parseChainLine(name: string, inner: string, lineNo: number, report: (reason: string) => void): NatChain | null {
  const base = blankChain(name, lineNo);
  const pol = CHAIN_POLICY.exec(inner.trim());
  if (pol && pol[1] !== undefined) {
    const p = pol[2] !== undefined ? counter(pol[2]) : null;
    const b = pol[3] !== undefined ? counter(pol[3]) : null;
    if (pol[2] !== undefined && (p === null || b === null)) return null;
    if (p?.value === null || b?.value === null) report(TOO_LARGE);
    return {
      ...base,
      policy: pol[1].toUpperCase(),
      packets: p?.value ?? null,
      bytes: b?.value ?? null,
      countersExact: (p?.exact ?? true) && (b?.exact ?? true),
    };
  }
  const refs = CHAIN_REFERENCES.exec(inner.trim());
  if (refs && refs[1] !== undefined) return { ...base, references: exactCount(refs[1]) };
  return null;
}
