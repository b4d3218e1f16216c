// The docknet lab: `up` builds every Docker network mode on this host (all labelled), `down` removes it, `status` shows it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureEngine, ensureImage, pingEngine, sleep, type Log } from './engine.js';
import { childEnv, hostDown, hostState, hostUp, inHost } from './hosts.js';
import { outsideDown, outsideState, outsideUp } from './outside.js';
import { swarmDown, swarmUp } from './swarm.js';
import {
  CONTAINERS,
  CORE_CONTAINERS,
  HTTP_PORT,
  IFACE,
  LAB_FILTER,
  LAB_IMAGE,
  LAB_LABEL,
  LAB_LABEL_VALUE,
  LAB_LOCK_DIR,
  LAB_STATE_FILE,
  NET,
  NET_OPTS,
  SERVICE,
  SWARM_ADDR,
  SWARM_ADDR_CIDR,
  SWARM_ADDR_POOL,
  SWARM_NODE_LABEL,
  TEST_LABEL,
  GENERATION,
  GENERATION_IDS,
  GENERATIONS,
  generationId,
  type ContainerSpec,
  type Generation,
  type Optional,
  overlayCreateArgs,
} from './lab-spec.js';
import { failure, lines, must, run } from './run.js';

export interface Outcome {
  what: string;
  detail: string;
}

export interface LabReport {
  created: Outcome[];
  /** Optional parts this host cannot do (kernel, engine), with the reason. */
  skipped: Outcome[];
  /** Parts that should have worked and did not. */
  failed: Outcome[];
  notes: string[];
}

/** Written by `up`; read by `status` and `down`. */
export interface LabState {
  createdAt: string;
  /** The lab ran `docker swarm init` (the node label says so too, should this file be lost). */
  swarmCreatedByLab: boolean;
  /** docker_gwbridge existed before the lab made a swarm; if not, `down` removes it. */
  gwbridgeExisted: boolean;
  /** Kind of each isolated host interface the lab made: dummy, or a port-less bridge where dummy is missing. */
  interfaces: Record<string, string>;
  report: LabReport;
}

const LABEL_ARG = `${LAB_LABEL}=${LAB_LABEL_VALUE}`;
const natural = new Intl.Collator('en', { numeric: true });
const GWBRIDGE = 'docker_gwbridge';

function newReport(): LabReport {
  return { created: [], skipped: [], failed: [], notes: [] };
}

/** Builds the lab from scratch (an old lab is removed first, a swarm the lab made is kept). */
export async function up(opts: { log?: Log } = {}): Promise<LabReport> {
  const log = opts.log ?? (() => {});
  return withLock(async () => {
    const report = newReport();
    const engine = await ensureEngine({ log });
    report.notes.push(`engine ${engine.serverVersion} at ${engine.endpoint}${engine.started ? ' (started dockerd)' : ''}`);
    if (engine.installed.length) report.notes.push(`installed ${engine.installed.join(' ')}`);
    const image = await ensureImage({ log });
    if (image.built) report.created.push({ what: `image ${image.image}`, detail: 'built from /bin/busybox' });

    const previous = readState();
    const teardown = await removeLab({ keepSwarm: true, keepTestObjects: true });
    if (teardown.failed.length) report.failed.push(...teardown.failed);

    const state: LabState = {
      createdAt: new Date().toISOString(),
      swarmCreatedByLab: false,
      gwbridgeExisted: previous?.gwbridgeExisted ?? (await exists(['docker', 'network', 'inspect', GWBRIDGE])),
      interfaces: {},
      report,
    };
    const available = new Set<Optional>();

    await step(report, `network ${NET.front.name}`, async () => {
      await createBridge(NET.front, ['--opt', `com.docker.network.bridge.name=${NET.front.bridgeName}`]);
      return `bridge ${NET.front.bridgeName}, ${NET.front.subnet}`;
    });
    await step(report, `network ${NET.back.name}`, async () => {
      const id = await createBridge(NET.back, []);
      return `bridge br-${id.slice(0, 12)}, ${NET.back.subnet}`;
    });
    // The same options on every generation: an engine that predates one keeps it in the network's
    // options and ignores it (the tests' ground truth says what each engine did).
    for (const key of ['internal', 'noIcc', 'routed', 'natUnprotected'] as const) {
      const net = NET[key];
      await step(report, `network ${net.name}`, async () => {
        const extra = [
          ...(key === 'internal' ? ['--internal'] : []),
          '--opt',
          `com.docker.network.bridge.name=${net.bridgeName}`,
          ...NET_OPTS[key].flatMap((o) => ['--opt', o]),
        ];
        await createBridge(net, extra);
        return `bridge ${net.bridgeName}, ${net.subnet}${key === 'internal' ? ', internal' : ''}${NET_OPTS[key].length ? `, ${NET_OPTS[key].join(' ')}` : ''}`;
      });
    }

    if (await setUpMacvlan(report, state, log)) available.add('macvlan');
    if (await setUpOverlay(report, state, log)) available.add('overlay');

    for (const spec of CONTAINERS) {
      if (spec.needs && !available.has(spec.needs)) {
        report.skipped.push({ what: `container ${spec.name}`, detail: `needs the ${spec.needs} network, which was skipped` });
        continue;
      }
      await step(report, `container ${spec.name}`, () => runContainer(spec));
    }
    if (available.has('overlay')) await setUpService(report, log);

    writeState(state);
    return report;
  });
}

/** Removes everything labelled for the lab and for tests, the lab's host interfaces, and a swarm the lab made. */
export async function down(opts: { keepTestObjects?: boolean } = {}): Promise<LabReport> {
  return withLock(async () => {
    const report = await removeLab({ keepSwarm: false, keepTestObjects: opts.keepTestObjects ?? false });
    rmSync(LAB_STATE_FILE, { force: true });
    return report;
  });
}

async function removeLab(opts: { keepSwarm: boolean; keepTestObjects: boolean }): Promise<LabReport> {
  const report = newReport();
  const swarm = await swarmInfo();
  const state = readState();

  if (swarm.manager) {
    for (const name of lines(await must(['docker', 'service', 'ls', '--filter', LAB_FILTER, '--format', '{{.Name}}']))) {
      await step(report, `service ${name}`, async () => (await must(['docker', 'service', 'rm', name]), 'removed'));
    }
  }

  const filters = [LAB_FILTER, ...(opts.keepTestObjects ? [] : [`label=${TEST_LABEL}`])];
  const containers = new Map<string, { name: string; mode: string }>();
  for (const filter of filters) {
    for (const id of lines(await must(['docker', 'ps', '-aq', '--no-trunc', '--filter', filter]))) {
      const r = await run(['docker', 'inspect', '--format', '{{.Name}}\t{{.HostConfig.NetworkMode}}', id]);
      const [name = id, mode = ''] = r.stdout.trim().split('\t');
      if (r.exitCode === 0) containers.set(id, { name: name.replace(/^\//, ''), mode });
    }
  }
  // Containers that share another's namespace go first, so the namespace owner is never removed under them.
  const ordered = [...containers].sort(([, a], [, b]) => Number(b.mode.startsWith('container:')) - Number(a.mode.startsWith('container:')));
  for (const [id, c] of ordered) {
    await step(report, `container ${c.name}`, async () => {
      const r = await run(['docker', 'rm', '-f', '-v', id]);
      if (r.exitCode !== 0 && !/No such container/i.test(r.stderr)) throw new Error(failure(r) ?? 'docker rm failed');
      return 'removed';
    });
  }

  for (const filter of filters) {
    for (const name of lines(await must(['docker', 'network', 'ls', '--filter', filter, '--format', '{{.Name}}']))) {
      await step(report, `network ${name}`, async () => (await must(['docker', 'network', 'rm', name]), 'removed'));
    }
  }

  let swarmInUse = swarm.active;
  if (!opts.keepSwarm && swarm.active && swarm.manager && (await swarmMadeByLab())) {
    await step(report, 'swarm', async () => {
      await must(['docker', 'swarm', 'leave', '--force'], { timeoutMs: 120_000 });
      swarmInUse = false;
      return 'left (the lab had created it)';
    });
    if (!swarmInUse && !state?.gwbridgeExisted) {
      const attached = (await run(['docker', 'network', 'inspect', GWBRIDGE, '--format', '{{len .Containers}}'])).stdout.trim();
      if (attached === '0')
        await step(
          report,
          `network ${GWBRIDGE}`,
          async () => (await must(['docker', 'network', 'rm', GWBRIDGE]), 'removed (made by the lab swarm)'),
        );
    }
  }

  const links = [IFACE.macvlanParent, ...(swarmInUse && (await swarmUsesLabAddr()) ? [] : [IFACE.swarm])];
  for (const link of links) {
    if (await linkExists(link)) await step(report, `interface ${link}`, async () => (await must(['ip', 'link', 'del', link]), 'removed'));
  }
  return report;
}

export interface LabStatus {
  up: boolean;
  containers: { name: string; state: string; networks: string; ports: string }[];
  networks: { name: string; driver: string }[];
  interfaces: { name: string; kind: string }[];
  swarm: string;
  services: { name: string; replicas: string; ports: string }[];
  missing: string[];
  state: LabState | null;
}

export async function status(): Promise<LabStatus> {
  const state = readState();
  const containers = jsonLines(await must(['docker', 'ps', '-a', '--filter', LAB_FILTER, '--format', '{{json .}}'])).map((c) => ({
    name: String(c.Names),
    state: String(c.State),
    networks: String(c.Networks),
    ports: String(c.Ports),
  }));
  containers.sort((a, b) => natural.compare(a.name, b.name));
  const networks = jsonLines(await must(['docker', 'network', 'ls', '--filter', LAB_FILTER, '--format', '{{json .}}']))
    .map((n) => ({ name: String(n.Name), driver: String(n.Driver) }))
    .sort((a, b) => natural.compare(a.name, b.name));
  const interfaces: LabStatus['interfaces'] = [];
  for (const name of [IFACE.macvlanParent, IFACE.swarm]) {
    const kind = await linkKind(name);
    if (kind) interfaces.push({ name, kind });
  }
  const swarm = await swarmInfo();
  const services = swarm.manager
    ? jsonLines(await must(['docker', 'service', 'ls', '--filter', LAB_FILTER, '--format', '{{json .}}'])).map((s) => ({
        name: String(s.Name),
        replicas: String(s.Replicas),
        ports: String(s.Ports),
      }))
    : [];
  const skippedContainers = new Set((state?.report.skipped ?? []).map((s) => s.what));
  const expected = CONTAINERS.filter((c) => CORE_CONTAINERS.includes(c.name) || (state && !skippedContainers.has(`container ${c.name}`)));
  const running = new Set(containers.filter((c) => c.state === 'running').map((c) => c.name));
  const missing = expected.filter((c) => !running.has(c.name)).map((c) => `container ${c.name} not running`);
  return {
    up: missing.length === 0,
    containers,
    networks,
    interfaces,
    swarm: swarm.active ? `active${swarm.manager ? ' (manager)' : ''}${(await swarmMadeByLab()) ? ', made by the lab' : ''}` : swarm.state,
    services,
    missing,
    state,
  };
}

// ---- up, part by part ----

async function step(report: LabReport, what: string, fn: () => Promise<string>): Promise<boolean> {
  try {
    report.created.push({ what, detail: await fn() });
    return true;
  } catch (err) {
    report.failed.push({ what, detail: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

async function createBridge(net: { name: string; subnet: string; gateway: string }, extra: string[]): Promise<string> {
  const args = ['network', 'create', '--driver', 'bridge', '--subnet', net.subnet, '--gateway', net.gateway, '--label', LABEL_ARG];
  return (await must(['docker', ...args, ...extra, net.name])).trim();
}

async function setUpMacvlan(report: LabReport, state: LabState, log: Log): Promise<boolean> {
  try {
    const kind = await addIsolatedLink(IFACE.macvlanParent, report, state, log);
    await must([
      'docker',
      'network',
      'create',
      '--driver',
      'macvlan',
      '--subnet',
      NET.macvlan.subnet,
      '--gateway',
      NET.macvlan.gateway,
      '--opt',
      `parent=${IFACE.macvlanParent}`,
      '--opt',
      'macvlan_mode=bridge',
      '--label',
      LABEL_ARG,
      NET.macvlan.name,
    ]);
    report.created.push({
      what: `network ${NET.macvlan.name}`,
      detail: `macvlan on ${IFACE.macvlanParent} (${kind}), ${NET.macvlan.subnet}`,
    });
    return true;
  } catch (err) {
    report.skipped.push({ what: `network ${NET.macvlan.name}`, detail: `macvlan skipped: ${message(err)}` });
    return false;
  }
}

/**
 * Adds a host interface that reaches nothing: a dummy, or, on kernels built without dummy links,
 * a bridge with no ports. Either way no frame can leave through eth0.
 */
async function addIsolatedLink(name: string, report: LabReport, state: LabState, log: Log): Promise<string> {
  let kind = await linkKind(name);
  if (!kind) {
    const dummy = await run(['ip', 'link', 'add', name, 'type', 'dummy']);
    if (dummy.exitCode === 0) {
      kind = 'dummy';
    } else {
      const why = (dummy.stderr.trim() || `exit ${dummy.exitCode}`).replace(/\s+/g, ' ');
      await must(['ip', 'link', 'add', name, 'type', 'bridge']);
      kind = 'bridge';
      report.notes.push(`${name}: dummy links unavailable (${why}); used a bridge with no ports instead, just as isolated`);
    }
    log(`added ${kind} interface ${name}`);
  }
  await must(['ip', 'link', 'set', name, 'up']);
  state.interfaces[name] = kind;
  report.created.push({ what: `interface ${name}`, detail: kind === 'dummy' ? 'dummy' : `${kind} with no ports (stands in for a dummy)` });
  return kind;
}

async function setUpOverlay(report: LabReport, state: LabState, log: Log): Promise<boolean> {
  const skip = (reason: string) => {
    report.skipped.push({ what: `network ${NET.overlay.name}`, detail: `overlay skipped: ${reason}` });
    return false;
  };
  const swarm = await swarmInfo();
  if (swarm.active && !swarm.manager) return skip('this engine is a swarm worker; only a manager can create overlay networks');
  if (swarm.active) {
    state.swarmCreatedByLab = await swarmMadeByLab();
    const kind = await linkKind(IFACE.swarm);
    if (kind) state.interfaces[IFACE.swarm] = kind;
    report.notes.push(
      state.swarmCreatedByLab
        ? 'swarm: reusing the one the lab made earlier'
        : 'swarm: reusing an existing swarm; `down` will not leave it',
    );
  } else {
    if (swarm.state !== 'inactive') return skip(`swarm is ${swarm.state}${swarm.error ? `: ${swarm.error}` : ''}`);
    try {
      await addIsolatedLink(IFACE.swarm, report, state, log);
      await must(['ip', 'addr', 'replace', SWARM_ADDR_CIDR, 'dev', IFACE.swarm]);
      await must(
        [
          'docker',
          'swarm',
          'init',
          '--advertise-addr',
          SWARM_ADDR,
          '--listen-addr',
          `${SWARM_ADDR}:2377`,
          '--default-addr-pool',
          SWARM_ADDR_POOL,
          '--default-addr-pool-mask-length',
          '24',
        ],
        { timeoutMs: 120_000 },
      );
      state.swarmCreatedByLab = true;
      const nodeId = (await must(['docker', 'info', '--format', '{{.Swarm.NodeID}}'])).trim();
      await must(['docker', 'node', 'update', '--label-add', `${SWARM_NODE_LABEL}=created`, nodeId]);
      report.created.push({ what: 'swarm', detail: `single-node swarm advertising ${SWARM_ADDR} on ${IFACE.swarm}` });
    } catch (err) {
      // Leave no half-made swarm behind: `down` would not know it was the lab's.
      if (state.swarmCreatedByLab) await run(['docker', 'swarm', 'leave', '--force'], { timeoutMs: 120_000 });
      state.swarmCreatedByLab = false;
      if (!state.gwbridgeExisted) await run(['docker', 'network', 'rm', GWBRIDGE]);
      if (await linkExists(IFACE.swarm)) await run(['ip', 'link', 'del', IFACE.swarm]);
      report.created = report.created.filter((c) => c.what !== `interface ${IFACE.swarm}`);
      delete state.interfaces[IFACE.swarm];
      return skip(message(err));
    }
  }
  try {
    await must(['docker', ...overlayCreateArgs(NET.overlay.name, NET.overlay.subnet, LABEL_ARG, ['--gateway', NET.overlay.gateway])]);
    report.created.push({ what: `network ${NET.overlay.name}`, detail: `attachable overlay, ${NET.overlay.subnet}` });
    return true;
  } catch (err) {
    return skip(message(err));
  }
}

async function setUpService(report: LabReport, log: Log): Promise<void> {
  const what = `service ${SERVICE.name}`;
  try {
    // By image ID, not name: the swarm agent then never tries a registry (a name makes it pull first).
    const imageId = (await must(['docker', 'image', 'inspect', '--format', '{{.Id}}', LAB_IMAGE])).trim();
    await must([
      'docker',
      'service',
      'create',
      '--detach',
      '--name',
      SERVICE.name,
      '--replicas',
      '1',
      '--label',
      LABEL_ARG,
      '--container-label',
      LABEL_ARG,
      '--no-resolve-image',
      '--publish',
      `published=${SERVICE.publishedPort},target=${SERVICE.targetPort},protocol=tcp,mode=ingress`,
      imageId,
      'sh',
      '-c',
      httpdScript(SERVICE.name),
    ]);
    log(`waiting for ${what} to run`);
    const deadline = Date.now() + 45_000;
    let last = '';
    while (Date.now() < deadline) {
      const tasks = await run(['docker', 'service', 'ps', SERVICE.name, '--no-trunc', '--format', '{{.CurrentState}}\t{{.Error}}']);
      last = tasks.stdout.trim();
      if (/^Running/m.test(last)) {
        report.created.push({ what, detail: `1 replica, ingress *:${SERVICE.publishedPort}->${SERVICE.targetPort}/tcp` });
        const answer = await httpProbe(SERVICE.publishedPort);
        if (answer) report.notes.push(`${what}: its ingress port ${SERVICE.publishedPort} does not answer on 127.0.0.1 (${answer})`);
        return;
      }
      await sleep(1000);
    }
    throw new Error(`no task running after 45 s: ${last.split('\n')[0] ?? 'no tasks'}`);
  } catch (err) {
    await run(['docker', 'service', 'rm', SERVICE.name]);
    report.skipped.push({ what, detail: `ingress service skipped: ${message(err)}` });
  }
}

/** GET http://127.0.0.1:<port>/; null when it answers, else why not (ingress needs IPVS in the kernel). */
async function httpProbe(port: number): Promise<string | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? message(err);
    return existsSync('/proc/net/ip_vs') ? cause : `${cause}; this kernel has no IPVS, which the routing mesh needs`;
  }
}

function httpdScript(name: string, alsoListen: readonly number[] = []): string {
  // busybox httpd without -f forks into the background: one per extra port, the last in the foreground.
  const more = alsoListen.map((p) => `httpd -p ${p} -h /www && `).join('');
  return `mkdir -p /www && echo '<h1>${name}</h1>' > /www/index.html && ${more}exec httpd -f -p ${HTTP_PORT} -h /www`;
}

async function runContainer(spec: ContainerSpec): Promise<string> {
  const args = ['docker', 'run', '-d', '--name', spec.name, '--label', LABEL_ARG, '--network', spec.network];
  for (const p of spec.publish ?? []) args.push('-p', p);
  args.push(...(spec.flags ?? []), LAB_IMAGE);
  args.push(...(spec.httpd ? ['sh', '-c', httpdScript(spec.name, spec.alsoListen)] : ['sleep', '2147483647']));
  const r = await run(args);
  if (r.exitCode !== 0) {
    await run(['docker', 'rm', '-f', spec.name]);
    // "Bind for 127.0.0.1:8081 failed: port is already allocated"
    const port = /Bind for \S*:(\d+) failed/.exec(r.stderr)?.[1];
    const owner = port ? await portOwner(Number(port)) : null;
    throw new Error(`${failure(r)}${owner ? ` (host port ${port} is held by container ${owner})` : ''}`);
  }
  for (const net of spec.connect ?? []) await must(['docker', 'network', 'connect', net, spec.name]);
  const ports = (await run(['docker', 'port', spec.name])).stdout.trim().split('\n').filter(Boolean);
  return [spec.network, ...(spec.connect ?? [])].join('+') + (ports.length ? `; ${ports.join(', ')}` : '');
}

/** Which container publishes a host port, to turn "port is already allocated" into something actionable. */
async function portOwner(port: number): Promise<string | null> {
  for (const c of jsonLines((await run(['docker', 'ps', '--format', '{{json .}}'])).stdout)) {
    if (new RegExp(`:${port}(-\\d+)?->`).test(String(c.Ports))) return `${c.Names} (labels: ${c.Labels || 'none'})`;
  }
  return null;
}

// ---- facts about the host ----

interface SwarmInfo {
  state: string;
  active: boolean;
  manager: boolean;
  error: string;
}

async function swarmInfo(): Promise<SwarmInfo> {
  const s = JSON.parse(await must(['docker', 'info', '--format', '{{json .Swarm}}'])) as {
    LocalNodeState?: string;
    ControlAvailable?: boolean;
    Error?: string;
  };
  const state = s.LocalNodeState || 'inactive';
  return { state, active: state === 'active', manager: Boolean(s.ControlAvailable), error: s.Error ?? '' };
}

async function swarmMadeByLab(): Promise<boolean> {
  const r = await run(['docker', 'node', 'inspect', 'self', '--format', `{{index .Spec.Labels "${SWARM_NODE_LABEL}"}}`]);
  return r.exitCode === 0 && r.stdout.trim() === 'created';
}

async function swarmUsesLabAddr(): Promise<boolean> {
  const r = await run(['docker', 'info', '--format', '{{.Swarm.NodeAddr}}']);
  return r.stdout.trim() === SWARM_ADDR;
}

async function linkKind(name: string): Promise<string | null> {
  const r = await run(['ip', '-j', '-d', 'link', 'show', 'dev', name]);
  if (r.exitCode !== 0) return null;
  const [link] = JSON.parse(r.stdout) as { linkinfo?: { info_kind?: string } }[];
  return link?.linkinfo?.info_kind ?? 'device';
}

async function linkExists(name: string): Promise<boolean> {
  return (await linkKind(name)) !== null;
}

async function exists(command: string[]): Promise<boolean> {
  return (await run(command)).exitCode === 0;
}

function jsonLines(text: string): Record<string, unknown>[] {
  return lines(text).map((l) => JSON.parse(l) as Record<string, unknown>);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function readState(): LabState | null {
  try {
    return JSON.parse(readFileSync(LAB_STATE_FILE, 'utf8')) as LabState;
  } catch {
    return null; // no lab has been brought up here, or /tmp was cleared
  }
}

function writeState(state: LabState): void {
  writeFileSync(LAB_STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

// ---- one lab operation at a time (tests and people may both run it) ----

const LOCK_DIR = LAB_LOCK_DIR;

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(`${LOCK_DIR}/pid`, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!lockHolderAlive()) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another lab operation holds ${LOCK_DIR} for over 5 minutes`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function lockHolderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(`${LOCK_DIR}/pid`, 'utf8'));
  } catch {
    return true; // the holder has made the directory but not yet written its pid
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---- command line ----

export function renderReport(title: string, r: LabReport): string {
  const out = [title];
  const section = (name: string, items: Outcome[]) => {
    if (!items.length) return;
    out.push(`${name}:`);
    const width = Math.max(...items.map((i) => i.what.length));
    for (const i of items) out.push(`  ${i.what.padEnd(width)}  ${i.detail}`);
  };
  section('done', r.created);
  section('skipped', r.skipped);
  section('FAILED', r.failed);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}

export function renderStatus(s: LabStatus): string {
  const out = [`lab: ${s.up ? 'up' : 'NOT complete'}${s.state ? ` (made ${s.state.createdAt})` : ''}`];
  const table = (rows: string[][]) => {
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) out.push(`  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd());
  };
  out.push('containers:');
  if (s.containers.length)
    table([['NAME', 'STATE', 'NETWORKS', 'PORTS'], ...s.containers.map((c) => [c.name, c.state, c.networks, c.ports])]);
  out.push('networks:');
  if (s.networks.length) table(s.networks.map((n) => [n.name, n.driver]));
  out.push('interfaces:');
  if (s.interfaces.length) table(s.interfaces.map((i) => [i.name, i.kind]));
  out.push(`swarm: ${s.swarm}`);
  for (const svc of s.services) out.push(`  service ${svc.name} ${svc.replicas} ${svc.ports}`);
  for (const sk of s.state?.report.skipped ?? []) out.push(`skipped: ${sk.what}: ${sk.detail}`);
  for (const m of s.missing) out.push(`missing: ${m}`);
  return out.join('\n');
}

interface Args {
  command: string;
  engines: Generation[];
  keepTest: boolean;
  /** --swarm N (up) or --swarm (down, status): the swarm lab (lab/swarm.ts); 0 when given without a count. */
  swarm: number | null;
  /** After `--` (exec). */
  rest: string[];
}

const USAGE = `usage: lab up [--engine 20.10|26|28]...      build the lab on each engine (default 20.10; 26 and 28 each as a host of its own)
       lab down [--engine ...] [--keep-test]  remove the lab, test objects and the newer engines' hosts (default: every generation)
       lab status [--engine ...]
       lab engine [--engine ...]              only make sure the engine answers and the test image exists
       lab exec --engine 28 -- COMMAND...     run a command inside that host (its network namespace, DOCKER_HOST, PATH)
       lab up --swarm 3                       a swarm of 3 Docker 28.5 nodes, each a namespace of its own, on a switch namespace
       lab down --swarm                       remove only the swarm lab (plain \`down\` removes it too)`;

function parseArgs(argv: string[]): Args | string {
  const [command = 'up', ...rest] = argv;
  const engines: Generation[] = [];
  let keepTest = false;
  let swarm: number | null = null;
  for (let i = 0; i < rest.length; i += 1) {
    const a = rest[i]!;
    if (a === '--') return { command, engines, keepTest, swarm, rest: rest.slice(i + 1) };
    if (a === '--keep-test' && command === 'down') keepTest = true;
    else if (a === '--swarm' || a.startsWith('--swarm=')) {
      const value = a === '--swarm' ? (command === 'up' ? rest[++i] : undefined) : a.slice('--swarm='.length);
      if (command === 'up' && !/^[1-3]$/.test(value ?? '')) return '--swarm needs a node count, 1 to 3 (e.g. --swarm 3)';
      swarm = value ? Number(value) : 0;
    } else if (a === '--engine' || a.startsWith('--engine=')) {
      const value = a === '--engine' ? rest[++i] : a.slice('--engine='.length);
      if (!value) return '--engine needs a generation: 20.10, 26 or 28';
      for (const v of value.split(',')) {
        const id = generationId(v);
        if (!id) return `--engine ${v}: no such generation (the lab has ${GENERATION_IDS.join(', ')})`;
        if (!engines.some((g) => g.id === id)) engines.push(GENERATIONS[id]);
      }
    } else return `unexpected argument: ${a}`;
  }
  return { command, engines, keepTest, swarm, rest: [] };
}

async function main(argv: string[]): Promise<number> {
  const log: Log = (line) => process.stderr.write(`lab: ${line}\n`);
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`lab: ${args}\n${USAGE}\n`);
    return 2;
  }
  const one = args.engines.length ? args.engines : [GENERATION];
  if (args.swarm !== null && args.command === 'up') {
    const code = args.engines.length ? await eachHost(one, ['up'], log, { outside: true }, async () => 0) : 0;
    try {
      const report = await swarmUp(args.swarm, log);
      process.stdout.write(
        `docknet lab up --swarm ${args.swarm}\n${[...report.made.map((m) => `  made ${m}`), ...report.notes.map((n) => `  note: ${n}`)].join('\n')}\n`,
      );
      return code;
    } catch (err) {
      process.stdout.write(
        `docknet lab up --swarm ${args.swarm}\nFAILED:\n  ${message(err)}\n(\`npm run lab -- down --swarm\` removes what was made)\n`,
      );
      return 1;
    }
  }
  if (args.swarm !== null && args.command === 'down' && !args.engines.length) return downSwarm(log);
  switch (args.command) {
    case 'up': {
      return eachHost(one, ['up'], log, { outside: true }, async () => {
        const report = await up({ log });
        process.stdout.write(`${renderReport(`docknet lab up (Docker ${GENERATION.id})`, report)}\n\n${renderStatus(await status())}\n`);
        return report.failed.length ? 1 : 0;
      });
    }
    case 'down': {
      // Default: every generation, so nothing of any lab is left.
      const all = args.engines.length ? args.engines : GENERATION_IDS.map((id) => GENERATIONS[id]);
      let code = 0;
      for (const gen of all) code = Math.max(code, await downGeneration(gen, args.keepTest, log));
      if (!args.engines.length && !args.keepTest) code = Math.max(code, await downSwarm(log));
      return code;
    }
    case 'status': {
      let code = 0;
      for (const gen of one) {
        if (gen.netns && !(await insideNetns(gen))) {
          const h = await hostState(gen);
          if (!h.engine?.answering) {
            process.stdout.write(
              `Docker ${gen.id}: host ${gen.netns} ${h.netns ? 'exists' : 'absent'}, engine ${h.engine ? `pid ${h.engine.pid}, not answering` : 'not running'}\n`,
            );
            code = 1;
            continue;
          }
        }
        code = Math.max(
          code,
          await inGeneration(gen, ['status'], async () => {
            const s = await status();
            const o = await outsideState(GENERATION);
            const client = `client namespace ${GENERATION.outside.netns}: ${o.link ? 'up' : o.netns ? 'no link' : 'absent'}`;
            process.stdout.write(
              `Docker ${GENERATION.id}${GENERATION.netns ? ` (host ${GENERATION.netns})` : ''}\n${renderStatus(s)}\n${client}\n`,
            );
            return s.up ? 0 : 1;
          }),
        );
      }
      return code;
    }
    case 'engine': {
      return eachHost(one, ['engine'], log, { outside: false }, async () => {
        const engine = await ensureEngine({ log });
        const image = await ensureImage({ log });
        process.stdout.write(
          `engine ${engine.serverVersion} at ${engine.endpoint}${engine.started ? ' (started dockerd)' : ''}; image ${image.image}${image.built ? ' (built)' : ''}\n`,
        );
        return 0;
      });
    }
    case 'exec': {
      const [gen] = args.engines;
      if (!gen || args.engines.length > 1 || !args.rest.length) {
        process.stderr.write(`lab: exec needs one --engine and a command after --\n${USAGE}\n`);
        return 2;
      }
      if (gen.netns && !(await hostState(gen)).engine?.answering) {
        process.stderr.write(`lab: Docker ${gen.id} is not running; start it with: npm run lab -- up --engine ${gen.id}\n`);
        return 1;
      }
      return spawnInherit(inHost(gen, args.rest), childEnv(gen));
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

/**
 * Brings each generation's host up (its namespace and engine) and, with `outside`, its client namespace;
 * then runs `here` inside the host; the worst exit code.
 */
async function eachHost(
  gens: Generation[],
  argv: string[],
  log: Log,
  opts: { outside: boolean },
  here: () => Promise<number>,
): Promise<number> {
  let code = 0;
  for (const gen of gens) {
    const inside = await insideNetns(gen);
    if (gen.netns && !inside) {
      const host = await hostUp(gen, log);
      for (const m of host.made) log(`${gen.id}: made ${m}`);
    }
    // The client namespace lives in the root mount namespace: a lab process inside a host cannot make it.
    if (opts.outside && !inside) for (const m of await outsideUp(gen, log)) log(`${gen.id}: made ${m}`);
    code = Math.max(code, await inGeneration(gen, argv, here));
  }
  return code;
}

/** Runs `lab <argv>` for that generation: in this process when it is this process's, else a child inside the host. */
async function inGeneration(gen: Generation, argv: string[], here: () => Promise<number>): Promise<number> {
  if (gen.id === GENERATION.id && (!gen.netns || (await insideNetns(gen)))) return here();
  // A lab process inside a host works on that host only: it never starts another lab process.
  if (process.env[CHILD_ENV]) throw new Error(`lab ${argv[0]} for Docker ${gen.id} reached a lab process of Docker ${GENERATION.id}`);
  const child = [process.execPath, fileURLToPath(import.meta.url), ...argv, '--engine', gen.id];
  return spawnInherit(inHost(gen, child), childEnv(gen, { [CHILD_ENV]: '1' }));
}

const CHILD_ENV = 'DOCKNET_LAB_CHILD';

async function downSwarm(log: Log): Promise<number> {
  try {
    const removed = await swarmDown(log);
    if (removed.length) process.stdout.write(`docknet lab down: swarm lab\n${removed.map((r) => `  removed ${r}`).join('\n')}\n`);
    return 0;
  } catch (err) {
    process.stdout.write(`docknet lab down: swarm lab\nFAILED:\n  ${message(err)}\n`);
    return 1;
  }
}

async function downGeneration(gen: Generation, keepTest: boolean, log: Log): Promise<number> {
  const argv = ['down', ...(keepTest ? ['--keep-test'] : [])];
  const render = async () => {
    const report = await down({ keepTestObjects: keepTest });
    process.stdout.write(`${renderReport(`docknet lab down (Docker ${GENERATION.id})`, report)}\n`);
    return report.failed.length ? 1 : 0;
  };
  const removeOutside = async (): Promise<number> => {
    try {
      const removed = await outsideDown(gen);
      if (removed.length)
        process.stdout.write(
          `docknet lab down: client namespace of Docker ${gen.id}\n${removed.map((r) => `  removed ${r}`).join('\n')}\n`,
        );
      return 0;
    } catch (err) {
      process.stdout.write(`docknet lab down: client namespace of Docker ${gen.id}\nFAILED:\n  ${message(err)}\n`);
      return 1;
    }
  };
  if (!gen.netns) {
    const ping = await pingEngine({ socketPath: gen.socket, text: `unix://${gen.socket}`, isDefault: true });
    if (!ping.ok) {
      log(`Docker ${gen.id}: ${ping.reason}; nothing of its lab can be removed`);
      return removeOutside();
    }
    return Math.max(await inGeneration(gen, argv, render), await removeOutside());
  }
  if (await insideNetns(gen)) return render(); // only the lab: the host itself is taken down from outside it
  let code = 0;
  const h = await hostState(gen);
  if (h.engine?.answering) code = await inGeneration(gen, argv, render);
  code = Math.max(code, await removeOutside());
  if (keepTest) return code;
  if (h.netns || h.uplink || h.engine) {
    try {
      const removed = await hostDown(gen, log);
      process.stdout.write(`docknet lab down: host of Docker ${gen.id}\n${removed.map((r) => `  removed ${r}`).join('\n')}\n`);
    } catch (err) {
      process.stdout.write(`docknet lab down: host of Docker ${gen.id}\nFAILED:\n  ${message(err)}\n`);
      code = 1;
    }
  }
  return code;
}

/** Is this process inside that generation's network namespace? */
async function insideNetns(gen: Generation): Promise<boolean> {
  if (!gen.netns) return false;
  try {
    return statSync(`/run/netns/${gen.netns}`).ino === statSync('/proc/self/ns/net').ino;
  } catch {
    return false; // no such namespace
  }
}

function spawnInherit(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(file!, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', (err) => {
      process.stderr.write(`lab: ${argv[0]}: ${err.message}\n`);
      resolve(1);
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`lab: ${message(err)}\n`);
      process.exitCode = 1;
    },
  );
}
