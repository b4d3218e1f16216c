// The way from the host to a container's address: its network, the bridge, the host veth (or the
// one it probably is), the interface inside.
import { containerKey, type ContainerInfo } from '../../model/engine.js';
import { lookupIn } from '../../model/fact.js';
import type { MappingNote } from '../../model/nat-path.js';
import type { PortMapping } from '../../model/port-path.js';
import { bareAddress as bare, inPrefix as inNet } from '../../util/address.js';
import type { Ctx } from './context.js';

export interface Leg {
  network: string | null;
  bridge: string | null;
  hostVeth: string | null;
  probableHostVeth: string | null;
  interface: string | null;
  note: MappingNote | null;
}

function bridgeByAddress(ctx: Ctx, ip: string): { bridge: string | null; network: string | null } {
  for (const n of ctx.networks) {
    if (n.subnets.some((s) => inNet(ip, s.subnet))) return { bridge: n.bridgeName, network: n.name };
  }
  for (const l of lookupIn(ctx.model.hostLinks)) {
    for (const a of l.addresses) {
      if (a.address !== ip && inNet(ip, `${a.address}/${a.prefixlen}`)) return { bridge: l.name, network: null };
    }
  }
  return { bridge: null, network: null };
}

export function legOf(ctx: Ctx, c: ContainerInfo | null, ip: string | null): Leg {
  const leg: Leg = { network: null, bridge: null, hostVeth: null, probableHostVeth: null, interface: null, note: null };
  if (!ip) return leg;
  const row = c ? (ctx.rowsOf.get(containerKey(c)) ?? []).find((r) => bare(r.ipv4) === ip || bare(r.ipv6) === ip) : undefined;
  if (row) {
    leg.network = row.network;
    leg.bridge = row.bridge;
    leg.hostVeth = row.hostVeth;
    leg.interface = row.interface;
  }
  const ep = c?.endpoints.find((e) => bare(e.ipv4) === ip || bare(e.ipv6) === ip);
  if (ep) leg.network ??= ep.network;
  if (leg.bridge === null) {
    const found = bridgeByAddress(ctx, ip);
    leg.bridge = found.bridge;
    leg.network ??= found.network;
  }
  if (leg.hostVeth === null && c && leg.bridge) {
    // As veth-map does: one unowned veth on the bridge, and this the one container whose inside is unknown.
    const unowned = ctx.vethMap.hostVeths.filter((v) => v.owner === null && v.bridge === leg.bridge);
    const unknownInside = ctx.unknownInside;
    if (unowned.length === 1 && unknownInside.length === 1 && unknownInside[0] === c) {
      leg.probableHostVeth = (unowned[0] as (typeof unowned)[number]).name;
      leg.note = { code: 'probable-host-veth', veth: leg.probableHostVeth, bridge: leg.bridge, container: c.name };
    }
  }
  return leg;
}

// Docker 26+ lists a publication of a container on an --internal network (20.10 lists none), and writes
// no DNAT rule or docker-proxy for it: by design, not a missing rule.
export const INTERNAL_WORDS = 'Docker publishes no port of a container on an --internal network (unreachable from outside, by design)';

export function onInternalNetwork(ctx: Ctx, m: PortMapping): boolean {
  const nets = ctx.model.networks;
  return m.network !== null && nets.known && nets.value.some((n) => n.name === m.network && n.internal);
}
