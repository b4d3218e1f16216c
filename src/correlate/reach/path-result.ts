// What a walk through the host returns (path.ts): where the packet started and what it was sent to,
// the hops it passed, and the verdict a client would see.
import type { Hook } from '../../model/firewall.js';
import type { DockerProxy, ListeningSocket } from '../../model/port-path.js';
import type { Route } from '../../model/route.js';
import type { HookResult, RuleRef, Step } from './hooks.js';
import type { ContainerAt } from './host-view.js';
import type { Packet, Protocol } from './packet.js';

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
