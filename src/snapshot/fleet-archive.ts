// A fleet archive: several hosts' snapshots saved by one `snapshot save --host A --host B`, as a
// directory holding fleet.json (which host is where, and the hosts that could not be read) and one
// ordinary snapshot directory per host under hosts/. `--from` reads it back as the same fleet.
import { lstat, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DocknetError } from '../model/errors.js';
import type { Fleet, FleetMember } from './fleet.js';
import { loadSnapshotDir } from './load.js';
import { pathIn } from './paths.js';
import { saveSnapshot, type SaveOptions } from './save.js';
import type { Snapshot } from './snapshot.js';

export const FLEET_FILE = 'fleet.json';
export const FLEET_FORMAT = 'docknet-fleet';
export const FLEET_FORMAT_VERSION = 1;

export type FleetEntry = { host: string; snapshot: string } | { host: string; error: { message: string; hint: string | null } };

export interface FleetManifest {
  format: typeof FLEET_FORMAT;
  formatVersion: number;
  docknetVersion: string;
  hosts: FleetEntry[];
}

/** hosts/01-<label made safe>: ordered as given, readable, and never outside the archive. */
export function memberDir(index: number, host: string): string {
  const safe = host
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 60);
  return `hosts/${String(index + 1).padStart(2, '0')}-${safe || 'host'}`;
}

async function isFleetDir(abs: string): Promise<boolean> {
  return lstat(join(abs, FLEET_FILE)).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function checkTarget(abs: string, target: string, force: boolean): Promise<void> {
  const there = await lstat(abs).then(
    () => true,
    () => false,
  );
  if (!there) return;
  if (!force) throw new DocknetError(`${target} already exists`, 'choose a new path, or pass --force to replace the fleet archive there');
  if (!(await isFleetDir(abs)))
    throw new DocknetError(`${target} already exists and is not a fleet archive: not replacing it, even with --force`);
}

/** The members saved with `save` (a snapshot save each), written aside and moved into place at the end. */
export async function saveFleet(
  members: readonly ({ host: string; snapshot: Snapshot; redaction: SaveOptions['redaction'] } | { host: string; error: DocknetError })[],
  target: string,
  opts: { force: boolean; cwd?: string; docknetVersion: string },
): Promise<FleetManifest> {
  if (/\.(tar\.gz|tgz)$/i.test(target))
    throw new DocknetError(
      `${target}: a fleet archive is a directory (one snapshot directory per host inside it)`,
      'give a path without .tar.gz',
    );
  const abs = pathIn(opts.cwd, target);
  await checkTarget(abs, target, opts.force);
  await mkdir(dirname(abs), { recursive: true });
  const work = await mkdtemp(join(dirname(abs), `.${basename(abs)}.partial-`));
  try {
    const hosts: FleetEntry[] = [];
    for (const [i, m] of members.entries()) {
      if ('error' in m) {
        hosts.push({ host: m.host, error: { message: m.error.message, hint: m.error.hint } });
        continue;
      }
      const dir = memberDir(i, m.host);
      await saveSnapshot(m.snapshot, join(work, dir), { force: false, docknetVersion: opts.docknetVersion, redaction: m.redaction });
      hosts.push({ host: m.host, snapshot: dir });
    }
    const manifest: FleetManifest = {
      format: FLEET_FORMAT,
      formatVersion: FLEET_FORMAT_VERSION,
      docknetVersion: opts.docknetVersion,
      hosts,
    };
    await writeFile(join(work, FLEET_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    if (await isFleetDir(abs)) await rm(abs, { recursive: true });
    await rename(work, abs);
    return manifest;
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

function badManifest(path: string, why: string): DocknetError {
  return new DocknetError(`${path}/${FLEET_FILE}: ${why}`, 'give a directory written by `docknet snapshot save --host A --host B`');
}

/** The fleet manifest at `path`, or null when `path` is not a fleet archive (an ordinary snapshot, or nothing). */
export async function readFleetManifest(path: string, cwd?: string): Promise<FleetManifest | null> {
  const abs = pathIn(cwd, path);
  if (!(await isFleetDir(abs))) return null;
  let m: FleetManifest;
  try {
    m = JSON.parse(await readFile(join(abs, FLEET_FILE), 'utf8')) as FleetManifest;
  } catch (err) {
    throw badManifest(path, `not JSON (${(err as Error).message})`);
  }
  if (m?.format !== FLEET_FORMAT || !Array.isArray(m.hosts)) throw badManifest(path, `not a ${FLEET_FORMAT} manifest`);
  if (m.formatVersion > FLEET_FORMAT_VERSION) throw badManifest(path, `format version ${m.formatVersion} is newer than this docknet reads`);
  for (const h of m.hosts) {
    if (typeof h?.host !== 'string') throw badManifest(path, 'a host without a name');
    // Only the layout saveFleet writes: nothing outside the archive is ever read.
    if ('snapshot' in h && (typeof h.snapshot !== 'string' || !/^hosts\/[A-Za-z0-9._-]+$/.test(h.snapshot) || h.snapshot.includes('..')))
      throw badManifest(path, `host ${h.host}: ${String(h.snapshot)} is not a member directory`);
  }
  return m;
}

/** Every member of the archive: its snapshot, or the error it was saved with (or that reading it now gives). */
export async function loadFleetArchive(path: string, manifest: FleetManifest, cwd?: string): Promise<Fleet> {
  const members: FleetMember[] = [];
  for (const h of manifest.hosts) {
    if ('error' in h) {
      members.push({ host: h.host, error: new DocknetError(h.error.message, h.error.hint) });
      continue;
    }
    try {
      members.push({ host: h.host, snapshot: await loadSnapshotDir(join(path, h.snapshot), cwd) });
    } catch (err) {
      if (!(err instanceof DocknetError)) throw err;
      members.push({ host: h.host, error: err });
    }
  }
  return members;
}
