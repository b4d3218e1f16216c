import { containerKey, type ContainerInfo } from '../model/engine.js';
import { lookupIn } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import type { HostVethNote } from '../model/veth-notes.js';
import { bridgeIdentities } from './docker-bridges.js';
import { naturalCompare } from '../util/natural-compare.js';
import { netnsOwnerRef, netnsSharing } from './find-container.js';
import { hostInterfaces, type HostInterfaceRow } from './host-interfaces.js';
import { followerRows, hostModeRow, noneModeRow, ownNamespaceRows } from './container-rows.js';
import { hostVethRows } from './host-veths.js';
import { addSourceNote, vethTest, type Context } from './veth-pairing.js';
import { isPlainNat, networkBehaviours } from './network-modes.js';
import type { InterfaceNote, SourceNote, VethsIncomplete } from './veth-map-notes.js';

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
  /** Why the row is what it is, in the order they are said (render/veth-words.ts words them). */
  notes: InterfaceNote[];
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
  /** Why its owner is what it is: a code with its facts (render/veth-words.ts words it). */
  note: HostVethNote | null;
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
  hostVethsIncomplete: VethsIncomplete | null;
  /** The host's other interfaces, each with what it is for. */
  hostInterfaces: HostInterfaceRow[];
  /** Where facts came from and what was missing, each once. */
  notes: SourceNote[];
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
        r.notes.unshift({ code: 'undeclared-sharing', netns: ns, others });
      }
    }
    ctx.sharedNamespaces.set(ns, group.map((c) => c.name).sort(naturalCompare));
  }
}

/** Rows on a bridge whose gateway mode, --internal or enable_icc make it more than plain NAT say so. */
function addNetworkNotes(model: HostModel, rowsOf: Map<string, InterfaceRow[]>): void {
  const behaviours = networkBehaviours(model);
  if (!behaviours.size) return;
  for (const rows of rowsOf.values()) {
    for (const r of rows) {
      if (r.mode !== 'bridge' || !r.network || r.sharesNetnsWith) continue;
      const b = behaviours.get(r.network);
      if (b && !isPlainNat(b)) r.notes.push({ code: 'network-behaviour', network: b.network, behaviour: b });
    }
  }
}

function sourceNotes(ctx: Context): void {
  const m = ctx.model;
  const add = (n: SourceNote) => addSourceNote(ctx, n);
  if (!m.hostLinks.known) {
    add({ code: 'host-links-unknown', reason: m.hostLinks.reason });
    if (m.bridges.known) add({ code: 'bridge-ports-from', from: m.bridges.from });
  } else {
    add({ code: 'host-links-from', from: m.hostLinks.from });
    const anyMaster = m.hostLinks.value.some((l) => l.master !== null);
    add({ code: 'membership-from', from: anyMaster || !m.bridges.known ? null : m.bridges.from });
  }
  const list = m.containers.complete;
  if (!list.known) add({ code: 'container-list-unknown', reason: list.reason, named: m.containers.all.length });
  const fromMembers = [...m.containers.sourceOf.values()].filter((s) => s === 'network-members').length;
  if (fromMembers) add({ code: 'known-from-members', count: fromMembers });
  const vias = new Set([...m.containerNet.values()].map((f) => f.via).filter(Boolean));
  if (vias.has('proc-net')) add({ code: 'peers-from-host-side' });
  if (vias.has('ip-addr-text')) add({ code: 'pasted-ip-addr' });
  for (const miss of m.missing) add({ code: 'missing', path: miss.path, reason: miss.reason });
  for (const fi of m.fileIssues) {
    const first = fi.issues[0];
    add({ code: 'lines-not-understood', path: fi.path, count: fi.issues.length, line: first?.line ?? null, reason: first?.reason ?? null });
  }
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
    notes: new Map(),
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
  addNetworkNotes(model, rowsOf);
  const interfaces = [...rowsOf.values()]
    .flat()
    .sort((a, b) => naturalCompare(a.container, b.container) || naturalCompare(a.interface ?? '', b.interface ?? ''));
  sourceNotes(ctx);
  const hostVeths = hostVethRows(ctx, interfaces);
  const incomplete: VethsIncomplete | null = !model.hostLinks.known
    ? { code: 'links-unknown', reason: model.hostLinks.reason }
    : !links.some((l) => l.name === 'lo' || l.flags.includes('LOOPBACK'))
      ? { code: 'no-loopback', from: model.hostLinks.from }
      : hostVeths.some((v) => v.ifindex === null)
        ? { code: 'bridge-ports-unlisted', from: model.hostLinks.from }
        : null;
  return {
    interfaces,
    hostVeths,
    hostLinksKnown: model.hostLinks.known,
    hostVethsComplete: incomplete === null,
    hostVethsIncomplete: incomplete,
    hostInterfaces: hostInterfaces(model, ctx.isVeth, ctx.bridgeIdentity),
    notes: [...ctx.notes.values()],
  };
}
