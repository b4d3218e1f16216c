// The interface rows of each kind of container: its own namespace, host, none, and container: followers.
import type { ContainerNetFacts } from '../model/container-net.js';
import { shortId, type ContainerInfo } from '../model/engine.js';
import type { InterfaceRow } from './veth-map.js';
import {
  baseRow,
  matchEndpoints,
  meaningful,
  memberNetwork,
  networkOf,
  note,
  resolvePeer,
  withEndpoint,
  MODES_BY_DRIVER,
  type Context,
} from './veth-pairing.js';

export function ownNamespaceRows(ctx: Context, c: ContainerInfo, facts: ContainerNetFacts | undefined): InterfaceRow[] {
  const firstDriver = c.endpoints[0] ? networkOf(ctx, c.endpoints[0])?.driver : undefined;
  // `docker ps` and pasted outputs do not say the mode; Docker's own default is bridge.
  // Docker's default network mode is bridge; a named network's mode is its driver's, unknown without the network list.
  const defaultMode =
    (firstDriver && (MODES_BY_DRIVER[firstDriver] ?? firstDriver)) ||
    (c.networkMode === 'default' || c.networkMode === 'bridge' ? 'bridge' : 'unknown');
  if (!c.running) {
    const rows = c.endpoints.map((ep) => withEndpoint(ctx, baseRow(c, defaultMode), ep));
    if (rows.length === 0) rows.push(baseRow(c, defaultMode));
    for (const r of rows) note(r, { code: 'not-running' });
    return rows;
  }
  if (!facts || facts.error) {
    const scope = ctx.model.containerNet.size > 0 || !ctx.model.hostLinks.known ? 'container' : 'snapshot';
    const rows = c.endpoints.map((ep) => withEndpoint(ctx, baseRow(c, defaultMode), ep));
    if (rows.length === 0) rows.push(baseRow(c, defaultMode));
    for (const r of rows) note(r, { code: 'interfaces-unknown', error: facts?.error ?? null, scope });
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
    if (!ep && !row.network && c.networkMode !== 'unknown') row.notes.unshift({ code: 'not-docker-endpoint' });
    rows.push(row);
  }
  for (const ep of unmatched) {
    const row = withEndpoint(ctx, baseRow(c, defaultMode), ep);
    row.netns = facts.netns;
    note(row, { code: 'endpoint-without-interface', network: ep.network, mac: ep.mac });
    rows.push(row);
  }
  if (rows.length === 0) {
    const row = baseRow(c, defaultMode);
    row.netns = facts.netns;
    note(row, { code: 'loopback-only' });
    rows.push(row);
  }
  // The interfaces say which networks the namespace is on, not whether the container owns it: with its
  // network mode not in the data, it may be another's --network container: follower.
  if (c.networkMode === 'unknown') for (const r of rows) r.mode = 'unknown';
  return rows;
}

export function hostModeRow(ctx: Context, c: ContainerInfo): InterfaceRow {
  const row = baseRow(c, 'host');
  row.network = 'host';
  row.driver = 'host';
  const facts = ctx.model.containerNet.get(c.name);
  row.netns = facts?.netns ?? null;
  const hostNetns = ctx.model.hostNetns.known ? ctx.model.hostNetns.value : null;
  note(
    row,
    facts?.netns && hostNetns && facts.netns !== hostNetns
      ? { code: 'host-mode-other-netns', netns: facts.netns, hostNetns }
      : { code: 'host-mode', running: c.running },
  );
  return row;
}

export function noneModeRow(ctx: Context, c: ContainerInfo): InterfaceRow[] {
  const row = baseRow(c, 'none');
  row.network = 'none';
  row.driver = 'null';
  const facts = ctx.model.containerNet.get(c.name);
  row.netns = facts?.netns ?? null;
  note(row, { code: 'none-mode', running: c.running });
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
      notes: [{ code: 'added-outside-docker' }],
    };
    resolvePeer(ctx, r, iface, facts?.netns ?? null, facts?.interfaces ?? []);
    return r;
  });
}

export function followerRows(
  c: ContainerInfo,
  owner: ContainerInfo | undefined,
  ownerRows: InterfaceRow[],
  ownerRef: string,
): InterfaceRow[] {
  if (!owner) {
    const row = baseRow(c, 'container');
    note(row, { code: 'owner-gone', ownerRef });
    return [row];
  }
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
    notes: c.running
      ? [{ code: 'shares-namespace', owner: owner.name }, ...r.notes]
      : [{ code: 'follower-not-running', owner: owner.name }],
  }));
}
