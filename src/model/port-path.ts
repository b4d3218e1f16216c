// The way from a published host port to a container, as docknet reports it: the Engine's publication,
// the DNAT rule the kernel holds, the docker-proxy process that may serve it instead, and what is wrong.
import type { AnomalyReason, MappingNote, PathHop, PathReason, RuleMatch } from './nat-path.js';
import type { NatRule } from './nat-rule.js';

/** A docker-proxy process, read from its command line (`-proto tcp -host-ip 0.0.0.0 -host-port 49154 ...`). */
export interface DockerProxy {
  pid: number;
  proto: string;
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
  /** The whole command line, for the report. */
  argv: string[];
  /** Its network namespace (readlink /proc/<pid>/ns/net); null or absent when it was not read. */
  netns?: string | null;
}

/** docker-proxy processes seen in /proc that belong to another network namespace (another engine), left out. */
export interface OtherNetnsProxies {
  count: number;
  /** Their namespaces, e.g. net:[4026533155], sorted. */
  namespaces: string[];
}

/** A socket bound on the host (from /proc/net/tcp, tcp6, udp, udp6): TCP in LISTEN, UDP unconnected. */
export interface ListeningSocket {
  protocol: 'tcp' | 'udp';
  family: 'ipv4' | 'ipv6';
  /** Address as usually written: 0.0.0.0, 127.0.0.1, ::, ::1. */
  ip: string;
  port: number;
  inode: number | null;
}

/** One NAT rule, as a port path names it: the rule's own fields (model/nat-rule.ts), where it was read, and how it is reached. */
export interface RuleRef
  extends Pick<NatRule, 'table' | 'chain' | 'number' | 'handle' | 'packets' | 'bytes' | 'countersExact' | 'target' | 'text'> {
  family: string;
  /** nf_tables, legacy, nftables (Docker's own tables), or null when the listing does not say. */
  backend: string | null;
  /** The chains a packet passes from the hook to this rule's chain, e.g. ["PREROUTING", "DOCKER"]. */
  hookPath: string[];
  /** Where the rule was read: host/iptables-save.txt, ... */
  from: string;
}

export interface ProxyRef {
  pid: number;
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
  proto: string;
}

/** How traffic to one address of a mapping actually travels. */
/** routed: no NAT; the container's own address is published (a routed network's IPv4 publication, listed with no host port). */
export type PathVia = 'dnat' | 'docker-proxy' | 'routed' | 'none' | 'unknown';

export interface PortPath {
  /** The address a client uses, e.g. "0.0.0.0:49154/tcp", "127.0.0.1:49154/tcp", "[::]:49154/tcp". */
  address: string;
  /** Who sends to it: 'outside' (through PREROUTING) or 'this host' (through OUTPUT). */
  from: 'outside' | 'this host' | 'outside and this host';
  via: PathVia;
  /** The hops after the address, in order (none when nothing serves it). */
  hops: PathHop[];
  /** Why it goes as it does; null for a path through the DNAT rule. render/nat-words.ts words it. */
  reason: PathReason | null;
}

/** Where the mapping's publication was read. */
export type PublishedBy = 'NetworkSettings.Ports' | 'HostConfig.PortBindings' | 'docker ps' | 'docker port' | null;

export interface PortMapping {
  hostIp: string;
  /** 0 when the engine maps no host port (HostPort ""; `docker ps` 0.0.0.0:0): a routed network's IPv4 publication. */
  hostPort: number;
  protocol: string;
  containerIp: string | null;
  containerPort: number;
  container: string | null;
  containerId: string | null;
  network: string | null;
  bridge: string | null;
  hostVeth: string | null;
  /**
   * When hostVeth is unknown (the container's inside was not read): the veth it probably is, by
   * elimination (the one veth on the bridge with no known owner). Never put in hostVeth.
   */
  probableHostVeth: string | null;
  /** The container's interface that holds containerIp, e.g. eth0. */
  interface: string | null;
  /** The DNAT rule Docker wrote for this binding; null when there is none (or NAT rules are unavailable). */
  rule: RuleRef | null;
  /** The hairpin MASQUERADE rule (container reaching itself through the published port). */
  hairpin: RuleRef | null;
  /**
   * The filter rule that accepts forwarded traffic to the container port (`-A DOCKER -d <ip>/32 ! -i <bridge>
   * -o <bridge> -p tcp --dport <port> -j ACCEPT`): on a routed network what publishes it; null when not in the data.
   */
  openedBy: RuleRef | null;
  proxy: ProxyRef | null;
  /** How a client outside the host reaches it: through the DNAT rule, docker-proxy, or nothing. */
  via: PathVia;
  publishedBy: PublishedBy;
  /** Where containerIp came from: the Engine endpoint, the container's own addresses, the rule, or docker-proxy. */
  containerIpFrom: 'endpoint' | 'interface' | 'rule' | 'docker-proxy' | null;
  /** Containers sharing this container's network namespace (`--network container:<this>`): served by the same port. */
  followers: string[];
  paths: PortPath[];
  notes: MappingNote[];
}

export type AnomalyKind = 'stale-rule' | 'missing-rule' | 'foreign-rule' | 'ingress';

export interface NatAnomaly {
  kind: AnomalyKind;
  /** Why it is one, with its facts; render/nat-words.ts words it. */
  reason: AnomalyReason;
  /** What the rule matches and where it sends; null for a missing rule. */
  match: RuleMatch | null;
  hostIp: string | null;
  hostPort: number | null;
  protocol: string | null;
  containerIp: string | null;
  containerPort: number | null;
  container: string | null;
  network: string | null;
  bridge: string | null;
  hostVeth: string | null;
  rule: RuleRef | null;
  proxy: ProxyRef | null;
  /** missing-rule: whether docker-proxy still serves the port. */
  proxyServes: boolean | null;
  /** stale-rule: false when some containers' addresses are unknown, so the target may still be someone's. */
  confirmed: boolean;
}

export interface NatReport {
  /** False when no NAT rules could be read (e.g. not root): mappings then come from the Engine alone. */
  available: boolean;
  reason: string | null;
  /** Which backend holds Docker's rules: nf_tables, legacy, nftables (Docker's own nftables tables), or null. */
  backend: string | null;
  /**
   * Whether the Engine's publications are known (a container list was read): when not, the mappings
   * are those the DNAT rules show, and "no published ports" cannot be said.
   */
  publicationsKnown: boolean;
  /** Why the publications are unknown, when they are. */
  publicationsReason: string | null;
  mappings: PortMapping[];
  anomalies: NatAnomaly[];
  /** Where facts came from and what was missing, in words. */
  notes: string[];
  /** docker-proxy processes of other network namespaces, seen and left out; null when docker-proxy was not read. */
  otherNetnsProxies: OtherNetnsProxies | null;
}

/** `0.0.0.0:49154/tcp`, `[::]:49154/tcp`. */
export function hostAddress(ip: string, port: number, protocol: string): string {
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}/${protocol}`;
}

/** `nat --port`: one port (and protocol), and the host address it is bound to when the query names one. */
export interface PortQuery {
  hostIp: string | null;
  port: number;
  protocol: string;
}
