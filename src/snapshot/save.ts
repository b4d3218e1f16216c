// Writes a Snapshot as a directory or a .tar.gz: every fact verbatim at its path, plus manifest.json.
// Everything is written next to the target first and moved into place at the end, so an interrupted
// save leaves no half snapshot, and --force never mixes an old snapshot's files with a new one's.
import { lstat, mkdir, mkdtemp, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DocknetError } from '../model/errors.js';
import { pathIn } from './paths.js';
import { FORMAT_NAME, FORMAT_VERSION, MANIFEST_FILE, type Manifest, type RedactionSummary } from './manifest.js';
import { unsafeFactPath, type MissingFact, type Snapshot } from './snapshot.js';
import { writeTar, type TarFile } from './tar.js';

const ARCHIVE_NAME = /\.(tar\.gz|tgz)$/i;

/** A path ending in .tar.gz or .tgz is saved as one archive; any other as a directory. */
export function isArchivePath(path: string): boolean {
  return ARCHIVE_NAME.test(path);
}

export interface SaveOptions {
  force: boolean;
  /** The directory a relative target is in (the user's working directory); an absolute target needs none. */
  cwd?: string;
  docknetVersion: string;
  redaction: RedactionSummary | null;
  /** For `snapshot import`: the transcript the facts were cut from. */
  importedFrom?: Manifest['importedFrom'];
}

export interface SaveResult {
  location: string;
  kind: 'directory' | 'archive';
  manifest: Manifest;
  /** Paths written, manifest.json included, sorted. */
  files: string[];
}

type Existing = { kind: 'none' } | { kind: 'replaceable'; isDir: boolean } | { kind: 'foreign'; what: string };

async function existing(path: string): Promise<Existing> {
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { kind: 'none' };
    throw new DocknetError(`cannot check ${path}: ${(err as Error).message}`);
  }
  // A link is replaced itself; what it points to is never touched.
  if (st.isSymbolicLink()) return { kind: 'replaceable', isDir: false };
  if (st.isDirectory()) {
    // A manifest that is not there means "not a snapshot"; one that cannot be read is an error of its own.
    const manifest = await readFile(join(path, MANIFEST_FILE), 'utf8').catch((err: unknown) => {
      if ((err as { code?: string }).code === 'ENOENT') return null;
      throw new DocknetError(`cannot check ${path}: reading its ${MANIFEST_FILE} failed: ${(err as Error).message}`);
    });
    if (manifest !== null && isSnapshotManifest(manifest)) return { kind: 'replaceable', isDir: true };
    const empty = await readdir(path).then(
      (entries) => entries.length === 0,
      (err: unknown) => {
        throw new DocknetError(`cannot check ${path}: listing it failed: ${(err as Error).message}`);
      },
    );
    return empty ? { kind: 'replaceable', isDir: true } : { kind: 'foreign', what: 'a directory that is not a docknet snapshot' };
  }
  if (st.isFile() && (await looksLikeArchive(path))) return { kind: 'replaceable', isDir: false };
  return { kind: 'foreign', what: st.isFile() ? 'a file that is not a snapshot archive' : 'not a regular file or directory' };
}

function isSnapshotManifest(text: string): boolean {
  try {
    return (JSON.parse(text) as { format?: unknown })?.format === FORMAT_NAME;
  } catch {
    // Not JSON: not a docknet manifest, so --force refuses to replace the directory (the safe answer).
    return false;
  }
}

async function looksLikeArchive(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, 512, 0);
    if (bytesRead === 0) return true; // an empty file holds nothing to lose
    return (head[0] === 0x1f && head[1] === 0x8b) || head.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await fh.close();
  }
}

/**
 * Refuses a target that exists, unless --force; with --force, still refuses to replace anything
 * that is not a snapshot (a directory without a docknet manifest, a file that is not an archive).
 */
export async function checkSaveTarget(target: string, force: boolean, cwd?: string): Promise<void> {
  const e = await existing(pathIn(cwd, target));
  if (e.kind === 'none') return;
  if (!force) throw new DocknetError(`${target} already exists`, 'choose a new path, or pass --force to replace the snapshot there');
  if (e.kind === 'foreign')
    throw new DocknetError(`${target} already exists and is ${e.what}: not replacing it, even with --force`, 'choose a new path');
}

/** The name a saved archive's files are wrapped in: the archive's own name without its extension. */
export function archiveRootName(path: string): string {
  const base = basename(path).replace(ARCHIVE_NAME, '');
  const clean = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return clean === '' ? 'docknet-snapshot' : clean;
}

/** The facts that can be files, and the ones that cannot (a path from a strange container name). */
function plan(snapshot: Snapshot): { files: TarFile[]; refused: MissingFact[] } {
  const files: TarFile[] = [];
  const refused: MissingFact[] = [];
  for (const path of [...snapshot.facts.keys()].sort()) {
    const fact = snapshot.facts.get(path)!;
    const unsafe = path === MANIFEST_FILE ? 'the name is reserved for the manifest' : unsafeFactPath(path);
    if (unsafe) {
      refused.push({ path, what: fact.origin.what, reason: `not saved: ${unsafe}`, cause: 'failed' });
      continue;
    }
    files.push({ path, data: Buffer.from(fact.text, 'utf8') });
  }
  return { files, refused };
}

export async function saveSnapshot(snapshot: Snapshot, target: string, opts: SaveOptions): Promise<SaveResult> {
  await checkSaveTarget(target, opts.force, opts.cwd);
  const abs = pathIn(opts.cwd, target);
  const { files, refused } = plan(snapshot);
  const manifest: Manifest = {
    format: FORMAT_NAME,
    formatVersion: FORMAT_VERSION,
    docknetVersion: opts.docknetVersion,
    takenAt: snapshot.takenAt,
    hostname: snapshot.hostname,
    kernel: snapshot.kernel,
    files: Object.fromEntries(files.map((f) => [f.path, snapshot.facts.get(f.path)!.origin])),
    missing: [...snapshot.missing, ...refused],
    redacted: opts.redaction !== null,
    ...(opts.redaction ? { redaction: opts.redaction } : {}),
    ...(opts.importedFrom ? { importedFrom: opts.importedFrom } : {}),
  };
  const manifestFile: TarFile = { path: MANIFEST_FILE, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') };
  const all = [manifestFile, ...files];
  const archive = isArchivePath(target);

  await mkdir(dirname(abs), { recursive: true });
  // A hidden sibling: the same filesystem, so the final rename is atomic.
  const work = await mkdtemp(join(dirname(abs), `.${basename(abs)}.partial-`));
  try {
    let staged: string;
    if (archive) {
      const tar = writeTar(all, { mtime: snapshot.takenAt ? new Date(snapshot.takenAt) : new Date(), root: archiveRootName(target) });
      staged = join(work, 'snapshot.tar.gz');
      await writeFile(staged, gzipSync(tar), { flag: 'wx', mode: 0o600 });
    } else {
      staged = join(work, 'snapshot');
      await mkdir(staged, { mode: 0o700 });
      for (const f of all) {
        const full = resolve(staged, f.path);
        // Checked by plan() already; kept as the last word before a write.
        if (!full.startsWith(staged + sep)) throw new DocknetError(`refusing to write ${f.path}: outside ${target}`);
        await mkdir(dirname(full), { recursive: true, mode: 0o700 });
        await writeFile(full, f.data, { flag: 'wx', mode: 0o600 });
      }
    }
    await moveIntoPlace(staged, abs, target, opts.force);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { location: target, kind: archive ? 'archive' : 'directory', manifest, files: all.map((f) => f.path).sort() };
}

async function moveIntoPlace(staged: string, abs: string, target: string, force: boolean): Promise<void> {
  // Checked again: something may have appeared at the target while the facts were gathered.
  const e = await existing(abs);
  if (e.kind !== 'none') {
    if (!force)
      throw new DocknetError(
        `${target} appeared while the snapshot was being written: not replacing it`,
        'choose a new path, or pass --force',
      );
    if (e.kind === 'foreign') throw new DocknetError(`${target} already exists and is ${e.what}: not replacing it, even with --force`);
    if (e.isDir) await rm(abs, { recursive: true });
    else await rm(abs);
  }
  await rename(staged, abs);
}
