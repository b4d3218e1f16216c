// Every Docker generation as a host: the system's engine in the root namespace, and Debian's newer
// engines fetched as .deb files (never installed), each run in a network namespace of its own.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  rmdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { type EngineEndpoint, pingEngine, type Log, sleep } from './engine.js';
import { GENERATION_ENV, GENERATIONS, type Generation, type GenerationId } from './lab-spec.js';
import { must, run } from './run.js';

/** Downloaded and extracted engines, kept between runs (a cache: outside the repository, not part of any host). */
export const ENGINE_CACHE = '/var/cache/docknet-engines';
const DATA_ROOT = '/var/lib/docknet-engines';
const RUN_ROOT = '/run/docknet-engines';

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

/**
 * Where one host keeps its files: by default the generation's own host; `name` gives another host of that
 * generation (a swarm node) its own data, run directory, log and cgroup, sharing the fetched programs.
 */
export function hostPaths(gen: Generation, name: string = gen.id) {
  const cache = path.join(ENGINE_CACHE, gen.id);
  const run = path.join(RUN_ROOT, name);
  return {
    cache,
    /** The packages' files, as dpkg-deb -x laid them out. */
    root: path.join(cache, 'root'),
    /** One symlink per program, first on the engine's PATH. */
    bin: path.join(cache, 'bin'),
    versions: path.join(cache, 'versions.json'),
    dataRoot: path.join(DATA_ROOT, name),
    run,
    execRoot: path.join(run, 'exec'),
    pidfile: path.join(run, 'docker.pid'),
    config: path.join(run, 'daemon.json'),
    log: `/tmp/docknet-dockerd-${name}.log`,
    cgroupParent: name === gen.id ? `docknet-e${gen.id}` : name,
  };
}

export function generation(id: GenerationId): Generation {
  return GENERATIONS[id];
}

// ---- the engine's files ----

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

// ---- entering a host ----

/** The engine's environment: its socket, its programs first on PATH, and the generation for the lab and tests. */
export function hostEnv(gen: Generation): Record<string, string> {
  // Another generation's programs may be first on this process's PATH (it may run inside that host).
  const base = (process.env.PATH || '/usr/local/bin:/usr/bin:/bin').split(':').filter((d) => d && !d.startsWith(`${ENGINE_CACHE}/`));
  const sbin = ['/usr/local/sbin', '/usr/sbin', '/sbin'].filter((d) => !base.includes(d));
  const dirs = gen.netns ? [hostPaths(gen).bin, ...base, ...sbin] : [...base, ...sbin];
  const env: Record<string, string> = { [GENERATION_ENV]: gen.id, PATH: dirs.join(':') };
  // The system engine is the default one: no DOCKER_HOST, exactly as its users run docker and docknet.
  if (gen.netns) env.DOCKER_HOST = `unix://${gen.socket}`;
  return env;
}

/** This process's environment with the host's: a full environment for a child process. */
export function childEnv(gen: Generation, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...hostEnv(gen), ...extra };
  if (!gen.netns) delete env.DOCKER_HOST;
  return env;
}

/** The host's network namespace as a path nsenter --net takes (the root namespace: the system dockerd's). */
export function netnsPath(gen: Generation): string {
  if (gen.netns) return `/run/netns/${gen.netns}`;
  // This process may itself sit in another host's namespace; the system engine's own process says which is root.
  const pid = systemEnginePid();
  return pid ? `/proc/${pid}/ns/net` : '/proc/self/ns/net';
}

function systemEnginePid(): number | null {
  const pid = readPid('/var/run/docker.pid');
  return pid && existsSync(`/proc/${pid}/ns/net`) ? pid : null;
}

/**
 * argv that runs a command inside the host, seeing that host's /sys as well as its network: `ip netns
 * exec` (a mount namespace of its own, with the namespace's sysfs; brctl, for one, reads
 * /sys/class/net). The root namespace is entered with the system engine's network and mount namespaces.
 * dockerd itself is started with nsenter --net alone (hostUp): under ip netns exec it would lose
 * the cgroup mounts ("Devices cgroup isn't mounted").
 */
export function inHost(gen: Generation, argv: readonly string[]): string[] {
  if (gen.netns) return ['ip', 'netns', 'exec', gen.netns, ...argv];
  const pid = systemEnginePid();
  if (!pid) return [...argv];
  return ['nsenter', `--net=/proc/${pid}/ns/net`, `--mount=/proc/${pid}/ns/mnt`, `--wd=${process.cwd()}`, '--', ...argv];
}

// ---- bringing a host up and down ----

export interface HostState {
  generation: GenerationId;
  netns: boolean;
  uplink: boolean;
  engine: { pid: number; answering: boolean } | null;
}

export async function hostState(gen: Generation): Promise<HostState> {
  const p = hostPaths(gen);
  const pid = readPid(p.pidfile);
  const alive = pid !== null && isOurs(pid, p);
  return {
    generation: gen.id,
    netns: gen.netns ? existsSync(`/run/netns/${gen.netns}`) : true,
    uplink: gen.uplink ? (await run(['ip', 'link', 'show', 'dev', gen.uplink.rootEnd])).exitCode === 0 : true,
    engine: alive
      ? { pid, answering: (await pingEngine({ socketPath: gen.socket, text: `unix://${gen.socket}`, isDefault: false })).ok }
      : null,
  };
}

export interface HostUpResult {
  /** What this call made, in order: `down` undoes it. */
  made: string[];
  versions: Record<string, string>;
  serverVersion: string;
}

/** Makes the host (namespace, uplink) and starts its engine; each part only when it is not there yet. */
export async function hostUp(gen: Generation, log: Log): Promise<HostUpResult> {
  if (!gen.netns || !gen.uplink) throw new Error(`Docker ${gen.id} is the system's engine, in the root namespace`);
  const p = hostPaths(gen);
  const made: string[] = [];
  const fetch = await fetchEngine(gen, log);
  if (fetch.fetched)
    made.push(
      `fetched ${Object.entries(fetch.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} into ${p.root}`,
    );

  const ns = gen.netns;
  const inNs = (argv: string[]) => must(['nsenter', `--net=/run/netns/${ns}`, '--', ...argv]);
  if (!existsSync(`/run/netns/${ns}`)) {
    await must(['ip', 'netns', 'add', ns]);
    made.push(`network namespace ${ns}`);
  }
  const u = gen.uplink;
  if ((await run(['ip', 'link', 'show', 'dev', u.rootEnd])).exitCode !== 0) {
    await must(['ip', 'link', 'add', u.rootEnd, 'type', 'veth', 'peer', 'name', u.hostEnd, 'netns', ns]);
    await must(['ip', 'link', 'set', 'dev', u.rootEnd, 'alias', `docknet.lab uplink of ${ns}`]);
    await must(['ip', 'addr', 'replace', `${u.rootAddr}/${u.prefix}`, 'dev', u.rootEnd]);
    await must(['ip', 'link', 'set', u.rootEnd, 'up']);
    await inNs(['ip', 'addr', 'replace', `${u.hostAddr}/${u.prefix}`, 'dev', u.hostEnd]);
    await inNs(['ip', 'link', 'set', u.hostEnd, 'up']);
    made.push(`uplink ${u.rootEnd} ${u.rootAddr}/${u.prefix} <-> ${ns} ${u.hostEnd} ${u.hostAddr}/${u.prefix}`);
  }
  // A default route, as every real host has (doctor compares MTUs with it) ...
  await inNs(['ip', 'route', 'replace', 'default', 'via', u.rootAddr, 'dev', u.hostEnd]);
  // ... and in the root namespace, nothing that arrives from the host is forwarded anywhere: a routing
  // rule, not a firewall, and ip_forward toggled by a test cannot undo it. Local addresses still answer.
  const table = uplinkTable(gen);
  await must(['ip', 'route', 'replace', 'unreachable', 'default', 'table', table]);
  if (!(await must(['ip', 'rule', 'show', 'priority', table])).includes(`iif ${u.rootEnd}`)) {
    await must(['ip', 'rule', 'add', 'priority', table, 'iif', u.rootEnd, 'lookup', table]);
    made.push(`routing rule ${table}: nothing from ${u.rootEnd} is forwarded`);
  }
  await inNs(['ip', 'link', 'set', 'lo', 'up']);

  const ep = { socketPath: gen.socket, text: `unix://${gen.socket}`, isDefault: false };
  if (!(await pingEngine(ep)).ok) {
    // The engine would otherwise take the system's containerd, should one listen there, and share its namespace.
    if (existsSync('/run/containerd/containerd.sock')) {
      throw new Error('a system containerd listens on /run/containerd/containerd.sock; dockerd would use it instead of its own');
    }
    const stale = readPid(p.pidfile);
    if (stale && isOurs(stale, p))
      throw new Error(`dockerd ${stale} of Docker ${gen.id} runs but does not answer on ${gen.socket}; see ${p.log}`);
    mkdirSync(p.run, { recursive: true });
    mkdirSync(p.dataRoot, { recursive: true });
    // Its own (empty) config file: the system's /etc/docker/daemon.json is the 20.10 engine's.
    writeFileSync(p.config, '{}\n');
    const args = dockerdArgs(p, gen.socket, [
      ...(gen.bip ? ['--bip', gen.bip] : []),
      ...(gen.addressPool ? ['--default-address-pool', gen.addressPool] : []),
    ]);
    log(`starting dockerd ${gen.id} in ${ns} (log: ${p.log})`);
    await startDockerd(
      `dockerd ${gen.id}`,
      ['nsenter', `--net=/run/netns/${ns}`, '--', path.join(p.bin, 'dockerd'), ...args],
      childEnv(gen),
      p.log,
      ep,
    );
    made.push(`dockerd ${gen.id} (pid ${readPid(p.pidfile) ?? '?'}) on ${gen.socket}`);
  }
  const serverVersion = (await must(['docker', 'version', '--format', '{{.Server.Version}}'], { env: hostEnv(gen) })).trim();
  return { made, versions: fetch.versions, serverVersion };
}

/**
 * Stops the engine and removes the host: namespace, uplink, data and run directories, cgroups. Containers
 * go with the engine's data; the lab's `down` has already removed what it labelled. The fetched files stay.
 */
export async function hostDown(gen: Generation, log: Log): Promise<string[]> {
  if (!gen.netns || !gen.uplink) throw new Error(`Docker ${gen.id} is the system's engine; the lab does not stop it`);
  const p = hostPaths(gen);
  const removed: string[] = [];
  const pid = readPid(p.pidfile);
  if (pid && isOurs(pid, p)) {
    log(`stopping dockerd ${gen.id} (pid ${pid})`);
    process.kill(pid, 'SIGTERM');
    // dockerd stops its containers first (10 s each that ignore SIGTERM, in parallel).
    if (!(await exited(pid, 60_000))) {
      process.kill(pid, 'SIGKILL');
      await exited(pid, 10_000);
    }
    removed.push(`dockerd ${gen.id} (pid ${pid})`);
  }
  // What the engine started and left (containerd, shims, docker-proxy): each named by this host's own paths.
  for (const other of ownProcesses(p)) {
    try {
      process.kill(other, 'SIGKILL');
      removed.push(`leftover process ${other}`);
    } catch {
      // gone meanwhile
    }
  }
  for (const other of ownProcesses(p)) await exited(other, 5_000);
  for (const mount of mountsUnder([p.dataRoot, p.execRoot, p.run])) {
    await run(['umount', '-l', mount]);
    removed.push(`mount ${mount}`);
  }
  if (existsSync(`/run/netns/${gen.netns}`)) {
    await must(['ip', 'netns', 'del', gen.netns]);
    removed.push(`network namespace ${gen.netns}`);
  }
  // The uplink goes with the namespace, once the kernel has let the namespace go; make sure of it.
  if ((await run(['ip', 'link', 'show', 'dev', gen.uplink.rootEnd])).exitCode === 0) {
    await run(['ip', 'link', 'del', gen.uplink.rootEnd]);
    removed.push(`uplink ${gen.uplink.rootEnd}`);
  }
  const table = uplinkTable(gen);
  while ((await run(['ip', 'rule', 'show', 'priority', table])).stdout.trim()) {
    await must(['ip', 'rule', 'del', 'priority', table]);
    removed.push(`routing rule ${table}`);
  }
  if ((await run(['ip', 'route', 'show', 'table', table])).stdout.trim()) {
    await must(['ip', 'route', 'flush', 'table', table]);
    removed.push(`routing table ${table}`);
  }
  const left = mountsUnder([p.dataRoot, p.execRoot, p.run]);
  if (left.length) throw new Error(`still mounted, not removing ${p.dataRoot} and ${p.run}: ${left.join(', ')}`);
  for (const dir of [p.dataRoot, p.run]) {
    if (existsSync(dir)) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  // The parents too, once no generation's host is left in them.
  removeEmptyRoots();
  for (const dir of cgroupDirs(p.cgroupParent)) {
    try {
      rmdirSync(dir);
      removed.push(`cgroup ${dir}`);
    } catch (err) {
      log(`cannot remove cgroup ${dir}: ${(err as Error).message}`);
    }
  }
  return removed;
}

/** The parents of every host's data and run directories, once no host is left in them. */
export function removeEmptyRoots(): void {
  for (const dir of [DATA_ROOT, RUN_ROOT]) {
    try {
      rmdirSync(dir);
    } catch {
      // another host is still there, or it is gone already
    }
  }
}

/** The root namespace's routing table (and rule priority) for what arrives from the host's uplink. */
function uplinkTable(gen: Generation): string {
  return `219${gen.id.replace(/\D/g, '')}`;
}

// ---- processes, mounts, cgroups ----

export function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null; // no pidfile: not running
  }
}

export function cmdline(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return null;
  }
}

/** A dockerd of this host: its command line names this host's exec root. */
function isOurs(pid: number, p: ReturnType<typeof hostPaths>): boolean {
  return (cmdline(pid) ?? []).includes(p.execRoot);
}

/** Processes whose command line or program lies in this host's run directory or fetched files. */
function ownProcesses(p: ReturnType<typeof hostPaths>): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const argv = cmdline(Number(entry));
    if (!argv) continue;
    let exe = '';
    try {
      exe = readlinkSync(`/proc/${entry}/exe`);
    } catch {
      // a kernel thread or a process that ended
    }
    if (exe.startsWith(`${p.root}/`) || argv.some((a) => a.startsWith(`${p.run}/`) || a.startsWith(`${p.bin}/`))) out.push(Number(entry));
  }
  return out;
}

export async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!existsSync(`/proc/${pid}`)) return true;
    await sleep(200);
  }
  return !existsSync(`/proc/${pid}`);
}

export function mountsUnder(dirs: string[]): string[] {
  const points = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => dirs.some((d) => m === d || m.startsWith(`${d}/`)));
  // Deepest first, so no mount is removed from under another.
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** The host's cgroup directories in every hierarchy, children before parents. */
export function cgroupDirs(parent: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch {
      return;
    }
    for (const e of entries) walk(path.join(dir, e));
    out.push(dir);
  };
  const roots = existsSync('/sys/fs/cgroup/cgroup.controllers')
    ? ['/sys/fs/cgroup']
    : readdirSync('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c));
  for (const root of roots) if (existsSync(path.join(root, parent))) walk(path.join(root, parent));
  return out;
}

/** dockerd's flags for a lab engine laid out as `p` (hostPaths) says, answering on `socket`, then `extra` (--bip, pools). */
export function dockerdArgs(p: ReturnType<typeof hostPaths>, socket: string, extra: string[]): string[] {
  return [
    '--config-file',
    p.config,
    '--data-root',
    p.dataRoot,
    '--exec-root',
    p.execRoot,
    '-H',
    `unix://${socket}`,
    '--pidfile',
    p.pidfile,
    '--cgroup-parent',
    p.cgroupParent,
    '--userland-proxy-path',
    path.join(p.bin, 'docker-proxy'),
    ...extra,
  ];
}

/** Starts dockerd (`argv`: its nsenter prefix, the program and its flags) detached, and waits up to 90 s for it to answer on `ep`. */
export async function startDockerd(who: string, argv: string[], env: NodeJS.ProcessEnv, log: string, ep: EngineEndpoint): Promise<void> {
  const exited = spawnDetached(argv, env, log);
  const deadline = Date.now() + 90_000;
  for (;;) {
    await sleep(300);
    if ((await pingEngine(ep, 2000)).ok) return;
    const code = exited();
    if (code !== undefined) throw new Error(`${who} exited with ${code} before answering; see ${log}:\n${logTail(log)}`);
    if (Date.now() > deadline)
      throw new Error(`${who} did not answer on ${ep.socketPath ?? ep.text} within 90 s; see ${log}:\n${logTail(log)}`);
  }
}

export function spawnDetached(argv: string[], env: NodeJS.ProcessEnv, log: string): () => number | string | undefined {
  const fd = openSync(log, 'a');
  const [file, ...args] = argv;
  const child = spawn(file!, args, { detached: true, cwd: '/', stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  let code: number | string | undefined;
  child.on('exit', (c, signal) => (code = c ?? signal ?? 'unknown'));
  child.on('error', (err) => (code = err.message));
  child.unref();
  return () => code;
}

export function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
