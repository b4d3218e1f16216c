// A fleet: the snapshots of several hosts read in one run (--host, --context, or a fleet archive given
// to --from), each under the label the user knows the host by. A host that could not be read is an
// entry with its error, so the others still report.
import type { DocknetError } from '../model/errors.js';
import type { Snapshot } from './snapshot.js';

/** One host of a fleet: its label (the URL or context name as given, or the name saved in a fleet archive). */
export type FleetMember = { host: string; snapshot: Snapshot } | { host: string; error: DocknetError };

/** In the order the user gave the hosts; labels are unique. */
export type Fleet = readonly FleetMember[];

export function isRead(member: FleetMember): member is { host: string; snapshot: Snapshot } {
  return 'snapshot' in member;
}
