// docknet snapshot save: gathers every fact of this host, hides secrets, and writes them as a
// directory or a .tar.gz that any docknet command reads back with --from; snapshot import does the
// same from a pasted terminal session.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import type { IO } from './io.js';
import { EXIT, UsageError } from '../model/errors.js';
import { gatherAll, type GatherAllResult } from '../gather/all.js';
import { engineAnswerHint } from '../gather/engine-api.js';
import { liveHost } from '../gather/host-access.js';
import { runFleetSave } from './snapshot-fleet.js';
import { redactSnapshot } from '../gather/redact.js';
import { escapeText } from '../render/escape.js';
import type { TranscriptImport } from '../parse/transcript.js';
import { MANIFEST_FILE, type RedactionSummary } from '../snapshot/manifest.js';
import { pathIn } from '../snapshot/paths.js';
import { checkSaveTarget, saveSnapshot, type SaveResult } from '../snapshot/save.js';
import { emptyTranscriptError, readTranscript, transcriptSnapshot } from '../snapshot/transcript.js';
import { naturalCompare } from '../util/natural-compare.js';
import { shellArg } from '../util/shell-quote.js';
import { docknetVersion } from '../version.js';

export interface SnapshotSaveOptions {
  path: string;
  force: boolean;
  /** false with --no-redact. */
  redact: boolean;
  /** --host and --context: several hosts are saved as one fleet archive (commands/snapshot-fleet.ts). */
  host?: readonly string[];
  context?: readonly string[];
}

export interface SnapshotSaveDeps {
  gather: () => Promise<GatherAllResult>;
  docknetVersion: string;
}

function defaultDeps(io: IO): SnapshotSaveDeps {
  return { gather: () => gatherAll(liveHost(io.env)), docknetVersion: docknetVersion() };
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

export async function runSnapshotSave(opts: SnapshotSaveOptions, io: IO, deps: SnapshotSaveDeps = defaultDeps(io)): Promise<number> {
  if (opts.path.trim() === '') throw new UsageError('snapshot save needs a path: a directory, or a file ending in .tar.gz');
  if (opts.host?.length || opts.context?.length) return runFleetSave(opts, io);
  // Before gathering: a refusal should not cost the time of reading the whole host.
  await checkSaveTarget(opts.path, opts.force, io.cwd);
  const { snapshot, engineError } = await deps.gather();
  const { snapshot: toSave, summary } = opts.redact ? redactSnapshot(snapshot) : { snapshot, summary: null };
  const result = await saveSnapshot(toSave, opts.path, {
    force: opts.force,
    cwd: io.cwd,
    docknetVersion: deps.docknetVersion,
    redaction: summary,
  });
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
    return EXIT.failure;
  }
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------
// docknet snapshot import: a pasted terminal session split into a snapshot directory (or .tar.gz).

export interface SnapshotImportOptions {
  transcript: string;
  path: string;
  force: boolean;
  json: boolean;
}

export interface SnapshotImportDeps {
  docknetVersion: string;
}

/** An existing empty directory is where people `mkdir` a snapshot first: it takes the import without --force. */
async function isEmptyDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory() && (await readdir(path)).length === 0;
  } catch {
    return false;
  }
}

function lineRange(a: number, b: number): string {
  return a === b ? `line ${a}` : `lines ${a}-${b}`;
}

function importReport(r: SaveResult, transcript: string, parsed: TranscriptImport): string {
  const read = parsed.commands.filter((c) => c.outcome === 'written' || c.outcome === 'merged' || c.outcome === 'replaced').length;
  const failed = parsed.commands.filter((c) => c.outcome === 'error').length;
  const facts = r.files.filter((f) => f !== MANIFEST_FILE);
  let out =
    `Imported ${facts.length} file${facts.length === 1 ? '' : 's'} from ${escapeText(transcript)} into ${escapeText(r.location)} ` +
    `(${r.kind}): ${parsed.commandCount} command${parsed.commandCount === 1 ? '' : 's'} after prompts, ${read} read, ${failed} failed, ${parsed.unknown.length} not read.\n`;
  const width = Math.max(...facts.map((f) => f.length));
  out += 'Files:\n';
  for (const path of facts) {
    const o = r.manifest.files[path];
    const lines = o?.lines ? ` (${lineRange(o.lines[0], o.lines[1])})` : '';
    out += `  ${escapeText(path.padEnd(width))}  ${escapeText(o?.what ?? '')}${lines}\n`;
  }
  const others = parsed.commands.filter((c) => c.outcome !== 'written' && c.outcome !== 'merged' && c.outcome !== 'error');
  if (others.length) {
    out += `Outputs left out (${others.length}):\n`;
    for (const c of others)
      out += `  line ${c.line}  ${escapeText(c.command)} -> ${escapeText(c.file)}: ${c.outcome}${c.note ? ` (${escapeText(c.note)})` : ''}\n`;
  }
  const errors = parsed.commands.filter((c) => c.outcome === 'error');
  if (errors.length) {
    out += `Failed (${errors.length}; recorded as missing unless another output gave the file):\n`;
    for (const c of errors)
      out += `  line ${c.line}  ${escapeText(c.command)} -> ${escapeText(c.file)}: ${escapeText(c.note ?? 'failed')}\n`;
  }
  if (parsed.unknown.length) {
    out += `Not read (${parsed.unknown.length}):\n`;
    for (const u of parsed.unknown)
      out += `  line ${u.line}  ${escapeText(u.command)}${u.where === 'host' ? '' : ` (in ${escapeText(u.where)})`}: ${escapeText(u.reason)}\n`;
  }
  if (parsed.issues.length) {
    out += `Notes (${parsed.issues.length}):\n`;
    for (const i of parsed.issues) out += `  line ${i.line}: ${escapeText(i.reason)}\n`;
  }
  out += "Not redacted: the files hold the transcript's text as it was pasted.\n";
  out += `Analyse it with: docknet veth-map --from ${escapeText(shellArg(r.location))}\n`;
  return out;
}

function importJson(r: SaveResult, transcript: string, parsed: TranscriptImport): string {
  const files = r.files
    .filter((f) => f !== MANIFEST_FILE)
    .map((path) => ({ path, command: r.manifest.files[path]?.what ?? null, lines: r.manifest.files[path]?.lines ?? null }));
  const doc = {
    schemaVersion: 1,
    transcript,
    snapshot: { location: r.location, kind: r.kind },
    commandCount: parsed.commandCount,
    files,
    commands: parsed.commands,
    unknown: parsed.unknown,
    missing: parsed.missing,
    issues: parsed.issues,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function runSnapshotImport(
  opts: SnapshotImportOptions,
  io: IO,
  deps: SnapshotImportDeps = { docknetVersion: docknetVersion() },
): Promise<number> {
  if (opts.transcript.trim() === '')
    throw new UsageError('snapshot import needs the transcript: a text file holding a pasted terminal session');
  if (opts.path.trim() === '') throw new UsageError('snapshot import needs a path: a new directory, or a file ending in .tar.gz');
  const force = opts.force || (await isEmptyDir(pathIn(io.cwd, opts.path)));
  await checkSaveTarget(opts.path, force, io.cwd);
  const { text, parsed } = await readTranscript(opts.transcript, undefined, io.cwd);
  const empty = emptyTranscriptError(opts.transcript, parsed, 'transcript');
  if (empty) throw empty;
  const snapshot = transcriptSnapshot(parsed, opts.transcript);
  const result = await saveSnapshot(snapshot, opts.path, {
    force,
    cwd: io.cwd,
    docknetVersion: deps.docknetVersion,
    redaction: null,
    importedFrom: { kind: 'transcript', path: opts.transcript, sha256: createHash('sha256').update(text, 'utf8').digest('hex') },
  });
  io.out(opts.json ? importJson(result, opts.transcript, parsed) : importReport(result, opts.transcript, parsed));
  return EXIT.ok;
}
