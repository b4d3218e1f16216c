// docknet reach across nodes: two tasks of one swarm overlay on different nodes, given one snapshot per
// node (the fleet overlay reads); the walk through both nodes' overlay namespaces and rules, and the verdict.
import { type AcrossNode, parseEndRef, splitNode } from '../correlate/overlay/across-ends.js';
import { reachAcross } from '../correlate/overlay/reach-across.js';
import { EXIT, UsageError } from '../model/errors.js';
import { containerSocketsOf } from '../parse/container-sockets.js';
import { readNodeOverlayFacts } from '../parse/overlay-facts.js';
import { reachAcrossJson, renderReachAcrossText } from '../render/reach-across.js';
import { isRead } from '../snapshot/fleet.js';
import { readFleetManifest } from '../snapshot/fleet-archive.js';
import type { IO } from './io.js';
import type { FleetProvider } from './overlay.js';
import { parseDestination } from './reach.js';

export interface ReachAcrossOptions {
  source: string;
  destination: string;
  json: boolean;
}

/** Reads both ends before any I/O: the source `[NODE/]TASK`, the destination `[NODE/]TASK:PORT[/tcp|udp]`. */
export function parseAcrossEnds(o: ReachAcrossOptions) {
  const source = parseEndRef(o.source.trim());
  if (source.name === '') throw new UsageError(`invalid source '${o.source}': reach across nodes takes [NODE/]TASK`);
  const { node, rest } = splitNode(o.destination.trim());
  const d = parseDestination(rest);
  if (d.kind !== 'container' || d.ref.includes('/'))
    throw new UsageError(
      `invalid destination '${o.destination}': reach across nodes takes [NODE/]TASK:PORT[/tcp|udp], a task or container by name`,
    );
  return { source, destination: { node, name: d.ref, port: d.port, protocol: d.protocol } };
}

/**
 * How many nodes the flags name: each --from, --host and --context, and each host of a fleet archive
 * given as the one --from. Two or more, with two ends, is reach across nodes.
 */
export async function nodesNamed(
  flags: { from: readonly string[]; host: readonly string[]; context: readonly string[] },
  io: Pick<IO, 'cwd'>,
): Promise<number> {
  const named = flags.from.length + flags.host.length + flags.context.length;
  if (named !== 1 || flags.from[0] === undefined) return named;
  return (await readFleetManifest(flags.from[0], io.cwd))?.hosts.length ?? 1;
}

export async function runReachAcross(opts: ReachAcrossOptions, io: IO, fleetOf: FleetProvider): Promise<number> {
  const { source, destination } = parseAcrossEnds(opts);
  const fleet = await fleetOf();
  const nodes: AcrossNode[] = fleet.filter(isRead).map((m) => {
    const facts = readNodeOverlayFacts(m.host, m.snapshot);
    return { facts, sockets: containerSocketsOf(m.snapshot, facts.model) };
  });
  const unreadable = fleet.flatMap((m) => (isRead(m) ? [] : [{ host: m.host, reason: m.error.message }]));
  const result = reachAcross({ nodes, unreadable, source, destination });
  io.out(opts.json ? `${JSON.stringify(reachAcrossJson(result), null, 2)}\n` : renderReachAcrossText(result));
  return EXIT.ok;
}
