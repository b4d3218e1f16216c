// A newer engine's files: Debian's packages fetched with apt-get download, extracted, and a bin/ of its programs.
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Log } from './engine.js';
import { hostPaths } from './host-paths.js';
import type { Generation } from './lab-spec.js';
import { must } from './run.js';

/** The packages of one engine: the daemon and docker-proxy, the CLI, containerd and its runc shim. */
const PACKAGES = ['docker.io', 'docker-cli', 'containerd'] as const;

/** Programs the engine runs, from the fetched packages; runc stays bookworm's (sid's needs GLIBC 2.38). */
const PROGRAMS: Readonly<Record<string, string>> = {
  dockerd: 'usr/sbin/dockerd',
  'docker-proxy': 'usr/sbin/docker-proxy',
  docker: 'usr/bin/docker',
  containerd: 'usr/bin/containerd',
  'containerd-shim-runc-v2': 'usr/bin/containerd-shim-runc-v2',
  ctr: 'usr/bin/ctr',
};
const SYSTEM_RUNC = '/usr/sbin/runc';

/** The Debian archive this machine already uses, from its own apt sources (deb822 .sources or sources.list). */
export function systemMirror(): { uri: string; signedBy: string | null } {
  const dir = '/etc/apt/sources.list.d';
  const stanzas: { uri: string; suites: string[]; signedBy: string | null }[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.sources'));
  } catch {
    // no sources.list.d: sources.list alone may still say
  }
  for (const name of names.sort()) {
    for (const block of readFileSync(path.join(dir, name), 'utf8').split(/\n\s*\n/)) {
      const field = (key: string) => new RegExp(`^${key}:\\s*(.+)$`, 'im').exec(block)?.[1]?.trim();
      const types = field('Types') ?? '';
      const uri = field('URIs')?.split(/\s+/)[0];
      if (!/\bdeb\b/.test(types) || !uri || /^no$/i.test(field('Enabled') ?? '')) continue;
      stanzas.push({ uri, suites: (field('Suites') ?? '').split(/\s+/), signedBy: field('Signed-By') ?? null });
    }
  }
  try {
    for (const line of readFileSync('/etc/apt/sources.list', 'utf8').split('\n')) {
      const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)/.exec(line.trim());
      if (!m) continue;
      const signedBy = /signed-by=(\S+)/.exec(m[1] ?? '')?.[1] ?? null;
      stanzas.push({ uri: m[2]!, suites: [m[3]!], signedBy });
    }
  } catch {
    // no sources.list: the .sources files were all there is
  }
  // The main archive: a suite that is a release name, not -security or -updates.
  const main = stanzas.find((s) => s.suites.some((x) => /^[a-z]+$/.test(x))) ?? null;
  if (!main) throw new Error('no Debian archive found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list to fetch engines from');
  return { uri: main.uri, signedBy: main.signedBy };
}

export interface FetchResult {
  /** Package name -> version, as fetched. */
  versions: Record<string, string>;
  fetched: boolean;
}

/**
 * Fetches the generation's packages with `apt-get download` from a temporary sources list of their
 * suite (the system's own lists and sources are not touched) and extracts them with `dpkg-deb -x`.
 */
export async function fetchEngine(gen: Generation, log: Log): Promise<FetchResult> {
  if (!gen.suite) throw new Error(`Docker ${gen.id} is the system's engine; it is not fetched`);
  const p = hostPaths(gen);
  const cached = readVersions(p.versions);
  if (cached && Object.values(PROGRAMS).every((f) => existsSync(path.join(p.root, f)))) {
    ensureBin(p);
    return { versions: cached, fetched: false };
  }
  const mirror = systemMirror();
  const apt = path.join(p.cache, 'apt');
  const debs = path.join(p.cache, 'debs');
  rmSync(apt, { recursive: true, force: true });
  rmSync(debs, { recursive: true, force: true });
  mkdirSync(path.join(apt, 'lists', 'partial'), { recursive: true });
  mkdirSync(path.join(apt, 'cache', 'archives', 'partial'), { recursive: true });
  mkdirSync(debs, { recursive: true });
  const sourceList = path.join(apt, 'sources.list');
  const signed = mirror.signedBy ? `[signed-by=${mirror.signedBy}] ` : '';
  writeFileSync(sourceList, `deb ${signed}${mirror.uri} ${gen.suite} main\n`);
  const opts = [
    '-o',
    `Dir::Etc::SourceList=${sourceList}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${path.join(apt, 'lists')}`,
    '-o',
    `Dir::Cache=${path.join(apt, 'cache')}`,
    // The download lands in a root-owned directory; apt's _apt sandbox user could not write it.
    '-o',
    'APT::Sandbox::User=root',
  ];
  log(`apt-get update (${gen.suite} only, temporary sources list ${sourceList})`);
  await must(['apt-get', ...opts, 'update'], { timeoutMs: 600_000 });
  log(`apt-get download ${PACKAGES.join(' ')} (${gen.suite})`);
  await must(['apt-get', ...opts, 'download', ...PACKAGES], { cwd: debs, timeoutMs: 900_000 });
  const files = readdirSync(debs).filter((f) => f.endsWith('.deb'));
  const versions: Record<string, string> = {};
  const tmpRoot = `${p.root}.tmp`;
  rmSync(tmpRoot, { recursive: true, force: true });
  mkdirSync(tmpRoot, { recursive: true });
  for (const f of files.sort()) {
    const deb = path.join(debs, f);
    const [pkg = f, version = '?'] = (await must(['dpkg-deb', '-f', deb, 'Package', 'Version']))
      .split('\n')
      .map((l) => l.replace(/^\w+:\s*/, '').trim());
    versions[pkg] = version;
    await must(['dpkg-deb', '-x', deb, tmpRoot], { timeoutMs: 300_000 });
  }
  const engine = versions['docker.io'];
  if (!engine?.startsWith(gen.versionPrefix)) {
    rmSync(tmpRoot, { recursive: true, force: true });
    throw new Error(
      `Debian ${gen.suite} holds docker.io ${engine ?? '(none)'}, not ${gen.versionPrefix}x: generation ${gen.id} cannot be fetched from it any more`,
    );
  }
  rmSync(p.root, { recursive: true, force: true });
  await must(['mv', tmpRoot, p.root]);
  rmSync(debs, { recursive: true, force: true });
  rmSync(apt, { recursive: true, force: true });
  writeFileSync(p.versions, `${JSON.stringify(versions, null, 2)}\n`);
  ensureBin(p);
  return { versions, fetched: true };
}

function readVersions(file: string): Record<string, string> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return null; // not fetched yet
  }
}

function ensureBin(p: ReturnType<typeof hostPaths>): void {
  mkdirSync(p.bin, { recursive: true });
  const want: Record<string, string> = { runc: SYSTEM_RUNC };
  for (const [name, file] of Object.entries(PROGRAMS)) want[name] = path.join(p.root, file);
  for (const [name, target] of Object.entries(want)) {
    const link = path.join(p.bin, name);
    let current: string | null = null;
    try {
      current = readlinkSync(link);
    } catch {
      // not made yet
    }
    if (current === target) continue;
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }
}
