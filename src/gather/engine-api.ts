// Engine API access (dockerode): the raw JSON of containers, networks and the engine, fetched in parallel.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { readRuntimePids, type RuntimePid } from './runtime-pids.js';

export class EngineUnreachableError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
    readonly permissionDenied: boolean,
  ) {
    super(`cannot reach the Docker engine at ${endpoint}: ${reason}`);
  }
}

const SYSTEM_SOCKET = '/var/run/docker.sock';

/** Docker Desktop's per-user socket, used when it exists and DOCKER_HOST is not set (as the docker CLI and dockerode do). */
function defaultSocket(env: NodeJS.ProcessEnv): string {
  const user = join(env.HOME ?? homedir(), '.docker', 'run', 'docker.sock');
  return existsSync(user) ? user : SYSTEM_SOCKET;
}

/** Where docknet will connect, in the words a user would use to point it elsewhere. */
export function engineEndpoint(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : `unix://${defaultSocket(env)}`;
}

/**
 * dockerode's connection options from this environment rather than from process.env: DOCKER_HOST
 * (unix://, npipe://, tcp://, ssh://), DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_CLIENT_TIMEOUT, read the way
 * docker-modem reads them. Every key is set, so nothing of process.env leaks in through its defaults.
 */
export function dockerOptions(env: NodeJS.ProcessEnv): Docker.DockerOptions {
  const none = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, username: undefined };
  const o: Docker.DockerOptions & { pathPrefix?: string } = { ...none, ca: undefined, cert: undefined, key: undefined, timeout: undefined };
  const dockerHost = env.DOCKER_HOST;
  if (!dockerHost) return { ...o, socketPath: defaultSocket(env) };
  if (dockerHost.startsWith('unix://')) return { ...o, socketPath: dockerHost.slice(7) || defaultSocket(env) };
  if (dockerHost.startsWith('npipe://')) return { ...o, socketPath: dockerHost.slice(8) || '//./pipe/docker_engine' };
  let url: URL;
  try {
    url = new URL(dockerHost.includes('//') ? dockerHost : `tcp://${dockerHost}`);
  } catch {
    throw new EngineUnreachableError(
      `DOCKER_HOST=${dockerHost}`,
      'not an address docknet can read (e.g. unix:///var/run/docker.sock, tcp://127.0.0.1:2375)',
      false,
    );
  }
  o.host = url.hostname;
  o.port = url.port;
  if (env.DOCKER_TLS_VERIFY === '1' || url.port === '2376') o.protocol = 'https';
  else if (url.protocol === 'ssh:') {
    o.protocol = 'ssh';
    o.username = url.username;
    o.sshOptions = { agent: env.SSH_AUTH_SOCK };
  } else o.protocol = 'http';
  o.pathPrefix = env.DOCKER_PATH_PREFIX || '/';
  if (env.DOCKER_CERT_PATH) {
    o.ca = readFileSync(join(env.DOCKER_CERT_PATH, 'ca.pem'), 'utf8');
    o.cert = readFileSync(join(env.DOCKER_CERT_PATH, 'cert.pem'));
    o.key = readFileSync(join(env.DOCKER_CERT_PATH, 'key.pem'));
  }
  if (env.DOCKER_CLIENT_TIMEOUT) o.timeout = Number.parseInt(env.DOCKER_CLIENT_TIMEOUT, 10);
  return o;
}

export interface EngineRaw {
  /** Same shape as `docker inspect <ids...>` prints: an array of container inspect objects. */
  containers: unknown[];
  /** Same shape as `docker network inspect <ids...>` prints. */
  networks: unknown[];
  /** GET /info and /version: slow on busy engines, so only fetched when asked for. */
  info: unknown | null;
  version: unknown | null;
  /** Pids found in the runtime's state files (list detail), by container id. */
  pids: Record<string, RuntimePid>;
  /** Containers that vanished between listing and inspecting, by id. */
  vanished: string[];
  durations: { containers: number; networks: number; info: number };
}

const PARALLEL_CALLS = 16;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

function describe(err: unknown): { text: string; denied: boolean } {
  const e = err as { code?: string; message?: string; statusCode?: number };
  if (e?.code === 'EACCES') return { text: 'permission denied on the socket (is this user in the docker group? try sudo)', denied: true };
  if (e?.code === 'ENOENT') return { text: 'no such socket (is dockerd running?)', denied: false };
  if (e?.code === 'ECONNREFUSED') return { text: 'connection refused (is dockerd running?)', denied: false };
  if (e?.code === 'ECONNRESET' || e?.code === 'EPIPE' || /socket hang up/i.test(e?.message ?? ''))
    return { text: 'the connection was cut (did dockerd stop?)', denied: false };
  return { text: e?.message ?? String(err), denied: false };
}

function notFound(err: unknown): boolean {
  return (err as { statusCode?: number })?.statusCode === 404;
}

export interface FetchOptions {
  withInfo: boolean;
  /**
   * inspect: one inspect call per container (the full `docker inspect` JSON, for snapshots);
   * list: the container list, with pids from the runtime's state files, inspecting only the
   * running containers whose state file cannot be read. Same answers, a fraction of the calls.
   */
  detail: 'inspect' | 'list';
  /** Called as each container's inspect arrives, so per-container reads overlap the API calls. */
  onContainer?: (raw: unknown, pid: number | null) => void;
  /** Where the engine is (DOCKER_HOST and its TLS variables). */
  env: NodeJS.ProcessEnv;
  /** Where runc's state files are, for list detail. */
  runtimeRoots: readonly string[];
}

export async function fetchEngineRaw(opts: FetchOptions, docker: Docker = new Docker(dockerOptions(opts.env))): Promise<EngineRaw> {
  const endpoint = engineEndpoint(opts.env);
  const t0 = performance.now();
  let summaries: Docker.ContainerInfo[];
  let netSummaries: Docker.NetworkInspectInfo[];
  let info: unknown;
  let version: unknown;
  try {
    [summaries, netSummaries, info, version] = await Promise.all([
      docker.listContainers({ all: true }),
      docker.listNetworks(),
      opts.withInfo ? docker.info() : null,
      opts.withInfo ? docker.version() : null,
    ]);
  } catch (err) {
    const d = describe(err);
    throw new EngineUnreachableError(endpoint, d.text, d.denied);
  }
  const tInfo = performance.now();
  const vanished: string[] = [];
  const running = summaries.filter((s) => s.State === 'running').map((s) => s.Id);
  const pids = opts.detail === 'list' ? readRuntimePids(running, opts.runtimeRoots) : {};
  const needInspect = opts.detail === 'list' ? new Set(running.filter((id) => !pids[id])) : null;
  const inspected = await mapLimit(summaries, PARALLEL_CALLS, async (s) => {
    if (needInspect && !needInspect.has(s.Id)) {
      opts.onContainer?.(s, pids[s.Id]?.pid ?? 0);
      return s as unknown;
    }
    try {
      const raw: unknown = await docker.getContainer(s.Id).inspect();
      opts.onContainer?.(raw, null);
      return raw;
    } catch (err) {
      if (notFound(err)) {
        vanished.push(s.Id);
        return null;
      }
      const d = describe(err);
      throw new EngineUnreachableError(endpoint, d.text, d.denied);
    }
  });
  const tContainers = performance.now();
  const networks = await mapLimit(netSummaries, PARALLEL_CALLS, async (n) => {
    try {
      return await docker.getNetwork(n.Id).inspect();
    } catch (err) {
      if (notFound(err)) return null;
      const d = describe(err);
      throw new EngineUnreachableError(endpoint, d.text, d.denied);
    }
  });
  const tNetworks = performance.now();
  return {
    containers: inspected.filter((c) => c !== null),
    pids,
    networks: networks.filter((n) => n !== null),
    info,
    version,
    vanished,
    durations: {
      info: Math.round(tInfo - t0),
      containers: Math.round(tContainers - tInfo),
      networks: Math.round(tNetworks - tContainers),
    },
  };
}
