// One reach question asked of a saved snapshot, as `docknet reach <source> <destination> --from <dir>` asks it.
import { parseDestination, parseSource } from '../../../src/commands/reach.js';
import { hostView } from '../../../src/correlate/reach/host-view.js';
import { reach, type ReachResult } from '../../../src/correlate/reach/reach.js';
import { containerSocketsOf } from '../../../src/parse/container-sockets.js';
import { buildHostModel } from '../../../src/parse/host-model.js';
import { hostSettingsFact } from '../../../src/parse/host-settings.js';
import { loadSnapshot } from '../../../src/snapshot/load.js';

export async function ask(dir: string, source: string, destination: string): Promise<ReachResult> {
  const snapshot = await loadSnapshot(dir);
  const model = buildHostModel(snapshot);
  return reach(
    hostView(model, hostSettingsFact(snapshot).fact, containerSocketsOf(snapshot, model)),
    parseSource(source),
    parseDestination(destination),
  );
}
