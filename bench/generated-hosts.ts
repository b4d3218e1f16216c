// Writes the repository's generated host (test/property/scale-host.ts: real shapes, names and indexes
// varied) as a saved snapshot directory, so the bench reads it the way a user would: docknet ... --from.
import { saveSnapshot } from '../src/snapshot/save.js';
import { scaleHost } from '../test/property/scale-host.js';

/** Published ports per generated container: each gives a DNAT and a hairpin MASQUERADE rule. */
export const PORTS_PER_CONTAINER = Number(process.env.BENCH_PORTS_PER_CONTAINER ?? 2);

export interface GeneratedHost {
  containers: number;
  natRules: number;
  /** A container of the host, for `inspect`. */
  inspectTarget: string;
}

export async function writeGeneratedHost(containers: number, dir: string): Promise<GeneratedHost> {
  const host = scaleHost(containers, 2 * PORTS_PER_CONTAINER * containers);
  host.snapshot.source = { kind: 'saved', location: dir };
  host.snapshot.hostname = `generated-${containers}`;
  await saveSnapshot(host.snapshot, dir, { force: false, docknetVersion: 'bench', redaction: null });
  return { containers, natRules: host.natRules, inspectTarget: 'scale-7' };
}
