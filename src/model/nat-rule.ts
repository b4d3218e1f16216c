// Netfilter rules (the nat table first of all) as the kernel holds them, read back through
// `iptables -L`, `iptables-save` or `nft -j list ruleset`: one shape whatever the tool.

/** iptables is ipv4, ip6tables ipv6; nftables adds inet (both) and the non-IP families. */
export type NatFamily = 'ipv4' | 'ipv6' | 'inet' | 'arp' | 'bridge' | 'netdev';

/** An inclusive port range; a single port is {from: p, to: p}. */
export interface PortRange {
  from: number;
  to: number;
}

/** Where a NAT target sends the packet: `to:172.17.0.3:8080`, `--to-source :53`, `dnat to [fd01::2]:80`. */
export interface NatAddress {
  /** Address as written (an "a-b" range stays whole); null when only ports are changed. */
  ip: string | null;
  port: PortRange | null;
}

export interface NatRule {
  family: NatFamily;
  /** nat, filter, raw, ...; for nftables the table's own name, e.g. "docker-bridges". */
  table: string;
  chain: string;
  /** 1-based position in its chain, as `--line-numbers` and `iptables -I CHAIN N` count. */
  number: number;
  /** The nftables rule handle; null for iptables listings. */
  handle: number | null;
  packets: number | null;
  bytes: number | null;
  /** False when the listing rounded the counters (`1234K`, K = 1000): packets/bytes are then approximate. */
  countersExact: boolean;
  /**
   * The jump or extension target as iptables names it: DNAT, MASQUERADE, RETURN, ACCEPT, a chain name.
   * nftables statements map to the same words (dnat -> DNAT, jump X -> X). '' for a rule with no target.
   */
  target: string;
  /** tcp, udp, sctp, icmp, icmpv6, ...; 'all' when the rule does not match on protocol. Numbers are mapped (6 -> tcp). */
  protocol: string | null;
  protocolNegated: boolean;
  /** Input interface; null for any (`*`, `any`, or no -i). */
  inInterface: string | null;
  inNegated: boolean;
  outInterface: string | null;
  outNegated: boolean;
  /** Source address or network as printed, host prefixes (/32, /128) dropped; null for any. */
  source: string | null;
  sourceNegated: boolean;
  destination: string | null;
  destinationNegated: boolean;
  /** The tcp/udp/sctp destination port match (`dpt:49154`, `--dport 1000:2000`, `tcp dport 8080`). */
  dport: PortRange | null;
  dportNegated: boolean;
  sport: PortRange | null;
  sportNegated: boolean;
  /** DNAT's destination (`to:172.17.0.3:8080`); REDIRECT's ports with ip null. */
  dnatTo: NatAddress | null;
  /** SNAT's source (`--to-source :53`); MASQUERADE's ports with ip null. */
  snatTo: NatAddress | null;
  comment: string | null;
  /**
   * The tool's own words for everything past the standard columns, whole: the free-text last column of
   * `-L` (`tcp dpt:49154 to:172.17.0.3:8080`), the options after -s/-d/-i/-o/-p in iptables-save
   * (`-m tcp --dport 49154 -j DNAT --to-destination 172.17.0.3:8080`), the expressions of an nftables rule
   * rendered as nft text (unknown ones included).
   */
  matches: string;
  /** The rule as the user saw it: the line of text, or the nftables rule rendered. */
  text: string;
  /**
   * nftables rules: every statement in nft JSON form (`{kind: 'match', value: {...}}`), for the firewall
   * model (parse/firewall-nft.ts). Absent for iptables rules, whose option words are in `matches`.
   */
  statements?: { kind: string; value: unknown }[];
  /** 1-based line in the input; 0 for JSON input. */
  line: number;
}

export interface NatChain {
  name: string;
  /** Built-in/base chains: ACCEPT or DROP (upper case whatever the tool); null for user chains. */
  policy: string | null;
  /** The policy counters; null when not listed. */
  packets: number | null;
  bytes: number | null;
  countersExact: boolean;
  /** Rules that jump or go to this chain: as `-L` prints it, or counted in the dump; null for built-in chains. */
  references: number | null;
  /** nftables base chains: the hook (prerouting, postrouting, ...), type (nat, filter) and priority. */
  hook: string | null;
  type: string | null;
  priority: number | null;
  handle: number | null;
  line: number;
}

/** An nftables set or map, kept so a `vmap @name` rule can be followed. */
export interface NatSet {
  name: string;
  kind: 'set' | 'map';
  /** Key type, e.g. "ifname"; and for a map the value type, e.g. "verdict". */
  type: string;
  map: string | null;
  /** Elements rendered as nft text: `"docker0" : jump filter-forward-in__docker0`. */
  elements: string[];
}

/** How the listing was produced, as far as the text says. */
export interface NatOrigin {
  /** iptables-save, iptables-nft-save, xtables-save, nft, ...; null when the text does not say. */
  tool: string | null;
  version: string | null;
  /** nf_tables for iptables-nft and nft, legacy for x_tables; null when the text does not say. */
  backend: 'nf_tables' | 'legacy' | null;
  /**
   * The tool warned "iptables-legacy tables present": part of the host's rules live in the other
   * backend and are not in this listing.
   */
  legacyTablesPresent: boolean;
}

export interface NatTable {
  family: NatFamily;
  /** nat, filter, ...; for nftables the table's own name. */
  name: string;
  chains: NatChain[];
  rules: NatRule[];
  /** nftables sets and maps of the table; always empty for iptables. */
  sets: NatSet[];
  origin: NatOrigin;
}

export function emptyOrigin(): NatOrigin {
  return { tool: null, version: null, backend: null, legacyTablesPresent: false };
}

/** The rules of one chain, in chain order. */
export function rulesOf(table: NatTable, chain: string): NatRule[] {
  return table.rules.filter((r) => r.chain === chain).sort((a, b) => a.number - b.number);
}

// The model's vocabulary: every parser normalises through these so that the three formats agree.

/** IANA protocol numbers the nf_tables backend prints with -n (`0`, `6`) and nft JSON may carry. */
const PROTOCOL_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'all'],
  [1, 'icmp'],
  [2, 'igmp'],
  [4, 'ipencap'],
  [6, 'tcp'],
  [17, 'udp'],
  [33, 'dccp'],
  [41, 'ipv6'],
  [47, 'gre'],
  [50, 'esp'],
  [51, 'ah'],
  [58, 'icmpv6'],
  [132, 'sctp'],
  [136, 'udplite'],
]);

/** `6` -> tcp, `TCP` -> tcp, `ipv6-icmp` -> icmpv6, `0`/`all` -> all; other names lower-cased, unknown numbers kept. */
export function normaliseProtocol(p: string | number): string {
  const s = String(p).trim().toLowerCase();
  if (/^\d+$/.test(s)) return PROTOCOL_NAMES.get(Number(s)) ?? s;
  if (s === 'ipv6-icmp' || s === 'icmp6') return 'icmpv6';
  return s;
}

/** null for "any" (`0.0.0.0/0`, `::/0`, `anywhere`); host prefixes dropped (`172.17.0.2/32` -> `172.17.0.2`). */
export function normaliseAddress(a: string): string | null {
  const s = a.trim();
  if (s === '' || s === '0.0.0.0/0' || s === '::/0' || s === 'anywhere' || s === '0/0') return null;
  const m = /^(.*)\/(\d+)$/.exec(s);
  if (m && m[1] !== undefined) {
    if (m[2] === '32' && !m[1].includes(':')) return m[1];
    if (m[2] === '128' && m[1].includes(':')) return m[1];
  }
  return s;
}

/** A port or range in iptables notation: `8080`, `1000:2000` (matches), `7000-7001` (NAT targets). */
export function parsePortRange(s: string): PortRange | null {
  const m = /^(\d{1,5})(?:[:-](\d{1,5}))?$/.exec(s.trim());
  if (!m || m[1] === undefined) return null;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65535 || to > 65535 || to < from) return null;
  return { from, to };
}

// `[fd01::2]:80`, `[fd01::2]` , `172.17.0.3:8080`, `172.17.0.3:7000-7001`, `10.0.0.1-10.0.0.9`, `:53`, `fd01::2`
const BRACKETED_V6 = /^\[([0-9A-Fa-f:.%\w-]+)\](?::(\S+))?$/;
const V4_WITH_PORT = /^([0-9.]*(?:-[0-9.]+)?):(\d[\d:-]*)$/;

/** The address of a NAT target as iptables writes it (`--to-destination`, `to:`); null when unreadable. */
export function parseNatAddress(s: string): NatAddress | null {
  const t = s.trim();
  if (t === '') return null;
  const v6 = BRACKETED_V6.exec(t);
  if (v6 && v6[1] !== undefined) {
    if (v6[2] === undefined) return { ip: v6[1], port: null };
    const port = parsePortRange(v6[2]);
    return port ? { ip: v6[1], port } : null;
  }
  const v4 = V4_WITH_PORT.exec(t);
  if (v4 && v4[2] !== undefined) {
    const port = parsePortRange(v4[2]);
    if (!port) return null;
    return { ip: v4[1] === '' || v4[1] === undefined ? null : v4[1], port };
  }
  if (/^[0-9.]+(?:-[0-9.]+)?$/.test(t) || /^[0-9A-Fa-f:]+(?:-[0-9A-Fa-f:]+)?$/.test(t)) return { ip: t, port: null };
  return null;
}

/** A rule that matches everything and does nothing: what each parser fills in from what it reads. */
export function blankRule(): Omit<NatRule, 'family' | 'table' | 'chain' | 'number' | 'line' | 'text'> {
  return {
    handle: null,
    packets: null,
    bytes: null,
    countersExact: true,
    target: '',
    protocol: 'all',
    protocolNegated: false,
    inInterface: null,
    inNegated: false,
    outInterface: null,
    outNegated: false,
    source: null,
    sourceNegated: false,
    destination: null,
    destinationNegated: false,
    dport: null,
    dportNegated: false,
    sport: null,
    sportNegated: false,
    dnatTo: null,
    snatTo: null,
    comment: null,
    matches: '',
  };
}

/** A chain with nothing known but its name and line: each parser fills in what its format shows. */
export function blankChain(name: string, line: number): NatChain {
  return {
    name,
    policy: null,
    packets: null,
    bytes: null,
    countersExact: true,
    references: null,
    hook: null,
    type: null,
    priority: null,
    handle: null,
    line,
  };
}
