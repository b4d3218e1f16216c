// Loads a saved snapshot: a directory or a .tar.gz (a docknet save, or files a person assembled by hand),
// or a pasted terminal transcript (snapshot/transcript.ts).
// Archives are read into memory and never extracted; directories are walked without following links.
import { open, readFile, stat } from 'node:fs/promises';
import { lstatSync, readFileSync, readdirSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DocknetError } from '../model/errors.js';
import { FORMAT_NAME, FORMAT_VERSION, MANIFEST_FILE, type Manifest } from './manifest.js';
import { pathIn } from './paths.js';
import { isUnknownCause } from '../model/fact.js';
import { FACT, emptySnapshot, type MissingFact, type Snapshot } from './snapshot.js';
import { TarError, readTar } from './tar.js';
import { isText, loadTranscriptSnapshot } from './transcript.js';

const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;
const MAX_ARCHIVE_FILES = 100_000;
const KNOWN_TOP = ['docker', 'host', 'containers', 'overlay', 'swarm'];
const LAYOUT_HINT = 'give a directory or .tar.gz written by `docknet snapshot save`; docs/snapshot-format.md describes the layout';

/**
 * Loads a snapshot from a directory, a .tar.gz, or a plain .tar, whichever `path` is. A relative
 * path is read from `cwd`; messages and the snapshot's location name it as given.
 */
export async function loadSnapshot(path: string, cwd?: string): Promise<Snapshot> {
  const at = pathIn(cwd, path);
  let st: Stats;
  try {
    // The path the user gave may itself be a link; links inside the snapshot are never followed.
    st = await stat(at);
  } catch (err) {
    if ((err as { code?: string }).code === 'EACCES')
      throw new DocknetError(`cannot read the snapshot at ${path}: permission denied`, 'run as a user who can read it');
    throw new DocknetError(`no snapshot at ${path}: the path does not exist`, LAYOUT_HINT);
  }
  if (st.isDirectory()) return loadSnapshotDir(path, cwd);
  if (!st.isFile()) throw new DocknetError(`${path} is not a snapshot: it is neither a directory nor an archive file`, LAYOUT_HINT);
  return loadSnapshotArchive(at, path);
}

export async function loadSnapshotDir(path: string, cwd?: string): Promise<Snapshot> {
  const at = pathIn(cwd, path);
  let st: Stats;
  try {
    st = await stat(at);
  } catch {
    throw new DocknetError(`no snapshot at ${path}: the path does not exist`, LAYOUT_HINT);
  }
  if (!st.isDirectory()) throw new DocknetError(`${path} is not a snapshot directory`, LAYOUT_HINT);
  const rels: string[] = [];
  const skipped: MissingFact[] = [];
  // Synchronous on purpose, as gather/ reads /proc: thousands of small files (one directory per
  // container), each read at once from the page cache, where an await per call cost a trip through
  // the thread pool: most of the time of a --from on a host of 2,000 containers was spent waiting.
  walk(at, at, rels, skipped);
  const files = new Map<string, string>();
  for (const rel of rels) {
    if (rel !== MANIFEST_FILE && !KNOWN_TOP.includes(rel.split('/')[0] ?? '')) continue;
    const full = join(at, rel);
    if (lstatSync(full).size > MAX_FILE_BYTES) {
      skipped.push({ path: rel, what: rel, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB: not read`, cause: 'failed' });
      continue;
    }
    files.set(rel, readFileSync(full, 'utf8'));
  }
  return snapshotFromFiles(files, skipped, path);
}

function walk(root: string, dir: string, out: string[], skipped: MissingFact[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const rel = relative(root, full).split(sep).join('/');
    // Never follow links: a snapshot must not read files outside itself.
    if (entry.isSymbolicLink()) skipped.push({ path: rel, what: rel, reason: 'a symbolic link: not followed', cause: 'failed' });
    else if (entry.isDirectory()) walk(root, full, out, skipped);
    else if (entry.isFile()) out.push(rel);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** `at` is where the archive is; `path` how the user named it. */
async function loadSnapshotArchive(at: string, path: string): Promise<Snapshot> {
  const head = Buffer.alloc(512);
  const fh = await open(at, 'r');
  let size: number;
  try {
    size = (await fh.stat()).size;
    await fh.read(head, 0, 512, 0);
  } finally {
    await fh.close();
  }
  const gzipped = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  const plainTar = head.subarray(257, 262).toString('latin1') === 'ustar';
  if (!gzipped && !plainTar) {
    if (/\.(tar\.gz|tgz)$/i.test(path))
      throw new DocknetError(`${path} is not a snapshot: it is named like a .tar.gz but is not gzip-compressed`, LAYOUT_HINT);
    // A plain text file may be a pasted terminal session: its commands' outputs are the facts.
    if (size <= MAX_FILE_BYTES) {
      const data = await readFile(at);
      if (data.length > 0 && isText(data)) return loadTranscriptSnapshot(path, data);
    }
    throw new DocknetError(
      `${path} is not a snapshot: a file that is neither a .tar.gz archive, a directory, nor a text transcript (it ${size === 0 ? 'is empty' : 'holds binary data'})`,
      'give a directory or .tar.gz written by `docknet snapshot save`, or a terminal session pasted into a text file; docs/snapshot-format.md describes both',
    );
  }
  if (size > MAX_ARCHIVE_BYTES) throw new DocknetError(`${path} is larger than ${MAX_ARCHIVE_BYTES / 1024 / 1024} MiB: not read`);
  let tar: Buffer = await readFile(at);
  if (gzipped) {
    try {
      tar = gunzipSync(tar, { maxOutputLength: MAX_ARCHIVE_BYTES });
    } catch (err) {
      throw new DocknetError(`${path} is not a readable .tar.gz: ${(err as Error).message}`, LAYOUT_HINT);
    }
  }
  let entries: ReturnType<typeof readTar>;
  try {
    entries = readTar(tar, { maxFileBytes: MAX_FILE_BYTES, maxFiles: MAX_ARCHIVE_FILES });
  } catch (err) {
    if (err instanceof TarError)
      throw new DocknetError(
        `refusing the archive ${path}: ${err.message}`,
        'a snapshot archive holds only regular files at relative paths inside it',
      );
    throw err;
  }
  const files = new Map<string, string>();
  const strip = wrapperDir(entries.map((e) => e.path));
  for (const e of entries) {
    const rel = strip ? e.path.slice(strip.length + 1) : e.path;
    if (rel !== MANIFEST_FILE && !KNOWN_TOP.includes(rel.split('/')[0] ?? '')) continue;
    files.set(rel, Buffer.from(e.data).toString('utf8'));
  }
  return snapshotFromFiles(files, [], path);
}

/**
 * The one directory every entry sits in, when the snapshot's own files are not at the top:
 * `docknet snapshot save x.tar.gz` wraps them in `x/`, and so does `tar czf x.tar.gz x`.
 */
function wrapperDir(paths: string[]): string | null {
  const tops = new Set(paths.map((p) => p.split('/')[0] ?? ''));
  if (tops.has(MANIFEST_FILE) || KNOWN_TOP.some((t) => tops.has(t))) return null;
  if (tops.size !== 1) return null;
  const [top] = tops;
  return top && paths.every((p) => p.includes('/')) ? top : null;
}

function readManifest(text: string, location: string): Manifest {
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch (err) {
    throw new DocknetError(`${location}: ${MANIFEST_FILE} is not valid JSON: ${(err as Error).message}`);
  }
  if (m === null || typeof m !== 'object' || m.format !== FORMAT_NAME) {
    throw new DocknetError(
      `${location}: ${MANIFEST_FILE} is not a docknet snapshot manifest (format is ${JSON.stringify(m?.format)})`,
      LAYOUT_HINT,
    );
  }
  if (typeof m.formatVersion !== 'number' || !Number.isInteger(m.formatVersion) || m.formatVersion < 1) {
    throw new DocknetError(`${location}: ${MANIFEST_FILE} has no valid formatVersion (${JSON.stringify(m.formatVersion)})`);
  }
  if (m.formatVersion > FORMAT_VERSION) {
    throw new DocknetError(
      `${location} uses snapshot format version ${m.formatVersion}, newer than this docknet reads (${FORMAT_VERSION})`,
      `upgrade docknet to read it (it was written by docknet ${typeof m.docknetVersion === 'string' ? m.docknetVersion : 'of an unknown version'})`,
    );
  }
  return m as Manifest;
}

/**
 * One entry of the manifest's missing list, as written by save (its cause kept, so --from says
 * "needs root" as the live run did); an entry that is not one is left out rather than half read.
 */
function missingEntry(m: unknown): MissingFact[] {
  const e = m as Partial<Record<keyof MissingFact, unknown>> | null;
  if (e === null || typeof e !== 'object' || typeof e.path !== 'string' || typeof e.reason !== 'string') return [];
  const what = typeof e.what === 'string' ? e.what : e.path;
  return [{ path: e.path, what, reason: e.reason, ...(isUnknownCause(e.cause) ? { cause: e.cause } : {}) }];
}

/** Files by relative path -> Snapshot; the same for directories and archives. */
function snapshotFromFiles(files: Map<string, string>, skipped: MissingFact[], location: string): Snapshot {
  const manifestText = files.get(MANIFEST_FILE);
  const manifest = manifestText === undefined ? null : readManifest(manifestText, location);
  const snapshot = emptySnapshot({ kind: 'saved', location });
  for (const rel of [...files.keys()].sort()) {
    if (rel === MANIFEST_FILE) continue;
    const origin = manifest?.files?.[rel] ?? { kind: 'manual' as const, what: rel };
    snapshot.facts.set(rel, { path: rel, text: files.get(rel) as string, origin });
  }
  if (snapshot.facts.size === 0) {
    const what = manifest
      ? 'its manifest lists facts, but none of the files are there'
      : `it holds none of the files docknet reads (e.g. ${FACT.containers}, ${FACT.ipAddrText})`;
    throw new DocknetError(`${location} is not a snapshot: ${what}`, LAYOUT_HINT);
  }
  if (manifest) {
    if (manifest.importedFrom?.kind === 'transcript') snapshot.source.transcript = true;
    snapshot.takenAt = manifest.takenAt ?? null;
    snapshot.hostname = manifest.hostname ?? null;
    snapshot.kernel = manifest.kernel ?? null;
    if (Array.isArray(manifest.missing)) snapshot.missing.push(...manifest.missing.flatMap(missingEntry));
  }
  snapshot.missing.push(...skipped);
  return snapshot;
}
