// docknet reach: can this source reach that destination, and which rule decides. Walks the packet
// (path.ts); where a fact is missing or a match is not modelled, walks every answer and keeps the
// verdict only when all agree, so a missing fact never becomes a definite answer.
import type { Ruleset } from '../../model/firewall.js';
import { familyOf } from '../../util/address.js';
import { type DestinationArg, resolveDestination, resolveSource, type SourceArg } from './endpoints.js';
import type { RuleRef } from './hooks.js';
import type { HostView } from './host-view.js';
import { type Forked, forkAnswers, MAX_WALKS } from './fork.js';
import type { Question } from './packet.js';
import { walkFrom } from './path.js';
import type { PathResult, Start, Target } from './path-result.js';
import { combined, replyOf, type Walk } from './reply.js';
import { type Advice, adviceFor } from './advice.js';

/** The verdict over every answer to what the data lacks: a path's fields (the walk shown, the first one), and how it was reached. */
export interface ReachResult extends PathResult {
  source: SourceArg;
  destination: DestinationArg;
  /** The start and target as resolved; null when they could not be. */
  start: Start | null;
  target: Target | null;
  /** The reply's walk, when the request was delivered to a listening socket (reply.ts); null otherwise. */
  reply: PathResult | null;
  /** For a negative verdict, what would allow it: suggestions, never applied (advice.ts). */
  advice: Advice[];
  /** Whether the verdict was decided on the way back: the request got through and its reply did not. */
  decidedOnReply: boolean;
  /** Questions the facts left open; `matters` when their answer changes the verdict. */
  questions: (Question & { matters: boolean })[];
  /** How the ends were read ("host means 192.0.2.10, the address of the uplink eth0"). */
  resolution: string[];
  /** What the rules in the data lack for this family ("nftables-native tables are not in the data"). */
  rulesetNotes: string[];
}

interface Walked {
  answers: Map<string, boolean>;
  walk: Walk;
  /** Request and reply together. */
  result: PathResult;
}

function walkAll(host: HostView, start: Start, target: Target): Forked<Walked> {
  return forkAnswers((answers) => {
    const request = walkFrom(host, start, target, answers);
    const walk = { request, reply: replyOf(host, request, answers) };
    return { answers, walk, result: combined(walk) };
  });
}

function sameRule(a: RuleRef | null, b: RuleRef | null): boolean {
  return (
    a === b || (a !== null && b !== null && a.table === b.table && a.chain === b.chain && a.number === b.number && a.family === b.family)
  );
}

function notesOf(host: HostView, target: Target | null): string[] {
  if (target === null) return [];
  const fw = host.firewall(familyOf(target.ip));
  return fw.known ? (fw.value as Ruleset).notes : [];
}

export function reach(host: HostView, source: SourceArg, destination: DestinationArg): ReachResult {
  const base = {
    source,
    destination,
    decidedBy: null,
    rejectWith: null,
    hops: [],
    reply: null,
    advice: [],
    decidedOnReply: false,
    questions: [],
    rulesetNotes: [],
  };
  const dst = resolveDestination(host, destination, source);
  if (!dst.ok) return { ...base, start: null, target: null, verdict: 'unknown', expect: 'unknown', unknown: dst.why, resolution: [] };
  const start = resolveSource(host, source, dst.value.ip);
  const resolution = [start.ok ? start.note : null, dst.note].filter((n): n is string => n !== null);
  const rulesetNotes = notesOf(host, dst.value);
  if (!start.ok)
    return { ...base, start: null, target: dst.value, verdict: 'unknown', expect: 'unknown', unknown: start.why, resolution, rulesetNotes };
  const { walked, questions, exhausted } = walkAll(host, start.value, dst.value);
  const first = walked[0]?.result;
  const agree =
    !exhausted && first !== undefined && walked.every((w) => w.result.verdict === first.verdict && w.result.expect === first.expect);
  // A question matters when two walks that differ only in its answer differ in verdict.
  const matters = (key: string) =>
    !agree && walked.some((w) => walked.some((v) => v.answers.get(key) !== w.answers.get(key) && v.result.verdict !== w.result.verdict));
  const qs = [...questions.values()].map((q) => ({ ...q, matters: matters(q.key) }));
  if (!agree || first === undefined) {
    const open = qs.filter((q) => q.matters).map((q) => q.why);
    return {
      ...base,
      start: start.value,
      target: dst.value,
      verdict: 'unknown',
      expect: 'unknown',
      hops: first?.hops ?? [],
      reply: walked[0]?.walk.reply ?? null,
      unknown: exhausted
        ? `more than ${MAX_WALKS} combinations of facts the data does not hold`
        : `it depends on what the data does not hold: ${open.join('; ')}`,
      questions: qs,
      resolution,
      rulesetNotes,
    };
  }
  const decidedBy = walked.every((w) => sameRule(w.result.decidedBy, first.decidedBy)) ? first.decidedBy : null;
  const { request, reply } = (walked[0] as Walked).walk;
  return {
    source,
    destination,
    start: start.value,
    target: dst.value,
    verdict: first.verdict,
    expect: first.expect,
    decidedBy,
    rejectWith: first.rejectWith,
    hops: first.hops,
    reply,
    advice: adviceFor(host, start.value, dst.value, first, reply),
    decidedOnReply: request.verdict !== first.verdict || request.expect !== first.expect,
    unknown: first.unknown,
    questions: qs,
    resolution,
    rulesetNotes,
  };
}
