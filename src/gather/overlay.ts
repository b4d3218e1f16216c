// Gathers a swarm node's overlay facts, read-only: the control plane from the Engine API (each overlay
// with ?verbose=true, and /nodes, /services, /tasks on a manager), and each overlay's kernel side by
// running ip and bridge inside Docker's own overlay namespace (`<exec-root>/netns/1-<id[:10]>`, never a
// user container's) with nsenter --net; the node's xfrm state and policies; IPVS and the kernel's options.
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Docker from 'dockerode';
import { FACT, type Snapshot } from '../snapshot/snapshot.js';
import { dockerOptions, EngineError, engineCause, engineEndpoint, engineError } from './engine-api.js';
import type { HostAccess } from './host-access.js';
import { gatherHostCommand } from './live.js';
import { exists, localFs, type HostFs } from './host-fs.js';
import { readFailure } from './read-error.js';

/** Docker's default exec root, where it keeps its namespaces when dockerd is not given --exec-root. */
export const DEFAULT_EXEC_ROOT = '/var/run/docker';

/** The build options that decide whether VIPs, the routing mesh and encrypted overlays can work. */
export const KERNEL_OPTIONS = ['CONFIG_IP_VS', 'CONFIG_INET_ESP', 'CONFIG_CRYPTO_GCM', 'CONFIG_XFRM_USER', 'CONFIG_VXLAN'] as const;
const MODULES = ['ip_vs', 'esp4', 'xfrm_user', 'vxlan'];

type Json = Record<string, unknown>;

function apiFact(snapshot: Snapshot, path: string, what: string, value: unknown, started: number): void {
  snapshot.facts.set(path, {
    path,
    text: JSON.stringify(value),
    origin: { kind: 'api', what, durationMs: Math.round(performance.now() - started) },
  });
}

function missingApi(snapshot: Snapshot, path: string, what: string, err: unknown, endpoint: string): void {
  const e = engineError(err, endpoint, what);
  snapshot.missing.push({ path, what, reason: e.message, cause: engineCause(e) });
}

/** The namespace file of an overlay: Docker names it by the first 10 characters of the network id. */
export function overlayNamespacePath(execRoot: string, networkId: string): string {
  return path.join(execRoot, 'netns', `1-${networkId.slice(0, 10)}`);
}

/** IPsec key bytes are cut out of `ip xfrm state` before they are kept anywhere: only the algorithm's name stays. */
export function redactXfrmKeys(text: string): string {
  return text.replace(/^(\s*(?:aead|enc|auth|auth-trunc|comp)\s+\S+\s+)0x[0-9a-f]+/gim, '$1<redacted>');
}

/** statfs's type of a namespace file that is mounted (nsfs); a file Docker bound a namespace on elsewhere is plain. */
const NSFS_MAGIC = 0x6e736673;

/**
 * Whether an overlay's namespace file can be entered from docknet's mount namespace. Docker binds the
 * namespace onto the file in dockerd's own mount namespace; a docknet in another one (a container, or a
 * shell that unshared its mounts before the overlay was made, with / not shared) sees only the empty file,
 * and nsenter fails with "Invalid argument".
 */
export function namespaceFile(file: string, fs: HostFs = localFs): 'absent' | 'namespace' | 'not-mounted-here' {
  try {
    return fs.fsType(file) === NSFS_MAGIC ? 'namespace' : 'not-mounted-here';
  } catch {
    return exists(fs, file) ? 'not-mounted-here' : 'absent';
  }
}

interface ExecRoot {
  path: string;
  how: string;
}

/** The exec root of the dockerd whose -H names `socket`, read from /proc; null when no such process is seen. */
function dockerdExecRoot(fs: HostFs, procRoot: string, socket: string): ExecRoot | null {
  try {
    for (const pid of fs.readdir(procRoot).filter((e) => /^\d+$/.test(e))) {
      let argv: string[];
      try {
        argv = fs.readText(`${procRoot}/${pid}/cmdline`).split('\0');
      } catch {
        continue;
      }
      if (!argv[0]?.endsWith('dockerd')) continue;
      const at = argv.findIndex((a) => a === '--exec-root' || a.startsWith('--exec-root='));
      const hosts = argv.filter((a, i) => argv[i - 1] === '-H' || argv[i - 1] === '--host' || a.startsWith('--host='));
      const names = hosts.some((h) => h.endsWith(socket)) || (hosts.length === 0 && socket === '/var/run/docker.sock');
      if (!names) continue;
      if (at < 0) return { path: DEFAULT_EXEC_ROOT, how: `dockerd ${pid} has no --exec-root: Docker's default` };
      const value = argv[at]!.includes('=') ? argv[at]!.split('=')[1]! : argv[at + 1]!;
      return { path: value, how: `--exec-root of dockerd ${pid} (${argv.slice(0, 1).join(' ')} -H ${socket})` };
    }
  } catch {
    // no /proc to read
  }
  return null;
}

/**
 * Where the engine keeps its namespaces: a container's SandboxKey (`<exec-root>/netns/<id>`) says so
 * exactly; else the dockerd whose -H names the socket docknet talks to; else Docker's default.
 */
async function findExecRoot(docker: Docker, host: HostAccess, overlayContainers: string[]): Promise<ExecRoot> {
  const ids = [...overlayContainers];
  if (ids.length === 0) {
    try {
      ids.push(...(await docker.listContainers()).map((c) => c.Id));
    } catch {
      // the fallbacks below still apply
    }
  }
  for (const id of ids.slice(0, 3)) {
    try {
      const key = (await docker.getContainer(id).inspect()).NetworkSettings?.SandboxKey;
      if (key?.includes('/netns/'))
        return { path: path.dirname(path.dirname(key)), how: `SandboxKey of container ${id.slice(0, 12)}: ${key}` };
    } catch {
      // a container that went away meanwhile: try the next
    }
  }
  const socket = host.env.DOCKER_HOST?.startsWith('unix://') ? host.env.DOCKER_HOST.slice('unix://'.length) : '/var/run/docker.sock';
  const found = await host.readFiles((fs) => dockerdExecRoot(fs, host.procRoot, socket));
  if (found) return found;
  return { path: DEFAULT_EXEC_ROOT, how: "no container's SandboxKey and no dockerd process to read: Docker's default" };
}

function readKernelFeatures(procRoot: string, fs: HostFs): { text: string; what: string } {
  const ipvsFile = `${procRoot}/net/ip_vs`;
  const ipvs = exists(fs, ipvsFile)
    ? { present: true, evidence: `${ipvsFile} exists` }
    : { present: false, evidence: `${ipvsFile} does not exist (no IPVS in this kernel or its namespace)` };
  let config: Record<string, string> | null = null;
  let configNote: string | null = null;
  try {
    const text = gunzipSync(fs.readBytes(`${procRoot}/config.gz`)).toString('utf8');
    config = {};
    for (const name of KERNEL_OPTIONS) {
      const set = new RegExp(`^${name}=(\\S+)$`, 'm').exec(text);
      config[name] = set ? set[1]! : new RegExp(`^# ${name} is not set$`, 'm').test(text) ? 'not set' : 'absent';
    }
  } catch (err) {
    configNote = readFailure(err, `${procRoot}/config.gz`).reason;
  }
  let modules: string[] | null = null;
  try {
    const loaded = fs
      .readText(`${procRoot}/modules`)
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '');
    modules = MODULES.filter((m) => loaded.includes(m));
  } catch {
    // no module support (or unreadable): config says what is built in
  }
  return {
    text: JSON.stringify({ ipvs, config, ...(configNote ? { configUnreadable: configNote } : {}), modules }),
    what: `${ipvsFile}, ${procRoot}/config.gz, ${procRoot}/modules`,
  };
}

/** The swarm's nodes, services and tasks: a manager's answers; on another node, missing with why. */
function gatherManagerFacts(snapshot: Snapshot, docker: Docker, info: Json | null, endpoint: string): Promise<void[]> {
  const swarm = (info?.Swarm ?? {}) as Json;
  const manager = swarm.ControlAvailable === true;
  const managerCalls: [string, string, () => Promise<unknown>][] = [
    [FACT.swarmNodes, 'GET /nodes', () => docker.listNodes()],
    [FACT.swarmServices, 'GET /services', () => docker.listServices()],
    [FACT.swarmTasks, 'GET /tasks', () => docker.listTasks()],
  ];
  return Promise.all(
    managerCalls.map(async ([p, what, call]) => {
      if (!manager) {
        const state = String(swarm.LocalNodeState ?? 'unknown');
        snapshot.missing.push({
          path: p,
          what,
          reason:
            state === 'active'
              ? 'this node is a swarm worker: only a manager answers it'
              : `this engine is not in a swarm (LocalNodeState ${state})`,
          cause: 'not-in-data',
        });
        return;
      }
      const started = performance.now();
      try {
        apiFact(snapshot, p, what, await call(), started);
      } catch (err) {
        missingApi(snapshot, p, what, err, endpoint);
      }
    }),
  );
}

/** Each overlay network inspected verbose (its peers and services); a failed inspect is missing, with a null value. */
async function inspectNetworks(
  snapshot: Snapshot,
  docker: Docker,
  list: Json[],
  endpoint: string,
): Promise<{ id: string; value: Json | null }[]> {
  const inspects: { id: string; value: Json | null }[] = [];
  for (const n of list) {
    const id = String(n.Id ?? '');
    if (!/^[0-9a-z]+$/.test(id)) continue;
    const t = performance.now();
    const what = `GET /networks/${id}?verbose=true`;
    try {
      // dockerode passes the options as the query string; its typings only know the callback form.
      const net = docker.getNetwork(id) as unknown as { inspect(opts: { verbose: boolean }): Promise<unknown> };
      const value = (await net.inspect({ verbose: true })) as Json;
      apiFact(snapshot, FACT.overlayNetwork(id), what, value, t);
      inspects.push({ id, value });
    } catch (err) {
      missingApi(snapshot, FACT.overlayNetwork(id), what, err, endpoint);
      inspects.push({ id, value: null });
    }
  }
  return inspects;
}

/** One overlay network's namespace on this node: whether it is there, and its links, fdb and neighbours read inside it. */
async function gatherSandbox(snapshot: Snapshot, host: HostAccess, execRoot: string, id: string): Promise<void> {
  const file = overlayNamespacePath(execRoot, id);
  const state = await host.readFiles((fs) => namespaceFile(file, fs));
  snapshot.facts.set(FACT.overlaySandbox(id), {
    path: FACT.overlaySandbox(id),
    text: JSON.stringify({ path: file, present: state !== 'absent', ...(state === 'not-mounted-here' ? { mountedHere: false } : {}) }),
    origin: { kind: 'file', what: `statfs ${file}` },
  });
  const specs = [
    { path: FACT.overlayLinks(id), tool: 'ip (iproute2)', argv: ['ip', '-j', '-d', 'link', 'show'] },
    { path: FACT.overlayFdb(id), tool: 'bridge (iproute2)', argv: ['bridge', '-j', 'fdb', 'show'] },
    { path: FACT.overlayNeigh(id), tool: 'ip (iproute2)', argv: ['ip', '-j', 'neigh', 'show'] },
  ];
  if (state !== 'namespace') {
    const reason =
      state === 'absent'
        ? // No namespace: Docker makes it only on a node with a task or container on the network.
          `${file} does not exist: this node has no namespace for the overlay (no local task or container on it)`
        : `${file} is not a mounted namespace in docknet's mount namespace (dockerd mounted it in another one); ` +
          `run docknet in dockerd's mount namespace: nsenter --mount=/proc/<dockerd pid>/ns/mnt -- docknet ...`;
    for (const s of specs)
      snapshot.missing.push({
        path: s.path,
        what: `nsenter --net=${file} -- ${s.argv.join(' ')}`,
        reason,
        cause: state === 'absent' ? 'not-in-data' : 'failed',
      });
    return;
  }
  for (const s of specs)
    await gatherHostCommand(snapshot, { path: s.path, tool: s.tool, command: ['nsenter', `--net=${file}`, '--', ...s.argv] }, host.run);
}

/** Reads every overlay fact of this node into the snapshot. Never throws for the engine: what failed is missing, with why. */
export async function gatherOverlay(
  snapshot: Snapshot,
  host: HostAccess,
  docker: Docker = new Docker(host.engine?.options ?? dockerOptions(host.env)),
): Promise<void> {
  const endpoint = host.engine?.endpoint ?? engineEndpoint(host.env);
  const kernel = await host.readFiles((fs) => readKernelFeatures(host.procRoot, fs));
  snapshot.facts.set(FACT.kernelFeatures, { path: FACT.kernelFeatures, text: kernel.text, origin: { kind: 'file', what: kernel.what } });
  const xfrm = Promise.all([
    gatherHostCommand(snapshot, { path: FACT.xfrmState, tool: 'ip (iproute2)', command: ['ip', 'xfrm', 'state'] }, host.run),
    gatherHostCommand(snapshot, { path: FACT.xfrmPolicy, tool: 'ip (iproute2)', command: ['ip', 'xfrm', 'policy'] }, host.run),
  ]).then(() => {
    const f = snapshot.facts.get(FACT.xfrmState);
    if (f) snapshot.facts.set(FACT.xfrmState, { ...f, text: redactXfrmKeys(f.text) });
  });

  const t = performance.now();
  let info: Json | null = null;
  try {
    info = (await docker.info()) as Json;
  } catch (err) {
    // The engine-info group records /info itself; here it only decides whether to ask a manager's calls.
    if (!(engineError(err, endpoint, 'GET /info') instanceof EngineError)) throw err;
  }
  const managerWork = gatherManagerFacts(snapshot, docker, info, endpoint);

  let list: Json[];
  try {
    list = (await docker.listNetworks({ filters: { driver: ['overlay'] } })) as unknown as Json[];
    apiFact(snapshot, FACT.overlayNetworks, 'GET /networks?filters={"driver":["overlay"]}', list, t);
  } catch (err) {
    missingApi(snapshot, FACT.overlayNetworks, 'GET /networks?filters={"driver":["overlay"]}', err, endpoint);
    await Promise.all([managerWork, xfrm]);
    return;
  }
  const inspects = await inspectNetworks(snapshot, docker, list, endpoint);
  const local = inspects.flatMap((n) => Object.keys((n.value?.Containers ?? {}) as Json).filter((c) => /^[0-9a-f]{64}$/.test(c)));
  const execRoot = await findExecRoot(docker, host, local);
  snapshot.facts.set(FACT.overlayExecRoot, {
    path: FACT.overlayExecRoot,
    text: JSON.stringify(execRoot),
    origin: { kind: 'file', what: execRoot.how },
  });
  await Promise.all(inspects.map(({ id }) => gatherSandbox(snapshot, host, execRoot.path, id)));
  await Promise.all([managerWork, xfrm]);
}
