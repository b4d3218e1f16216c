// The two ends of a reach question, resolved against the host: where the packet starts (outside,
// the host, a container, an address) and the address and port it is sent to.
import type { ContainerInfo } from '../../model/engine.js';
import { bareAddress, familyOf, inPrefix, isValidIp } from '../../util/address.js';
import { findContainer, matchContainer, netnsOwnerRef } from '../find-container.js';
import type { ContainerAt, HostView } from './host-view.js';
import type { Protocol } from './packet.js';
import type { Start, Target } from './path-result.js';

export type SourceArg =
  | { kind: 'outside'; ip: string | null }
  | { kind: 'host' }
  | { kind: 'ip'; ip: string }
  | { kind: 'container'; ref: string };

export type DestinationArg =
  | { kind: 'host'; port: number; protocol: Protocol }
  | { kind: 'ip'; ip: string; port: number; protocol: Protocol }
  | { kind: 'container'; ref: string; port: number; protocol: Protocol };

/** A client beyond the uplink when none is given: an address of TEST-NET-2 (RFC 5737), never on a real host's LAN. */
export const OUTSIDE_CLIENT = '198.51.100.7';

export type Resolved<T> = { ok: true; value: T; note: string | null } | { ok: false; why: string };

/** The interface the default route leaves by: where a client beyond the host comes in. */
export function uplinkOf(host: HostView): Resolved<string> {
  if (!host.routes.known) return { ok: false, why: `the host's routes are unknown, so its uplink is: ${host.routes.reason}` };
  const d = host.routes.value.find((r) => r.dst === 'default' && r.dev !== null);
  return d?.dev ? { ok: true, value: d.dev, note: null } : { ok: false, why: 'the host has no default route: no uplink to come in by' };
}

function endpointsOf(host: HostView, c: ContainerInfo): Resolved<ContainerAt[]> {
  let owner = c;
  const ref = netnsOwnerRef(c);
  if (ref !== null) {
    const m = matchContainer(host.containers, ref);
    if (m.kind !== 'one') return { ok: false, why: `${c.name} shares the network namespace of ${ref}, which the data does not hold` };
    owner = m.container;
  }
  const out: ContainerAt[] = [];
  for (const e of owner.endpoints) {
    for (const a of [bareAddress(e.ipv4), bareAddress(e.ipv6)]) {
      if (!a) continue;
      const at = host.containerAt(a);
      if (at !== null && typeof at !== 'string') {
        out.push(at);
        break;
      }
    }
  }
  return { ok: true, value: out, note: owner === c ? null : `${c.name} shares ${owner.name}'s network namespace` };
}

/** The endpoint a container sends from: the one on the destination's subnet, else the one with the default gateway. */
function sendingEndpoint(ats: ContainerAt[], dst: string): ContainerAt | null {
  const family = familyOf(dst);
  const onSubnet = ats.find((at) => at.network?.subnets.some((s) => inPrefix(dst, s.subnet)));
  if (onSubnet) return onSubnet;
  return ats.find((at) => (family === 'ipv4' ? at.endpoint.ipv4 : at.endpoint.ipv6) && at.endpoint.gateway) ?? ats[0] ?? null;
}

export function resolveSource(host: HostView, s: SourceArg, dst: string): Resolved<Start> {
  if (s.kind === 'host') return { ok: true, value: { kind: 'host' }, note: null };
  if (s.kind === 'outside') {
    const up = uplinkOf(host);
    if (!up.ok) return up;
    return { ok: true, value: { kind: 'outside', ip: s.ip ?? OUTSIDE_CLIENT, iface: up.value }, note: null };
  }
  if (s.kind === 'ip') {
    const at = host.containerAt(s.ip);
    if (at !== null && typeof at !== 'string')
      return { ok: true, value: { kind: 'container', at }, note: `${s.ip} is ${at.container.name}'s address` };
    const local = host.isLocal(s.ip);
    if (local === true) return { ok: true, value: { kind: 'host' }, note: `${s.ip} is one of this host's addresses` };
    const onLink = host.links.known
      ? host.links.value.find((l) => l.addresses.some((a) => inPrefix(s.ip, `${a.address}/${a.prefixlen}`)))
      : undefined;
    if (onLink)
      return { ok: true, value: { kind: 'outside', ip: s.ip, iface: onLink.name }, note: `${s.ip} is on the subnet of ${onLink.name}` };
    const up = uplinkOf(host);
    if (!up.ok) return up;
    return {
      ok: true,
      value: { kind: 'outside', ip: s.ip, iface: up.value },
      note: `${s.ip} is not on a subnet of this host: taken as a client beyond the uplink`,
    };
  }
  const c = findContainer(host.containers, s.ref, host.containerList);
  if (c.networkMode === 'host') return { ok: true, value: { kind: 'host' }, note: `${c.name} uses the host's network namespace` };
  if (c.networkMode === 'none') return { ok: false, why: `${c.name} has network mode none: it has no interface but lo` };
  const ats = endpointsOf(host, c);
  if (!ats.ok) return ats;
  const at = sendingEndpoint(ats.value, dst);
  if (at === null) return { ok: false, why: `${c.name} has no address on a network docknet can follow` };
  return { ok: true, value: { kind: 'container', at }, note: ats.note };
}

export function resolveDestination(host: HostView, d: DestinationArg, source: SourceArg): Resolved<Target> {
  const { port, protocol } = d;
  if (d.kind === 'ip') return { ok: true, value: { ip: d.ip, port, protocol }, note: null };
  if (d.kind === 'host') {
    const up = uplinkOf(host);
    if (!up.ok) return up;
    const ip = host.primaryAddress(up.value, 'ipv4');
    if (ip === null) return { ok: false, why: `the address of the uplink ${up.value} is not in the data` };
    return { ok: true, value: { ip, port, protocol }, note: `host means ${ip}, the address of the uplink ${up.value}` };
  }
  const c = findContainer(host.containers, d.ref, host.containerList);
  if (c.networkMode === 'host') return resolveDestination(host, { kind: 'host', port, protocol }, source);
  const ats = endpointsOf(host, c);
  if (!ats.ok) return ats;
  // From a container, the address on a network both share (what Docker's DNS gives); else the first.
  let from: ContainerInfo | null = null;
  if (source.kind === 'container') {
    const m = matchContainer(host.containers, source.ref);
    from = m.kind === 'one' ? m.container : null;
  }
  const shared = from ? ats.value.find((at) => from?.endpoints.some((e) => e.network === at.endpoint.network)) : undefined;
  const at = shared ?? ats.value.find((x) => x.endpoint.ipv4) ?? ats.value[0];
  const ip = at ? (bareAddress(at.endpoint.ipv4) ?? bareAddress(at.endpoint.ipv6)) : null;
  if (!at || ip === null || !isValidIp(ip)) return { ok: false, why: `${c.name} has no address docknet knows` };
  const others =
    ats.value.length > 1
      ? `; its other addresses: ${ats.value
          .filter((x) => x !== at)
          .map((x) => bareAddress(x.endpoint.ipv4) ?? bareAddress(x.endpoint.ipv6))
          .join(', ')}`
      : '';
  return { ok: true, value: { ip, port, protocol }, note: `${c.name} is ${ip} on ${at.endpoint.network}${others}` };
}
