// The Snapshot: the raw facts of one host at one moment, as text, each with how it was obtained.
// Gathered live or loaded from disk; everything after gathering works on this value alone.
import type { UnknownCause } from '../model/fact.js';

export interface FactOrigin {
  /** command: a host command; api: an Engine API call; file: a file read; manual: pasted by a person. */
  kind: 'command' | 'api' | 'file' | 'manual';
  /** The command line, API path or file path. */
  what: string;
  exitCode?: number | null;
  stderr?: string;
  durationMs?: number;
  /** For a fact imported from a terminal transcript: the first and last line (1-based) of the command and its output there. */
  lines?: [number, number];
}

export interface Fact {
  /** Path inside the snapshot, e.g. "host/ip-addr.json". */
  path: string;
  text: string;
  origin: FactOrigin;
}

/** Something docknet tried to gather and could not, with the reason in words. */
export interface MissingFact {
  path: string;
  what: string;
  reason: string;
  /** The reason as a code; when absent, read from the reason's words (model/fact.ts causeOf). */
  cause?: UnknownCause;
}

export interface SnapshotSource {
  kind: 'live' | 'saved';
  /** For saved snapshots: where it was loaded from. */
  location: string | null;
  /** Set when the facts were cut from a pasted terminal session (`snapshot import`, or `--from` a transcript). */
  transcript?: true;
}

export interface Snapshot {
  source: SnapshotSource;
  /** ISO time the facts were gathered (null when a hand-made snapshot does not say). */
  takenAt: string | null;
  hostname: string | null;
  kernel: string | null;
  facts: Map<string, Fact>;
  missing: MissingFact[];
}

/** The file names a snapshot may hold; every one is optional. */
export const FACT = {
  containers: 'docker/containers.json',
  networks: 'docker/networks.json',
  engineInfo: 'docker/info.json',
  engineVersion: 'docker/version.json',
  dockerPs: 'docker/ps.txt',
  /** `docker port` of a container the snapshot does not name otherwise; its own command line may name it. */
  dockerPortAny: 'docker/port.txt',
  /** `docker port NAME` (or `docker port NAME PORT`) of one container. */
  dockerPort: (name: string) => `docker/port-${name}.txt`,
  /** Pids of running containers from the OCI runtime's state files, when containers.json holds list entries. */
  containerPids: 'host/container-pids.json',
  ipAddrJson: 'host/ip-addr.json',
  ipLinkJson: 'host/ip-link.json',
  ipAddrText: 'host/ip-addr.txt',
  /** Text of `ip -d link`: for people reading the snapshot; docknet reads the JSON forms. */
  ipLinkText: 'host/ip-link.txt',
  /** `ip -j route show table main`: the default route names the uplink. */
  ipRouteJson: 'host/ip-route.json',
  ip6RouteJson: 'host/ip6-route.json',
  /** readlink /proc/self/ns/net of the gathering process: the host's namespace identity. */
  hostNetns: 'host/netns.txt',
  brctlShow: 'host/brctl-show.txt',
  /** `ip -br addr` and `ip -br link` (`-c` colours allowed): names, states, addresses and MACs, no ifindex. */
  ipBriefAddr: 'host/ip-br-addr.txt',
  ipBriefLink: 'host/ip-br-link.txt',
  iptablesNat: 'host/iptables-nat.txt',
  /** `iptables -S` / `iptables -t nat -S` (one listing or several): read when no iptables-save or -L listing of nat exists. */
  iptablesS: 'host/iptables-S.txt',
  iptablesSave: 'host/iptables-save.txt',
  ip6tablesSave: 'host/ip6tables-save.txt',
  nftRulesetJson: 'host/nft-ruleset.json',
  nftRulesetText: 'host/nft-ruleset.txt',
  /** The docker-proxy processes (userland proxy), one {pid, cmdline} per process, from /proc. */
  dockerProxy: 'host/docker-proxy.json',
  /** iptables-legacy-save -c / ip6tables-legacy-save -c: read when iptables-nft says legacy tables exist too. */
  iptablesLegacySave: 'host/iptables-legacy-save.txt',
  ip6tablesLegacySave: 'host/ip6tables-legacy-save.txt',
  /** iptables-nft-save: the nf_tables backend's rules, read by doctor beside the legacy ones. */
  iptablesNftSave: 'host/iptables-nft-save.txt',
  /** Sysctls and modules doctor checks (net.ipv4.ip_forward, bridge-nf-call-iptables, br_netfilter). */
  hostSettings: 'host/settings.json',
  /** Warnings the engine or `docker run` printed (e.g. "WARNING: IPv4 forwarding is disabled."), as text. */
  dockerWarnings: 'docker/warnings.txt',
  /** The host's socket tables, /proc/net/tcp, tcp6, udp, udp6: which host ports something is bound to. */
  hostSockets: (table: string) => `host/proc-net-${table}.txt`,
  /** docknet's own reading of a container's interfaces through /proc/<pid>/root/sys/class/net. */
  containerNet: (name: string) => `containers/${name}/net.json`,
  /** A container's resolv.conf and main-process sockets, read through /proc/<pid> (inspect). */
  containerFiles: (name: string) => `containers/${name}/files.json`,
  /** A container's `ip addr` text, e.g. pasted from `docker exec <name> ip addr`. */
  containerIpAddr: (name: string) => `containers/${name}/ip-addr.txt`,
  /** GET /networks?filters={"driver":["overlay"]}: the swarm overlays this node knows (docknet overlay). */
  overlayNetworks: 'overlay/networks.json',
  /** The engine's exec root, where its namespaces are (`<exec-root>/netns`), and how docknet found it. */
  overlayExecRoot: 'overlay/exec-root.json',
  /** GET /networks/{id}?verbose=true of one overlay: peers, services and tasks as the control plane has them. */
  overlayNetwork: (id: string) => `overlay/${id}/network.json`,
  /** The overlay's namespace file (`<exec-root>/netns/1-<id[:10]>`): whether this node has it. */
  overlaySandbox: (id: string) => `overlay/${id}/sandbox.json`,
  /** Inside that namespace (nsenter --net): `ip -j -d link show`, `bridge -j fdb show`, `ip -j neigh show`. */
  overlayLinks: (id: string) => `overlay/${id}/ip-link.json`,
  overlayFdb: (id: string) => `overlay/${id}/bridge-fdb.json`,
  overlayNeigh: (id: string) => `overlay/${id}/ip-neigh.json`,
  /** GET /nodes, /services, /tasks: only a manager answers them. */
  swarmNodes: 'swarm/nodes.json',
  swarmServices: 'swarm/services.json',
  swarmTasks: 'swarm/tasks.json',
  /** `ip xfrm state` and `ip xfrm policy` of the node (text: iproute2 prints no JSON for xfrm); key bytes kept as printed. */
  xfrmState: 'host/xfrm-state.txt',
  xfrmPolicy: 'host/xfrm-policy.txt',
  /** IPVS (/proc/net/ip_vs), the kernel's build options for IPVS, ESP and GCM (/proc/config.gz), loaded modules. */
  kernelFeatures: 'host/kernel-features.json',
} as const;

/** The facts only `docknet overlay` reads (fact group overlay): other commands neither use them nor report them missing. */
export function isOverlayFact(path: string): boolean {
  return /^(overlay|swarm)\//.test(path) || path === FACT.kernelFeatures || path === FACT.xfrmState || path === FACT.xfrmPolicy;
}

/**
 * Why a fact path cannot be a file inside a snapshot, or null when it can. Paths come from
 * container names (the engine) and from archive entries (anyone): both are checked the same way.
 */
export function unsafeFactPath(path: string): string | null {
  if (path === '') return 'the path is empty';
  if (path.includes('\0')) return 'the path holds a NUL byte';
  if (path.includes('\\')) return 'the path holds a backslash';
  if (path.startsWith('/')) return 'the path is absolute';
  if (/^[A-Za-z]:/.test(path)) return 'the path starts with a drive letter';
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return "the path climbs out with '..'";
  if (segments.some((s) => s === '' || s === '.')) return 'the path has an empty or "." segment';
  return null;
}

export function factText(snapshot: Snapshot, path: string): string | null {
  return snapshot.facts.get(path)?.text ?? null;
}

export function emptySnapshot(source: SnapshotSource): Snapshot {
  return { source, takenAt: null, hostname: null, kernel: null, facts: new Map(), missing: [] };
}
