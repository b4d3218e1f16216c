// Loads a saved snapshot directory (a docknet save, or files a person assembled by hand).
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DocknetError } from '../cli/errors.js';
import { FORMAT_NAME, FORMAT_VERSION, MANIFEST_FILE, type Manifest } from './manifest.js';
import { FACT, emptySnapshot, type Snapshot } from './snapshot.js';

const MAX_FILE_BYTES = 64 * 1024 * 1024;
const KNOWN_TOP = ['docker', 'host', 'containers'];

async function walk(root: string, dir: string, out: string[], skipped: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    // Never follow links: a snapshot must not read files outside itself.
    if (entry.isSymbolicLink()) skipped.push(`${relative(root, full)} (symbolic link, not followed)`);
    else if (entry.isDirectory()) await walk(root, full, out, skipped);
    else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
}

function readManifest(text: string, path: string): Manifest {
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch (err) {
    throw new DocknetError(`${path}/${MANIFEST_FILE} is not valid JSON: ${(err as Error).message}`);
  }
  if (m.format !== FORMAT_NAME) throw new DocknetError(`${path}/${MANIFEST_FILE} is not a docknet snapshot manifest (format is ${JSON.stringify(m.format)})`);
  if (typeof m.formatVersion !== 'number' || m.formatVersion > FORMAT_VERSION) {
    throw new DocknetError(
      `${path} uses snapshot format version ${m.formatVersion}, newer than this docknet reads (${FORMAT_VERSION})`,
      'upgrade docknet to read it',
    );
  }
  return m as Manifest;
}

export async function loadSnapshotDir(path: string): Promise<Snapshot> {
  let st;
  try {
    st = await lstat(path);
  } catch {
    throw new DocknetError(`no snapshot at ${path}: the path does not exist`, 'give the directory written by `docknet snapshot save`');
  }
  if (!st.isDirectory()) throw new DocknetError(`${path} is not a snapshot directory`, 'give the directory written by `docknet snapshot save`');
  const files: string[] = [];
  const skipped: string[] = [];
  await walk(path, path, files, skipped);
  const snapshot = emptySnapshot({ kind: 'saved', location: path });
  let manifest: Manifest | null = null;
  if (files.includes(MANIFEST_FILE)) manifest = readManifest(await readFile(join(path, MANIFEST_FILE), 'utf8'), path);
  for (const rel of files) {
    if (rel === MANIFEST_FILE || !KNOWN_TOP.includes(rel.split('/')[0] ?? '')) continue;
    const full = join(path, rel);
    if ((await lstat(full)).size > MAX_FILE_BYTES) {
      snapshot.missing.push({ path: rel, what: rel, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB: not read` });
      continue;
    }
    const origin = manifest?.files[rel] ?? { kind: 'manual' as const, what: rel };
    snapshot.facts.set(rel, { path: rel, text: await readFile(full, 'utf8'), origin });
  }
  for (const s of skipped) snapshot.missing.push({ path: s, what: s, reason: 'symbolic links are not followed' });
  if (snapshot.facts.size === 0) {
    throw new DocknetError(
      `${path} is not a snapshot: it holds none of the files docknet reads (e.g. ${FACT.containers}, ${FACT.ipAddrText})`,
      'see docs/snapshot-format.md for the layout',
    );
  }
  if (manifest) {
    snapshot.takenAt = manifest.takenAt;
    snapshot.hostname = manifest.hostname;
    snapshot.kernel = manifest.kernel;
    snapshot.missing.push(...manifest.missing);
  }
  return snapshot;
}
