// One walk's state and the steps every part of it takes: a hook walked over the ruleset, a fact of the
// host asked (raised as CannotTell when the data has not got it), a sysctl assumed when unknown, and the
// verdict that ends the walk.
import type { Hook } from '../../model/firewall.js';
import type { Route } from '../../model/route.js';
import { type HookResult, type RuleRef, walkHook } from './hooks.js';
import type { HostView } from './host-view.js';
import { type Assumptions, assume, type Packet } from './packet.js';
import type { Expect, Hop, PacketView, PathResult, ReplyStart, Start, Target, Verdict } from './path-result.js';

/** A fact the walk needs and cannot have: the verdict is unknown, whatever else is assumed. */
export class CannotTell extends Error {}

export function view(p: Packet): PacketView {
  return { protocol: p.protocol, src: p.src, sport: p.sport, dst: p.dst, dport: p.dport };
}

export interface Run {
  host: HostView;
  a: Assumptions;
  hops: Hop[];
  packet: Packet;
  depth: number;
  /** Set when this walk is a reply's. */
  reply: ReplyStart | null;
  /** Walks another connection on the same host with the same answers (docker-proxy's own leg: path.ts walkFrom). */
  walk: (start: Start, t: Target, depth: number) => PathResult;
}

export function ruleset(r: Run) {
  const fw = r.host.firewall(r.packet.family);
  if (!fw.known) throw new CannotTell(`the ${r.packet.family === 'ipv4' ? 'IPv4' : 'IPv6'} firewall rules are unknown: ${fw.reason}`);
  return fw.value;
}

/** Walks one hook; a drop or reject ends the path with that rule. */
export function hook(r: Run, h: Hook, loopback = false): HookResult {
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

export function addrtype(host: HostView, ip: string): string[] | { unknown: string } {
  const local = host.isLocal(ip);
  if (typeof local === 'string') return { unknown: local };
  if (local) return ['LOCAL', 'UNICAST'];
  if (/^2(2[4-9]|3\d)\./.test(ip) || /^ff/i.test(ip)) return ['MULTICAST'];
  if (ip === '255.255.255.255') return ['BROADCAST'];
  return ['UNICAST'];
}

export function isLocal(r: Run, ip: string): boolean {
  const local = r.host.isLocal(ip);
  if (typeof local === 'string') throw new CannotTell(local);
  return local;
}

export function routeOf(r: Run, ip: string): Route | null {
  const route = r.host.route(ip);
  if (typeof route === 'string') throw new CannotTell(route);
  return route;
}

export function end(
  r: Run,
  verdict: Verdict,
  expect: Expect,
  decidedBy: RuleRef | null = null,
  rejectWith: string | null = null,
): PathResult {
  return { verdict, expect, decidedBy, rejectWith, hops: r.hops, unknown: null };
}

/** What a client sees for a REJECT: `tcp-reset` and the default port-unreachable read as refused; the others as unreachable. */
export function rejectExpect(w: string | null): Expect {
  return w === null || w === 'tcp-reset' || /port-unreach/.test(w) ? 'refused' : 'unreachable';
}

export function stopped(r: Run, res: HookResult): PathResult | null {
  if (res.verdict === 'drop') return end(r, 'dropped', 'timeout', res.decidedBy);
  if (res.verdict === 'reject') return end(r, 'rejected', rejectExpect(res.rejectWith), res.decidedBy, res.rejectWith);
  return null;
}

/** A sysctl the walk depends on: its value, or an answer assumed for it (either is evaluated). */
export function sysctl(r: Run, name: string, meaning: string): { value: string | null; assumed: boolean } {
  const s = r.host.sysctl(name);
  if ('value' in s) return { value: s.value, assumed: false };
  const on = assume(r.a, { key: `sysctl:${name}`, why: `${s.unknown} (${meaning})` });
  return { value: on ? '1' : '0', assumed: true };
}
