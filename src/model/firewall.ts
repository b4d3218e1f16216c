// The firewall of one host as the kernel applies it: every table and chain of every rule source
// (iptables and ip6tables on either backend, nftables-native tables), with each rule's matches and
// target in one vocabulary, so that `reach` can walk a packet through them and `nat` can read them.
import type { NatAddress, PortRange } from './nat-rule.js';

export type IpFamily = 'ipv4' | 'ipv6';

/** The netfilter hooks an IP packet passes, by name as nftables writes them. */
export type Hook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';

/**
 * One condition of a rule. Every condition can be negated (`! -i docker0`). `assumed` conditions
 * (rate limits, `recent`) are taken as matching, and a verdict that rests on one says so; `unmodelled`
 * ones make any verdict that depends on them unknown, naming the rule and the words.
 */
export type Cond = { negated: boolean } & (
  | { kind: 'protocol'; protocol: string }
  | { kind: 'address'; dir: 'src' | 'dst'; cidr: string }
  | { kind: 'address-range'; dir: 'src' | 'dst'; from: string; to: string }
  | { kind: 'interface'; dir: 'in' | 'out'; name: string }
  | { kind: 'port'; dir: 'src' | 'dst' | 'any'; ports: PortRange[] }
  | { kind: 'ctstate'; states: string[] }
  | { kind: 'addrtype'; dir: 'src' | 'dst'; types: string[] }
  | { kind: 'mark'; value: number; mask: number }
  | { kind: 'tcp-syn' }
  /**
   * A set lookup: an ipset (`--match-set NAME src`), an nftables named set (`ip saddr @blocked`) or an
   * anonymous one (`iifname { "eth1", "eth2" }`, named by its text). `members`, when the data holds the
   * elements, has one condition per element and the lookup matches when any of them does (empty: a set
   * known to be empty); without it membership is unknown (ipsets: their members are not in the data).
   */
  | { kind: 'set'; name: string; dirs: ('src' | 'dst')[]; members?: Cond[] }
  /** The packet's address family: nftables' `meta nfproto ipv4` (and `ip saddr ...`, which implies it, in inet tables). */
  | { kind: 'family'; family: IpFamily }
  | { kind: 'assumed'; text: string; why: string }
  | { kind: 'unmodelled'; text: string }
);

/** What a matching rule does. `continue` targets (LOG, NFLOG, counters) leave the packet where it is. */
export type Action =
  | { kind: 'accept' | 'drop' | 'return' | 'continue' }
  | { kind: 'reject'; with: string | null }
  | { kind: 'jump' | 'goto'; chain: string }
  | { kind: 'dnat' | 'snat' | 'redirect' | 'masquerade'; to: NatAddress | null }
  | { kind: 'mark'; value: number; mask: number }
  /**
   * An nftables verdict map (`oifname vmap @filter-forward-in-jumps`, Docker 29's and firewalld's
   * dispatch): the first case whose condition matches gives the verdict (a jump, goto, accept, ...); when
   * none does the rule does not match and the next one is tried. `cases` is null when the map's elements
   * are not in the data. `key` is the looked-up expression as nft prints it, `map` the map's name or text.
   */
  | { kind: 'vmap'; key: string; map: string; cases: { when: Cond; action: Action }[] | null }
  | { kind: 'unmodelled'; target: string };

export interface FwRule {
  table: string;
  chain: string;
  /** 1-based position in its chain, as `iptables -L --line-numbers` counts. */
  number: number;
  conds: Cond[];
  action: Action;
  /** The rule as the source wrote it. */
  text: string;
  packets: number | null;
  bytes: number | null;
}

export interface BaseChain {
  hook: Hook;
  /** nftables priority; iptables tables at their fixed ones (raw -300, mangle -150, nat -100/100, filter 0). */
  priority: number;
  /** nat chains see only a connection's first packet. */
  type: 'filter' | 'nat' | 'route';
  policy: 'accept' | 'drop';
}

export interface FwChain {
  name: string;
  /** Set for chains on a hook; null for user chains, entered only by jumps. */
  base: BaseChain | null;
  rules: FwRule[];
}

export interface FwTable {
  /** ip, ip6 and inet tables of nftables; iptables tables are ip (iptables) or ip6 (ip6tables). */
  family: 'ip' | 'ip6' | 'inet';
  name: string;
  /** Which program's tables these are, for the words ("iptables filter", "nft table inet firewalld"). */
  kind: 'iptables' | 'nftables';
  /** The snapshot file the table was read from. */
  from: string;
  chains: Map<string, FwChain>;
}

/** The tables that apply to one address family, in no particular order (hooks order them). */
export interface Ruleset {
  family: IpFamily;
  tables: FwTable[];
  /** What the data holds and lacks for this family, in words: e.g. "legacy tables present but not in the data". */
  notes: string[];
  /** iptables tables of this family that are not in the data (unknown, not empty), and 'legacy backend' when its tables are. */
  unknownTables: string[];
  /** Whether nftables' own ruleset was read: without it, a native table (firewalld, Docker 29) cannot be ruled out. */
  nftRead: boolean;
}

/** The hooks a chain name of iptables' built-in chains stands for. */
export const IPTABLES_HOOKS: Readonly<Record<string, Hook>> = {
  PREROUTING: 'prerouting',
  INPUT: 'input',
  FORWARD: 'forward',
  OUTPUT: 'output',
  POSTROUTING: 'postrouting',
};

/** iptables' tables at the nftables priorities they are registered with (include/uapi/linux/netfilter_ipv4.h). */
export function iptablesPriority(table: string, hook: Hook): number | null {
  switch (table) {
    case 'raw':
      return -300;
    case 'mangle':
      return -150;
    case 'nat':
      // DNAT before filtering, SNAT after it.
      return hook === 'prerouting' || hook === 'output' ? -100 : 100;
    case 'filter':
      return 0;
    case 'security':
      return 50;
    default:
      return null;
  }
}

/** Whether an address family's packets pass this table. */
export function tableApplies(t: FwTable, family: IpFamily): boolean {
  return t.family === 'inet' || (t.family === 'ip') === (family === 'ipv4');
}
