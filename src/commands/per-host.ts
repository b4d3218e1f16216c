// Runs one command once per host of a fleet, each against that host's snapshots and an IO of its own,
// then prints every host's output in the order given (render/fleet.ts). A host that cannot be read gets
// its error in its own section while the others report; the exit code is the worst host's.
import { EXIT } from '../model/errors.js';
import { fleetJson, renderFleetText, type HostOutput } from '../render/fleet.js';
import { hostError } from './host-error.js';
import { hostSources, type HostFlags } from './hosts.js';
import type { IO } from './io.js';
import { snapshotProvider, type SnapshotProvider } from './source.js';

export type HostRun = (io: IO, snapshotOf: SnapshotProvider, host: string | null) => Promise<number>;

async function runOne(io: IO, host: string, snapshotOf: SnapshotProvider, run: HostRun): Promise<{ output: HostOutput; code: number }> {
  let text = '';
  const own: IO = { ...io, out: (s) => void (text += s), err: (s) => io.err(s.replace(/^(?=.)/gm, `[${host}] `)) };
  try {
    const code = await run(own, snapshotOf, host);
    return { output: { host, text }, code };
  } catch (err) {
    const e = hostError(err);
    if (!e) throw err;
    return { output: { host, error: { message: e.message, hint: e.hint } }, code: EXIT.failure };
  }
}

/** With no --host, --context or fleet archive: `run` once, exactly as before. */
export async function runForHosts(flags: HostFlags, json: boolean, io: IO, run: HostRun): Promise<number> {
  const sources = await hostSources(flags, io);
  if (!sources) return run(io, snapshotProvider(flags.from, io), null);
  try {
    const results = await Promise.all(sources.hosts.map((h) => runOne(io, h.label, h.snapshotOf, run)));
    const outputs = results.map((r) => r.output);
    io.out(json ? `${JSON.stringify(fleetJson(outputs), null, 2)}\n` : renderFleetText(outputs));
    return Math.max(EXIT.ok, ...results.map((r) => r.code));
  } finally {
    await sources.close();
  }
}
