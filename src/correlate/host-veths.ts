// Host veths and who owns them: a container, a Docker sandbox by elimination, none (proven), or unknown.
import type { ContainerInfo } from '../model/engine.js';
import { lookupIn } from '../model/fact.js';
import type { NoteBridge } from '../model/veth-notes.js';
import { naturalCompare } from '../util/natural-compare.js';
import { netnsOwnerRef } from './find-container.js';
import type { HostVethRow, InterfaceRow } from './veth-map.js';
import type { Context } from './veth-pairing.js';

export function hostVethRows(ctx: Context, rows: InterfaceRow[]): HostVethRow[] {
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
      row.note = { code: 'shared-namespace', sharers };
    } else if (owner) {
      row.owner = owner.container;
      row.ownerKind = owner.networkMode === 'unknown' ? 'namespace' : 'container';
      if (row.ownerKind === 'namespace') row.note = { code: 'namespace-read-in', container: owner.container };
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

export function blankVethRow(ctx: Context, name: string, bridge: string | null): HostVethRow {
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
export function explainUnowned(ctx: Context, row: HostVethRow, unread: ContainerInfo[]): void {
  const list = ctx.model.containers.complete;
  const bridge = row.bridge;
  if (!list.known || unread.length > 0) {
    row.ownerUnknown = true;
    const names = unread.map((c) => c.name).sort(naturalCompare);
    row.note = { code: 'owner-not-in-data', unread: names, containerListUnknown: list.known ? null : list.reason };
    return;
  }
  if (bridge && row.bridgeDocker !== false && !ctx.model.networks.known) {
    // Docker's own sandboxes (ingress-sbox, lb-<network>) hold veths with no container; only the network list names them.
    row.ownerUnknown = true;
    row.note = { code: 'sandbox-unknown', bridge: noteBridge(ctx, bridge), networksUnknown: ctx.model.networks.reason };
    return;
  }
  row.ownerStatus = 'none';
  if (!bridge) row.note = { code: 'no-owner-no-bridge' };
  else if (row.bridgeDocker === true) row.note = { code: 'leftover-on-docker-bridge', bridge: noteBridge(ctx, bridge) };
  else if (row.bridgeDocker === false) row.note = { code: 'foreign-bridge', bridge: noteBridge(ctx, bridge) };
  else row.note = { code: 'no-owner', bridge: noteBridge(ctx, bridge) };
}

/** The bridge as a note names it: Docker's or not, and whether that is known or read from its name. */
export function noteBridge(ctx: Context, bridge: string): NoteBridge {
  const id = ctx.bridgeIdentity(bridge);
  return { bridge, docker: id.docker, inferred: id.inferred, foreign: id.foreign };
}

/**
 * Veth ports `brctl show` names that no `ip` listing holds (there is none, or it was taken at another
 * moment): owners unknown, no ifindex to pair them by.
 */
export function bridgePortRows(ctx: Context): HostVethRow[] {
  const out: HostVethRow[] = [];
  const listed = new Set(lookupIn(ctx.model.hostLinks).map((l) => l.name));
  const linksFrom = ctx.model.hostLinks.known ? ctx.model.hostLinks.from : null;
  for (const b of lookupIn(ctx.model.bridges)) {
    for (const port of b.interfaces) {
      if (!/^veth/.test(port) || listed.has(port)) continue;
      const row = blankVethRow(ctx, port, b.name);
      row.ownerUnknown = true;
      row.note = { code: 'bridge-port-unlisted', bridge: b.name, linksFrom };
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
export function attributeSandboxVeths(ctx: Context, rows: HostVethRow[]): void {
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
      row.note = {
        code: 'sandbox-by-elimination',
        bridge: net.bridgeName,
        sandbox: sbox.key,
        name: sbox.name,
        ipv4: sbox.ipv4 ?? null,
        mac: sbox.mac ?? null,
        network: net.name,
      };
    } else {
      for (const row of unowned) {
        row.ownerStatus = 'unknown';
        row.note = { code: 'sandboxes-ambiguous', bridge: net.bridgeName, sandboxes: sandboxes.map((m) => m.key) };
      }
    }
  }
}
