// The packet docknet walks through a host, and what the walk may assume where a fact is missing.
import type { IpFamily } from '../../model/firewall.js';

export type Protocol = 'tcp' | 'udp';

/** The first packet of a connection, as netfilter sees it at the point of the walk. */
export interface Packet {
  family: IpFamily;
  protocol: Protocol;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** The interface it arrived on; null for a packet this host sends. */
  in: string | null;
  /** The interface routing chose; null before routing. */
  out: string | null;
  mark: number;
  /** Conntrack state: NEW for a connection's first packet. */
  ctstate: 'NEW' | 'ESTABLISHED';
  /** Whether a DNAT or SNAT already rewrote it (conntrack's DNAT and SNAT pseudo-states). */
  dnat: boolean;
  snat: boolean;
  /**
   * A reply's NAT undone by conntrack: a SNATed request's reply gets its client back as destination at
   * the nat priority of PREROUTING/OUTPUT (-100: raw and mangle see it before), a DNATed one's reply
   * its original destination as source at the nat priority of POSTROUTING/INPUT (100). Null for requests.
   */
  unnat: { dst: { ip: string; port: number } | null; src: { ip: string; port: number } | null } | null;
}

/** A three-valued answer: a condition matched, did not, or cannot be told (and why). */
export type Tri = 'yes' | 'no' | { unknown: string };

/**
 * A question the facts cannot answer, which the walk asks to be assumed: either way is evaluated, and
 * a verdict that does not depend on the answer stands (reach.ts).
 */
export interface Question {
  /** Stable key: the rule (table/chain/number) or the fact (e.g. "sysctl:net.ipv4.ip_forward"). */
  key: string;
  /** What cannot be told, in words: "rule 3 of filter FORWARD matches on -m physdev, which docknet does not model". */
  why: string;
}

/** The answers a walk runs with; a question without an answer stops the walk and is returned. */
export type Assumptions = ReadonlyMap<string, boolean>;

export class NeedsAnswer extends Error {
  constructor(readonly question: Question) {
    super(question.why);
  }
}

/** The answer to `q`, or a request for one. */
export function assume(assumptions: Assumptions, q: Question): boolean {
  const a = assumptions.get(q.key);
  if (a === undefined) throw new NeedsAnswer(q);
  return a;
}
