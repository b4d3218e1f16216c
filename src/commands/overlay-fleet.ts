// The fleet `docknet overlay` reads: the hosts of --host/--context, a fleet archive, one saved snapshot
// per node given with repeated --from, or this host alone.
import { basename } from 'node:path';
import { liveHost } from '../gather/host-access.js';
import { gatherLive, type FactGroup } from '../gather/live.js';
import { DocknetError } from '../model/errors.js';
import type { Fleet, FleetMember } from '../snapshot/fleet.js';
import { loadSnapshot } from '../snapshot/load.js';
import { hostSources, loadFleet } from './hosts.js';
import type { IO } from './io.js';

/** What overlay reads of each node: its engine's /info, links and routes, rules, and the overlay facts. */
export const OVERLAY_GROUPS: FactGroup[] = ['engine-info', 'links', 'routes', 'nat', 'overlay'];

/** What reach across nodes reads besides: the containers, their interfaces and socket tables, the host's settings. */
const REACH_ACROSS_GROUPS: FactGroup[] = [...OVERLAY_GROUPS, 'engine', 'container-net', 'settings'];

/** Who reads the fleet: `docknet overlay`, or reach across nodes (which also needs each node's sockets). */
export type FleetPurpose = 'overlay' | 'reach-across';

export interface OverlayFleetFlags {
  from: readonly string[];
  host?: readonly string[];
  context?: readonly string[];
}

function isFroms(given: OverlayFleetFlags | readonly string[]): given is readonly string[] {
  return Array.isArray(given);
}

/** Each --from is a node, labelled by the hostname it was saved on (else its file name); a snapshot that cannot be read keeps its error. */
async function loadFroms(froms: readonly string[], io: Pick<IO, 'cwd'>): Promise<Fleet> {
  const members: FleetMember[] = [];
  const used = new Set<string>();
  for (const from of froms) {
    let member: FleetMember;
    try {
      const snapshot = await loadSnapshot(from, io.cwd);
      member = { host: snapshot.hostname ?? basename(from), snapshot };
    } catch (err) {
      if (!(err instanceof DocknetError)) throw err;
      member = { host: basename(from), error: err };
    }
    // Labels are unique: two snapshots of one hostname are told apart by their file names.
    if (used.has(member.host)) member = { ...member, host: `${member.host} (${basename(from)})` };
    used.add(member.host);
    members.push(member);
  }
  return members;
}

/** `froms` alone (repeated --from, as reach across nodes gives them) or with --host/--context. */
export async function loadOverlayFleet(
  given: OverlayFleetFlags | readonly string[],
  io: Pick<IO, 'env' | 'cwd'>,
  purpose: FleetPurpose = 'overlay',
): Promise<Fleet> {
  const groups = purpose === 'overlay' ? OVERLAY_GROUPS : REACH_ACROSS_GROUPS;
  const flags: OverlayFleetFlags = isFroms(given) ? { from: given } : given;
  const sources = await hostSources({ host: flags.host, context: flags.context, from: flags.from.length === 1 ? flags.from[0] : null }, io);
  if (sources) {
    try {
      return await loadFleet(sources, groups);
    } finally {
      await sources.close();
    }
  }
  if (flags.from.length) return loadFroms(flags.from, io);
  const snapshot = await gatherLive(groups, liveHost(io.env), { detail: purpose === 'overlay' ? 'list' : 'inspect' });
  return [{ host: snapshot.hostname ?? 'this host', snapshot }];
}
