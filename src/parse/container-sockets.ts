// Who listens inside each container's network namespace, from its files.json socket tables: known per
// container, or unknown with why (not read, the container stopped, a permission refused).
import type { Fact } from '../model/fact.js';
import { known, unknown } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import type { ListeningSocket } from '../model/port-path.js';
import { FACT, factText, type Snapshot } from '../snapshot/snapshot.js';
import { parseContainerFiles } from './container-files.js';
import { listeningOf } from './proc-net-sockets.js';

export function containerSocketsOf(snapshot: Snapshot, model: HostModel): Map<string, Fact<ListeningSocket[]>> {
  const out = new Map<string, Fact<ListeningSocket[]>>();
  for (const c of model.containers.all) {
    const path = FACT.containerFiles(c.name);
    const text = factText(snapshot, path);
    if (text === null) {
      const missing = snapshot.missing.find((m) => m.path === path);
      out.set(
        c.name,
        unknown(missing?.cause ?? 'not-in-data', missing?.reason ?? `the socket tables of ${c.name} are not in the data (${path})`),
      );
      continue;
    }
    const files = parseContainerFiles(text).value;
    if (files.namespaceSockets === null) {
      const why = files.errors.find((e) => /\/net\/tcp/.test(e)) ?? files.errors[0] ?? 'no socket table was read';
      out.set(c.name, unknown('failed', `the socket tables of ${c.name} could not be read: ${why}`));
      continue;
    }
    out.set(c.name, known(listeningOf(files.namespaceSockets), path));
  }
  return out;
}
