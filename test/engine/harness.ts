// Helpers for tests against a real Docker engine: skip-or-fail gating, the lab, kernel ground truth, running the CLI.
// Ground truth here is read with docker, nsenter and ip directly, never through docknet's own code.
import type { TestContext } from 'node:test';
import { statSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { engineEndpoint, isRoot, pingEngine, which } from '../../lab/engine.js';
import { status, up, type LabReport, type LabStatus } from '../../lab/build.js';
import { GENERATION, GENERATION_ENV, IFACE, LAB_FILTER, LAB_IMAGE, NET, TEST_LABEL } from '../../lab/lab-spec.js';
import { failure, lines, must, run } from '../../lab/run.js';
import { requireCapability, type Probe } from '../capability.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DOCKNET_BIN = fileURLToPath(new URL('../../../bin/docknet.js', import.meta.url));

/** This test process's value for TEST_LABEL, so leftover checks see only what this run made. */
export const TEST_RUN_ID = `run-${process.pid}-${Date.now().toString(36)}`;

// ---- gating ----

export type EngineCheck = { ok: true } | { ok: false; reason: string };

/** Can engine tests run here: a local engine answering, root (for nsenter), and the tools they read with. */
export async function engineAvailable(): Promise<EngineCheck> {
  let ep: ReturnType<typeof engineEndpoint>;
  try {
    ep = engineEndpoint();
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  // A newer generation is a host of its own: its tests must run in its network namespace (npm run test:engine).
  if (GENERATION.netns && !insideHost(GENERATION.netns)) {
    return {
      ok: false,
      reason: `${GENERATION_ENV}=${GENERATION.id}: this process is not inside ${GENERATION.netns}; run: npm run test:engine -- --engine ${GENERATION.id}`,
    };
  }
  const ping = await pingEngine(ep);
  if (!ping.ok) return { ok: false, reason: `no Docker engine: ${ping.reason} (bash .ci/run starts one)` };
  if (!isRoot()) return { ok: false, reason: 'not root: reading container namespaces (nsenter) needs root' };
  for (const tool of ['docker', 'ip', 'nsenter']) {
    if (!which(tool)) return { ok: false, reason: `${tool} is not installed` };
  }
  return { ok: true };
}

function insideHost(netns: string): boolean {
  try {
    return statSync(`/run/netns/${netns}`).ino === statSync('/proc/self/ns/net').ino;
  } catch {
    return false; // no such namespace: the host is not up
  }
}

/**
 * Skips the test, loudly, when no engine can be used; under CI (env CI set) fails it instead so that
 * a CI run without an engine fails rather than passing empty. Returns true when the test may go on.
 */
export async function requireEngine(t: TestContext): Promise<boolean> {
  return requireCapability(t, 'a Docker engine for the engine tests', async () => {
    const check = await engineAvailable();
    return check.ok ? null : check.reason;
  });
}

/** A probe: the lab made this container (macvlan, overlay and swarm parts are made only where the host allows). */
export function labMade(lab: LabStatus, container: string): Probe {
  return () => {
    if (lab.containers.some((c) => c.name === container)) return null;
    const skipped = lab.state?.report.skipped.filter((s) => s.what === `container ${container}` || s.what.startsWith('network '));
    return `the lab has no ${container}${skipped?.length ? ` (${skipped.map((s) => `${s.what}: ${s.detail}`).join('; ')})` : ''}`;
  };
}

/** A probe: the lab made this swarm service. */
export function labService(lab: LabStatus, service: string): Probe {
  return () => (lab.services.some((s) => s.name === service) ? null : `the lab has no swarm service ${service} (swarm: ${lab.swarm})`);
}

// ---- the lab ----

let labReady: Promise<LabStatus> | null = null;

/**
 * Makes sure the lab is up, once per test process. A complete lab (someone's `npm run lab`) is used as
 * it is, so tests never tear down what others are looking at; otherwise it is built with lab `up`.
 */
export function labUp(): Promise<LabStatus> {
  labReady ??= (async () => {
    const before = await status();
    if (before.up) return before;
    const report = await up();
    if (report.failed.length) throw new Error(`lab up failed:\n${describeFailures(report)}`);
    const after = await status();
    if (!after.up) throw new Error(`lab up finished but the lab is incomplete: ${after.missing.join('; ')}`);
    return after;
  })();
  // A failure is kept: every engine test of this process then reports it, without rebuilding the lab each time.
  return labReady;
}

/** requireEngine + labUp: returns the lab status, or null when the test was skipped. */
export async function withLab(t: TestContext): Promise<LabStatus | null> {
  if (!(await requireEngine(t))) return null;
  return labUp();
}

function describeFailures(r: LabReport): string {
  return r.failed.map((f) => `  ${f.what}: ${f.detail}`).join('\n');
}

// ---- kernel ground truth ----

export interface AddrInfo {
  family: 'inet' | 'inet6' | string;
  local: string;
  prefixlen: number;
  scope?: string;
}

/** One interface as `ip -j -d addr` reports it (kernel attribute names). */
export interface KernelLink {
  ifindex: number;
  ifname: string;
  /** IFLA_LINK: the peer's ifindex (the `@ifN`), valid in the peer's namespace. */
  link_index?: number;
  /** IFLA_LINK_NETNSID: the peer's namespace, as an id local to this namespace. */
  link_netnsid?: number;
  /** IFLA_MASTER: the bridge this port belongs to. */
  master?: string;
  kind?: string;
  link_type?: string;
  address?: string;
  operstate?: string;
  addr_info: AddrInfo[];
}

export interface ContainerTruth {
  id: string;
  name: string;
  pid: number;
  networkMode: string;
  /** Target of /proc/<pid>/ns/net, e.g. net:[4026532281]. */
  netns: string;
  /** Inode number of that namespace. */
  netnsInode: number;
  links: KernelLink[];
}

/** What the kernel says about one running container's network namespace. */
export async function groundTruth(container: string): Promise<ContainerTruth> {
  const [info] = JSON.parse(await must(['docker', 'inspect', '--type', 'container', container])) as {
    Id: string;
    Name: string;
    State: { Pid: number; Running: boolean };
    HostConfig: { NetworkMode: string };
  }[];
  if (!info) throw new Error(`docker inspect ${container}: no such container`);
  if (!info.State.Running || !info.State.Pid) throw new Error(`container ${container} is not running`);
  const pid = info.State.Pid;
  const netns = await readlink(`/proc/${pid}/ns/net`);
  const links = parseIpAddr(await must(['nsenter', '-t', String(pid), '-n', 'ip', '-j', '-d', 'addr']));
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    pid,
    networkMode: info.HostConfig.NetworkMode,
    netns,
    netnsInode: nsInode(netns),
    links,
  };
}

export interface HostTruth {
  netns: string;
  netnsInode: number;
  links: KernelLink[];
}

/** `ip -j -d addr` in the host's namespace (the one this test process and dockerd run in). */
export async function hostLinks(): Promise<HostTruth> {
  const netns = await readlink('/proc/self/ns/net');
  return { netns, netnsInode: nsInode(netns), links: parseIpAddr(await must(['ip', '-j', '-d', 'addr'])) };
}

function nsInode(target: string): number {
  const m = /^net:\[(\d+)\]$/.exec(target);
  if (!m) throw new Error(`unexpected namespace link: ${target}`);
  return Number(m[1]);
}

function parseIpAddr(json: string): KernelLink[] {
  const raw = JSON.parse(json) as (Omit<KernelLink, 'kind' | 'addr_info'> & {
    linkinfo?: { info_kind?: string };
    addr_info?: AddrInfo[];
  })[];
  return raw.map((l) => ({
    ifindex: l.ifindex,
    ifname: l.ifname,
    ...(l.link_index !== undefined ? { link_index: l.link_index } : {}),
    ...(l.link_netnsid !== undefined ? { link_netnsid: l.link_netnsid } : {}),
    ...(l.master !== undefined ? { master: l.master } : {}),
    ...(l.linkinfo?.info_kind !== undefined ? { kind: l.linkinfo.info_kind } : {}),
    ...(l.link_type !== undefined ? { link_type: l.link_type } : {}),
    ...(l.address !== undefined ? { address: l.address } : {}),
    ...(l.operstate !== undefined ? { operstate: l.operstate } : {}),
    addr_info: (l.addr_info ?? []).map((a) => ({ family: a.family, local: a.local, prefixlen: a.prefixlen, scope: a.scope })),
  }));
}

// ---- the CLI under test ----

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/docknet.js ...args` from the repository root; never throws on a non-zero exit. */
export async function runDocknet(
  args: readonly string[],
  opts: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  const r = await execa(process.execPath, [DOCKNET_BIN, ...args], {
    cwd: REPO_ROOT,
    reject: false,
    timeout: opts.timeoutMs ?? 60_000,
    // The terminal form (wide enough that no table wraps), so table assertions read aligned columns;
    // a test of the pipe form passes DOCKNET_FORCE_TTY: ''.
    env: { NO_COLOR: '1', LC_ALL: 'C', DOCKNET_FORCE_TTY: '1000', ...opts.env },
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
  });
  return {
    exitCode: r.exitCode ?? (r.timedOut ? 124 : 1),
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: typeof r.stderr === 'string' ? r.stderr : '',
  };
}

// ---- containers a test makes, and cleanup checks ----

/**
 * Starts a busybox container labelled `docknet.test=<TEST_RUN_ID>` and removes it when the test ends.
 * `args` go between `docker run -d` and the image; `command` after it (default: sleep).
 */
export async function testContainer(
  t: TestContext,
  name: string,
  args: readonly string[] = [],
  command: readonly string[] = ['sleep', '2147483647'],
): Promise<string> {
  t.after(() => removeContainer(name));
  const id = await must(['docker', 'run', '-d', '--name', name, '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, ...args, LAB_IMAGE, ...command]);
  return id.trim();
}

async function removeContainer(name: string): Promise<void> {
  const r = await run(['docker', 'rm', '-f', '-v', name]);
  if (r.exitCode !== 0 && !/No such container/i.test(r.stderr)) throw new Error(failure(r) ?? 'docker rm failed');
}

export interface Leftovers {
  containers: string[];
  networks: string[];
}

/** Containers and networks this test process labelled and did not remove. */
export async function testLeftovers(runId = TEST_RUN_ID): Promise<Leftovers> {
  const filter = `label=${TEST_LABEL}=${runId}`;
  return {
    containers: lines(await must(['docker', 'ps', '-a', '--filter', filter, '--format', '{{.Names}}'])),
    networks: lines(await must(['docker', 'network', 'ls', '--filter', filter, '--format', '{{.Name}}'])),
  };
}

/** What is left of the lab on this host: labelled objects and the lab's own interfaces. Empty after `lab down`. */
export async function labLeftovers(): Promise<Leftovers & { interfaces: string[] }> {
  const linkNames = new Set((JSON.parse(await must(['ip', '-j', 'link'])) as { ifname: string }[]).map((l) => l.ifname));
  return {
    containers: lines(await must(['docker', 'ps', '-a', '--filter', LAB_FILTER, '--format', '{{.Names}}'])),
    networks: lines(await must(['docker', 'network', 'ls', '--filter', LAB_FILTER, '--format', '{{.Name}}'])),
    interfaces: [IFACE.macvlanParent, IFACE.swarm, NET.front.bridgeName].filter((n) => linkNames.has(n)),
  };
}

// ---- facts of the engine under test (each generation's differ) ----

/** Where docknet says it looked for the engine: DOCKER_HOST when set, else the default socket. */
export function engineWhere(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : 'unix:///var/run/docker.sock';
}

export interface BridgeSubnet {
  subnet: string;
  gateway: string;
  /** The subnet's last address before the broadcast: one no container of the lab holds. */
  unused: string;
  /** The subnet's fixed octets as a regular expression, e.g. `^172\.17\.` for a /16. */
  prefix: RegExp;
}

/**
 * The bridge's own IPv4 address. An engine started on a docker0 that already has its address (a dockerd
 * restarted on the same machine) reports the default bridge's subnet without its Gateway.
 */
async function bridgeAddress(bridge: string): Promise<string> {
  const [link] = JSON.parse(await must(['ip', '-j', '-4', 'addr', 'show', 'dev', bridge])) as { addr_info?: { local?: string }[] }[];
  const local = link?.addr_info?.[0]?.local;
  if (!local) throw new Error(`docker network inspect bridge gives no gateway, and ${bridge} has no IPv4 address`);
  return local;
}

/** The default bridge's IPv4 subnet, as the engine reports it (`docker network inspect bridge`). */
export async function defaultBridge(): Promise<BridgeSubnet> {
  const [net] = JSON.parse(await must(['docker', 'network', 'inspect', 'bridge'])) as {
    IPAM: { Config: { Subnet?: string; Gateway?: string }[] };
    Options?: Record<string, string>;
  }[];
  const cfg = net?.IPAM.Config.find((c) => c.Subnet && !c.Subnet.includes(':'));
  if (!cfg?.Subnet) throw new Error('docker network inspect bridge: no IPv4 subnet');
  const [base = '', bits = '32'] = cfg.Subnet.split('/');
  const octets = base.split('.').map(Number);
  const n = octets.reduce((acc, o) => acc * 256 + o, 0);
  const last = n + 2 ** (32 - Number(bits)) - 2;
  const unused = [24, 16, 8, 0].map((s) => Math.floor(last / 2 ** s) % 256).join('.');
  const fixed = octets.slice(0, Math.floor(Number(bits) / 8));
  return {
    subnet: cfg.Subnet,
    gateway: cfg.Gateway ?? (await bridgeAddress(net?.Options?.['com.docker.network.bridge.name'] ?? 'docker0')),
    unused,
    prefix: new RegExp(`^${fixed.map((o) => `${o}\\.`).join('')}`),
  };
}

/** The lab network's subnet widened to /16: a route that overlaps it. */
export function widened(subnet: string): string {
  const [a, b] = subnet.split('.');
  return `${a}.${b}.0.0/16`;
}

/** Text made safe to put in a regular expression. */
export function re(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
