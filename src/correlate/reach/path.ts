// A connection's first packet walked through the host, hook by hook in kernel order: where it enters,
// raw/mangle/nat/filter, the routing decision and forwarding, the bridge or veth it leaves by, and
// whether a socket listens there. Pure over the host view; questions it cannot answer are raised
// (packet.ts) and answered by the caller, which evaluates each answer (reach.ts). What it returns:
// path-result.ts; the walk's state and shared steps: walk-state.ts; where it ends: deliver.ts.
import type { IpFamily } from '../../model/firewall.js';
import type { Route } from '../../model/route.js';
import { familyOf, inPrefix, isLoopback } from '../../util/address.js';
import { deliverContainer, deliverHost, deliverOut } from './deliver.js';
import type { RuleRef } from './hooks.js';
import type { ContainerAt, HostView } from './host-view.js';
import type { Assumptions, Packet } from './packet.js';
import type { PathResult, ReplyStart, Start, Target } from './path-result.js';
import { CannotTell, end, hook, isLocal, type Run, routeOf, stopped, sysctl, view } from './walk-state.js';

/** The client's own port: a connection's source port, a reply's destination port. */
export const CLIENT_PORT = 40000;

function forwardingSysctl(f: IpFamily): string {
  return f === 'ipv4' ? 'net.ipv4.ip_forward' : 'net.ipv6.conf.all.forwarding';
}

/**
 * A packet to 127.0.0.0/8 that arrived on another interface than lo is a martian, dropped by routing,
 * unless route_localnet is set on that interface or on all (Docker sets it when it DNATs loopback).
 */
function loopbackMartian(r: Run): PathResult | null {
  const p = r.packet;
  if (p.family !== 'ipv4' || p.in === 'lo' || p.in === null || !isLoopback(p.dst)) return null;
  const all = sysctl(r, 'net.ipv4.conf.all.route_localnet', 'whether the host routes loopback addresses arriving from outside');
  const dev = all.value === '1' ? all : sysctl(r, `net.ipv4.conf.${p.in}.route_localnet`, `whether ${p.in} routes loopback addresses`);
  r.hops.push({ kind: 'martian', iface: p.in, dst: p.dst, routeLocalnet: dev.value === '1', assumed: all.assumed || dev.assumed });
  return dev.value === '1' ? null : end(r, 'dropped', 'timeout');
}

/** A packet that arrived on an interface: PREROUTING, the routing decision, then INPUT or FORWARD and POSTROUTING. */
function arrive(r: Run): PathResult {
  const pre = hook(r, 'prerouting');
  const stop = stopped(r, pre);
  if (stop) return stop;
  const p = r.packet;
  const martian = loopbackMartian(r);
  if (martian) return martian;
  if (isLocal(r, p.dst)) {
    r.hops.push({ kind: 'route', dst: p.dst, local: true, route: null, out: null });
    const input = hook(r, 'input');
    return stopped(r, input) ?? deliverHost(r, input.decidedBy);
  }
  const route = routeOf(r, p.dst);
  r.hops.push({ kind: 'route', dst: p.dst, local: false, route, out: route?.dev ?? null });
  if (route === null || route.dev === null) return end(r, 'no-route', 'unreachable');
  const name = forwardingSysctl(p.family);
  const fwd = sysctl(r, name, 'whether the host forwards packets');
  r.hops.push({ kind: 'forwarding', sysctl: name, value: fwd.value, assumed: fwd.assumed });
  if (fwd.value !== '1') return end(r, 'forwarding-off', 'timeout');
  p.out = route.dev;
  const forward = hook(r, 'forward');
  const stop2 = stopped(r, forward);
  if (stop2) return stop2;
  const post = hook(r, 'postrouting');
  return stopped(r, post) ?? deliverOut(r, route, forward.decidedBy);
}

/** A packet this host sends: OUTPUT, POSTROUTING, and for its own addresses the loop back through lo. */
function send(r: Run): PathResult {
  const p = r.packet;
  const routeFor = (): Route | null => {
    if (isLocal(r, p.dst)) {
      p.out = 'lo';
      return null;
    }
    const route = routeOf(r, p.dst);
    p.out = route?.dev ?? null;
    return route;
  };
  let route = routeFor();
  const before = p.dst;
  const output = hook(r, 'output');
  const stop = stopped(r, output);
  if (stop) return stop;
  if (p.dst !== before) route = routeFor();
  const local = p.out === 'lo';
  r.hops.push({ kind: 'route', dst: p.dst, local, route, out: p.out });
  if (!local && (route === null || p.out === null)) return end(r, 'no-route', 'unreachable');
  const post = hook(r, 'postrouting');
  const stop2 = stopped(r, post);
  if (stop2) return stop2;
  if (!local) return deliverOut(r, route, output.decidedBy);
  p.in = 'lo';
  p.out = null;
  const pre = hook(r, 'prerouting', true);
  const stop3 = stopped(r, pre);
  if (stop3) return stop3;
  const input = hook(r, 'input', true);
  return stopped(r, input) ?? deliverHost(r, input.decidedBy);
}

/** Two containers on one bridge: switched, and seen by iptables only when br_netfilter hands it over. */
function bridged(r: Run, at: ContainerAt, bridge: string): PathResult {
  const name = r.packet.family === 'ipv4' ? 'net.bridge.bridge-nf-call-iptables' : 'net.bridge.bridge-nf-call-ip6tables';
  const s = sysctl(r, name, 'whether bridged traffic passes iptables');
  const iptables = s.value === '1';
  r.hops.push({ kind: 'bridged', bridge, iptables, sysctl: name, value: s.value, assumed: s.assumed });
  if (!iptables) return deliverContainer(r, at, null);
  let decidedBy: RuleRef | null = null;
  for (const h of ['prerouting', 'forward', 'postrouting'] as const) {
    if (h === 'forward') r.packet.out = bridge;
    const res = hook(r, h);
    const stop = stopped(r, res);
    if (stop) return stop;
    if (h === 'forward') decidedBy = res.decidedBy;
  }
  return deliverContainer(r, at, decidedBy);
}

function endpointAddress(at: ContainerAt, family: IpFamily): string | null {
  const cidr = family === 'ipv4' ? at.endpoint.ipv4 : at.endpoint.ipv6;
  return cidr ? (cidr.split('/')[0] ?? null) : null;
}

/**
 * The walk from a start to a target, with the answers given; throws NeedsAnswer for a question not
 * answered. With `reply`, the walk is a reply's (reply.ts): conntrack ESTABLISHED, from the address that
 * took the connection back to the client's port.
 */
export function walkFrom(host: HostView, start: Start, t: Target, a: Assumptions, depth = 0, reply: ReplyStart | null = null): PathResult {
  const family = familyOf(t.ip);
  const packet: Packet = {
    family,
    protocol: t.protocol,
    src: '',
    dst: t.ip,
    sport: reply?.sport ?? CLIENT_PORT,
    dport: t.port,
    in: null,
    out: null,
    mark: 0,
    ctstate: reply ? 'ESTABLISHED' : 'NEW',
    dnat: reply?.dnat ?? false,
    snat: reply?.snat ?? false,
    unnat: reply?.unnat ?? null,
  };
  const walk = (s: Start, t2: Target, d: number) => walkFrom(host, s, t2, a, d);
  const r: Run = { host, a, hops: [], packet, depth, reply, walk };
  try {
    if (start.kind === 'outside') {
      Object.assign(packet, { src: start.ip, in: start.iface });
      r.hops.push({ kind: 'enter', from: 'outside', iface: start.iface, container: null, packet: view(packet) });
      return arrive(r);
    }
    if (start.kind === 'host') {
      const local = host.isLocal(t.ip) === true;
      const route = local ? null : host.route(t.ip);
      const dev = route !== null && typeof route !== 'string' ? route.dev : null;
      packet.src = reply?.src ?? (local ? t.ip : (host.primaryAddress(dev, family) ?? (family === 'ipv4' ? '0.0.0.0' : '::')));
      r.hops.push({ kind: 'enter', from: 'host', iface: null, container: null, packet: view(packet) });
      return send(r);
    }
    return fromContainer(r, start.at);
  } catch (e) {
    if (e instanceof CannotTell)
      return { verdict: 'unknown', expect: 'unknown', decidedBy: null, rejectWith: null, hops: r.hops, unknown: e.message };
    throw e;
  }
}

/** Whether a container has a route to `dst`: on the subnet of one of its endpoints, or any endpoint has a gateway. */
function containerRoutes(at: ContainerAt, dst: string, family: IpFamily): boolean {
  // The endpoint model holds the IPv4 gateway only; an address without its prefix leaves the subnet untold.
  if (family === 'ipv6') return true;
  return at.container.endpoints.some((e) => Boolean(e.gateway) || !e.ipv4?.includes('/') || inPrefix(dst, e.ipv4));
}

function fromContainer(r: Run, at: ContainerAt): PathResult {
  const p = r.packet;
  const src = endpointAddress(at, p.family);
  if (src === null)
    throw new CannotTell(`${at.container.name} has no ${p.family === 'ipv4' ? 'IPv4' : 'IPv6'} address on ${at.endpoint.network}`);
  p.src = src;
  if (isLoopback(p.dst)) {
    // A container's 127.0.0.1 is its own: the packet never leaves its namespace.
    p.src = p.dst;
    r.hops.push({ kind: 'enter', from: 'container', iface: null, container: at.container.name, packet: view(p) });
    return deliverContainer(r, { ...at, bridge: null }, null);
  }
  const peer = r.host.containerAt(p.dst);
  r.hops.push({ kind: 'enter', from: 'container', iface: at.bridge, container: at.container.name, packet: view(p) });
  if (at.bridge === null)
    throw new CannotTell(`${at.container.name}'s network ${at.endpoint.network} is not a bridge network docknet can follow`);
  p.in = at.bridge;
  if (peer !== null && typeof peer !== 'string' && peer.bridge === at.bridge) return bridged(r, peer, at.bridge);
  if (!containerRoutes(at, p.dst, p.family)) {
    // The container's own routing table: Docker gives it a default route only through an endpoint with a gateway (none on --internal).
    r.hops.push({ kind: 'route', dst: p.dst, local: false, route: null, out: null });
    return end(r, 'no-route', 'unreachable');
  }
  return arrive(r);
}
