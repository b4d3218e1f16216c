// Where a command's facts come from: the live host, or a saved snapshot given with --from.
import { gatherLive, type FactGroup, type GatherOptions } from '../gather/live.js';
import { loadSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/snapshot.js';

export type SnapshotProvider = (groups: FactGroup[], options?: GatherOptions) => Promise<Snapshot>;

export function snapshotProvider(from: string | null | undefined): SnapshotProvider {
  // Commands read the container list plus runtime pids; `snapshot save` asks for full inspects itself.
  return from ? () => loadSnapshot(from) : (groups, options) => gatherLive(groups, { detail: 'list', ...options });
}
