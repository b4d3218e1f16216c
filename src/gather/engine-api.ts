// Engine API access (dockerode): the raw JSON of containers, networks and the engine, fetched in parallel.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { EngineAnswerError, EngineError, engineError, EngineHttpError, EngineUnreachableError } from './engine-errors.js';
import { readRuntimePids, type RuntimePid } from './runtime-pids.js';

export {
  engineAnswerHint,
  engineCause,
  EngineAnswerError,
  EngineError,
  engineError,
  type EngineFailureKind,
  EngineHttpError,
  EngineUnreachableError,
} from './engine-errors.js';

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

/** A fact of the engine that one call failed to give, while the others were had. */
export type EngineFactGroup = 'networks' | 'info' | 'version';

export interface EngineRaw {
  /** Same shape as `docker inspect <ids...>` prints: an array of container inspect objects. */
  containers: unknown[];
  /** Same shape as `docker network inspect <ids...>` prints; null when the engine failed to list or inspect them. */
  networks: unknown[] | null;
  /** GET /info and /version: slow on busy engines, so only fetched when asked for; null when not asked or failed. */
  info: unknown | null;
  version: unknown | null;
  /** Why a group is null although it was asked for: the engine answered that call with an error. */
  failed: Partial<Record<EngineFactGroup, EngineError>>;
  /** Containers whose inspect failed (not vanished): their list entry stands in, by id. */
  inspectFailed: { id: string; error: EngineError }[];
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

function kindOf(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.length === 0 ? 'an empty body' : 'a body that is not JSON';
  if (v === null) return 'null';
  return Array.isArray(v) ? 'a JSON array' : `a JSON ${typeof v}`;
}

function preview(v: unknown): string {
  const text = Buffer.isBuffer(v) ? v.toString('utf8') : '';
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  return line ? ` (${JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line)})` : '';
}

/** A list whose entries lack the string Id every list entry has is not the Engine API's answer. */
function withIds<T extends { Id: string }>(endpoint: string, call: string, list: T[]): T[] {
  const bad = list.find((e) => e === null || typeof e !== 'object' || typeof (e as { Id?: unknown }).Id !== 'string');
  if (bad !== undefined) throw new EngineAnswerError(endpoint, call, `a list entry without an Id (${JSON.stringify(bad)?.slice(0, 80)})`);
  return list;
}

/** One call, its failure classified and its answer checked for the shape the call returns. */
async function ask<T>(endpoint: string, call: string, expect: 'list' | 'object', fn: () => Promise<unknown>): Promise<T> {
  let v: unknown;
  try {
    v = await fn();
  } catch (err) {
    throw engineError(err, endpoint, call);
  }
  // dockerode hands back the raw bytes when the body does not parse as JSON.
  const ok = expect === 'list' ? Array.isArray(v) : v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
  if (!ok)
    throw new EngineAnswerError(
      endpoint,
      call,
      `${kindOf(v)}${preview(v)} where ${expect === 'list' ? 'a JSON array' : 'a JSON object'} was expected`,
    );
  return v as T;
}

/** Nothing of the engine can be had: the run stops there. */
function isFatal(err: EngineError): boolean {
  return err.kind === 'unreachable' || err.kind === 'permission';
}

function notFound(err: EngineError): boolean {
  return err instanceof EngineHttpError && err.statusCode === 404;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: EngineError };

function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => {
      if (err instanceof EngineError) return { ok: false as const, error: err };
      throw err;
    },
  );
}

export interface FetchOptions {
  withInfo: boolean;
  /**
   * GET /version alone (cheap, unlike /info): which Docker generation made the networks and wrote the
   * rules, which inspect, nat and veth-map need to word gateway modes. Implied by withInfo.
   */
  withVersion?: boolean;
  /**
   * inspect: one inspect call per container (the full `docker inspect` JSON, for snapshots);
   * list: the container list, with pids from the runtime's state files, inspecting only the
   * running containers whose state file cannot be read. Same answers, a fraction of the calls.
   */
  detail: 'inspect' | 'list';
  /** Called as each container's inspect arrives, so per-container reads overlap the API calls. */
  onContainer?: (raw: unknown, pid: number | null) => void;
  /** Where the engine is (DOCKER_HOST and its TLS variables): the environment docknet was given. */
  env: NodeJS.ProcessEnv;
  /** Where runc's state files are, for list detail. */
  runtimeRoots: readonly string[];
}

/** The four calls that need nothing before them: the container and network lists, /info and /version. */
function firstCalls(opts: FetchOptions, docker: Docker, endpoint: string) {
  return Promise.all([
    settle(
      ask<Docker.ContainerInfo[]>(endpoint, 'GET /containers/json', 'list', () => docker.listContainers({ all: true })).then((l) =>
        withIds(endpoint, 'GET /containers/json', l),
      ),
    ),
    settle(
      ask<Docker.NetworkInspectInfo[]>(endpoint, 'GET /networks', 'list', () => docker.listNetworks()).then((l) =>
        withIds(endpoint, 'GET /networks', l),
      ),
    ),
    opts.withInfo ? settle(ask<unknown>(endpoint, 'GET /info', 'object', () => docker.info())) : null,
    opts.withInfo || opts.withVersion ? settle(ask<unknown>(endpoint, 'GET /version', 'object', () => docker.version())) : null,
  ]);
}

type ContainersRead = Pick<EngineRaw, 'containers' | 'pids' | 'vanished' | 'inspectFailed'>;

/** Each container's inspect (list detail: only those whose runtime state file gives no pid), as many at once as allowed. */
async function inspectContainers(
  opts: FetchOptions,
  docker: Docker,
  endpoint: string,
  summaries: Docker.ContainerInfo[],
): Promise<ContainersRead> {
  const vanished: string[] = [];
  const inspectFailed: EngineRaw['inspectFailed'] = [];
  const running = summaries.filter((s) => s.State === 'running').map((s) => s.Id);
  const pids = opts.detail === 'list' ? readRuntimePids(running, opts.runtimeRoots) : {};
  const needInspect = opts.detail === 'list' ? new Set(running.filter((id) => !pids[id])) : null;
  const inspected = await mapLimit(summaries, PARALLEL_CALLS, async (s) => {
    if (needInspect && !needInspect.has(s.Id)) {
      opts.onContainer?.(s, pids[s.Id]?.pid ?? 0);
      return s as unknown;
    }
    const call = `GET /containers/${s.Id.slice(0, 12)}/json`;
    const got = await settle(ask<unknown>(endpoint, call, 'object', () => docker.getContainer(s.Id).inspect()));
    if (got.ok) {
      opts.onContainer?.(got.value, null);
      return got.value;
    }
    if (isFatal(got.error)) throw got.error;
    if (notFound(got.error)) {
      vanished.push(s.Id);
      return null;
    }
    // The list entry names the container, its state and its addresses: it still belongs in the list.
    inspectFailed.push({ id: s.Id, error: got.error });
    opts.onContainer?.(s, null);
    return s as unknown;
  });
  return { containers: inspected.filter((c) => c !== null), pids, vanished, inspectFailed };
}

/** Each network's inspect; a failure of any one (but not found: it went away) makes the whole group unknown. */
async function inspectNetworks(
  docker: Docker,
  endpoint: string,
  listed: Settled<Docker.NetworkInspectInfo[]>,
  failed: EngineRaw['failed'],
): Promise<unknown[] | null> {
  if (!listed.ok) {
    failed.networks = listed.error;
    return null;
  }
  const got = await mapLimit(listed.value, PARALLEL_CALLS, (n) =>
    settle(ask<unknown>(endpoint, `GET /networks/${n.Id.slice(0, 12)}`, 'object', () => docker.getNetwork(n.Id).inspect())),
  );
  const bad = got.find((g) => !g.ok && !notFound(g.error));
  if (bad && !bad.ok) {
    if (isFatal(bad.error)) throw bad.error;
    // A list short of one network reads as a complete one: which bridges are Docker's, which
    // containers each holds. Without every network, the group is unknown.
    failed.networks = bad.error;
    return null;
  }
  return got.flatMap((g) => (g.ok ? [g.value] : []));
}

/** A call's answer, or null with its error kept in failed[key]; null too when it was not asked. */
function answerOf(got: Settled<unknown> | null, failed: EngineRaw['failed'], key: 'info' | 'version'): unknown | null {
  if (!got) return null;
  if (got.ok) return got.value;
  failed[key] = got.error;
  return null;
}

/**
 * Connects where opts.env says (dockerOptions). Throws an EngineError when nothing useful remains:
 * the engine cannot be reached, or it fails the container list. A failure of one of the other calls
 * loses only that call's facts (see `failed`).
 */
export async function fetchEngineRaw(
  opts: FetchOptions,
  docker: Docker = new Docker(dockerOptions(opts.env)),
  endpoint = engineEndpoint(opts.env),
): Promise<EngineRaw> {
  const t0 = performance.now();
  const [listed, netListed, infoGot, versionGot] = await firstCalls(opts, docker, endpoint);
  const all = [listed, netListed, infoGot, versionGot].filter((s): s is Settled<unknown> => s !== null);
  const fatal = all.find((s) => !s.ok && isFatal(s.error));
  if (fatal && !fatal.ok) throw fatal.error;
  if (!listed.ok) throw listed.error;
  const failed: EngineRaw['failed'] = {};
  const tInfo = performance.now();
  const read = await inspectContainers(opts, docker, endpoint, listed.value);
  const tContainers = performance.now();
  const networks = await inspectNetworks(docker, endpoint, netListed, failed);
  const info = answerOf(infoGot, failed, 'info');
  const version = answerOf(versionGot, failed, 'version');
  const tNetworks = performance.now();
  return {
    containers: read.containers,
    pids: read.pids,
    networks,
    info,
    version,
    failed,
    inspectFailed: read.inspectFailed,
    vanished: read.vanished,
    durations: {
      info: Math.round(tInfo - t0),
      containers: Math.round(tContainers - tInfo),
      networks: Math.round(tNetworks - tContainers),
    },
  };
}
