// A connection's first packet walked through the host, hook by hook in kernel order: where it enters,
// raw/mangle/nat/filter, the routing decision and forwarding, the bridge or veth it leaves by, and
// whether a socket listens there. Pure over the host view; questions it cannot answer are raised
// (packet.ts) and answered by the caller, which evaluates each answer (reach.ts).
import type { Hook, IpFamily } from '../../model/firewall.js';
import type { DockerProxy, ListeningSocket } from '../../model/port-path.js';
import type { Route } from '../../model/route.js';
import { familyOf, inPrefix, isLoopback, isWildcard, normaliseHostIp, sameAddress } from '../../util/address.js';
import { type HookResult, type RuleRef, type Step, walkHook } from './hooks.js';
import type { ContainerAt, HostView } from './host-view.js';
import { type Assumptions, assume, type Packet, type Protocol } from './packet.js';

export type Verdict = 'delivered' | 'no-listener' | 'rejected' | 'dropped' | 'no-route' | 'forwarding-off' | 'unknown';
export type Expect = 'connect' | 'refused' | 'timeout' | 'unreachable' | 'unknown';

/** Where the packet starts, resolved against the host. */
export type Start = { kind: 'outside'; ip: string; iface: string } | { kind: 'host' } | { kind: 'container'; at: ContainerAt };

export interface Target {
  ip: string;
  port: number;
  protocol: Protocol;
}

/** What the packet meets where it is delivered; `client`: a reply, which the connection's own socket takes. */
export type Listener =
  | { state: 'listening'; socket: ListeningSocket }
  | { state: 'not-listening' }
  | { state: 'unknown'; why: string }
  | { state: 'client' };

export type Hop =
  | { kind: 'enter'; from: Start['kind']; iface: string | null; container: string | null; packet: PacketView }
  | { kind: 'hook'; hook: Hook; steps: Step[]; verdict: HookResult['verdict']; loopback: boolean; packet: PacketView; reply: boolean }
  | { kind: 'nat'; rewrite: HookResult['rewrites'][number] }
  | { kind: 'route'; dst: string; local: boolean; route: Route | null; out: string | null }
  | { kind: 'forwarding'; sysctl: string; value: string | null; assumed: boolean }
  | { kind: 'martian'; iface: string; dst: string; routeLocalnet: boolean; assumed: boolean }
  | { kind: 'bridged'; bridge: string; iptables: boolean; sysctl: string; value: string | null; assumed: boolean }
  | { kind: 'deliver-container'; container: string; bridge: string | null; ip: string; port: number; listener: Listener; from: Endpoint }
  | {
      kind: 'deliver-host';
      ip: string;
      port: number;
      listener: Listener;
      proxy: DockerProxy | null;
      proxied: PathResult | null;
      from: Endpoint;
    }
  | { kind: 'leave'; iface: string; gateway: string | null; packet: PacketView };

/** An address and port. */
export interface Endpoint {
  ip: string;
  port: number;
}

export interface PacketView {
  protocol: Protocol;
  src: string;
  sport: number;
  dst: string;
  dport: number;
}

export interface PathResult {
  verdict: Verdict;
  expect: Expect;
  decidedBy: RuleRef | null;
  rejectWith: string | null;
  hops: Hop[];
  /** When the verdict is unknown: why, in the facts' words. */
  unknown: string | null;
}

/** A reply's walk: the packet that answers a connection, conntrack ESTABLISHED, from where it was delivered. */
export interface ReplyStart {
  /** The address and port that took the connection: the reply's source. */
  src: string;
  sport: number;
  /** Whether the connection was DNATed or SNATed on its way (conntrack's DNAT and SNAT states hold for its replies too). */
  dnat: boolean;
  snat: boolean;
  /** What conntrack gives back where the request was rewritten (packet.ts Packet.unnat). */
  unnat: Packet['unnat'];
}

/** A fact the walk needs and cannot have: the verdict is unknown, whatever else is assumed. */
class CannotTell extends Error {}

/** The client's own port: a connection's source port, a reply's destination port. */
export const CLIENT_PORT = 40000;

function view(p: Packet): PacketView {
  return { protocol: p.protocol, src: p.src, sport: p.sport, dst: p.dst, dport: p.dport };
}

interface Run {
  host: HostView;
  a: Assumptions;
  hops: Hop[];
  packet: Packet;
  depth: number;
  /** Set when this walk is a reply's. */
  reply: ReplyStart | null;
}

function ruleset(r: Run) {
  const fw = r.host.firewall(r.packet.family);
  if (!fw.known) throw new CannotTell(`the ${r.packet.family === 'ipv4' ? 'IPv4' : 'IPv6'} firewall rules are unknown: ${fw.reason}`);
  return fw.value;
}

/** Walks one hook; a drop or reject ends the path with that rule. */
function hook(r: Run, h: Hook, loopback = false): HookResult {
  const packet = r.packet;
  const rs = ruleset(r);
  const seen = view(packet);
  const ctstate = packet.ctstate;
  // A packet looping back through lo was NATed on the way out: nat chains do not see it again.
  if (loopback) packet.ctstate = 'ESTABLISHED';
  const res = walkHook(
    rs,
    h,
    packet,
    { addrtype: (ip) => addrtype(r.host, ip), primaryAddress: (i, f) => r.host.primaryAddress(i, f) },
    r.a,
  );
  packet.ctstate = ctstate;
  r.hops.push({ kind: 'hook', hook: h, steps: res.steps, verdict: res.verdict, loopback, packet: seen, reply: r.reply !== null });
  for (const w of res.rewrites) r.hops.push({ kind: 'nat', rewrite: w });
  return res;
}

function addrtype(host: HostView, ip: string): string[] | { unknown: string } {
  const local = host.isLocal(ip);
  if (typeof local === 'string') return { unknown: local };
  if (local) return ['LOCAL', 'UNICAST'];
  if (/^2(2[4-9]|3\d)\./.test(ip) || /^ff/i.test(ip)) return ['MULTICAST'];
  if (ip === '255.255.255.255') return ['BROADCAST'];
  return ['UNICAST'];
}

function isLocal(r: Run, ip: string): boolean {
  const local = r.host.isLocal(ip);
  if (typeof local === 'string') throw new CannotTell(local);
  return local;
}

function routeOf(r: Run, ip: string): Route | null {
  const route = r.host.route(ip);
  if (typeof route === 'string') throw new CannotTell(route);
  return route;
}

function end(r: Run, verdict: Verdict, expect: Expect, decidedBy: RuleRef | null = null, rejectWith: string | null = null): PathResult {
  return { verdict, expect, decidedBy, rejectWith, hops: r.hops, unknown: null };
}

/** What a client sees for a REJECT: `tcp-reset` and the default port-unreachable read as refused; the others as unreachable. */
function rejectExpect(w: string | null): Expect {
  return w === null || w === 'tcp-reset' || /port-unreach/.test(w) ? 'refused' : 'unreachable';
}

function stopped(r: Run, res: HookResult): PathResult | null {
  if (res.verdict === 'drop') return end(r, 'dropped', 'timeout', res.decidedBy);
  if (res.verdict === 'reject') return end(r, 'rejected', rejectExpect(res.rejectWith), res.decidedBy, res.rejectWith);
  return null;
}

/** A sysctl the walk depends on: its value, or an answer assumed for it (either is evaluated). */
function sysctl(r: Run, name: string, meaning: string): { value: string | null; assumed: boolean } {
  const s = r.host.sysctl(name);
  if ('value' in s) return { value: s.value, assumed: false };
  const on = assume(r.a, { key: `sysctl:${name}`, why: `${s.unknown} (${meaning})` });
  return { value: on ? '1' : '0', assumed: true };
}

export function listenerIn(sockets: ListeningSocket[], t: Target, v6only: (s: ListeningSocket) => boolean = () => false): Listener {
  const s = sockets.find(
    (x) =>
      x.protocol === t.protocol &&
      x.port === t.port &&
      (sameAddress(x.ip, t.ip) || (isWildcard(x.ip) && (familyOf(x.ip) === familyOf(t.ip) || (x.ip === '::' && !v6only(x))))),
  );
  return s ? { state: 'listening', socket: s } : { state: 'not-listening' };
}

function delivered(r: Run, listener: Listener, decidedBy: RuleRef | null): PathResult {
  if (listener.state === 'listening' || listener.state === 'client') return end(r, 'delivered', 'connect', decidedBy);
  if (listener.state === 'not-listening') return end(r, 'no-listener', 'refused', decidedBy);
  return { ...end(r, 'delivered', 'unknown', decidedBy), unknown: listener.why };
}

function deliverContainer(r: Run, at: ContainerAt, decidedBy: RuleRef | null): PathResult {
  const t: Target = { ip: r.packet.dst, port: r.packet.dport, protocol: r.packet.protocol };
  const sockets = r.host.containerListening(at.container.name);
  const listener: Listener = r.reply
    ? { state: 'client' }
    : sockets.known
      ? listenerIn(sockets.value, t)
      : { state: 'unknown', why: sockets.reason };
  const from = { ip: r.packet.src, port: r.packet.sport };
  r.hops.push({ kind: 'deliver-container', container: at.container.name, bridge: at.bridge, ip: t.ip, port: t.port, listener, from });
  return delivered(r, listener, decidedBy);
}

function proxyFor(proxies: DockerProxy[] | null, t: Target): DockerProxy | null {
  return (
    proxies?.find(
      (p) =>
        p.proto === t.protocol &&
        p.hostPort === t.port &&
        (sameAddress(normaliseHostIp(p.hostIp), t.ip) || isWildcard(normaliseHostIp(p.hostIp))),
    ) ?? null
  );
}

function deliverHost(r: Run, decidedBy: RuleRef | null): PathResult {
  const t: Target = { ip: r.packet.dst, port: r.packet.dport, protocol: r.packet.protocol };
  const sockets = r.host.hostListening;
  // Docker binds a publication's IPv4 and IPv6 sides apart: its docker-proxy on :: is IPV6_V6ONLY and takes no IPv4 connection.
  const v6only = (s: ListeningSocket) =>
    (r.host.dockerProxies ?? []).some((p) => p.proto === s.protocol && p.hostPort === s.port && normaliseHostIp(p.hostIp) === '::');
  const listener: Listener = r.reply
    ? { state: 'client' }
    : sockets
      ? listenerIn(sockets, t, v6only)
      : { state: 'unknown', why: "the host's socket tables are not in the data" };
  const proxy = listener.state === 'listening' ? proxyFor(r.host.dockerProxies, t) : null;
  // docker-proxy accepts the connection itself, then opens its own to the container: that second leg is shown, not the verdict.
  const proxied =
    proxy && r.depth === 0 && !r.reply
      ? walkFrom(r.host, { kind: 'host' }, { ip: proxy.containerIp, port: proxy.containerPort, protocol: t.protocol }, r.a, 1)
      : null;
  r.hops.push({ kind: 'deliver-host', ip: t.ip, port: t.port, listener, proxy, proxied, from: { ip: r.packet.src, port: r.packet.sport } });
  return delivered(r, listener, decidedBy);
}

/** The packet leaves by `out`: to a container on a Docker bridge, or beyond the host. */
function deliverOut(r: Run, route: Route | null, decidedBy: RuleRef | null): PathResult {
  const out = r.packet.out;
  const bridgeNetwork = r.host.networks.find((n) => n.bridgeName !== null && n.bridgeName === out);
  const at = r.host.containerAt(r.packet.dst);
  if (bridgeNetwork || (at !== null && typeof at !== 'string' && at.bridge === out)) {
    if (typeof at === 'string') throw new CannotTell(at);
    if (at === null) {
      r.hops.push({ kind: 'leave', iface: out ?? '', gateway: null, packet: view(r.packet) });
      return end(r, 'no-route', 'unreachable', decidedBy);
    }
    return deliverContainer(r, at, decidedBy);
  }
  r.hops.push({ kind: 'leave', iface: out ?? '', gateway: route?.gateway ?? null, packet: view(r.packet) });
  // A reply that leaves towards its client has passed this host: the client took the connection from there.
  if (r.reply) return end(r, 'delivered', 'connect', decidedBy);
  return {
    ...end(r, 'delivered', 'unknown', decidedBy),
    unknown: `${r.packet.dst} is beyond this host: whether it answers is not a fact of this host`,
  };
}

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
  const r: Run = { host, a, hops: [], packet, depth, reply };
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
