// docknet snapshot save: gathers every fact of this host, hides secrets, and writes them as a
// directory or a .tar.gz that any docknet command reads back with --from.
import type { IO } from '../cli/io.js';
import { UsageError } from '../cli/errors.js';
import { gatherAll, type GatherAllResult } from '../gather/all.js';
import { engineAnswerHint } from '../gather/engine-api.js';
import { redactSnapshot } from '../gather/redact.js';
import { escapeText } from '../render/escape.js';
import type { RedactionSummary } from '../snapshot/manifest.js';
import { checkSaveTarget, saveSnapshot, type SaveResult } from '../snapshot/save.js';
import { naturalCompare } from '../util/natural-compare.js';
import { docknetVersion } from '../version.js';

export interface SnapshotSaveOptions {
  path: string;
  force: boolean;
  /** false with --no-redact. */
  redact: boolean;
}

export interface SnapshotSaveDeps {
  gather: () => Promise<GatherAllResult>;
  docknetVersion: string;
}

function defaultDeps(): SnapshotSaveDeps {
  return { gather: gatherAll, docknetVersion: docknetVersion() };
}

/** A path as a shell argument, quoted only when it needs to be. */
function shellArg(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

const KIND_WORDS: Record<string, [string, string]> = {
  env: ['environment value', 'environment values'],
  label: ['label value', 'label values'],
  option: ['driver option value', 'driver option values'],
  arg: ['command-line value', 'command-line values'],
  url: ['URL password', 'URL passwords'],
};

function redactionLine(summary: RedactionSummary | null): string {
  if (!summary) return 'Not redacted (--no-redact): environment values, labels and command lines are saved as they are.\n';
  const totals: Record<string, number> = {};
  for (const counts of Object.values(summary.counts)) for (const [k, n] of Object.entries(counts)) totals[k] = (totals[k] ?? 0) + n;
  const parts = Object.keys(KIND_WORDS)
    .filter((k) => totals[k])
    .map((k) => `${totals[k]} ${(KIND_WORDS[k] as [string, string])[totals[k] === 1 ? 0 : 1]}`);
  return parts.length
    ? `Secrets redacted: ${parts.join(', ')} replaced by ${summary.replacement} (--no-redact keeps them).\n`
    : 'Secrets redacted: nothing secret-looking was found.\n';
}

function report(r: SaveResult, summary: RedactionSummary | null): string {
  const m = r.manifest;
  const what = r.kind === 'archive' ? 'archive' : 'directory';
  let out = `Saved a snapshot of ${escapeText(m.hostname ?? 'this host')} (taken ${m.takenAt ?? 'at an unrecorded time'}) to ${escapeText(r.location)} (${what}, ${r.files.length} files).\n`;
  out += redactionLine(summary);
  const missing = [...m.missing].sort((a, b) => naturalCompare(a.path, b.path));
  if (missing.length) {
    out += `Not gathered (${missing.length}):\n`;
    for (const miss of missing) out += `  ${escapeText(miss.path)}: ${escapeText(miss.reason)}\n`;
  }
  out += `Analyse it anywhere with: docknet veth-map --from ${escapeText(shellArg(r.location))}\n`;
  return out;
}

export async function runSnapshotSave(opts: SnapshotSaveOptions, io: IO, deps: SnapshotSaveDeps = defaultDeps()): Promise<number> {
  if (opts.path.trim() === '') throw new UsageError('snapshot save needs a path: a directory, or a file ending in .tar.gz');
  // Before gathering: a refusal should not cost the time of reading the whole host.
  await checkSaveTarget(opts.path, opts.force);
  const { snapshot, engineError } = await deps.gather();
  const { snapshot: toSave, summary } = opts.redact ? redactSnapshot(snapshot) : { snapshot, summary: null };
  const result = await saveSnapshot(toSave, opts.path, { force: opts.force, docknetVersion: deps.docknetVersion, redaction: summary });
  io.out(report(result, summary));
  if (engineError) {
    // The host's own facts are saved, but a snapshot without containers answers little: exit 1.
    io.err(
      `docknet: ${escapeText(engineError.message)}\n` +
        `The snapshot at ${escapeText(opts.path)} holds the host's facts only (no containers, no networks).\n` +
        (engineError.kind === 'permission'
          ? 'Next: run with sudo, or add this user to the docker group, and save again.\n'
          : engineError.kind === 'unreachable'
            ? 'Next: start the engine, or point DOCKER_HOST at it, and save again.\n'
            : `${engineAnswerHint(engineError)}\n`),
    );
    return 1;
  }
  return 0;
}
