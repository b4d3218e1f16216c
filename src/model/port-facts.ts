// What a host's NAT rules, docker-proxy processes and socket tables say, each saying where it came from.
import type { NatTable } from './nat-rule.js';
import type { DockerProxy, ListeningSocket, OtherNetnsProxies } from './port-path.js';

/** A table docknet read, and the snapshot file it came from. */
export interface SourcedTable {
  table: NatTable;
  from: string;
}

/** Every rule table read, of every kind, for the firewall model (parse/firewall-facts.ts). */
export interface FirewallSources {
  /** filter, raw, mangle, nat, security of iptables and ip6tables (both backends), and nftables-native tables. */
  tables: SourcedTable[];
  /**
   * Per family, the iptables dump read: 'all' when it holds every table (iptables-save: a table it lacks
   * has no rules), 'listed' when only the tables it lists are known (`iptables -t nat -L`, `-S`).
   */
  iptables: Record<'ipv4' | 'ipv6', { coverage: 'all' | 'listed'; from: string } | null>;
  /** The file nftables' own ruleset was read from (its native tables are then all known); null when not read. */
  nft: string | null;
}

export interface NatFacts {
  /** The nat tables to follow: iptables (both families, both backends) and nftables-native tables. */
  tables: SourcedTable[];
  /** False when no IPv4 NAT rules could be read at all. */
  ipv4Known: boolean;
  /** False when no ip6tables/nftables IPv6 NAT facts exist. */
  ipv6Known: boolean;
  /** Why the NAT rules are unavailable, when ipv4Known is false. */
  unavailable: string | null;
  /** Which file each family's rules came from, in words. */
  sources: string[];
  firewall: FirewallSources;
}

export interface PortFacts {
  nat: NatFacts;
  /** null: docker-proxy processes were not read. This host's, and those whose namespace is unknown. */
  dockerProxies: DockerProxy[] | null;
  /** Those of other network namespaces, left out of dockerProxies; null when docker-proxy was not read. */
  otherNetnsProxies: OtherNetnsProxies | null;
  /** Why dockerProxies is null although host/docker-proxy.json was read; null otherwise. */
  dockerProxiesUnknown: string | null;
  /** null: the host's socket tables were not read. */
  listening: ListeningSocket[] | null;
}
