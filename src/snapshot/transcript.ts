// A pasted terminal session as a Snapshot: reads the file, refuses what is not a transcript, and turns
// parse/transcript's files into facts (the same for `snapshot import` and for `--from <transcript>`).
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { DocknetError } from '../model/errors.js';
import { parseTranscript, type TranscriptImport } from '../parse/transcript.js';
import { emptySnapshot, type Snapshot } from './snapshot.js';
import { pathIn } from './paths.js';

const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;
const TRANSCRIPT_HINT =
  'paste each command after its shell prompt, with its output below it (`$ ip addr`, `[root@host ~]# iptables -t nat -L -n -v`); ' +
  'docs/snapshot-format.md lists the commands docknet reads';

/** Text, not a binary: no NUL byte, and valid UTF-8. */
export function isText(data: Buffer): boolean {
  if (data.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a file as a transcript, or says why it is not one. `data` may be given when already read; a
 * relative path is read from `cwd`, and named as given.
 */
export async function readTranscript(path: string, data?: Buffer, cwd?: string): Promise<{ text: string; parsed: TranscriptImport }> {
  if (data === undefined) {
    const at = pathIn(cwd, path);
    let st: Stats;
    try {
      st = await stat(at);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EACCES') throw new DocknetError(`cannot read ${path}: permission denied`, 'run as a user who can read it');
      throw new DocknetError(`no transcript at ${path}: the path does not exist`, 'give the text file that holds the pasted session');
    }
    if (st.isDirectory())
      throw new DocknetError(`${path} is a directory, not a transcript`, 'give the text file that holds the pasted session');
    if (!st.isFile()) throw new DocknetError(`${path} is not a regular file`, 'give the text file that holds the pasted session');
    if (st.size > MAX_TRANSCRIPT_BYTES)
      throw new DocknetError(`${path} is larger than ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MiB: not read`);
    data = await readFile(at);
  }
  if (data.length === 0) throw new DocknetError(`${path} is not a transcript: the file is empty`, TRANSCRIPT_HINT);
  if (!isText(data)) throw new DocknetError(`${path} is not a transcript: it holds binary data, not text`, TRANSCRIPT_HINT);
  const text = data.toString('utf8');
  return { text, parsed: parseTranscript(text) };
}

/** Why a transcript gives no snapshot (no command, none docknet reads, all failed), or null when it gives one. */
export function emptyTranscriptError(path: string, parsed: TranscriptImport, as: 'snapshot' | 'transcript'): DocknetError | null {
  if (parsed.files.size > 0) return null;
  const noPrompt = 'no shell prompt followed by a command (such as `$ ip addr` or `[root@host ~]# docker ps`)';
  if (parsed.commandCount === 0)
    return new DocknetError(
      as === 'snapshot'
        ? `${path} is not a snapshot: a file that is neither a .tar.gz archive nor a directory, and its text holds ${noPrompt}`
        : `${path} is not a transcript: its text holds ${noPrompt}`,
      as === 'snapshot'
        ? `${TRANSCRIPT_HINT}; a saved snapshot is a directory or .tar.gz written by \`docknet snapshot save\``
        : TRANSCRIPT_HINT,
    );
  const failed = parsed.commands.filter((c) => c.outcome === 'error');
  if (failed.length > 0) {
    const f = failed[0] as (typeof failed)[number];
    return new DocknetError(
      `${path}: every command docknet reads there failed (${failed.length}; line ${f.line} \`${f.command}\`: ${f.note ?? 'failed'})`,
      'run them again (as root where they need it) and paste their outputs',
    );
  }
  const seen = parsed.unknown
    .slice(0, 3)
    .map((u) => `line ${u.line} \`${u.command}\`: ${u.reason}`)
    .join('; ');
  const what = parsed.commands.length
    ? `none of its ${parsed.commandCount} commands gave a file docknet reads (${parsed.commands.map((c) => `line ${c.line}: ${c.outcome}${c.note ? `, ${c.note}` : ''}`).join('; ')})`
    : `it holds ${parsed.commandCount} command${parsed.commandCount === 1 ? '' : 's'} after shell prompts, none of which docknet reads (${seen}${parsed.unknown.length > 3 ? '; ...' : ''})`;
  return new DocknetError(`${path} is not a snapshot: ${what}`, TRANSCRIPT_HINT);
}

/** The facts of a transcript as a Snapshot; the failed commands are its missing facts. */
export function transcriptSnapshot(parsed: TranscriptImport, location: string): Snapshot {
  const snapshot = emptySnapshot({ kind: 'saved', location, transcript: true });
  for (const [path, text] of [...parsed.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    snapshot.facts.set(path, { path, text, origin: parsed.origins.get(path) ?? { kind: 'manual', what: path } });
  }
  snapshot.missing.push(...parsed.missing);
  return snapshot;
}

/** Loads a transcript file as a snapshot, for `--from`. */
export async function loadTranscriptSnapshot(path: string, data?: Buffer): Promise<Snapshot> {
  const { parsed } = await readTranscript(path, data);
  const err = emptyTranscriptError(path, parsed, 'snapshot');
  if (err) throw err;
  return transcriptSnapshot(parsed, path);
}
