// The reply path: a connection is made only when its answer gets back. From where the first packet was
// delivered (a container or this host), the reply is walked back to the client as conntrack sees it
// (ESTABLISHED; NAT undone by conntrack, so nat chains do not see it). A reply a rule drops leaves
// the client waiting, whatever the request's path said.
import type { HostView } from './host-view.js';
import type { Assumptions } from './packet.js';
import { walkFrom } from './path.js';
import type { Hop, PathResult, Start, Target } from './path-result.js';

/** The request's walk and, when it was delivered to a listening socket, its reply's. */
export interface Walk {
  request: PathResult;
  reply: PathResult | null;
}

function lastDelivery(hops: readonly Hop[]): Extract<Hop, { kind: 'deliver-container' | 'deliver-host' }> | null {
  for (let i = hops.length - 1; i >= 0; i--) {
    const h = hops[i] as Hop;
    if (h.kind === 'deliver-container' || h.kind === 'deliver-host') return h;
  }
  return null;
}

/**
 * Whether the request was answered by its destination: a listening socket's reply, or a TCP reset where
 * nothing listens (a reply of the connection, ESTABLISHED to conntrack). A UDP port's "unreachable" is an
 * ICMP error (conntrack RELATED), which this walk does not model: such a reply is not walked.
 */
function answered(request: PathResult): boolean {
  if (request.verdict === 'delivered') return request.expect === 'connect';
  return request.verdict === 'no-listener' && request.hops[0]?.kind === 'enter' && request.hops[0].packet.protocol === 'tcp';
}

/** The reply of a delivered connection, walked with the same answers; null when there is none to walk. */
export function replyOf(host: HostView, request: PathResult, a: Assumptions): PathResult | null {
  if (!answered(request)) return null;
  const enter = request.hops[0];
  const delivery = lastDelivery(request.hops);
  if (enter?.kind !== 'enter' || delivery === null) return null;
  let from: Start = { kind: 'host' };
  if (delivery.kind === 'deliver-container') {
    // A container's reply to its own loopback never leaves its namespace: nothing of the host's decides it.
    if (delivery.bridge === null) return null;
    const at = host.containerAt(delivery.ip);
    if (at === null || typeof at === 'string') return null;
    from = { kind: 'container', at };
  }
  const rewrites = request.hops.filter((h) => h.kind === 'nat').map((h) => h.rewrite.kind);
  const client = { ip: enter.packet.src, port: enter.packet.sport };
  const asked = { ip: enter.packet.dst, port: enter.packet.dport };
  const same = (x: { ip: string; port: number }, y: { ip: string; port: number }) => x.ip === y.ip && x.port === y.port;
  // The reply goes to the address the request came from as delivered (after any SNAT), from the one that took it.
  const to: Target = { ip: delivery.from.ip, port: delivery.from.port, protocol: enter.packet.protocol };
  return walkFrom(host, from, to, a, 0, {
    src: delivery.ip,
    sport: delivery.port,
    dnat: rewrites.includes('dnat') || rewrites.includes('redirect'),
    snat: rewrites.includes('snat') || rewrites.includes('masquerade'),
    unnat: {
      dst: same(delivery.from, client) ? null : client,
      src: same({ ip: delivery.ip, port: delivery.port }, asked) ? null : asked,
    },
  });
}

/**
 * The verdict of request and reply together: a reply dropped or rejected on its way back leaves the
 * client waiting (a reject answers the sender of the reply, not the client); a reply whose fate cannot
 * be told makes what the client sees unknown.
 */
export function combined(w: Walk): PathResult {
  const { request, reply } = w;
  if (reply === null || (reply.verdict === 'delivered' && reply.expect === 'connect')) return request;
  if (reply.verdict === 'unknown' || reply.expect === 'unknown')
    return { ...request, expect: 'unknown', unknown: `whether the reply gets back cannot be told: ${reply.unknown ?? 'unknown'}` };
  const verdict = reply.verdict === 'rejected' ? 'dropped' : reply.verdict;
  return { ...request, verdict, expect: 'timeout', decidedBy: reply.decidedBy, rejectWith: null };
}
