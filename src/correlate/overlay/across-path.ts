// One direction of a connection between two tasks of a swarm overlay on two nodes: from the sending
// task into its node's overlay namespace (br0, vxlan0: the neighbour entry gives the MAC, the fdb entry
// the VTEP), the VXLAN packet through the sender's output and postrouting, the receiver's prerouting
// and input (walkSwarmHooks, the overlay port walk), decapsulation into the receiver's overlay
// namespace, and the task's socket. Questions the facts cannot answer are raised (NeedsAnswer).
import type { Hook } from '../../model/firewall.js';
import type { Route } from '../../model/route.js';
import type { ContainerInfo } from '../../model/engine.js';
import type { OverlayOnNode } from '../../parse/overlay-facts.js';
import type { RuleRef, Step } from '../reach/hooks.js';
import type { Assumptions } from '../reach/packet.js';
import { listenerIn } from '../reach/deliver.js';
import type { Expect, Listener, PacketView, Verdict } from '../reach/path-result.js';
import type { AcrossNode } from './across-ends.js';
import { routeTo } from './checks.js';
import { swarmPacket, type SwarmPort, VXLAN_PORT, walkSwarmHooks } from './ports.js';

/** One side of the walk: a node, its data-path address, its view of the overlay, and the task there. */
export interface Side {
  node: AcrossNode;
  /** The node's data-path address (the VTEP others send to); null when the data does not say. */
  addr: string | null;
  on: OverlayOnNode;
  task: ContainerInfo;
  ip: string;
}

/** What decided: a rule of a node's firewall, or a fact of its kernel (a missing fdb entry, an SA). */
export interface AcrossDecider {
  node: string;
  rule: RuleRef | null;
  /** The kernel fact, in words, when no rule decided. */
  fact: string | null;
}

export type AcrossHop =
  | { kind: 'enter'; node: string; task: string; packet: PacketView }
  | { kind: 'same-node'; node: string; namespace: string; bridge: string | null }
  | {
      kind: 'overlay-out';
      node: string;
      namespace: string;
      vxlan: string;
      vni: number | null;
      neigh: { ip: string; mac: string } | null;
      fdb: { mac: string; vtep: string } | null;
    }
  | { kind: 'ipsec'; node: string; outbound: boolean; inbound: boolean }
  | { kind: 'encap'; node: string; vxlan: string; vni: number | null; route: Route | null; packet: PacketView }
  | { kind: 'hook'; node: string; hook: Hook; steps: Step[]; verdict: 'accept' | 'drop' | 'reject'; packet: PacketView }
  | { kind: 'leave'; node: string; iface: string; gateway: string | null }
  | { kind: 'arrive'; node: string; iface: string | null }
  | { kind: 'decap'; node: string; namespace: string; vxlan: string; vni: number | null; bridge: string | null }
  | { kind: 'deliver'; node: string; task: string; ip: string; port: number; listener: Listener };

export interface AcrossLeg {
  verdict: Verdict;
  expect: Expect;
  decidedBy: AcrossDecider | null;
  rejectWith: string | null;
  hops: AcrossHop[];
  unknown: string | null;
}

/** A fact the walk needs and the data does not hold: the verdict is unknown whatever else is assumed. */
export class CannotTellAcross extends Error {}

/** The outer source port docknet walks with: the kernel picks it from a hash of the inner flow, in its local port range. */
export const VXLAN_SOURCE_PORT = 32768;

interface Run {
  hops: AcrossHop[];
  a: Assumptions;
  vni: number | null;
  encrypted: boolean;
  reply: boolean;
  /** The receiver's rule (or policy) that let the VXLAN packet in: what decides a delivery. */
  admitted: AcrossDecider | null;
}

function end(r: Run, verdict: Verdict, expect: Expect, decidedBy: AcrossDecider | null, rejectWith: string | null = null): AcrossLeg {
  return { verdict, expect, decidedBy, rejectWith, hops: r.hops, unknown: null };
}

function known<T>(f: { known: true; value: T } | { known: false; reason: string }, what: string): T {
  if (!f.known) throw new CannotTellAcross(`${what}: ${f.reason}`);
  return f.value;
}

function namespaceOf(side: Side): string {
  const s = known(side.on.sandbox, `whether ${side.node.facts.host} has the namespace of ${side.on.network.name}`);
  if (!s.present) throw new CannotTellAcross(`${side.node.facts.host} has no namespace for ${side.on.network.name} (${s.path})`);
  return s.path;
}

/** The sender's overlay namespace: the neighbour entry of the destination's address, then the fdb entry of its MAC. */
function overlayOut(r: Run, from: Side, to: Side): AcrossLeg | { vtep: string; vxlan: string; port: number } {
  const host = from.node.facts.host;
  const namespace = namespaceOf(from);
  const links = known(from.on.links, `the links of ${host}'s overlay namespace`);
  const vx = links.vxlans[0];
  if (!vx) throw new CannotTellAcross(`${host}'s namespace of ${from.on.network.name} has no VXLAN device in the data`);
  const neigh = known(from.on.neigh, `the neighbours of ${host}'s overlay namespace`).find((n) => n.dst === to.ip && n.dev === vx.name);
  const mac = neigh?.lladdr ?? null;
  const fdb = mac
    ? known(from.on.fdb, `the fdb of ${host}'s overlay namespace`).find((e) => e.mac === mac && e.dev === vx.name && e.dst)
    : null;
  const hop: AcrossHop = {
    kind: 'overlay-out',
    node: host,
    namespace,
    vxlan: vx.name,
    vni: vx.vni,
    neigh: mac ? { ip: to.ip, mac } : null,
    fdb: fdb?.dst && mac ? { mac, vtep: fdb.dst } : null,
  };
  r.hops.push(hop);
  if (!mac)
    return end(r, 'no-route', 'unreachable', {
      node: host,
      rule: null,
      fact: `${host}'s overlay namespace has no neighbour entry for ${to.ip} on ${vx.name} (ip neigh): the task's ARP goes unanswered`,
    });
  if (!fdb?.dst)
    return end(r, 'dropped', 'timeout', {
      node: host,
      rule: null,
      fact: `${host}'s overlay namespace has no fdb entry for ${mac} on ${vx.name} (bridge fdb): the frame has no VTEP to go to`,
    });
  if (to.addr === null) throw new CannotTellAcross(`${to.node.facts.host}'s data-path address is not in the data`);
  if (fdb.dst !== to.addr)
    return end(r, 'dropped', 'timeout', {
      node: host,
      rule: null,
      fact: `${host} sends ${mac} to ${fdb.dst}, but ${to.task.name} runs on ${to.node.facts.host} (${to.addr})`,
    });
  return { vtep: fdb.dst, vxlan: vx.name, port: vx.port ?? VXLAN_PORT.port };
}

/** An encrypted overlay: the SAs the kernel needs on both nodes; without them the packet is dropped. */
function ipsec(r: Run, from: Side, to: Side): AcrossLeg | null {
  const sa = (side: Side) =>
    known(side.node.facts.xfrmState, `the IPsec states of ${side.node.facts.host}`).some(
      (s) => s.proto === 'esp' && s.src === from.addr && s.dst === to.addr,
    );
  const outbound = sa(from);
  const inbound = sa(to);
  r.hops.push({ kind: 'ipsec', node: from.node.facts.host, outbound, inbound });
  if (!outbound || !inbound) {
    const who = !outbound ? from.node.facts.host : to.node.facts.host;
    return end(r, 'dropped', 'timeout', {
      node: who,
      rule: null,
      fact: `${from.on.network.name} is encrypted and ${who} has no ESP SA from ${from.addr} to ${to.addr} (ip xfrm state): the kernel drops the packet`,
    });
  }
  throw new CannotTellAcross(`${from.on.network.name} is encrypted: docknet does not walk ESP-transformed VXLAN yet`);
}

/** One node's hooks for the VXLAN packet; a drop or reject ends the leg with that node's rule. */
function hooks(
  r: Run,
  side: Side,
  dir: 'send' | 'receive',
  port: SwarmPort,
  src: string,
  dst: string,
  iface: string | null,
): AcrossLeg | null {
  const host = side.node.facts.host;
  const rs = known(side.node.facts.model.firewall.ipv4, `${host}'s IPv4 rules`);
  const packet = () =>
    dir === 'send'
      ? swarmPacket(port, src, dst, null, iface, VXLAN_SOURCE_PORT)
      : swarmPacket(port, src, dst, iface, null, VXLAN_SOURCE_PORT);
  const res = walkSwarmHooks(rs, dir, packet, dir === 'send' ? src : dst, r.a, r.vni);
  for (const h of res.hooks)
    r.hops.push({
      kind: 'hook',
      node: host,
      hook: h.hook,
      steps: h.result.steps,
      verdict: h.result.verdict,
      packet: h.packet as PacketView,
    });
  if (res.verdict === 'accept') {
    if (dir === 'receive') r.admitted = res.decidedBy && { node: host, rule: res.decidedBy, fact: null };
    return null;
  }
  const by = { node: host, rule: res.decidedBy, fact: null };
  return res.verdict === 'drop' ? end(r, 'dropped', 'timeout', by) : end(r, 'rejected', 'unreachable', by, res.rejectWith);
}

function deliver(r: Run, to: Side, inner: PacketView): AcrossLeg {
  const name = to.task.name;
  const sockets = to.node.sockets.get(name) ?? { known: false as const, reason: `the socket tables of ${name} are not in the data` };
  const listener: Listener = r.reply
    ? { state: 'client' }
    : sockets.known
      ? listenerIn(sockets.value, { ip: inner.dst, port: inner.dport, protocol: inner.protocol })
      : { state: 'unknown', why: sockets.reason };
  r.hops.push({ kind: 'deliver', node: to.node.facts.host, task: name, ip: inner.dst, port: inner.dport, listener });
  if (listener.state === 'listening' || listener.state === 'client') return end(r, 'delivered', 'connect', r.admitted);
  if (listener.state === 'not-listening') {
    const fact = `nothing listens on ${inner.dst}:${inner.dport}/${inner.protocol} in ${name} on ${to.node.facts.host} (its socket tables)`;
    return end(r, 'no-listener', 'refused', { node: to.node.facts.host, rule: null, fact });
  }
  return { ...end(r, 'delivered', 'unknown', r.admitted), unknown: listener.why };
}

/**
 * One direction: `inner` from the task of `from` to the task of `to`. Raises NeedsAnswer for a rule it
 * cannot tell and returns an unknown leg for a fact the data does not hold.
 */
export function walkAcross(from: Side, to: Side, inner: PacketView, a: Assumptions, reply: boolean): AcrossLeg {
  const r: Run = { hops: [], a, vni: from.on.network.vni, encrypted: from.on.network.encrypted, reply, admitted: null };
  r.hops.push({ kind: 'enter', node: from.node.facts.host, task: from.task.name, packet: inner });
  try {
    if (from.node === to.node) {
      // Both tasks on one node: br0 of the overlay's namespace switches the frame; no VXLAN, no host rules.
      const links = known(from.on.links, `the links of ${from.node.facts.host}'s overlay namespace`);
      const bridge = links.links.find((l) => l.kind === 'bridge')?.name ?? null;
      r.hops.push({ kind: 'same-node', node: from.node.facts.host, namespace: namespaceOf(from), bridge });
      return deliver(r, to, inner);
    }
    const out = overlayOut(r, from, to);
    if ('verdict' in out) return out;
    if (from.addr === null) throw new CannotTellAcross(`${from.node.facts.host}'s data-path address is not in the data`);
    if (r.encrypted) {
      const stop = ipsec(r, from, to);
      if (stop) return stop;
    }
    const fromHost = from.node.facts.host;
    const route = routeTo(known(from.node.facts.model.routes, `${fromHost}'s routes`), out.vtep);
    const port: SwarmPort = { ...VXLAN_PORT, port: out.port, label: `${out.port}/udp` };
    const outer = { protocol: 'udp' as const, src: from.addr, sport: VXLAN_SOURCE_PORT, dst: out.vtep, dport: out.port };
    r.hops.push({ kind: 'encap', node: fromHost, vxlan: out.vxlan, vni: r.vni, route, packet: outer });
    if (!route?.dev)
      return end(r, 'no-route', 'unreachable', { node: fromHost, rule: null, fact: `${fromHost} has no route to ${out.vtep}` });
    const sent = hooks(r, from, 'send', port, from.addr, out.vtep, route.dev);
    if (sent) return sent;
    r.hops.push({ kind: 'leave', node: fromHost, iface: route.dev, gateway: route.gateway });
    const toHost = to.node.facts.host;
    const links = known(to.node.facts.model.hostLinks, `${toHost}'s links`);
    const iface = links.find((l) => l.addresses.some((x) => x.address === out.vtep))?.name ?? null;
    r.hops.push({ kind: 'arrive', node: toHost, iface });
    const received = hooks(r, to, 'receive', port, from.addr, out.vtep, iface);
    if (received) return received;
    const namespace = namespaceOf(to);
    const toLinks = known(to.on.links, `the links of ${toHost}'s overlay namespace`);
    const vx = toLinks.vxlans.find((v) => v.vni === r.vni) ?? null;
    const bridge = toLinks.links.find((l) => l.kind === 'bridge')?.name ?? null;
    if (!vx)
      return end(r, 'dropped', 'timeout', {
        node: toHost,
        rule: null,
        fact: `${toHost}'s namespace of ${to.on.network.name} has no VXLAN device of VNI ${r.vni ?? '?'}: nothing takes the packet`,
      });
    r.hops.push({ kind: 'decap', node: toHost, namespace, vxlan: vx.name, vni: vx.vni, bridge });
    return deliver(r, to, inner);
  } catch (e) {
    if (!(e instanceof CannotTellAcross)) throw e;
    return { verdict: 'unknown', expect: 'unknown', decidedBy: null, rejectWith: null, hops: r.hops, unknown: e.message };
  }
}
