// Pairing a container's interfaces with host veths: the shared context, the rows' Docker endpoint
// fields, and the peer each interface points at, keyed by (namespace, ifindex).
import type { ContainerIface } from '../model/container-net.js';
import { shortId, type ContainerInfo, type Endpoint, type NetworkInfo } from '../model/engine.js';
import type { Link } from '../model/link.js';
import type { HostModel } from '../model/host.js';
import type { BridgeIdentityOf } from './docker-bridges.js';
import type { InterfaceRow } from './veth-map.js';
import type { InterfaceNote, SourceNote } from './veth-map-notes.js';

export interface Context {
  model: HostModel;
  isVeth: (link: Link) => boolean;
  hostByIndex: Map<number, Link>;
  bridgeOf: Map<string, string>;
  networksById: Map<string, NetworkInfo>;
  networksByName: Map<string, NetworkInfo>;
  bridgeIdentity: BridgeIdentityOf;
  /** Namespaces several containers were read in, with no `container:` mode to say whose: netns -> names. */
  sharedNamespaces: Map<string, string[]>;
  /** link-netnsid (as the host numbers namespaces) -> namespace identity, learnt from two-sided pairs. */
  nsidToNetns: Map<number, string>;
  /** Source notes, each once (keyed by their JSON). */
  notes: Map<string, SourceNote>;
}

/** Adds a source note once. */
export function addSourceNote(ctx: Context, n: SourceNote): void {
  const key = JSON.stringify(n);
  if (!ctx.notes.has(key)) ctx.notes.set(key, n);
}

export const BUILTIN_NETWORK_MODES: Record<string, string> = { bridge: 'bridge', host: 'host', none: 'none' };

export const MODES_BY_DRIVER: Record<string, string> = {
  bridge: 'bridge',
  macvlan: 'macvlan',
  ipvlan: 'ipvlan',
  overlay: 'overlay',
  host: 'host',
  null: 'none',
};

/**
 * Plain `ip addr` text names no kind: a link whose peer is in another namespace is a veth end.
 * iproute2 says so with link-netnsid; busybox never prints it, so there a peer index that no link of
 * the same listing points back from is taken as a peer elsewhere (pairing still needs both sides).
 */
export function vethTest(links: Link[]): (link: Link) => boolean {
  const byIndex = new Map(links.map((l) => [l.ifindex, l]));
  return (link) => {
    if (link.kind) return link.kind === 'veth';
    if (link.peerIfindex === null || link.name === 'lo' || link.peerName !== null) return false;
    if (link.linkNetnsId !== null || link.linkNetnsName !== undefined) return true;
    return byIndex.get(link.peerIfindex)?.peerIfindex !== link.ifindex;
  };
}

export function networkOf(ctx: Context, ep: Endpoint): NetworkInfo | undefined {
  return (ep.networkId ? ctx.networksById.get(ep.networkId) : undefined) ?? ctx.networksByName.get(ep.network);
}

export function baseRow(c: ContainerInfo, mode: string): InterfaceRow {
  return {
    container: c.name,
    containerId: c.id || null,
    shortId: c.id ? shortId(c.id) : null,
    state: c.state,
    running: c.running,
    mode,
    networkMode: c.networkMode,
    interface: null,
    ifindex: null,
    peerIfindex: null,
    hostVeth: null,
    hostIfindex: null,
    bridge: null,
    network: null,
    driver: null,
    ipv4: null,
    ipv6: null,
    mac: null,
    mtu: null,
    parent: null,
    sharesNetnsWith: null,
    netns: null,
    pairedBy: null,
    notes: [],
  };
}

export function withEndpoint(ctx: Context, row: InterfaceRow, ep: Endpoint): InterfaceRow {
  const net = networkOf(ctx, ep);
  row.network = ep.network;
  row.driver = net?.driver ?? null;
  // Without the network list, only Docker's own networks (bridge, host, none) say their driver by name.
  row.mode = row.driver ? (MODES_BY_DRIVER[row.driver] ?? row.driver) : (BUILTIN_NETWORK_MODES[ep.network] ?? 'unknown');
  row.ipv4 = ep.ipv4;
  row.ipv6 = ep.ipv6;
  row.mac = row.mac ?? ep.mac;
  if (net?.driver === 'bridge') row.bridge = net.bridgeName;
  if (net && (net.driver === 'macvlan' || net.driver === 'ipvlan')) row.parent = net.parent;
  return row;
}

/** Interfaces worth a row: not lo, and either linked to something or carrying a Docker endpoint. */
export function meaningful(iface: ContainerIface, endpointMacs: Set<string>): boolean {
  if (iface.name === 'lo') return false;
  if (iface.mac && endpointMacs.has(iface.mac)) return true;
  return iface.iflink === null || (iface.iflink !== 0 && iface.iflink !== iface.ifindex);
}

/** Matches interfaces to endpoints by MAC; a single leftover of each is paired by elimination (ipvlan shares its parent's MAC). */
export function matchEndpoints(
  ifaces: ContainerIface[],
  endpoints: Endpoint[],
): { pairs: [ContainerIface, Endpoint | null][]; unmatched: Endpoint[] } {
  const left = [...endpoints];
  const pairs: [ContainerIface, Endpoint | null][] = [];
  for (const iface of ifaces) {
    const i = left.findIndex((ep) => ep.mac !== null && ep.mac === iface.mac);
    pairs.push([iface, i >= 0 ? (left.splice(i, 1)[0] as Endpoint) : null]);
  }
  const lonely = pairs.filter(([, ep]) => ep === null);
  if (lonely.length === 1 && left.length === 1) {
    (lonely[0] as [ContainerIface, Endpoint | null])[1] = left.pop() as Endpoint;
  }
  return { pairs, unmatched: left };
}

/** For an interface Docker did not report on the container (e.g. the docker_gwbridge leg of overlay), any network listing its MAC. */
export function memberNetwork(ctx: Context, mac: string | null): NetworkInfo | null {
  if (!mac) return null;
  for (const net of ctx.networksById.values()) if (net.members.some((m) => m.mac === mac)) return net;
  return null;
}

/** Adds a note to a row, after those it has. */
export function note(row: InterfaceRow, n: InterfaceNote): void {
  row.notes.push(n);
}

export function resolvePeer(
  ctx: Context,
  row: InterfaceRow,
  iface: ContainerIface,
  netns: string | null,
  siblings: ContainerIface[],
): void {
  const { iflink, ifindex } = iface;
  if (iflink !== null && ifindex !== null) {
    if (iflink === ifindex || iflink === 0) {
      note(row, { code: 'no-peer' });
      return;
    }
    const twin = siblings.find((s) => s !== iface && s.ifindex === iflink && s.iflink === ifindex);
    if (twin) {
      note(row, { code: 'peer-inside', twin: twin.name });
      return;
    }
    if (!ctx.model.hostLinks.known && row.driver !== 'overlay') {
      note(row, { code: 'host-links-unknown', peerIfindex: iflink });
      return;
    }
    const host = ctx.hostByIndex.get(iflink);
    if (host && ctx.isVeth(host) && host.peerIfindex === ifindex) {
      const known = host.linkNetnsId !== null ? ctx.nsidToNetns.get(host.linkNetnsId) : undefined;
      if (known !== undefined && netns !== null && known !== netns) {
        note(row, { code: 'other-namespace-veth', hostVeth: host.name, ifindex, linkNetnsId: host.linkNetnsId });
        return;
      }
      if (host.linkNetnsId !== null && netns !== null) ctx.nsidToNetns.set(host.linkNetnsId, netns);
      row.hostVeth = host.name;
      row.hostIfindex = host.ifindex;
      row.bridge = host.master ?? ctx.bridgeOf.get(host.name) ?? row.bridge;
      row.pairedBy = 'both-sides';
      return;
    }
    if (row.driver === 'macvlan' || row.driver === 'ipvlan') {
      if (host && !ctx.isVeth(host)) {
        row.parent = host.name;
        note(row, { code: 'on-parent', driver: row.driver, parent: host.name, parentIfindex: host.ifindex });
      } else {
        note(row, { code: 'parent-unlisted', driver: row.driver, parent: row.parent, parentIfindex: iflink });
      }
      return;
    }
    if (row.driver === 'overlay') {
      note(row, { code: 'overlay-peer', peerIfindex: iflink, network: row.network });
      return;
    }
    note(row, { code: 'peer-elsewhere', peerIfindex: iflink, ifindex });
    return;
  }
  if (ifindex === null) {
    note(row, { code: 'ifindex-unknown' });
    return;
  }
  if (!ctx.model.hostLinks.known) {
    note(row, { code: 'host-links-unknown', peerIfindex: null });
    return;
  }
  // Only the host side is known to point here: usable when exactly one host veth does.
  const candidates = [...ctx.hostByIndex.values()].filter(
    (l) =>
      ctx.isVeth(l) &&
      l.peerIfindex === ifindex &&
      (netns === null || l.linkNetnsId === null || (ctx.nsidToNetns.get(l.linkNetnsId) ?? netns) === netns),
  );
  if (candidates.length === 1) {
    const host = candidates[0] as Link;
    row.hostVeth = host.name;
    row.hostIfindex = host.ifindex;
    row.bridge = host.master ?? ctx.bridgeOf.get(host.name) ?? row.bridge;
    row.pairedBy = 'host-side-only';
    note(row, { code: 'paired-host-side', hostVeth: host.name, ifindex });
  } else if (candidates.length > 1) {
    note(row, { code: 'pairing-ambiguous', hostVeths: candidates.map((l) => l.name), ifindex });
  } else {
    note(row, { code: 'no-host-veth', ifindex });
  }
}
