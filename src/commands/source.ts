// Where a command's facts come from: the live host, or a saved snapshot given with --from.
import type { IO } from './io.js';
import { liveHost } from '../gather/host-access.js';
import { gatherLive, type FactGroup, type GatherOptions } from '../gather/live.js';
import { loadSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/snapshot.js';

export type SnapshotProvider = (groups: FactGroup[], options?: GatherOptions) => Promise<Snapshot>;

/** --from is read relative to io.cwd; the live host through io.env (DOCKER_HOST, the command timeout). */
export function snapshotProvider(from: string | null | undefined, io: Pick<IO, 'env' | 'cwd'>): SnapshotProvider {
  // Commands read the container list plus runtime pids; `snapshot save` asks for full inspects itself.
  return from
    ? () => loadSnapshot(from, io.cwd)
    : (groups, options) => gatherLive(groups, liveHost(io.env), { detail: 'list', ...options });
}
