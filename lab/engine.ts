// Makes sure a local Docker engine answers and the offline test image exists; as root on Debian it installs and starts them.
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { DOCKERD_LOG, GENERATION, IMAGE_LABEL, LAB_IMAGE } from './lab-spec.js';
import { failure, lines, must, run } from './run.js';
import { tarArchive, type TarEntry } from './tar.js';

/** What the lab needs on a bare Debian machine (the brief's list; ip and nsenter come with the base system). */
export const ENGINE_PACKAGES = ['docker.io', 'iptables', 'bridge-utils', 'busybox-static'] as const;

export const DEFAULT_SOCKET = '/var/run/docker.sock';
const BUSYBOX = '/bin/busybox';

export type Log = (line: string) => void;

/** Where the engine is expected: a unix socket, or TCP on loopback only. */
export interface EngineEndpoint {
  socketPath?: string;
  host?: string;
  port?: number;
  /** As a user would write it (unix:///var/run/docker.sock). */
  text: string;
  isDefault: boolean;
}

export type Probe = { ok: true } | { ok: false; reason: string };

export function engineEndpoint(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (!dockerHost) return { socketPath: DEFAULT_SOCKET, text: `unix://${DEFAULT_SOCKET}`, isDefault: true };
  if (dockerHost.startsWith('unix://')) {
    const socketPath = dockerHost.slice('unix://'.length);
    return { socketPath, text: dockerHost, isDefault: path.resolve(socketPath) === DEFAULT_SOCKET };
  }
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(dockerHost);
  if (!tcp) throw new Error(`DOCKER_HOST=${dockerHost}: the lab understands only unix:// and tcp://host:port`);
  const host = tcp[1]!.replace(/^\[|\]$/g, '');
  // The lab changes this host's interfaces, so its engine must be this host's too.
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) {
    throw new Error(`DOCKER_HOST=${dockerHost} is not on this machine: the lab needs a local engine (unix socket or 127.0.0.0/8)`);
  }
  return { host, port: Number(tcp[2]), text: dockerHost, isDefault: false };
}

/** GET /_ping on the engine; says why it did not answer. */
export function pingEngine(ep: EngineEndpoint = engineEndpoint(), timeoutMs = 3000): Promise<Probe> {
  return new Promise((resolve) => {
    const req = http.request(
      { socketPath: ep.socketPath, host: ep.host, port: ep.port, path: '/_ping', method: 'GET', timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200 ? { ok: true } : { ok: false, reason: `${ep.text} answered /_ping with HTTP ${res.statusCode}` });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'ENOENT'
          ? 'no such socket (dockerd not running?)'
          : err.code === 'ECONNREFUSED'
            ? 'connection refused (dockerd not running?)'
            : err.code === 'EACCES'
              ? 'permission denied (run as root or join the docker group)'
              : err.message;
      resolve({ ok: false, reason: `${ep.text}: ${why}` });
    });
    req.end();
  });
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function isDebian(): boolean {
  return existsSync('/etc/debian_version');
}

/** Finds a program on PATH (plus the sbin directories root would have). */
export function which(program: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

let aptUpdated: Promise<void> | null = null;

/** apt-get install, running `apt-get update` once per process first. */
export async function aptInstall(packages: readonly string[], log: Log): Promise<void> {
  if (!isRoot() || !isDebian()) {
    throw new Error(`need ${packages.join(' ')}: install them (apt-get install needs root on Debian)`);
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  aptUpdated ??= (async () => {
    log('apt-get update');
    await must(['apt-get', 'update'], { env, timeoutMs: 600_000 });
  })();
  await aptUpdated;
  log(`apt-get install -y ${packages.join(' ')}`);
  await must(['apt-get', 'install', '-y', ...packages], { env, timeoutMs: 1_200_000 });
}

export interface EngineResult {
  endpoint: string;
  /** True when this call started dockerd. */
  started: boolean;
  installed: readonly string[];
  serverVersion: string;
}

/**
 * Returns when the engine answers. Otherwise, as root on Debian, installs docker.io and friends when
 * dockerd is missing and starts dockerd detached (it outlives this process); anywhere else it throws.
 */
export async function ensureEngine(opts: { log?: Log; waitMs?: number } = {}): Promise<EngineResult> {
  const log = opts.log ?? (() => {});
  const ep = engineEndpoint();
  let installed: readonly string[] = [];
  const installIfMissing = async (): Promise<void> => {
    if (which('dockerd') && which('docker')) return;
    await aptInstall(ENGINE_PACKAGES, log);
    installed = ENGINE_PACKAGES;
  };

  const first = await pingEngine(ep);
  if (first.ok) {
    if (!which('docker')) await installIfMissing(); // the lab drives the engine through the docker CLI
    return { endpoint: ep.text, started: false, installed, serverVersion: await serverVersion() };
  }
  if (!isRoot() || !isDebian()) {
    throw new Error(
      `no Docker engine answers at ${first.reason}; start dockerd, or run as root on Debian so the lab can install docker.io and start it`,
    );
  }
  if (!ep.isDefault) {
    throw new Error(
      GENERATION.netns
        ? `no Docker engine answers at ${first.reason}; start Docker ${GENERATION.id}'s host with: npm run lab -- up --engine ${GENERATION.id}`
        : `no Docker engine answers at ${first.reason}; the lab starts dockerd only on ${DEFAULT_SOCKET} (unset DOCKER_HOST)`,
    );
  }
  await installIfMissing();
  log(`starting dockerd (log: ${DOCKERD_LOG})`);
  const exited = startDockerd();
  const deadline = Date.now() + (opts.waitMs ?? 60_000);
  let last: Probe = first;
  while (Date.now() < deadline) {
    await sleep(500);
    last = await pingEngine(ep, 2000);
    if (last.ok) return { endpoint: ep.text, started: true, installed, serverVersion: await serverVersion() };
    const code = exited();
    if (code !== undefined) throw new Error(`dockerd exited with ${code} before answering; see ${DOCKERD_LOG}:\n${logTail()}`);
  }
  throw new Error(
    `dockerd did not answer within ${(opts.waitMs ?? 60_000) / 1000} s (${last.ok ? '' : last.reason}); see ${DOCKERD_LOG}:\n${logTail()}`,
  );
}

/** Starts dockerd in its own session, output to DOCKERD_LOG; returns a probe for its early exit code. */
function startDockerd(): () => number | string | undefined {
  const fd = openSync(DOCKERD_LOG, 'a');
  const child = spawn('dockerd', [], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin` },
  });
  closeSync(fd);
  let exit: number | string | undefined;
  child.on('exit', (code, signal) => (exit = code ?? signal ?? 'unknown'));
  child.on('error', (err) => (exit = err.message));
  child.unref();
  return () => exit;
}

function logTail(): string {
  try {
    return readFileSync(DOCKERD_LOG, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

async function serverVersion(): Promise<string> {
  return (await must(['docker', 'version', '--format', '{{.Server.Version}}'])).trim();
}

export interface ImageResult {
  image: string;
  built: boolean;
}

/**
 * Builds LAB_IMAGE offline when absent: a rootfs holding the host's static /bin/busybox and a symlink
 * per applet, streamed as a tar into `docker import`. Needs no registry.
 */
export async function ensureImage(opts: { log?: Log; rebuild?: boolean; env?: Record<string, string> } = {}): Promise<ImageResult> {
  const log = opts.log ?? (() => {});
  if (!opts.rebuild && (await run(['docker', 'image', 'inspect', LAB_IMAGE], { ...(opts.env ? { env: opts.env } : {}) })).exitCode === 0) {
    return { image: LAB_IMAGE, built: false };
  }
  let busybox = readIfExists(BUSYBOX);
  if (!busybox || !isStaticElf(busybox)) {
    await aptInstall(['busybox-static'], log);
    busybox = readIfExists(BUSYBOX);
    if (!busybox || !isStaticElf(busybox)) throw new Error(`${BUSYBOX} is not a static binary even after installing busybox-static`);
  }
  const applets = lines(await must([BUSYBOX, '--list'])).filter((a) => a !== 'busybox' && /^[\w.[\]-]+$/.test(a));
  const entries: TarEntry[] = [
    { type: 'dir', path: 'bin' },
    { type: 'file', path: 'bin/busybox', data: busybox, mode: 0o755 },
    ...applets.map((a): TarEntry => ({ type: 'symlink', path: `bin/${a}`, target: 'busybox' })),
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n') },
    { type: 'file', path: 'etc/group', data: Buffer.from('root:x:0:\nnogroup:x:65534:\n') },
    { type: 'dir', path: 'root', mode: 0o700 },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: 'www' },
  ];
  log(`building ${LAB_IMAGE} from ${BUSYBOX} (${applets.length} applets)`);
  const r = await run(
    ['docker', 'import', '-c', 'CMD ["/bin/sh"]', '-c', 'ENV PATH=/bin', '-c', `LABEL ${IMAGE_LABEL}=busybox`, '-', LAB_IMAGE],
    { input: tarArchive(entries), timeoutMs: 120_000, ...(opts.env ? { env: opts.env } : {}) },
  );
  const why = failure(r);
  if (why) throw new Error(`could not build ${LAB_IMAGE}: ${why}`);
  return { image: LAB_IMAGE, built: true };
}

function readIfExists(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** An ELF with no PT_INTERP program header runs without a dynamic loader, so it works in an empty rootfs. */
export function isStaticElf(buf: Buffer): boolean {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const phoff = is64 ? Number(le ? buf.readBigUInt64LE(0x20) : buf.readBigUInt64BE(0x20)) : u32(0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  const PT_INTERP = 3;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > buf.length) return false;
    if (u32(at) === PT_INTERP) return false;
  }
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
