// The structure of a port path and of a NAT anomaly: the hops a connection takes and why it goes (or
// does not go) through DNAT, as codes with their facts. render/nat-words.ts words them; JSON shows both.
import type { FamilyGateway } from './network-behaviour.js';
import type { PortRange } from './nat-rule.js';
import type { NatAnomaly, PathVia, PortPath } from './port-path.js';

/** A NAT table as a path names it: `ip nat` (nft), `nat`, `ip6tables nat`, `nat (legacy)`. */
export interface TableName {
  /** Which tool listed it: nft, or iptables (iptables-save, -L, -S). */
  tool: 'nft' | 'iptables';
  family: string;
  name: string;
  /** The legacy backend's table, read from a listing that says so. */
  legacy: boolean;
}

/** A rule's counters as the listing gave them; null when it gave none. */
export interface Counters {
  packets: number;
  bytes: number;
  /** False when the listing rounded them (1234K). */
  exact: boolean;
}

/** One hop after the address a client sends to, in order. */
export type PathHop =
  /** The DNAT rule, through the chains a packet passes from the hook to it. */
  | { kind: 'dnat'; table: TableName; chains: string[]; to: string; counters: Counters | null }
  /** docker-proxy accepting the connection on the host and opening its own to the container. */
  | { kind: 'docker-proxy'; pid: number; hostIp: string; hostPort: number }
  /** A routed network's container address, reached without NAT by clients that route its subnet here. */
  | { kind: 'routed'; address: string; subnet: string | null }
  /** The filter rule that opens a routed publication; rule null when no rule is in the data. */
  | {
      kind: 'filter-accept';
      rule: { table: string; chains: string[]; number: number; counters: Counters | null } | null;
      /** Whether the IPv4 filter rules were read (no rule then means none). */
      rulesRead: boolean;
    }
  | { kind: 'bridge'; name: string }
  /** The host end of the container's veth; probable when inferred by elimination, not read. */
  | { kind: 'host-veth'; name: string; probable: boolean }
  | { kind: 'container'; name: string | null; interface: string | null; address: string };

/** Why the host's own connection to a loopback address does not reach the DNAT rule's chain. */
export interface OutputExclusion {
  table: TableName;
  /** The output hook's chain (OUTPUT). */
  outputChain: string;
  /** The jump that sends only other destinations on (`! -d 127.0.0.0/8 -j DOCKER`); null when no jump reaches it at all. */
  only: { destination: string; target: string } | null;
  /** The chain that holds the DNAT rule. */
  ruleChain: string;
  /** The loopback address connected to. */
  address: string;
}

/** Why a path goes as it does: every path but a plain DNAT one, and every one that ends nowhere, has one. */
export type PathReason =
  /** A connection from this host skips the DNAT rule; unreached: the rule, when one exists for a loopback binding. */
  | { code: 'bypasses-dnat'; exclusion: OutputExclusion; unreached: { chain: string; number: number } | null }
  /** A loopback binding, with NAT rules not read: docker-proxy serves it. */
  | { code: 'loopback-binding' }
  /** A loopback binding with no DNAT rule for it. */
  | { code: 'no-rule' }
  /** The rule exists but no jump from PREROUTING reaches its chain. */
  | { code: 'not-reached-from-prerouting'; chain: string; number: number }
  /** An IPv6 binding Docker writes no DNAT rule for; ipv6Known false: no ip6tables facts were read. */
  | { code: 'no-ipv6-rule'; ipv6Known: boolean }
  /** A publication of a container on an --internal network: Docker writes no rule, by design. */
  | { code: 'internal-network'; network: string }
  /** A DNAT rule Docker should have written is not there. */
  | { code: 'missing-rule' }
  /** No host port is mapped (HostPort empty) and the network is not routed; gateway: its IPv4 gateway mode, null when not in the data (JSON: `gatewayMode`, in words). */
  | { code: 'no-host-port'; own: string; network: string | null; gateway: FamilyGateway | null }
  /** No host port because the network is routed: the container's own address is the published one. */
  | { code: 'routed'; network: string | null }
  /** The NAT rules were not read. */
  | { code: 'nat-unavailable'; why: string };

/** What a DNAT rule matches and where it sends, as its own fields hold them. */
export interface RuleMatch {
  /** The destination address it matches (0.0.0.0 or :: for any). */
  ip: string;
  dport: PortRange | null;
  protocol: string | null;
  target: string;
  dnatTo: { ip: string | null; port: PortRange | null } | null;
}

/** Why an anomaly is one, with its facts (the anomaly's own fields hold the rest). */
export type AnomalyReason =
  /** A publication with no DNAT rule (the anomaly's proxy and proxyServes say what serves it instead). */
  | { code: 'missing-rule' }
  /** A rule to the swarm ingress sandbox; sandbox: its key, when known. */
  | { code: 'ingress'; sandbox: string | null }
  /** A DNAT rule not written by Docker. */
  | { code: 'foreign' }
  /** Stale: a later rule that matches the same packets as an earlier one, which wins. */
  | { code: 'duplicate'; of: number }
  /** Stale: the target address now belongs to a container that publishes no such port. */
  | { code: 'address-reused'; container: string }
  /** Stale: the target address is a Docker sandbox's, not a container's. */
  | { code: 'sandbox-address'; sandbox: string; network: string | null }
  /** Stale: no container has the target address; unknownAddresses: containers whose addresses are unknown (so unconfirmed). */
  | { code: 'no-holder'; unknownAddresses: string[] };

/** A note on one mapping, as a code with its facts; render/nat-words.ts words it. */
export type MappingNote =
  /** A host port range for a container port range of another size: the engine picks one host port; `assumed` is taken. */
  | { code: 'host-port-range'; hostPorts: string; key: string; assumed: number }
  /** The host veth inferred: the one veth on the bridge with no known owner, and the one container whose interfaces are unknown. */
  | { code: 'probable-host-veth'; veth: string; bridge: string; container: string }
  /** The container's addresses are not in the data: the DNAT rule's target is taken as its address. */
  | { code: 'address-from-rule'; container: string; containerIp: string | null }
  /** The listing (iptables-nft rules read from nft -j) does not show the rule's DNAT target: matched by its host port alone. */
  | { code: 'dnat-target-not-shown'; chain: string; number: number }
  /** The publications are not in the data: the mapping is read from the DNAT rule and the container's own address. */
  | { code: 'from-rule'; container: string }
  /** The same with no container holding the target: `containerList` whether the list is known (but names none). */
  | { code: 'from-rule-no-container'; containerList: boolean; target: string | null }
  /** The network is nat-unprotected: every port of the container address is open, by this filter rule. */
  | {
      code: 'nat-unprotected';
      network: string | null;
      containerIp: string;
      rule: { table: string; chain: string; number: number; text: string };
    }
  /** No host port mapped (hostPort 0): `via` tells what the network does with it; `openedBy` the filter rule of a routed one. */
  | {
      code: 'no-host-port';
      hostIp: string;
      protocol: string;
      own: string;
      via: PathVia;
      openedBy: { table: string; chain: string; number: number } | null;
    }
  /** The DNAT rule exists but the host's own connection to a loopback address does not reach it: docker-proxy serves it. */
  | { code: 'dnat-not-reached'; chain: string; number: number; exclusion: OutputExclusion; hostIp: string }
  /** No IPv6 DNAT rule, as expected (IPv6 NAT off or no IPv6 address): docker-proxy forwards [::] to the IPv4 address. */
  | { code: 'no-ipv6-rule-expected' }
  /** No ip6tables facts: [::] is docker-proxy's unless Docker writes IPv6 NAT rules. */
  | { code: 'no-ip6tables-facts' }
  /** An --internal network: no DNAT rule is expected. */
  | { code: 'internal-network'; network: string | null };

/** The sentences of paths and anomalies (render/nat-words.ts), handed to correlators that quote them. */
export interface NatWords {
  path(p: PortPath): string;
  anomaly(a: NatAnomaly): string;
}
