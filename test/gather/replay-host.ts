// A saved snapshot played back as a host, so gather/ runs without an engine or root: an Engine API on
// a unix socket answering with the snapshot's Engine JSON, a /proc and /sys tree in a temporary
// directory holding the snapshot's container and host files, and a command runner answering each
// command with the output the snapshot recorded for it. Races are made by changing these between reads.
import { localFs } from '../../src/gather/host-fs.js';
import type { TestContext } from 'node:test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CommandRunner, HostAccess } from '../../src/gather/host-access.js';
import type { CommandResult } from '../../src/gather/run-command.js';
import type { ContainerNetFacts } from '../../src/model/container-net.js';

interface Origin {
  kind: string;
  what: string;
  exitCode?: number | null;
  stderr?: string;
}

interface ContainerFiles {
  pid: number;
  resolvConf: string | null;
  socketInodes: number[];
  netTables: Record<string, string | null>;
}

export interface ReplayHost {
  host: HostAccess;
  /** The temporary /proc root. */
  procRoot: string;
  /** Every command run, as one string each, in the order asked. */
  commands: string[];
  /** Engine API requests, as "GET /path". */
  requests: string[];
  /** Containers (by id) that vanish between the list and their inspect: the engine answers 404. */
  removed: Set<string>;
  /** Called before a command is answered, so a test can change the host right after the read. */
  onCommand: ((command: string) => void) | null;
  /** Writes one container's /proc/<pid> as its net.json (and files.json) describe it. */
  writeContainer(net: ContainerNetFacts, files?: ContainerFiles): void;
  /** Removes /proc/<pid>, as when the container stops. */
  removeProcess(pid: number): void;
  /** The snapshot's files, by path. */
  file(path: string): string;
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function link(path: string, target: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

/** A command's result as runCommand gives it. */
export function commandResult(command: string[], stdout: string, extra: Partial<CommandResult> = {}): CommandResult {
  return { command, stdout, stderr: '', exitCode: 0, errorCode: null, timedOut: false, durationMs: 1, ...extra };
}

/** What runCommand gives for a tool that is not installed. */
export const notInstalled = (command: string[]): CommandResult =>
  commandResult(command, '', { exitCode: null, errorCode: 'ENOENT', stderr: '' });

export async function replayHost(t: TestContext, snapshotDir: string): Promise<ReplayHost> {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-replay-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const procRoot = join(dir, 'proc');
  const sysRoot = join(dir, 'sys');
  const file = (path: string): string => readFileSync(join(snapshotDir, path), 'utf8');
  const manifest = JSON.parse(file('manifest.json')) as { files: Record<string, Origin> };

  // ---- /proc and /sys ----
  link(join(procRoot, 'self/ns/net'), file('host/netns.txt').trim());
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) writeFile(join(procRoot, 'net', table), file(`host/proc-net-${table}.txt`));
  const settings = JSON.parse(file('host/settings.json')) as { sysctl: Record<string, string | null>; modules: Record<string, boolean> };
  for (const [name, value] of Object.entries(settings.sysctl)) {
    if (value !== null) writeFile(join(procRoot, 'sys', ...name.split('.')), `${value}\n`);
  }
  for (const [name, loaded] of Object.entries(settings.modules)) if (loaded) mkdirSync(join(sysRoot, 'module', name), { recursive: true });
  for (const p of JSON.parse(file('host/docker-proxy.json')) as { pid: number; cmdline: string[] }[]) {
    writeFile(join(procRoot, String(p.pid), 'comm'), 'docker-proxy\n');
    writeFile(join(procRoot, String(p.pid), 'cmdline'), `${p.cmdline.join('\0')}\0`);
  }

  const writeContainer = (net: ContainerNetFacts, files?: ContainerFiles): void => {
    const proc = join(procRoot, String(net.pid));
    writeFile(join(proc, 'comm'), 'sleep\n');
    if (net.netns !== null) link(join(proc, 'ns/net'), net.netns);
    if (net.via === 'sysfs') {
      // lo is in every namespace; gather leaves it out.
      mkdirSync(join(proc, 'root/sys/class/net/lo'), { recursive: true });
      for (const i of net.interfaces) {
        const d = join(proc, 'root/sys/class/net', i.name);
        if (i.ifindex !== null) writeFile(join(d, 'ifindex'), `${i.ifindex}\n`);
        if (i.iflink !== null) writeFile(join(d, 'iflink'), `${i.iflink}\n`);
        if (i.mac !== null) writeFile(join(d, 'address'), `${i.mac}\n`);
        if (i.mtu !== null) writeFile(join(d, 'mtu'), `${i.mtu}\n`);
      }
    }
    if (net.procNetIgmp !== undefined) writeFile(join(proc, 'net/igmp'), `${net.procNetIgmp}\n`);
    if (files) {
      if (files.resolvConf !== null) writeFile(join(proc, 'root/etc/resolv.conf'), files.resolvConf);
      mkdirSync(join(proc, 'fd'), { recursive: true });
      for (const [k, inode] of files.socketInodes.entries()) link(join(proc, 'fd', String(k + 3)), `socket:[${inode}]`);
      for (const [table, text] of Object.entries(files.netTables)) if (text !== null) writeFile(join(proc, 'net', table), text);
    }
  };
  for (const path of Object.keys(manifest.files)) {
    const m = /^containers\/([^/]+)\/net\.json$/.exec(path);
    if (!m) continue;
    const net = JSON.parse(file(path)) as ContainerNetFacts;
    const filesPath = `containers/${m[1]}/files.json`;
    writeContainer(net, manifest.files[filesPath] ? (JSON.parse(file(filesPath)) as ContainerFiles) : undefined);
  }

  // ---- host commands ----
  const recorded = new Map<string, { path: string; origin: Origin }>();
  for (const [path, origin] of Object.entries(manifest.files)) if (origin.kind === 'command') recorded.set(origin.what, { path, origin });
  const replay: ReplayHost = {
    host: null as unknown as HostAccess,
    procRoot,
    commands: [],
    requests: [],
    removed: new Set(),
    onCommand: null,
    writeContainer,
    removeProcess: (pid) => rmSync(join(procRoot, String(pid)), { recursive: true, force: true }),
    file,
  };
  const run: CommandRunner = async (command) => {
    const what = command.join(' ');
    replay.commands.push(what);
    replay.onCommand?.(what);
    const r = recorded.get(what);
    // A command the snapshot did not record answers as a tool that is not installed.
    if (!r) return notInstalled(command);
    return commandResult(command, file(r.path), { exitCode: r.origin.exitCode ?? 0, stderr: r.origin.stderr ?? '' });
  };

  // ---- the Engine API ----
  const containers = JSON.parse(file('docker/containers.json')) as { Id: string; Name: string; State: { Status: string } }[];
  const networks = JSON.parse(file('docker/networks.json')) as { Id: string; Name: string }[];
  // The list holds what fetchEngineRaw reads of it in inspect detail (Id, State); the snapshot keeps the inspects.
  const list = containers.map((c) => ({ Id: c.Id, Names: [c.Name], State: c.State.Status }));
  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/v[\d.]+/, '').split('?')[0] ?? '';
    replay.requests.push(`${req.method} ${path}`);
    const container = /^\/containers\/([^/]+)\/json$/.exec(path);
    const network = /^\/networks\/([^/]+)$/.exec(path);
    if (path === '/containers/json') return json(res, 200, list);
    if (path === '/networks') return json(res, 200, networks);
    if (path === '/info') return json(res, 200, JSON.parse(file('docker/info.json')));
    if (path === '/version') return json(res, 200, JSON.parse(file('docker/version.json')));
    if (container?.[1]) {
      const c = containers.find((x) => x.Id === container[1]);
      if (!c || replay.removed.has(c.Id)) return json(res, 404, { message: `No such container: ${container[1]}` });
      return json(res, 200, c);
    }
    if (network?.[1]) {
      const n = networks.find((x) => x.Id === network[1]);
      return n ? json(res, 200, n) : json(res, 404, { message: `network ${network[1]} not found` });
    }
    json(res, 404, { message: `page not found: ${path}` });
  });
  const socket = join(dir, 'docker.sock');
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  replay.host = {
    env: { DOCKER_HOST: `unix://${socket}` },
    procRoot,
    sysRoot,
    run,
    readFiles: async (read) => read(localFs),
    runtimeRoots: [join(dir, 'runc')],
  };
  return replay;
}
