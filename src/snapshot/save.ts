// Writes a Snapshot as a directory: every fact verbatim at its path, plus manifest.json.
import { mkdir, writeFile, lstat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { DocknetError } from '../cli/errors.js';
import { FORMAT_NAME, FORMAT_VERSION, MANIFEST_FILE, type Manifest } from './manifest.js';
import type { Snapshot } from './snapshot.js';

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

export async function saveSnapshotDir(snapshot: Snapshot, target: string, opts: { force: boolean; docknetVersion: string; redacted: boolean }): Promise<Manifest> {
  if ((await exists(target)) && !opts.force) throw new DocknetError(`${target} already exists`, 'choose a new path, or pass --force to write into it');
  const root = resolve(target);
  const manifest: Manifest = {
    format: FORMAT_NAME,
    formatVersion: FORMAT_VERSION,
    docknetVersion: opts.docknetVersion,
    takenAt: snapshot.takenAt,
    hostname: snapshot.hostname,
    kernel: snapshot.kernel,
    files: {},
    missing: snapshot.missing,
    redacted: opts.redacted,
  };
  for (const fact of snapshot.facts.values()) {
    const full = resolve(root, fact.path);
    // Paths come from container names too: never write outside the target.
    if (!full.startsWith(root + sep)) throw new DocknetError(`refusing to write ${fact.path}: outside ${target}`);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, fact.text);
    manifest.files[fact.path] = fact.origin;
  }
  await mkdir(root, { recursive: true });
  await writeFile(join(root, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
