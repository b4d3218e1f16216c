// docknet snapshot save --host A --host B PATH: every host's facts gathered at once (as `snapshot save`
// gathers one host's), each redacted, saved together as a fleet archive (snapshot/fleet-archive.ts).
import { gatherAll } from '../gather/all.js';
import { openHost } from '../gather/open-host.js';
import { redactSnapshot } from '../gather/redact.js';
import { type DocknetError, EXIT } from '../model/errors.js';
import { escapeText } from '../render/escape.js';
import { saveFleet } from '../snapshot/fleet-archive.js';
import type { RedactionSummary } from '../snapshot/manifest.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { shellArg } from '../util/shell-quote.js';
import { docknetVersion } from '../version.js';
import { hostError } from './host-error.js';
import { hostTargets, type HostTarget } from './hosts.js';
import type { IO } from './io.js';

type Saved =
  | { host: string; snapshot: Snapshot; redaction: RedactionSummary | null; engineError: string | null }
  | { host: string; error: DocknetError };

async function gatherOne(t: HostTarget, io: IO, redact: boolean): Promise<Saved> {
  let opened: Awaited<ReturnType<typeof openHost>> | null = null;
  try {
    opened = await openHost(t.url, io.env);
    const { snapshot, engineError } = await gatherAll(opened.host);
    const { snapshot: toSave, summary } = redact ? redactSnapshot(snapshot) : { snapshot, summary: null };
    return { host: t.label, snapshot: toSave, redaction: summary, engineError: engineError?.message ?? null };
  } catch (err) {
    const error = hostError(err);
    if (!error) throw err;
    return { host: t.label, error };
  } finally {
    await opened?.close();
  }
}

export async function runFleetSave(
  opts: { path: string; force: boolean; redact: boolean; host?: readonly string[]; context?: readonly string[] },
  io: IO,
): Promise<number> {
  const targets = hostTargets(opts, io.env);
  const saved = await Promise.all(targets.map((t) => gatherOne(t, io, opts.redact)));
  const manifest = await saveFleet(saved, opts.path, { force: opts.force, cwd: io.cwd, docknetVersion: docknetVersion() });
  let out = `Saved a fleet archive of ${saved.length} host${saved.length === 1 ? '' : 's'} to ${escapeText(opts.path)}:\n`;
  for (const [i, s] of saved.entries()) {
    const entry = manifest.hosts[i];
    if ('error' in s) out += `  ${escapeText(s.host)}: not read: ${escapeText(s.error.message)}\n`;
    else {
      const where = entry && 'snapshot' in entry ? entry.snapshot : '';
      const note = s.engineError ? ` (host facts only: ${escapeText(s.engineError)})` : '';
      out += `  ${escapeText(s.host)}: ${escapeText(where)}, ${s.snapshot.facts.size} facts, ${s.snapshot.missing.length} not gathered${note}\n`;
    }
  }
  out += `Analyse it anywhere with: docknet veth-map --from ${escapeText(shellArg(opts.path))}\n`;
  io.out(out);
  return saved.some((s) => 'error' in s || s.engineError) ? EXIT.failure : EXIT.ok;
}
