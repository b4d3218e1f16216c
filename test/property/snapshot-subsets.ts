// The real saved snapshots of the repository, subsets of their fact files built in memory, and the
// commands run on them in-process: shared by the information-loss and no-harm property tests.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DocknetError, UsageError } from '../../src/model/errors.js';
import { memoryIO } from '../../src/cli/io.js';
import { runDoctor } from '../../src/commands/doctor.js';
import { runInspect } from '../../src/commands/inspect.js';
import { runNat } from '../../src/commands/nat.js';
import { type CommandOutput, outputText } from '../../src/commands/output.js';
import type { SnapshotProvider } from '../../src/commands/source.js';
import { runVethMap } from '../../src/commands/veth-map.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { MANIFEST_FILE } from '../../src/snapshot/manifest.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { FUZZ_SEED } from './fuzz.js';
import { repoPath } from '../repo-path.js';

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.ci']);
const SNAPSHOT_TOPS = ['host', 'docker', 'containers'];

/**
 * Every directory of the repository laid out as a snapshot: one holding a host/, docker/ or
 * containers/ directory with files in it. Relative to the repository, sorted.
 */
export function findSnapshotDirs(root: string = repoPath('')): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const isSnapshot = entries.some((e) => e.isDirectory() && SNAPSHOT_TOPS.includes(e.name) && hasFiles(join(dir, e.name)));
    if (isSnapshot) {
      out.push(relative(root, dir).split('\\').join('/'));
      return;
    }
    for (const e of entries) if (e.isDirectory() && !SKIP_DIRS.has(e.name)) walk(join(dir, e.name));
  };
  walk(root);
  return out.sort();
}

function hasFiles(dir: string): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile()) return true;
    if (e.isDirectory() && hasFiles(join(dir, e.name))) return true;
  }
  return false;
}

/** How `docknet` was run: the argument list a developer types, without `--from`. */
export interface CommandRun {
  argv: string[];
  /** stdout of the run; '' when it failed. */
  stdout: string;
  /** A DocknetError or UsageError message: the command refused, which answers nothing. */
  refused: string | null;
  /** Any other error: a crash. */
  crashed: string | null;
}

/** Serves a snapshot value to a command, the way --from serves one loaded from disk. */
const served =
  (s: Snapshot): SnapshotProvider =>
  async () =>
    s;

/** Runs one command in-process on a snapshot value. `argv` is ['veth-map', ...], ['inspect', name], ... */
export async function runOn(snapshot: Snapshot, argv: string[]): Promise<CommandRun> {
  const io = memoryIO();
  const json = argv.includes('--json');
  try {
    const [cmd, ...rest] = argv;
    const args = rest.filter((a) => !a.startsWith('--'));
    let output: CommandOutput;
    if (cmd === 'veth-map') output = await runVethMap({ targets: args, json, all: argv.includes('--all') }, io, served(snapshot));
    else if (cmd === 'nat') output = await runNat({ port: null, json }, io, served(snapshot));
    else if (cmd === 'inspect') output = await runInspect({ target: args[0] ?? '', json }, io, served(snapshot));
    else if (cmd === 'doctor') output = await runDoctor({ json, all: true }, io, served(snapshot));
    else throw new Error(`no such command in the property test: ${cmd}`);
    return { argv, stdout: outputText(output), refused: null, crashed: null };
  } catch (err) {
    if (err instanceof DocknetError || err instanceof UsageError) return { argv, stdout: '', refused: err.message, crashed: null };
    const e = err as Error;
    return { argv, stdout: '', refused: null, crashed: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}` };
  }
}

/** A saved snapshot of the repository, loaded once with the loader `--from` uses. */
export interface RealSnapshot {
  /** Relative to the repository, e.g. test/fixtures/lab-snapshot. */
  dir: string;
  snapshot: Snapshot;
  /** Its fact files, sorted (the manifest is not a fact file: it stays in every subset). */
  files: string[];
  /** Names of the containers of the full snapshot, for `inspect`. */
  containers: string[];
}

export async function loadReal(dir: string): Promise<RealSnapshot> {
  const snapshot = await loadSnapshot(repoPath(dir));
  const files = [...snapshot.facts.keys()].filter((p) => p !== MANIFEST_FILE).sort();
  const containers = [...new Set(buildHostModel(snapshot).containers.all.map((c) => c.name))].sort();
  return { dir, snapshot, files, containers };
}

/** The snapshot holding only `files` of `real`: the same value `--from` gives for a copy with the others deleted. */
export function subsetSnapshot(real: RealSnapshot, files: readonly string[]): Snapshot {
  const keep = new Set(files);
  const s = real.snapshot;
  return {
    source: { ...s.source },
    takenAt: s.takenAt,
    hostname: s.hostname,
    kernel: s.kernel,
    facts: new Map([...s.facts].filter(([p]) => keep.has(p))),
    missing: [...s.missing],
  };
}

const envInt = (name: string): number | null => {
  const v = process.env[name];
  if (v === undefined || v === '') return null;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name}=${v} is not a count`);
  return n;
};

/** Snapshots with at most this many fact files are tried with every non-empty subset. */
export const ALL_SUBSETS_UP_TO = 10;
/** Random subsets of a larger snapshot under `npm test`; INFOLOSS_RUNS (or FUZZ_RUNS) raises it. */
export const SAMPLED_SUBSETS = envInt('INFOLOSS_RUNS') ?? envInt('FUZZ_RUNS') ?? 500;

/** mulberry32: a small seeded generator, so that the sampled subsets are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The subsets to try (each a sorted list of the files present), never empty and never the full set:
 * every one for a small snapshot; for a large one, each file alone, each file left out, each
 * top-level group and container directory alone and left out, then SAMPLED_SUBSETS random subsets
 * whose sizes are spread evenly from 1 to all-but-one (so that few-file subsets, the pastes people
 * bring, are as likely as near-complete ones).
 */
export function subsetsOf(files: readonly string[], seedText: string): string[][] {
  const n = files.length;
  const out = new Map<string, string[]>();
  const add = (s: string[]) => {
    if (s.length === 0 || s.length === n) return;
    const sorted = [...s].sort();
    out.set(sorted.join('\n'), sorted);
  };
  if (n <= ALL_SUBSETS_UP_TO) {
    for (let mask = 1; mask < 2 ** n - 1; mask++) add(files.filter((_, i) => mask & (1 << i)));
    return [...out.values()];
  }
  for (const f of files) {
    add([f]);
    add(files.filter((g) => g !== f));
  }
  const groups = new Set(files.map((f) => (f.startsWith('containers/') ? f.split('/').slice(0, 2).join('/') : (f.split('/')[0] ?? f))));
  for (const g of groups) {
    add(files.filter((f) => f.startsWith(`${g}/`)));
    add(files.filter((f) => !f.startsWith(`${g}/`)));
  }
  let h = FUZZ_SEED;
  for (const ch of seedText) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const random = seeded(h);
  const target = out.size + SAMPLED_SUBSETS;
  for (let tries = 0; out.size < target && tries < SAMPLED_SUBSETS * 20; tries++) {
    const size = 1 + Math.floor(random() * (n - 1));
    const pool = [...files];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
    }
    add(pool.slice(0, size));
  }
  return [...out.values()];
}

/** A shell line that rebuilds the subset on disk and runs the command on it, for the failure message. */
export function reproduce(real: RealSnapshot, files: readonly string[], argv: readonly string[]): string {
  const manifest = statExists(repoPath(`${real.dir}/${MANIFEST_FILE}`)) ? [MANIFEST_FILE] : [];
  const list = [...manifest, ...files].map((f) => `'${f}'`).join(' ');
  return `d=$(mktemp -d) && (cd ${real.dir} && cp --parents ${list} "$d") && node bin/docknet.js ${argv.join(' ')} --from "$d"`;
}

function statExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The commands the property tests run on every subset: veth-map, nat, inspect of each container, doctor. */
export function commandsFor(real: RealSnapshot): string[][] {
  return [
    ['veth-map', '--json', '--all'],
    ['nat', '--json'],
    ...real.containers.map((c) => ['inspect', c, '--json']),
    ['doctor', '--json'],
  ];
}
