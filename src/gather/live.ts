// Gathers a live Snapshot: Engine API calls in parallel plus a fixed set of host commands and
// /proc reads. The only module that decides what to read from the system.
import { hostname, release } from 'node:os';
import { FACT, emptySnapshot, type Fact, type Snapshot } from '../snapshot/snapshot.js';
import Docker from 'dockerode';
import { engineCause, fetchEngineRaw, type EngineFactGroup, type EngineRaw } from './engine-api.js';
import type { CommandRunner, HostAccess } from './host-access.js';
import { commandFailureOf } from './run-command.js';
import { ownNetns, readContainerNet } from './container-side.js';
import { readContainerFiles } from './container-files.js';
import { readHostSettings, SYSCTLS } from './host-files.js';
import { gatherNatExtras } from './nat-extras.js';
import { gatherOverlay } from './overlay.js';

/** The groups of facts a command can ask for; each group costs a fixed number of processes. */
export type FactGroup =
  | 'engine'
  | 'engine-info'
  | 'links'
  | 'routes'
  | 'routes6'
  | 'container-net'
  | 'brctl'
  | 'nat'
  | 'settings'
  | 'backends'
  /** Swarm overlays: the control plane and each overlay namespace's kernel side (gather/overlay.ts). */
  | 'overlay';

export interface HostCommandSpec {
  path: string;
  tool: string;
  command: string[];
  /** When the tool is missing, another fact may stand in; said in the report. */
  optional?: boolean;
}

const ENGINE_GROUPS: FactGroup[] = ['engine', 'engine-info', 'container-net'];

export const HOST_COMMANDS: Record<
  Exclude<FactGroup, 'engine' | 'engine-info' | 'container-net' | 'settings' | 'overlay'>,
  HostCommandSpec[]
> = {
  links: [{ path: FACT.ipAddrJson, tool: 'ip (iproute2)', command: ['ip', '-j', '-d', 'addr', 'show'] }],
  routes: [{ path: FACT.ipRouteJson, tool: 'ip (iproute2)', command: ['ip', '-j', 'route', 'show', 'table', 'main'] }],
  // reach's IPv6 walks (reach, and inspect and nat --port through it); a kernel without IPv6 leaves them unknown, never routeless.
  routes6: [
    { path: FACT.ip6RouteJson, tool: 'ip (iproute2)', command: ['ip', '-j', '-6', 'route', 'show', 'table', 'main'], optional: true },
  ],
  brctl: [{ path: FACT.brctlShow, tool: 'brctl (bridge-utils)', command: ['brctl', 'show'], optional: true }],
  nat: [
    { path: FACT.iptablesNat, tool: 'iptables', command: ['iptables', '-t', 'nat', '-vnxL', '--line-numbers'] },
    { path: FACT.iptablesSave, tool: 'iptables-save', command: ['iptables-save', '-c'] },
    { path: FACT.ip6tablesSave, tool: 'ip6tables-save', command: ['ip6tables-save', '-c'], optional: true },
    // Docker 29's nftables backend (table docker-bridges) and other nftables-native NAT.
    { path: FACT.nftRulesetJson, tool: 'nft (nftables)', command: ['nft', '-j', 'list', 'ruleset'], optional: true },
  ],
  // Both iptables backends, whichever `iptables` points at: rules in the one Docker does not use are invisible to it.
  backends: [
    { path: FACT.iptablesLegacySave, tool: 'iptables-legacy-save', command: ['iptables-legacy-save'], optional: true },
    { path: FACT.iptablesNftSave, tool: 'iptables-nft-save', command: ['iptables-nft-save'], optional: true },
  ],
};

const ENGINE_FACT_PATHS: Record<EngineFactGroup, string> = {
  networks: FACT.networks,
  info: FACT.engineInfo,
  version: FACT.engineVersion,
};

function apiFact(path: string, what: string, value: unknown, durationMs: number): Fact {
  // Compact, as the engine sends it: pretty-printing 300 inspects costs more than reading them.
  return { path, text: JSON.stringify(value), origin: { kind: 'api', what, durationMs } };
}

/** Inspect JSON has Name, list JSON has Names: both start with a slash. */
function containerName(raw: unknown): string | null {
  const r = raw as { Name?: unknown; Names?: unknown };
  const name = typeof r?.Name === 'string' ? r.Name : Array.isArray(r?.Names) ? r.Names[0] : null;
  return typeof name === 'string' ? name.replace(/^\//, '') : null;
}

function containerPid(raw: unknown): number {
  const pid = (raw as { State?: { Pid?: unknown } })?.State?.Pid;
  return typeof pid === 'number' ? pid : 0;
}

export async function gatherHostCommand(snapshot: Snapshot, spec: HostCommandSpec, run: CommandRunner): Promise<void> {
  const r = await run(spec.command);
  const failure = commandFailureOf(r, spec.tool);
  if (failure) {
    snapshot.missing.push({ path: spec.path, what: spec.command.join(' '), reason: failure.reason, cause: failure.cause });
    return;
  }
  snapshot.facts.set(spec.path, {
    path: spec.path,
    text: r.stdout,
    origin: { kind: 'command', what: spec.command.join(' '), exitCode: r.exitCode, stderr: r.stderr, durationMs: r.durationMs },
  });
}

/** The host's own namespace as a fact, or why it is unknown; the namespace itself for telling host-mode containers apart. */
async function readHostNetns(snapshot: Snapshot, host: HostAccess): Promise<string | null> {
  const procRoot = host.procRoot;
  const ownRead = await host.readFiles((fs) => ownNetns(procRoot, fs));
  if (ownRead.netns !== null)
    snapshot.facts.set(FACT.hostNetns, {
      path: FACT.hostNetns,
      text: `${ownRead.netns}\n`,
      origin: { kind: 'file', what: `readlink ${procRoot}/self/ns/net` },
    });
  else
    snapshot.missing.push({
      path: FACT.hostNetns,
      what: `readlink ${procRoot}/self/ns/net`,
      reason: ownRead.failure.reason,
      cause: ownRead.failure.cause,
    });
  return ownRead.netns;
}

/** Returns the per-container reader, to be called as each container's inspect arrives; its reads land in `pending`. */
function containerNetReader(
  snapshot: Snapshot,
  host: HostAccess,
  own: string | null,
  filesOf: GatherOptions['filesOf'],
  pending: Promise<void>[],
): (raw: unknown, knownPid: number | null) => void {
  const procRoot = host.procRoot;
  return (c, knownPid) => {
    const name = containerName(c);
    const pid = knownPid ?? containerPid(c);
    if (!name || pid <= 0) return;
    const started = performance.now();
    const withFiles = Boolean(filesOf?.(name, containerId(c)));
    const read = host.readFiles((fs) => ({
      net: readContainerNet(pid, own, procRoot, fs),
      files: withFiles ? readContainerFiles(pid, procRoot, fs) : null,
    }));
    pending.push(
      read.then(({ net, files }) => {
        const path = FACT.containerNet(name);
        snapshot.facts.set(path, {
          path,
          text: JSON.stringify(net),
          origin: {
            kind: 'file',
            what: `${procRoot}/${pid}/ns/net, ${procRoot}/${pid}/root/sys/class/net/*`,
            durationMs: Math.round(performance.now() - started),
          },
        });
        if (files === null) return;
        const filesPath = FACT.containerFiles(name);
        snapshot.facts.set(filesPath, {
          path: filesPath,
          text: JSON.stringify(files),
          origin: {
            kind: 'file',
            what: `${procRoot}/${pid}/root/etc/resolv.conf, ${procRoot}/${pid}/fd, ${procRoot}/${pid}/net/{tcp,tcp6,udp,udp6}`,
          },
        });
      }),
    );
  };
}

export interface GatherOptions {
  detail?: 'inspect' | 'list';
  /** Containers (by name or id) whose resolv.conf and main-process sockets are read too. */
  filesOf?: (name: string, id: string) => boolean;
}

function containerId(raw: unknown): string {
  const id = (raw as { Id?: unknown })?.Id;
  return typeof id === 'string' ? id : '';
}

/** Every host fact asked for, unknown for one reason: a host whose kernel docknet cannot read (an engine over tcp). */
function hostFactsUnknown(snapshot: Snapshot, want: Set<FactGroup>, specs: HostCommandSpec[], reason: string): void {
  for (const spec of specs) snapshot.missing.push({ path: spec.path, what: spec.command.join(' '), reason, cause: 'failed' });
  const files: [FactGroup, string][] = [
    ['settings', FACT.hostSettings],
    ['container-net', FACT.hostNetns],
    ['nat', FACT.dockerProxy],
  ];
  for (const [group, path] of files) if (want.has(group)) snapshot.missing.push({ path, what: 'host files', reason, cause: 'failed' });
}

/** The host side: the fixed commands, the settings files, the nat group's /proc reads and the overlays. */
function gatherHostSide(snapshot: Snapshot, want: Set<FactGroup>, host: HostAccess): Promise<unknown> {
  const hostSpecs = [...want].flatMap((g) =>
    g === 'engine' || g === 'engine-info' || g === 'container-net' || g === 'settings' || g === 'overlay' ? [] : HOST_COMMANDS[g],
  );
  if (host.hostFactsUnknown !== undefined) {
    hostFactsUnknown(snapshot, want, hostSpecs, host.hostFactsUnknown);
    return Promise.resolve();
  }
  const settings = want.has('settings')
    ? host
        .readFiles((fs) => readHostSettings(host.procRoot, host.sysRoot, fs))
        .then((raw) =>
          snapshot.facts.set(FACT.hostSettings, {
            path: FACT.hostSettings,
            text: JSON.stringify(raw),
            origin: {
              kind: 'file',
              what: `${Object.values(SYSCTLS)
                .map((f) => `${host.procRoot}${f.slice('/proc'.length)}`)
                .join(', ')}, ${host.sysRoot}/module/br_netfilter`,
            },
          }),
        )
    : null;
  const commands = Promise.all(hostSpecs.map((spec) => gatherHostCommand(snapshot, spec, host.run)));
  // docker-proxy and socket tables (/proc reads) overlap the commands; legacy rules wait for iptables-save.
  const natWork = want.has('nat') ? gatherNatExtras(snapshot, host, commands) : commands;
  return Promise.all([settings, natWork, want.has('overlay') ? gatherOverlay(snapshot, host) : null]);
}

/** Reads the fact groups asked for from `host` (liveHost(env) for this machine). */
export async function gatherLive(groups: Iterable<FactGroup>, host: HostAccess, options: GatherOptions = {}): Promise<Snapshot> {
  const want = new Set(groups);
  const snapshot = emptySnapshot({ kind: 'live', location: null });
  snapshot.takenAt = new Date().toISOString();
  snapshot.hostname = host.identity ? host.identity.hostname : hostname();
  snapshot.kernel = host.identity ? host.identity.kernel : release();
  const hostWork = gatherHostSide(snapshot, want, host);
  if (ENGINE_GROUPS.some((g) => want.has(g))) await gatherEngine(snapshot, want, host, options);
  await hostWork;
  return snapshot;
}

/** The Engine API's facts, with each running container's /proc reads as its inspect arrives. */
async function gatherEngine(snapshot: Snapshot, want: Set<FactGroup>, host: HostAccess, options: GatherOptions): Promise<void> {
  const reads: Promise<void>[] = [];
  let onContainer: ((raw: unknown, pid: number | null) => void) | undefined;
  if (want.has('container-net') && host.hostFactsUnknown === undefined) {
    const own = await readHostNetns(snapshot, host);
    onContainer = containerNetReader(snapshot, host, own, options.filesOf, reads);
  }
  const fetchOptions = {
    withInfo: want.has('engine-info'),
    // The engine's generation decides what a gateway-mode option means (correlate/network-modes.ts).
    withVersion: want.has('engine'),
    detail: options.detail ?? 'inspect',
    env: host.env,
    runtimeRoots: host.runtimeRoots,
    ...(onContainer ? { onContainer } : {}),
  };
  const engine = host.engine
    ? await fetchEngineRaw(fetchOptions, new Docker(host.engine.options), host.engine.endpoint)
    : await fetchEngineRaw(fetchOptions);
  await Promise.all(reads);
  recordEngine(snapshot, engine);
}

function recordEngine(snapshot: Snapshot, engine: EngineRaw): void {
  snapshot.facts.set(
    FACT.containers,
    apiFact(FACT.containers, 'GET /containers/json?all=1 + GET /containers/{id}/json', engine.containers, engine.durations.containers),
  );
  if (Object.keys(engine.pids).length > 0) {
    snapshot.facts.set(FACT.containerPids, {
      path: FACT.containerPids,
      text: JSON.stringify(engine.pids),
      origin: { kind: 'file', what: 'init_process_pid of <runc root>/<id>/state.json' },
    });
  }
  if (engine.networks !== null)
    snapshot.facts.set(
      FACT.networks,
      apiFact(FACT.networks, 'GET /networks + GET /networks/{id}', engine.networks, engine.durations.networks),
    );
  if (engine.info !== null) snapshot.facts.set(FACT.engineInfo, apiFact(FACT.engineInfo, 'GET /info', engine.info, engine.durations.info));
  if (engine.version !== null)
    snapshot.facts.set(FACT.engineVersion, apiFact(FACT.engineVersion, 'GET /version', engine.version, engine.durations.info));
  for (const [group, err] of Object.entries(engine.failed) as [EngineFactGroup, NonNullable<(typeof engine.failed)[EngineFactGroup]>][]) {
    snapshot.missing.push({ path: ENGINE_FACT_PATHS[group], what: err.call, reason: err.message, cause: engineCause(err) });
  }
  for (const { id, error } of engine.inspectFailed) {
    snapshot.missing.push({
      path: FACT.containers,
      what: error.call,
      reason: `${error.message}; container ${id.slice(0, 12)} is described by its list entry instead`,
      cause: engineCause(error),
    });
  }
  for (const id of engine.vanished) {
    snapshot.missing.push({
      path: FACT.containers,
      what: `GET /containers/${id.slice(0, 12)}/json`,
      reason: `container ${id.slice(0, 12)} was removed while docknet was listing containers`,
      cause: 'failed',
    });
  }
}
