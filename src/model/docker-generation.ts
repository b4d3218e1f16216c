// What each Docker generation does to a host's network, in one place: which release brought gateway
// modes, the raw-table direct-access drops and the DOCKER-FORWARD layout, and which chains are Docker's.
import type { FwRule } from './firewall.js';

/** Which Docker engine the facts come from: `GET /version` (docker/version.json), else /info's ServerVersion. */
export interface EngineVersion {
  /** The engine's version, e.g. "20.10.24+dfsg1" or "28.5.2". */
  version: string;
  /** The Engine API version, e.g. "1.41"; null when only /info was read. */
  apiVersion: string | null;
}

/** A Docker engine release, from its version string ("20.10.24+dfsg1", "28.5.2+dfsg4", "v27.0.1"). */
export interface DockerRelease {
  major: number;
  minor: number;
  patch: number;
  /** As the engine wrote it. */
  text: string;
}

export function parseDockerRelease(version: string): DockerRelease | null {
  const m = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?/.exec(version.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: version.trim() };
}

/** The engine's behaviours that changed between generations, each with the release that brought it. */
export const DOCKER_FEATURES = {
  /** com.docker.network.bridge.gateway_mode_ipv4/ipv6 = nat | routed (moby#47871). */
  gatewayModes: { since: '27.0.0', what: 'gateway modes' },
  /** gateway_mode nat-unprotected (moby#48597) and isolated, with the direct-access protection they switch off or extend. */
  natUnprotected: { since: '28.0.0', what: 'the nat-unprotected gateway mode' },
  isolated: { since: '28.0.0', what: 'the isolated gateway mode' },
  /** raw PREROUTING `-d <container> ! -i <bridge> -j DROP`: no direct access to container addresses from beyond their bridge. */
  directAccessDrops: { since: '28.0.0', what: 'raw-table PREROUTING drops of direct access to container addresses' },
  /** Docker's filter rules moved out of FORWARD into DOCKER-FORWARD, DOCKER-BRIDGE and DOCKER-CT (moby#49518). */
  forwardChains: { since: '28.0.1', what: 'the DOCKER-FORWARD, DOCKER-BRIDGE and DOCKER-CT filter chains' },
} as const;

export type DockerFeature = keyof typeof DOCKER_FEATURES;

function compare(a: DockerRelease, since: string): number {
  const b = parseDockerRelease(since) as DockerRelease;
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Whether the release has the feature; null when the release is unknown. */
export function hasFeature(release: DockerRelease | null, feature: DockerFeature): boolean | null {
  if (!release) return null;
  return compare(release, DOCKER_FEATURES[feature].since) >= 0;
}

/** "Docker 20.10" for 20.10.24, "Docker 28.5" for 28.5.2: how a generation is named in words. */
export function generationWord(release: DockerRelease): string {
  return `Docker ${release.major}.${release.minor}`;
}

/**
 * Chains Docker writes in the iptables tables, of any generation: filter DOCKER, DOCKER-USER, the
 * isolation stages and DOCKER-INGRESS (swarm) since long before 20.10; DOCKER-FORWARD, DOCKER-BRIDGE,
 * DOCKER-CT since 28.0.1; DOCKER-INTERNAL for internal networks in newer layouts.
 */
export const DOCKER_CHAINS: Readonly<Record<string, { table: string; since: string | null; what: string }>> = {
  DOCKER: { table: 'filter/nat', since: null, what: 'per-container rules: published ports (nat: DNAT; filter: ACCEPT)' },
  'DOCKER-USER': { table: 'filter', since: null, what: "the user's own rules, evaluated first" },
  'DOCKER-ISOLATION-STAGE-1': { table: 'filter', since: null, what: 'isolation between networks, and of internal networks' },
  'DOCKER-ISOLATION-STAGE-2': { table: 'filter', since: null, what: 'isolation between networks' },
  'DOCKER-INGRESS': { table: 'filter/nat', since: null, what: "swarm's routing mesh" },
  'DOCKER-FORWARD': { table: 'filter', since: '28.0.1', what: "Docker's forwarding rules, jumped to from FORWARD" },
  'DOCKER-BRIDGE': { table: 'filter', since: '28.0.1', what: 'traffic to each bridge, to DOCKER' },
  'DOCKER-CT': { table: 'filter', since: '28.0.1', what: 'replies of established connections to each bridge' },
  // 28.5 still writes internal networks' rules into DOCKER-ISOLATION-STAGE-1 (seen in the lab); newer layouts have this chain.
  'DOCKER-INTERNAL': { table: 'filter', since: null, what: 'isolation of internal networks' },
};

/** Whether a chain name is one Docker writes (of some generation). */
export function isDockerChain(name: string): boolean {
  return Object.hasOwn(DOCKER_CHAINS, name);
}

/** Bridge network options that change what Docker writes, as the Engine API reports them (NetworkInfo.options). */
export const BRIDGE_OPTION = {
  gatewayModeIpv4: 'com.docker.network.bridge.gateway_mode_ipv4',
  gatewayModeIpv6: 'com.docker.network.bridge.gateway_mode_ipv6',
  enableIcc: 'com.docker.network.bridge.enable_icc',
  enableIpMasquerade: 'com.docker.network.bridge.enable_ip_masquerade',
} as const;

/** How a bridge network's gateway treats one address family (Docker 27+; before, every bridge is `nat`). */
export type GatewayMode = 'nat' | 'nat-unprotected' | 'routed' | 'isolated';

export const GATEWAY_MODES: readonly GatewayMode[] = ['nat', 'nat-unprotected', 'routed', 'isolated'];

/** Since which release an engine honours a gateway mode's option value. */
export function gatewayModeFeature(mode: GatewayMode): DockerFeature {
  if (mode === 'nat-unprotected') return 'natUnprotected';
  if (mode === 'isolated') return 'isolated';
  return 'gatewayModes';
}

/**
 * Docker's direct-access protection (28.0.0+), as the firewall model holds it: raw PREROUTING
 * `-d <container address> ! -i <its bridge> -j DROP`, and `-d 127.0.0.1 ! -i lo --dport P -j DROP` for a
 * port published on loopback. Docker writes no other raw PREROUTING drops.
 */
export function isDirectAccessDrop(table: string, rule: FwRule): boolean {
  return (
    table === 'raw' &&
    rule.chain === 'PREROUTING' &&
    rule.action.kind === 'drop' &&
    rule.conds.some((c) => c.kind === 'address' && c.dir === 'dst' && !c.negated) &&
    rule.conds.some((c) => c.kind === 'interface' && c.dir === 'in' && c.negated)
  );
}
