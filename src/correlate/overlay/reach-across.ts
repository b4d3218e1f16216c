// docknet reach between two tasks of one swarm overlay, across nodes: the request from one task to the
// other (across-path.ts) and, when it is delivered to a listening socket, the reply back. Where a rule
// cannot be told, every answer is walked and the verdict stands only when all agree, as single-host
// reach does; otherwise it is unknown, naming what would decide.
import { DocknetError } from '../../model/errors.js';
import { type Forked, forkAnswers, MAX_WALKS } from '../reach/fork.js';
import type { Protocol, Question } from '../reach/packet.js';
import { CLIENT_PORT } from '../reach/path.js';
import type { Expect, PacketView, Verdict } from '../reach/path-result.js';
import { correlateOverlay } from './overlay.js';
import { type AcrossNode, type EndRef, findTask, noSharedOverlay, sharedOverlays, type TaskEnd } from './across-ends.js';
import { type AcrossDecider, type AcrossLeg, type Side, VXLAN_SOURCE_PORT, walkAcross } from './across-path.js';

export interface AcrossInput {
  nodes: AcrossNode[];
  unreadable: { host: string; reason: string }[];
  source: EndRef;
  destination: EndRef & { port: number; protocol: Protocol };
}

export interface AcrossEnd {
  node: string;
  task: string;
  ip: string;
}

export interface AcrossResult {
  network: { id: string; name: string; vni: number | null; encrypted: boolean };
  /** Other overlays both ends share, by name: not walked. */
  otherNetworks: string[];
  source: AcrossEnd;
  destination: AcrossEnd & { port: number; protocol: Protocol };
  verdict: Verdict;
  expect: Expect;
  decidedBy: AcrossDecider | null;
  rejectWith: string | null;
  hops: AcrossLeg['hops'];
  /** The reply's walk, when the request was delivered to a listening socket. */
  reply: AcrossLeg | null;
  decidedOnReply: boolean;
  unknown: string | null;
  /** Questions the facts left open; `matters` when their answer changes the verdict. */
  questions: (Question & { matters: boolean })[];
  notes: string[];
}

/** A task-to-task walk in both directions, for one set of answers. */
interface Walked {
  answers: Map<string, boolean>;
  request: AcrossLeg;
  reply: AcrossLeg | null;
  /** The verdict of the whole: the request's, unless it was delivered and its reply was not. */
  result: AcrossLeg;
}

function side(end: TaskEnd, at: { on: Side['on']; ip: string }, addr: string | null): Side {
  return { node: end.node, addr, on: at.on, task: end.container, ip: at.ip };
}

function walkBoth(from: Side, to: Side, inner: PacketView, answers: Map<string, boolean>): Walked {
  const request = walkAcross(from, to, inner, answers, false);
  const listening = request.verdict === 'delivered' && request.expect === 'connect';
  const back: PacketView = { protocol: inner.protocol, src: inner.dst, sport: inner.dport, dst: inner.src, dport: inner.sport };
  const reply = listening ? walkAcross(to, from, back, answers, true) : null;
  const result = reply && reply.verdict !== 'delivered' ? reply : request;
  return { answers, request, reply, result };
}

function sameDecider(a: AcrossDecider | null, b: AcrossDecider | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.node !== b.node || a.fact !== b.fact) return false;
  const [x, y] = [a.rule, b.rule];
  return x === y || (x !== null && y !== null && x.table === y.table && x.chain === y.chain && x.number === y.number);
}

/** Every combination of answers to the questions the walks raise, up to MAX_WALKS. */
function walkAll(from: Side, to: Side, inner: PacketView): Forked<Walked> {
  return forkAnswers((answers) => walkBoth(from, to, inner, answers));
}

/** Resolves both ends on the fleet (usage errors for names it cannot place), then walks. */
export function reachAcross(input: AcrossInput): AcrossResult {
  const a = findTask(input.nodes, input.unreadable, input.source);
  const b = findTask(input.nodes, input.unreadable, input.destination);
  const shared = sharedOverlays(a, b);
  const first = shared[0];
  if (!first)
    throw new DocknetError(
      `no swarm overlay joins the two ends: ${noSharedOverlay(a, b)}`,
      'reach across nodes follows a swarm overlay both tasks are attached to',
    );
  const net = first.from.on.network;
  // The overlay as correlateOverlay sees it on every node: each node's data-path address among its peers.
  const report = correlateOverlay({ nodes: input.nodes.map((n) => n.facts), unreadable: input.unreadable, network: net.id });
  const view = report.networks[0];
  const addrOf = (e: TaskEnd) => view?.nodes.find((n) => n.host === e.node.facts.host)?.address ?? null;
  const from = side(a, first.from, addrOf(a));
  const to = side(b, first.to, addrOf(b));
  const { port, protocol } = input.destination;
  const inner: PacketView = { protocol, src: from.ip, sport: CLIENT_PORT, dst: to.ip, dport: port };
  const { walked, questions, exhausted } = walkAll(from, to, inner);
  const w0 = walked[0];
  const agree =
    !exhausted && w0 !== undefined && walked.every((w) => w.result.verdict === w0.result.verdict && w0.result.expect === w.result.expect);
  const matters = (key: string) =>
    !agree && walked.some((w) => walked.some((v) => v.answers.get(key) !== w.answers.get(key) && v.result.verdict !== w.result.verdict));
  const qs = [...questions.values()].map((q) => ({ ...q, matters: matters(q.key) }));
  const notes = [
    `the outer UDP source port is the kernel's hash of the inner flow; the walk takes ${VXLAN_SOURCE_PORT}`,
    "each task's own namespace and the overlay namespace's netfilter rules are not read (Docker writes none there for an unencrypted overlay)",
  ];
  const base = {
    network: { id: net.id, name: net.name, vni: net.vni, encrypted: net.encrypted },
    otherNetworks: shared.slice(1).map((s) => s.from.on.network.name),
    source: { node: a.node.facts.host, task: a.container.name, ip: from.ip },
    destination: { node: b.node.facts.host, task: b.container.name, ip: to.ip, port, protocol },
    questions: qs,
    notes,
  };
  if (!agree || w0 === undefined) {
    const open = qs.filter((q) => q.matters).map((q) => q.why);
    return {
      ...base,
      verdict: 'unknown',
      expect: 'unknown',
      decidedBy: null,
      rejectWith: null,
      hops: w0?.request.hops ?? [],
      reply: w0?.reply ?? null,
      decidedOnReply: false,
      unknown: exhausted
        ? `more than ${MAX_WALKS} combinations of facts the data does not hold`
        : `it depends on what the data does not hold: ${open.join('; ')}`,
    };
  }
  const decidedBy = walked.every((w) => sameDecider(w.result.decidedBy, w0.result.decidedBy)) ? w0.result.decidedBy : null;
  return {
    ...base,
    verdict: w0.result.verdict,
    expect: w0.result.expect,
    decidedBy,
    rejectWith: w0.result.rejectWith,
    hops: w0.request.hops,
    reply: w0.reply,
    decidedOnReply: w0.result !== w0.request,
    unknown: w0.result.unknown,
  };
}
