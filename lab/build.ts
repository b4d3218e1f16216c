// The lab itself: `up` builds every Docker network mode on this host (all labelled), `down` removes it, `status` shows it.
import { rmSync } from 'node:fs';
import { ensureEngine, ensureImage, type Log } from './engine.js';
import { GWBRIDGE, createBridge, runContainer, setUpMacvlan, setUpOverlay, setUpService, step } from './build-parts.js';
import {
  exists,
  jsonLines,
  linkExists,
  linkKind,
  readState,
  swarmInfo,
  swarmMadeByLab,
  swarmUsesLabAddr,
  writeState,
} from './host-facts.js';
import { CONTAINERS, CORE_CONTAINERS, IFACE, LAB_FILTER, LAB_STATE_FILE, NET, NET_OPTS, TEST_LABEL, type Optional } from './lab-spec.js';
import { withLock } from './lock.js';
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

const natural = new Intl.Collator('en', { numeric: true });

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
