// Pairs every container interface with its host-side peer, and every host veth with its owner.
// Pairs are keyed by (namespace, ifindex): a container interface (ifindex C, iflink H) and a host
// link (ifindex H, peer C, link-netnsid N) point at each other, so neither 7 vs 27 nor index 7 of
// two namespaces can be confused.
import type { ContainerIface, ContainerNetFacts } from '../model/container-net.js';
import { containerKey, shortId, type ContainerInfo, type Endpoint, type NetworkInfo } from '../model/engine.js';
import type { Link } from '../model/link.js';
import { lookupIn } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import { bridgeIdentities, type BridgeIdentityOf } from './docker-bridges.js';
import { naturalCompare } from '../util/natural-compare.js';
import { netnsOwnerRef, netnsSharing } from './find-container.js';
import { hostInterfaces, type HostInterfaceRow } from './host-interfaces.js';

export type PairedBy = 'both-sides' | 'host-side-only';

export interface InterfaceRow {
  container: string;
  /** null when the data names the container but not its id (e.g. a pasted `ip addr`). */
  containerId: string | null;
  shortId: string | null;
  state: string;
  running: boolean;
  /** bridge, host, none, container, macvlan, ipvlan, overlay, or another driver's name. */
  mode: string;
  networkMode: string;
  interface: string | null;
  ifindex: number | null;
  /** The interface's IFLA_LINK as seen inside: the "@ifN" of `ip addr`. */
  peerIfindex: number | null;
  hostVeth: string | null;
  hostIfindex: number | null;
  bridge: string | null;
  network: string | null;
  driver: string | null;
  ipv4: string | null;
  ipv6: string | null;
  mac: string | null;
  mtu: number | null;
  /** The host interface a macvlan/ipvlan interface sits on. */
  parent: string | null;
  sharesNetnsWith: string | null;
  netns: string | null;
  pairedBy: PairedBy | null;
  note: string | null;
}

/** container: that container's; namespace: the namespace a container was read in, which it may share (its mode is not in the data). */
export type VethOwnerKind = 'container' | 'namespace' | 'ingress-sbox' | null;

/** owned: a container's or sandbox's; none: proven to belong to no container (every fact it needs was read); unknown: cannot be told. */
export type OwnerStatus = 'owned' | 'none' | 'unknown';

export interface HostVethRow {
  name: string;
  /** null when only `brctl show` names the port (no `ip` listing). */
  ifindex: number | null;
  peerIfindex: number | null;
  linkNetnsId: number | null;
  bridge: string | null;
  owner: string | null;
  ownerKind: VethOwnerKind;
  /** The owner's interface at the other end, e.g. "eth0". */
  ownerInterface: string | null;
  /** True when some containers' interfaces could not be read, so a null owner means "unknown", not "none". */
  ownerUnknown: boolean;
  ownerStatus: OwnerStatus;
  /** Whether its bridge is Docker's: true, false, or null when the data cannot tell (correlate/docker-bridges.ts). */
  bridgeDocker: boolean | null;
  /** True when bridgeDocker rests on the bridge's name alone. */
  bridgeInferred: boolean;
  note: string | null;
}

export interface VethMap {
  interfaces: InterfaceRow[];
  hostVeths: HostVethRow[];
  /** False when the data has no host link listing: then no host veth can be named at all. */
  hostLinksKnown: boolean;
  /**
   * True when hostVeths are all the host's veths: the link listing is whole (it holds the loopback, as
   * every full listing does) and brctl names no veth port it lacks. A pasted excerpt is not whole.
   */
  hostVethsComplete: boolean;
  /** Why hostVeths may not be all, when hostVethsComplete is false. */
  hostVethsIncomplete: string | null;
  /** The host's other interfaces, each with what it is for. */
  hostInterfaces: HostInterfaceRow[];
  /** Where facts came from and what was missing, each once, in words. */
  notes: string[];
}

interface Context {
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
  notes: Set<string>;
}

const BUILTIN_NETWORK_MODES: Record<string, string> = { bridge: 'bridge', host: 'host', none: 'none' };

const MODES_BY_DRIVER: Record<string, string> = {
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
function vethTest(links: Link[]): (link: Link) => boolean {
  const byIndex = new Map(links.map((l) => [l.ifindex, l]));
  return (link) => {
    if (link.kind) return link.kind === 'veth';
    if (link.peerIfindex === null || link.name === 'lo' || link.peerName !== null) return false;
    if (link.linkNetnsId !== null || link.linkNetnsName !== undefined) return true;
    return byIndex.get(link.peerIfindex)?.peerIfindex !== link.ifindex;
  };
}

function networkOf(ctx: Context, ep: Endpoint): NetworkInfo | undefined {
  return (ep.networkId ? ctx.networksById.get(ep.networkId) : undefined) ?? ctx.networksByName.get(ep.network);
}

function baseRow(c: ContainerInfo, mode: string): InterfaceRow {
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
    note: null,
  };
}

function withEndpoint(ctx: Context, row: InterfaceRow, ep: Endpoint): InterfaceRow {
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
function meaningful(iface: ContainerIface, endpointMacs: Set<string>): boolean {
  if (iface.name === 'lo') return false;
  if (iface.mac && endpointMacs.has(iface.mac)) return true;
  return iface.iflink === null || (iface.iflink !== 0 && iface.iflink !== iface.ifindex);
}

/** Matches interfaces to endpoints by MAC; a single leftover of each is paired by elimination (ipvlan shares its parent's MAC). */
function matchEndpoints(
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
function memberNetwork(ctx: Context, mac: string | null): NetworkInfo | null {
  if (!mac) return null;
  for (const net of ctx.networksById.values()) if (net.members.some((m) => m.mac === mac)) return net;
  return null;
}

function resolvePeer(ctx: Context, row: InterfaceRow, iface: ContainerIface, netns: string | null, siblings: ContainerIface[]): void {
  const { iflink, ifindex } = iface;
  if (iflink !== null && ifindex !== null) {
    if (iflink === ifindex || iflink === 0) {
      row.note = 'no peer: not linked to any other interface';
      return;
    }
    const twin = siblings.find((s) => s !== iface && s.ifindex === iflink && s.iflink === ifindex);
    if (twin) {
      row.note = `veth pair inside the container: its peer is ${twin.name} in the same namespace`;
      return;
    }
    if (!ctx.model.hostLinks.known && row.driver !== 'overlay') {
      row.note = `host side unknown: peer ifindex ${iflink}, but the data holds no listing of the host's links`;
      return;
    }
    const host = ctx.hostByIndex.get(iflink);
    if (host && ctx.isVeth(host) && host.peerIfindex === ifindex) {
      const known = host.linkNetnsId !== null ? ctx.nsidToNetns.get(host.linkNetnsId) : undefined;
      if (known !== undefined && netns !== null && known !== netns) {
        row.note = `host ${host.name} points at ifindex ${ifindex} of another namespace (link-netnsid ${host.linkNetnsId}): not paired`;
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
        row.note = `${row.driver} on host ${host.name} (ifindex ${host.ifindex}): no veth; the host itself cannot reach this container through ${host.name}`;
      } else {
        row.note = `${row.driver} on parent ${row.parent ?? 'unknown'}: no veth (parent ifindex ${iflink} is not in the host's link list)`;
      }
      return;
    }
    if (row.driver === 'overlay') {
      row.note = `peer is ifindex ${iflink} inside the overlay network namespace of '${row.network}' (bridged to vxlan there): not on the host`;
      return;
    }
    row.note = `peer is ifindex ${iflink} in another namespace (not a host veth pointing back at ifindex ${ifindex})`;
    return;
  }
  if (ifindex === null) {
    row.note = 'interface index unknown: cannot pair';
    return;
  }
  if (!ctx.model.hostLinks.known) {
    row.note = "host side unknown: the data holds no listing of the host's links";
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
    row.note = `paired from the host side only: ${host.name} is the one host veth whose peer is ifindex ${ifindex}`;
  } else if (candidates.length > 1) {
    row.note = `ambiguous: host veths ${candidates.map((l) => l.name).join(', ')} all point at ifindex ${ifindex}; no iflink read inside to decide`;
  } else {
    row.note = `no host veth points at ifindex ${ifindex}`;
  }
}

function ownNamespaceRows(ctx: Context, c: ContainerInfo, facts: ContainerNetFacts | undefined): InterfaceRow[] {
  const firstDriver = c.endpoints[0] ? networkOf(ctx, c.endpoints[0])?.driver : undefined;
  // `docker ps` and pasted outputs do not say the mode; Docker's own default is bridge.
  // Docker's default network mode is bridge; a named network's mode is its driver's, unknown without the network list.
  const defaultMode =
    (firstDriver && (MODES_BY_DRIVER[firstDriver] ?? firstDriver)) ||
    (c.networkMode === 'default' || c.networkMode === 'bridge' ? 'bridge' : 'unknown');
  if (!c.running) {
    const rows = c.endpoints.map((ep) => withEndpoint(ctx, baseRow(c, defaultMode), ep));
    if (rows.length === 0) rows.push(baseRow(c, defaultMode));
    for (const r of rows) r.note = 'not running: no network namespace';
    return rows;
  }
  const reason =
    facts?.error ??
    (facts
      ? null
      : ctx.model.containerNet.size > 0 || !ctx.model.hostLinks.known
        ? 'no container-side data for this container'
        : 'no container-side data in this snapshot');
  if (!facts || facts.error) {
    const rows = c.endpoints.map((ep) => withEndpoint(ctx, baseRow(c, defaultMode), ep));
    if (rows.length === 0) rows.push(baseRow(c, defaultMode));
    for (const r of rows) r.note = `interfaces inside unknown: ${reason}`;
    return rows;
  }
  const endpointMacs = new Set(c.endpoints.map((e) => e.mac).filter((m): m is string => m !== null));
  const ifaces = facts.interfaces.filter((i) => meaningful(i, endpointMacs));
  const { pairs, unmatched } = matchEndpoints(ifaces, c.endpoints);
  const rows: InterfaceRow[] = [];
  for (const [iface, ep] of pairs) {
    let row = baseRow(c, defaultMode);
    row.interface = iface.name;
    row.ifindex = iface.ifindex;
    row.peerIfindex = iface.iflink;
    row.mac = iface.mac;
    row.mtu = iface.mtu;
    row.netns = facts.netns;
    if (ep) row = withEndpoint(ctx, row, ep);
    else if (iface.addresses) {
      row.ipv4 = iface.addresses.find((a) => !a.includes(':')) ?? null;
      row.ipv6 = iface.addresses.find((a) => a.includes(':') && !a.startsWith('fe80:')) ?? null;
    } else {
      const net = memberNetwork(ctx, iface.mac);
      if (net)
        withEndpoint(ctx, row, {
          network: net.name,
          networkId: net.id,
          endpointId: null,
          ipv4: net.members.find((m) => m.mac === iface.mac)?.ipv4 ?? null,
          ipv6: null,
          mac: iface.mac,
          gateway: null,
          aliases: [],
        });
    }
    resolvePeer(ctx, row, iface, facts.netns, facts.interfaces);
    if (!ep && !row.network && c.networkMode !== 'unknown')
      row.note = `not a Docker endpoint of this container${row.note ? `; ${row.note}` : ''}`;
    rows.push(row);
  }
  for (const ep of unmatched) {
    const row = withEndpoint(ctx, baseRow(c, defaultMode), ep);
    row.netns = facts.netns;
    row.note = `Docker lists network '${ep.network}' but no interface inside has its MAC ${ep.mac ?? '(none)'}`;
    rows.push(row);
  }
  if (rows.length === 0) {
    const row = baseRow(c, defaultMode);
    row.netns = facts.netns;
    row.note = 'no interface besides loopback';
    rows.push(row);
  }
  // The interfaces say which networks the namespace is on, not whether the container owns it: with its
  // network mode not in the data, it may be another's --network container: follower.
  if (c.networkMode === 'unknown') for (const r of rows) r.mode = 'unknown';
  return rows;
}

function hostModeRow(ctx: Context, c: ContainerInfo): InterfaceRow {
  const row = baseRow(c, 'host');
  row.network = 'host';
  row.driver = 'host';
  row.note = c.running
    ? "host network namespace: no veth (uses the host's interfaces and ports)"
    : 'not running (network mode host: no veth)';
  const facts = ctx.model.containerNet.get(c.name);
  row.netns = facts?.netns ?? null;
  const hostNetns = ctx.model.hostNetns.known ? ctx.model.hostNetns.value : null;
  if (facts?.netns && hostNetns && facts.netns !== hostNetns) {
    row.note = `network mode host, but its namespace ${facts.netns} differs from the host's ${hostNetns} (rootless Docker or Docker Desktop?)`;
  }
  return row;
}

function noneModeRow(ctx: Context, c: ContainerInfo): InterfaceRow[] {
  const row = baseRow(c, 'none');
  row.network = 'none';
  row.driver = 'null';
  const facts = ctx.model.containerNet.get(c.name);
  row.netns = facts?.netns ?? null;
  row.note = c.running ? 'loopback only: network mode none, no interface besides lo' : 'not running (network mode none: loopback only)';
  const extra = (facts?.interfaces ?? []).filter((i) => meaningful(i, new Set()));
  if (extra.length === 0) return [row];
  // Someone added interfaces by hand to a none-mode container: show them rather than hide them.
  return extra.map((iface) => {
    const r: InterfaceRow = {
      ...row,
      interface: iface.name,
      ifindex: iface.ifindex,
      peerIfindex: iface.iflink,
      mac: iface.mac,
      mtu: iface.mtu,
      note: null,
    };
    resolvePeer(ctx, r, iface, facts?.netns ?? null, facts?.interfaces ?? []);
    r.note = `network mode none, but an interface was added outside Docker${r.note ? `; ${r.note}` : ''}`;
    return r;
  });
}

function followerRows(c: ContainerInfo, owner: ContainerInfo | undefined, ownerRows: InterfaceRow[], ownerRef: string): InterfaceRow[] {
  if (!owner) {
    const row = baseRow(c, 'container');
    row.note = `shares the network namespace of container ${ownerRef.slice(0, 12)}, which the engine no longer lists`;
    return [row];
  }
  const said = `shares ${owner.name}'s network namespace`;
  return ownerRows.map((r) => ({
    ...r,
    container: c.name,
    containerId: c.id || null,
    shortId: c.id ? shortId(c.id) : null,
    state: c.state,
    running: c.running,
    mode: 'container',
    networkMode: c.networkMode,
    sharesNetnsWith: owner.name,
    note: !c.running ? `not running; configured to share ${owner.name}'s network namespace` : r.note ? `${said}; ${r.note}` : said,
  }));
}

function hostVethRows(ctx: Context, rows: InterfaceRow[]): HostVethRow[] {
  const owned = new Map<number, InterfaceRow>();
  for (const r of rows) if (r.hostIfindex !== null && r.mode !== 'container') owned.set(r.hostIfindex, r);
  const unread = ctx.model.containers.all.filter((c) => {
    if (!c.running || c.networkMode === 'host' || netnsOwnerRef(c) !== null) return false;
    const facts = ctx.model.containerNet.get(c.name);
    return !facts || facts.error !== null;
  });
  const out: HostVethRow[] = [];
  for (const link of lookupIn(ctx.model.hostLinks)) {
    if (!ctx.isVeth(link)) continue;
    const row = blankVethRow(ctx, link.name, link.master ?? ctx.bridgeOf.get(link.name) ?? null);
    row.ifindex = link.ifindex > 0 ? link.ifindex : null;
    row.peerIfindex = link.peerIfindex;
    row.linkNetnsId = link.linkNetnsId;
    const owner = link.ifindex > 0 ? owned.get(link.ifindex) : undefined;
    const sharers = owner?.netns ? ctx.sharedNamespaces.get(owner.netns) : undefined;
    if (owner && sharers) {
      row.ownerStatus = 'owned';
      row.note = `in use by the network namespace ${sharers.join(', ')} share; which of them owns it is not in the data`;
    } else if (owner) {
      row.owner = owner.container;
      row.ownerKind = owner.networkMode === 'unknown' ? 'namespace' : 'container';
      if (row.ownerKind === 'namespace')
        row.note = `in the network namespace ${owner.container} was read in; whether ${owner.container} owns it or shares another container's (--network container:) is not in the data`;
      row.ownerInterface = owner.interface;
      row.ownerStatus = 'owned';
    } else explainUnowned(ctx, row, unread);
    out.push(row);
  }
  out.push(...bridgePortRows(ctx));
  // Elimination is sound only when every container's side was read.
  if (unread.length === 0 && ctx.model.containers.complete.known) attributeSandboxVeths(ctx, out);
  return out.sort((a, b) => naturalCompare(a.name, b.name));
}

function blankVethRow(ctx: Context, name: string, bridge: string | null): HostVethRow {
  const id = bridge ? ctx.bridgeIdentity(bridge) : null;
  return {
    name,
    ifindex: null,
    peerIfindex: null,
    linkNetnsId: null,
    bridge,
    owner: null,
    ownerKind: null,
    ownerInterface: null,
    ownerUnknown: false,
    ownerStatus: 'unknown',
    bridgeDocker: id ? id.docker : null,
    bridgeInferred: id?.inferred ?? false,
    note: null,
  };
}

/** Why a host veth has no owner: proven (every fact read), or unknown with what is missing. */
function explainUnowned(ctx: Context, row: HostVethRow, unread: ContainerInfo[]): void {
  const list = ctx.model.containers.complete;
  const bridge = row.bridge;
  if (!list.known || unread.length > 0) {
    row.ownerUnknown = true;
    const names = unread.map((c) => c.name).sort(naturalCompare);
    const why = [
      names.length ? `the interfaces of ${names.join(', ')} are unknown` : null,
      list.known ? null : `the container list is unknown: ${list.reason}`,
    ];
    row.note = `owner not in the data: ${why.filter(Boolean).join('; ')}`;
    if (names.length === 1)
      row.note += ` (inference, not confirmed: probably ${names[0]}'s, the one container whose interfaces are unknown)`;
    return;
  }
  if (bridge && row.bridgeDocker !== false && !ctx.model.networks.known) {
    // Docker's own sandboxes (ingress-sbox, lb-<network>) hold veths with no container; only the network list names them.
    row.ownerUnknown = true;
    row.note = `${bridgeWords(ctx, bridge)}; no container's interface points back at it, and whether a Docker sandbox (ingress-sbox, a load balancer) owns it is unknown: ${ctx.model.networks.reason}`;
    return;
  }
  row.ownerStatus = 'none';
  if (!bridge) row.note = 'belongs to no container and is on no bridge';
  else if (row.bridgeDocker === true)
    row.note = `${bridgeWords(ctx, bridge)}, but no container's interface points back at it (leftover from a removed container, or a special Docker namespace)`;
  else if (row.bridgeDocker === false)
    row.note = `${row.bridgeInferred ? "probably not Docker's" : "not Docker's"}: enslaved to ${bridge}, ${bridgeWords(ctx, bridge)} (another tool's, e.g. libvirt or a CNI plugin)`;
  else row.note = `${bridgeWords(ctx, bridge)}; no container's interface points back at it`;
}

/** The bridge in words: Docker's or not, and whether that is known or read from its name. */
function bridgeWords(ctx: Context, bridge: string): string {
  const id = ctx.bridgeIdentity(bridge);
  if (id.docker === true)
    return `on Docker bridge ${bridge}${id.inferred ? " (Docker's by its name: the data holds no network list)" : ''}`;
  if (id.docker === false)
    return id.inferred
      ? `which is ${id.foreign}'s by its name (inference: the data holds no Docker network list)`
      : 'which no Docker network uses';
  return `on bridge ${bridge}, which cannot be told as Docker's or not (the data holds no Docker network list)`;
}

/**
 * Veth ports `brctl show` names that no `ip` listing holds (there is none, or it was taken at another
 * moment): owners unknown, no ifindex to pair them by.
 */
function bridgePortRows(ctx: Context): HostVethRow[] {
  const out: HostVethRow[] = [];
  const listed = new Set(lookupIn(ctx.model.hostLinks).map((l) => l.name));
  const why = ctx.model.hostLinks.known
    ? `the \`ip\` listing (${ctx.model.hostLinks.from}) does not hold it`
    : "no `ip` listing of the host's links";
  for (const b of lookupIn(ctx.model.bridges)) {
    for (const port of b.interfaces) {
      if (!/^veth/.test(port) || listed.has(port)) continue;
      const row = blankVethRow(ctx, port, b.name);
      row.ownerUnknown = true;
      row.note = `a port of ${b.name} (from brctl show); owner unknown: ${why}, so no ifindex to pair it by`;
      out.push(row);
    }
  }
  return out;
}

/**
 * Swarm's ingress sandbox is a namespace of Docker's own, with no container and no readable sysfs:
 * its leg on docker_gwbridge is attributed by elimination when exactly one veth on that bridge has
 * no owner and exactly one endpoint on it belongs to no container.
 */
function attributeSandboxVeths(ctx: Context, rows: HostVethRow[]): void {
  const containerIds = new Set(ctx.model.containers.all.map((c) => c.id));
  for (const net of ctx.networksById.values()) {
    if (!net.bridgeName) continue;
    const sandboxes = net.members.filter((m) => !containerIds.has(m.key));
    const unowned = rows.filter((r) => r.bridge === net.bridgeName && r.owner === null);
    if (sandboxes.length === 0 || unowned.length === 0) continue;
    const sbox = sandboxes[0] as (typeof sandboxes)[number];
    if (sandboxes.length === 1 && unowned.length === 1) {
      const row = unowned[0] as HostVethRow;
      row.owner = sbox.key;
      row.ownerKind = sbox.key === 'ingress-sbox' ? 'ingress-sbox' : null;
      row.ownerStatus = 'owned';
      row.note = `attributed by elimination: the one veth on ${net.bridgeName} with no container, and ${sbox.key} (${sbox.name}, ${sbox.ipv4 ?? 'no IPv4'}, MAC ${sbox.mac ?? '?'}) the one endpoint of '${net.name}' that is no container`;
    } else {
      for (const row of unowned) {
        row.ownerStatus = 'unknown';
        row.note = `on ${net.bridgeName}: one of ${sandboxes.map((m) => m.key).join(', ')} (Docker sandboxes with no container), not told apart without entering their namespaces`;
      }
    }
  }
}

/**
 * Containers whose interfaces were read in one namespace but whose configuration does not say which
 * shares whose (no `container:` mode in the data): one of them owns it, which one is unknown, so
 * neither is given the mode or the veth as its own.
 */
function markUndeclaredSharing(ctx: Context, containers: ContainerInfo[], rowsOf: Map<string, InterfaceRow[]>): void {
  const byNetns = new Map<string, ContainerInfo[]>();
  for (const c of containers) {
    const ns = ctx.model.containerNet.get(c.name)?.netns;
    if (!ns || !c.running || netnsOwnerRef(c) !== null || c.networkMode === 'host') continue;
    byNetns.set(ns, [...(byNetns.get(ns) ?? []), c]);
  }
  for (const [ns, group] of byNetns) {
    if (group.length < 2) continue;
    for (const c of group) {
      const others = group
        .filter((o) => o !== c)
        .map((o) => o.name)
        .sort(naturalCompare);
      for (const r of rowsOf.get(containerKey(c)) ?? []) {
        r.mode = 'unknown';
        r.sharesNetnsWith = null;
        r.note = `shares its network namespace ${ns} with ${others.join(', ')}: which of them owns it (and which runs with --network container:) is not in the data${r.note ? `; ${r.note}` : ''}`;
      }
    }
    ctx.sharedNamespaces.set(ns, group.map((c) => c.name).sort(naturalCompare));
  }
}

function sourceNotes(ctx: Context): void {
  const m = ctx.model;
  if (!m.hostLinks.known) {
    ctx.notes.add(`host links unknown: ${m.hostLinks.reason}, so no host-side veth can be paired`);
    if (m.bridges.known) ctx.notes.add(`bridge ports from ${m.bridges.from} (names only)`);
  } else {
    ctx.notes.add(`host links from ${m.hostLinks.from}`);
    const anyMaster = m.hostLinks.value.some((l) => l.master !== null);
    ctx.notes.add(
      anyMaster || !m.bridges.known
        ? "bridge membership from the links' master attribute (ip)"
        : `bridge membership from ${m.bridges.from}`,
    );
  }
  const list = m.containers.complete;
  if (!list.known) {
    const named = m.containers.all.length;
    ctx.notes.add(`container list unknown: ${list.reason}${named ? `; ${named} container(s) known from other files` : ''}`);
  }
  const fromMembers = [...m.containers.sourceOf.values()].filter((s) => s === 'network-members').length;
  if (fromMembers)
    ctx.notes.add(`${fromMembers} container(s) known only from the network list's members (addresses, MACs), not their own inspect`);
  const vias = new Set([...m.containerNet.values()].map((f) => f.via).filter(Boolean));
  if (vias.has('proc-net')) ctx.notes.add('some containers had no readable /sys: their peers were found from the host side only');
  if (vias.has('ip-addr-text')) ctx.notes.add('container-side interfaces from pasted `ip addr` outputs');
  for (const miss of m.missing) ctx.notes.add(`missing ${miss.path}: ${miss.reason}`);
  for (const fi of m.fileIssues)
    ctx.notes.add(`${fi.path}: ${fi.issues.length} line(s) not understood (first: line ${fi.issues[0]?.line}: ${fi.issues[0]?.reason})`);
}

export function correlateVethMap(model: HostModel): VethMap {
  const networks = lookupIn(model.networks);
  const links = lookupIn(model.hostLinks);
  const ctx: Context = {
    model,
    // `ip -br` prints no ifindex (0): such links are never paired by index.
    hostByIndex: new Map(links.filter((l) => l.ifindex > 0).map((l) => [l.ifindex, l])),
    isVeth: vethTest(links),
    bridgeOf: new Map(lookupIn(model.bridges).flatMap((b) => b.interfaces.map((i) => [i, b.name] as const))),
    networksById: new Map(networks.map((n) => [n.id, n])),
    networksByName: new Map(networks.map((n) => [n.name, n])),
    bridgeIdentity: bridgeIdentities(model.networks),
    sharedNamespaces: new Map(),
    nsidToNetns: new Map(),
    notes: new Set(),
  };
  const containers = model.containers.all;
  const rowsOf = new Map<string, InterfaceRow[]>();
  for (const c of containers) {
    if (c.networkMode === 'host') rowsOf.set(containerKey(c), [hostModeRow(ctx, c)]);
    else if (c.networkMode === 'none') rowsOf.set(containerKey(c), noneModeRow(ctx, c));
    else if (netnsOwnerRef(c) === null) rowsOf.set(containerKey(c), ownNamespaceRows(ctx, c, model.containerNet.get(c.name)));
  }
  const sharing = netnsSharing(containers);
  for (const c of containers) {
    const ref = netnsOwnerRef(c);
    if (ref === null) continue;
    const owner = sharing.ownerOf(c);
    rowsOf.set(containerKey(c), followerRows(c, owner, owner ? (rowsOf.get(containerKey(owner)) ?? []) : [], ref));
  }
  markUndeclaredSharing(ctx, containers, rowsOf);
  const interfaces = [...rowsOf.values()]
    .flat()
    .sort((a, b) => naturalCompare(a.container, b.container) || naturalCompare(a.interface ?? '', b.interface ?? ''));
  sourceNotes(ctx);
  const hostVeths = hostVethRows(ctx, interfaces);
  const incomplete = !model.hostLinks.known
    ? model.hostLinks.reason
    : !links.some((l) => l.name === 'lo' || l.flags.includes('LOOPBACK'))
      ? `${model.hostLinks.from} holds no loopback: an excerpt of the listing`
      : hostVeths.some((v) => v.ifindex === null)
        ? `brctl show names veths ${model.hostLinks.from} does not hold`
        : null;
  return {
    interfaces,
    hostVeths,
    hostLinksKnown: model.hostLinks.known,
    hostVethsComplete: incomplete === null,
    hostVethsIncomplete: incomplete,
    hostInterfaces: hostInterfaces(model, ctx.isVeth, ctx.bridgeIdentity),
    notes: [...ctx.notes],
  };
}
