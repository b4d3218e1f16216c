// Where the walk ends on this host: a container's or the host's socket (with docker-proxy's second leg),
// or the interface the packet leaves by.
import type { DockerProxy, ListeningSocket } from '../../model/port-path.js';
import type { Route } from '../../model/route.js';
import { familyOf, isWildcard, normaliseHostIp, sameAddress } from '../../util/address.js';
import type { RuleRef } from './hooks.js';
import type { ContainerAt } from './host-view.js';
import type { Listener, PathResult, Target } from './path-result.js';
import { CannotTell, end, type Run, view } from './walk-state.js';

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

export function deliverContainer(r: Run, at: ContainerAt, decidedBy: RuleRef | null): PathResult {
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

export function deliverHost(r: Run, decidedBy: RuleRef | null): PathResult {
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
      ? r.walk({ kind: 'host' }, { ip: proxy.containerIp, port: proxy.containerPort, protocol: t.protocol }, 1)
      : null;
  r.hops.push({ kind: 'deliver-host', ip: t.ip, port: t.port, listener, proxy, proxied, from: { ip: r.packet.src, port: r.packet.sport } });
  return delivered(r, listener, decidedBy);
}

/** The packet leaves by `out`: to a container on a Docker bridge, or beyond the host. */
export function deliverOut(r: Run, route: Route | null, decidedBy: RuleRef | null): PathResult {
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
