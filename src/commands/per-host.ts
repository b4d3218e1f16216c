// Runs one command once per host of a fleet, each against that host's snapshots, then prints every
// host's output in the order given (render/fleet.ts): its words in a section of its own, or its JSON
// document nested under `hosts`. A host that cannot be read gets its error in its own section while the
// others report; the exit code is the worst host's.
import { EXIT } from '../model/errors.js';
import { fleetJson, renderFleetText, type HostDocument } from '../render/fleet.js';
import { hostError } from './host-error.js';
import { hostSources, type HostFlags } from './hosts.js';
import type { CommandIO, IO } from './io.js';
import { type CommandOutput, outputText } from './output.js';
import { snapshotProvider, type SnapshotProvider } from './source.js';

export type HostRun = (io: CommandIO, snapshotOf: SnapshotProvider, host: string | null) => Promise<CommandOutput>;

type HostResult = { host: string; output: CommandOutput } | { host: string; error: { message: string; hint: string | null } };

async function runOne(io: IO, host: string, snapshotOf: SnapshotProvider, run: HostRun): Promise<HostResult> {
  const { out: _, ...rest } = io;
  // What a host says on stderr (nat's "no container publishes ...") is told apart by its label.
  const own: CommandIO = { ...rest, err: (s) => io.err(s.replace(/^(?=.)/gm, `[${host}] `)) };
  try {
    return { host, output: await run(own, snapshotOf, host) };
  } catch (err) {
    const e = hostError(err);
    if (!e) throw err;
    return { host, error: { message: e.message, hint: e.hint } };
  }
}

/** The fleet's JSON nests each host's document as a value; its text is each host's words. */
function fleetText(results: readonly HostResult[], json: boolean): string {
  if (!json) return renderFleetText(results.map((r) => ('error' in r ? r : { host: r.host, text: outputText(r.output) })));
  const documents = results.map(
    (r): HostDocument =>
      'error' in r ? r : 'json' in r.output ? { host: r.host, json: r.output.json } : { host: r.host, text: r.output.text },
  );
  return `${JSON.stringify(fleetJson(documents), null, 2)}\n`;
}

/** With no --host, --context or fleet archive: `run` once, and its output printed exactly as before. */
export async function runForHosts(flags: HostFlags, json: boolean, io: IO, run: HostRun): Promise<number> {
  const sources = await hostSources(flags, io);
  if (!sources) {
    const output = await run(io, snapshotProvider(flags.from, io), null);
    io.out(outputText(output));
    return output.code;
  }
  try {
    const results = await Promise.all(sources.hosts.map((h) => runOne(io, h.label, h.snapshotOf, run)));
    io.out(fleetText(results, json));
    return Math.max(EXIT.ok, ...results.map((r) => ('error' in r ? EXIT.failure : r.output.code)));
  } finally {
    await sources.close();
  }
}
