// A host's processes, mounts and cgroups, and starting its dockerd detached (flags, log, waiting for it to answer).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { type EngineEndpoint, pingEngine, sleep } from './engine.js';
import type { hostPaths } from './host-paths.js';

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
export function isOurs(pid: number, p: ReturnType<typeof hostPaths>): boolean {
  return (cmdline(pid) ?? []).includes(p.execRoot);
}

/** Processes whose command line or program lies in this host's run directory or fetched files. */
export function ownProcesses(p: ReturnType<typeof hostPaths>): number[] {
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
