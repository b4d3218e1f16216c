// The swarm lab: N Docker 28.5 engines, each in a network namespace (and UTS namespace) of its own, on a
// switch bridge in another namespace; a swarm of them with overlays, containers and services, all labelled.
// `swarmDown` removes every part it finds, whether or not `swarmUp` finished.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureImage, pingEngine, sleep, type Log } from './engine.js';
import { fetchEngine } from './engine-files.js';
import { hostEnv } from './host-enter.js';
import { hostPaths } from './host-paths.js';
import { cgroupDirs, cmdline, dockerdArgs, exited, mountsUnder, readPid, startDockerd } from './host-processes.js';
import { removeEmptyRoots } from './hosts.js';
import { GENERATIONS, LAB_IMAGE, overlayCreateArgs } from './lab-spec.js';
import { lines, must, run } from './run.js';
import {
  SWARM_ENCRYPTED_CONTAINERS,
  SWARM_HTTP_PORT,
  SWARM_INIT_POOL,
  SWARM_LABEL,
  SWARM_LABEL_VALUE,
  SWARM_NET,
  SWARM_NODE_POOL,
  SWARM_NODES,
  SWARM_OVERLAY_CONTAINERS,
  SWARM_SERVICE,
  SWARM_STATE_FILE,
  SWARM_SWITCH,
  type SwarmNode,
} from './swarm-spec.js';

/** The swarm's engines are Debian sid's Docker 28.5, the same programs as the docknet-e28 host. */
const GEN = GENERATIONS['28'];
const LABEL_ARG = `${SWARM_LABEL}=${SWARM_LABEL_VALUE}`;

export function nodePaths(node: SwarmNode) {
  const p = hostPaths(GEN, node.name);
  return { ...p, socket: path.join(p.run, 'docker.sock'), uts: path.join(p.run, 'uts') };
}

/** The environment a docker CLI (or docknet) needs to talk to one node: its socket, the 28.5 programs first on PATH. */
export function nodeEnv(node: SwarmNode): Record<string, string> {
  return { ...hostEnv(GEN), DOCKER_HOST: `unix://${nodePaths(node).socket}` };
}

/** argv that runs a command inside the node: its network namespace and its UTS namespace (its hostname). */
export function inNode(node: SwarmNode, argv: readonly string[]): string[] {
  return ['nsenter', `--net=/run/netns/${node.netns}`, `--uts=${nodePaths(node).uts}`, '--', ...argv];
}

function docker(node: SwarmNode, args: string[], timeoutMs = 60_000): Promise<string> {
  return must(['docker', ...args], { env: nodeEnv(node), timeoutMs });
}

export interface SwarmReport {
  made: string[];
  notes: string[];
}

export interface SwarmState {
  nodes: { name: string; netns: string; addr: string; socket: string; execRoot: string }[];
  createdAt: string;
}

export function readSwarmState(): SwarmState | null {
  try {
    return JSON.parse(readFileSync(SWARM_STATE_FILE, 'utf8')) as SwarmState;
  } catch {
    return null; // no swarm lab has been brought up
  }
}

/** Builds the swarm lab of `count` nodes (1..3); what exists already is kept. */
export async function swarmUp(count: number, log: Log): Promise<SwarmReport> {
  if (!Number.isInteger(count) || count < 1 || count > SWARM_NODES.length)
    throw new Error(`--swarm ${count}: the swarm lab has 1 to ${SWARM_NODES.length} nodes`);
  const nodes = SWARM_NODES.slice(0, count);
  const report: SwarmReport = { made: [], notes: [] };
  const fetched = await fetchEngine(GEN, log);
  if (fetched.fetched) report.made.push(`fetched Docker ${fetched.versions['docker.io']}`);
  if (existsSync('/run/containerd/containerd.sock'))
    throw new Error('a system containerd listens on /run/containerd/containerd.sock; the nodes would use it instead of their own');

  await makeSwitch(report);
  for (const node of nodes) await makeNode(node, report, log);
  for (const node of nodes) {
    const image = await ensureImage({ log, env: nodeEnv(node) });
    if (image.built) report.made.push(`${node.name}: image ${image.image}`);
  }
  await makeSwarm(nodes, report, log);
  await makeWorkloads(nodes, report, log);
  const state: SwarmState = {
    createdAt: new Date().toISOString(),
    nodes: nodes.map((n) => ({ name: n.name, netns: n.netns, addr: n.addr, socket: nodePaths(n).socket, execRoot: nodePaths(n).execRoot })),
  };
  writeFileSync(SWARM_STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
  return report;
}

async function makeSwitch(report: SwarmReport): Promise<void> {
  const s = SWARM_SWITCH;
  if (!existsSync(`/run/netns/${s.netns}`)) {
    await must(['ip', 'netns', 'add', s.netns]);
    report.made.push(`switch namespace ${s.netns}`);
  }
  const ip = (args: string[]) => must(['ip', '-n', s.netns, ...args]);
  if ((await run(['ip', '-n', s.netns, 'link', 'show', 'dev', s.bridge])).exitCode !== 0) {
    await ip(['link', 'add', s.bridge, 'type', 'bridge']);
    report.made.push(`switch bridge ${s.bridge} ${s.addr}/${s.prefix}`);
  }
  await ip(['addr', 'replace', `${s.addr}/${s.prefix}`, 'dev', s.bridge]);
  await ip(['link', 'set', s.bridge, 'up']);
  await ip(['link', 'set', 'lo', 'up']);
}

async function makeNode(node: SwarmNode, report: SwarmReport, log: Log): Promise<void> {
  const s = SWARM_SWITCH;
  const p = nodePaths(node);
  if (!existsSync(`/run/netns/${node.netns}`)) {
    await must(['ip', 'netns', 'add', node.netns]);
    report.made.push(`${node.name}: network namespace`);
  }
  const inNs = (args: string[]) => must(['ip', '-n', node.netns, ...args]);
  if ((await run(['ip', '-n', node.netns, 'link', 'show', 'dev', 'eth0'])).exitCode !== 0) {
    await must(['ip', '-n', s.netns, 'link', 'add', node.switchPort, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.netns]);
    await must(['ip', '-n', s.netns, 'link', 'set', node.switchPort, 'master', s.bridge]);
    await must(['ip', '-n', s.netns, 'link', 'set', node.switchPort, 'up']);
    report.made.push(`${node.name}: eth0 ${node.addr}/${s.prefix} on switch port ${node.switchPort}`);
  }
  await inNs(['addr', 'replace', `${node.addr}/${s.prefix}`, 'dev', 'eth0']);
  await inNs(['link', 'set', 'eth0', 'up']);
  await inNs(['link', 'set', 'lo', 'up']);
  // The switch is the node's whole LAN; the default route keeps "the uplink" meaningful (MTU, addresses).
  await inNs(['route', 'replace', 'default', 'via', s.addr, 'dev', 'eth0']);

  const ep = { socketPath: p.socket, text: `unix://${p.socket}`, isDefault: false };
  if ((await pingEngine(ep)).ok) return;
  const stale = readPid(p.pidfile);
  if (stale && (cmdline(stale) ?? []).includes(p.execRoot))
    throw new Error(`dockerd ${stale} of ${node.name} runs but does not answer on ${p.socket}; see ${p.log}`);
  mkdirSync(p.run, { recursive: true });
  mkdirSync(p.dataRoot, { recursive: true });
  writeFileSync(p.config, '{}\n');
  // A UTS namespace of its own, kept by a bind mount, so the engine (and the swarm) knows the node by its name.
  if (!mountsUnder([p.uts]).length) {
    writeFileSync(p.uts, '');
    await must(['unshare', `--uts=${p.uts}`, 'hostname', node.name]);
  }
  const args = dockerdArgs(p, p.socket, ['--bip', node.bip, '--default-address-pool', SWARM_NODE_POOL]);
  log(`starting dockerd in ${node.netns} (log: ${p.log})`);
  const env = { ...process.env, ...hostEnv(GEN) };
  delete env.DOCKER_HOST;
  const argv = ['nsenter', `--net=/run/netns/${node.netns}`, `--uts=${p.uts}`, '--', path.join(p.bin, 'dockerd'), ...args];
  await startDockerd(`dockerd of ${node.name}`, argv, env, p.log, ep);
  report.made.push(`${node.name}: dockerd (pid ${readPid(p.pidfile) ?? '?'}) on ${p.socket}`);
}

async function swarmState(node: SwarmNode): Promise<string> {
  return (await docker(node, ['info', '--format', '{{.Swarm.LocalNodeState}}'])).trim();
}

async function makeSwarm(nodes: readonly SwarmNode[], report: SwarmReport, log: Log): Promise<void> {
  const [manager, ...workers] = nodes;
  if (!manager) return;
  if ((await swarmState(manager)) !== 'active') {
    log(`swarm init on ${manager.name} (${manager.addr})`);
    await docker(manager, ['swarm', 'init', '--advertise-addr', manager.addr, '--default-addr-pool', SWARM_INIT_POOL], 120_000);
    report.made.push(`swarm: manager ${manager.name} ${manager.addr}, default address pool ${SWARM_INIT_POOL}`);
  }
  const token = (await docker(manager, ['swarm', 'join-token', '-q', 'worker'])).trim();
  for (const w of workers) {
    if ((await swarmState(w)) === 'active') continue;
    log(`swarm join from ${w.name} (${w.addr})`);
    await docker(w, ['swarm', 'join', '--token', token, '--advertise-addr', w.addr, `${manager.addr}:2377`], 120_000);
    report.made.push(`swarm: worker ${w.name} ${w.addr}`);
  }
  const deadline = Date.now() + 60_000;
  let last = '';
  for (;;) {
    last = await docker(manager, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}}']);
    const ready = lines(last).filter((l) => l.endsWith(' Ready')).length;
    if (ready >= nodes.length) break;
    if (Date.now() > deadline) throw new Error(`swarm nodes not all Ready after 60 s:\n${last}`);
    await sleep(500);
  }
  for (const n of nodes) {
    await docker(manager, ['node', 'update', '--label-add', LABEL_ARG, n.name]);
  }
  report.notes.push(`nodes Ready: ${lines(last).join(', ')}`);
}

function httpd(name: string): string[] {
  return ['sh', '-c', `mkdir -p /www && echo '<h1>${name}</h1>' > /www/index.html && exec httpd -f -p ${SWARM_HTTP_PORT} -h /www`];
}

// Long on purpose: the swarm lab's workloads in the order they are made (overlays, containers, services, then
// the wait for their tasks to run), read top to bottom.
async function makeWorkloads(nodes: readonly SwarmNode[], report: SwarmReport, log: Log): Promise<void> {
  const [manager] = nodes;
  if (!manager) return;
  const networks = lines(await docker(manager, ['network', 'ls', '--format', '{{.Name}}']));
  for (const [net, extra] of [
    [SWARM_NET.overlay, []],
    [SWARM_NET.encrypted, ['--opt', 'encrypted']],
  ] as const) {
    if (networks.includes(net.name)) continue;
    await docker(manager, overlayCreateArgs(net.name, net.subnet, LABEL_ARG, extra));
    report.made.push(`network ${net.name} (overlay ${net.subnet}${extra.length ? ', encrypted' : ''})`);
  }
  const place = async (node: SwarmNode, name: string, network: string) => {
    if ((await run(['docker', 'inspect', name], { env: nodeEnv(node) })).exitCode === 0) return;
    await docker(node, [
      'run',
      '-d',
      '--name',
      name,
      '--hostname',
      name,
      '--label',
      LABEL_ARG,
      '--network',
      network,
      LAB_IMAGE,
      ...httpd(name),
    ]);
    report.made.push(`${node.name}: container ${name} on ${network}`);
  };
  for (const [i, node] of nodes.entries()) await place(node, SWARM_OVERLAY_CONTAINERS[i]!, SWARM_NET.overlay.name);
  for (const [i, node] of nodes.slice(0, SWARM_ENCRYPTED_CONTAINERS.length).entries())
    await place(node, SWARM_ENCRYPTED_CONTAINERS[i]!, SWARM_NET.encrypted.name);

  const services = lines(await docker(manager, ['service', 'ls', '--format', '{{.Name}}']));
  const common = ['service', 'create', '--detach', '--no-resolve-image', '--label', LABEL_ARG, '--container-label', LABEL_ARG];
  const wanted: [string, string[]][] = [
    [
      SWARM_SERVICE.hostMode.name,
      ['--publish', `mode=host,published=${SWARM_SERVICE.hostMode.published},target=${SWARM_HTTP_PORT}`, '--replicas', '1'],
    ],
    [
      SWARM_SERVICE.dnsrr.name,
      ['--endpoint-mode', 'dnsrr', '--network', SWARM_NET.overlay.name, '--replicas', String(SWARM_SERVICE.dnsrr.replicas)],
    ],
    [
      SWARM_SERVICE.vip.name,
      [
        '--network',
        SWARM_NET.overlay.name,
        '--publish',
        `published=${SWARM_SERVICE.vip.published},target=${SWARM_HTTP_PORT}`,
        '--replicas',
        '1',
      ],
    ],
  ];
  for (const [name, flags] of wanted) {
    if (services.includes(name)) continue;
    await docker(manager, [...common, '--name', name, ...flags, LAB_IMAGE, ...httpd(name)]);
    report.made.push(`service ${name}`);
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const tasks = lines(
      await docker(manager, [
        'service',
        'ps',
        '--filter',
        'desired-state=running',
        '--format',
        '{{.Name}} {{.CurrentState}}',
        ...wanted.map((w) => w[0]),
      ]),
    );
    const want = 1 + SWARM_SERVICE.dnsrr.replicas + 1;
    if (tasks.filter((t) => /\sRunning\b/.test(t)).length >= want) {
      report.notes.push(`tasks: ${tasks.join('; ')}`);
      break;
    }
    if (Date.now() > deadline) throw new Error(`service tasks not all Running after 60 s:\n${tasks.join('\n')}`);
    await sleep(1000);
  }
  log('swarm lab up');
}

/** Removes every node (engine, processes, mounts, namespace, data) and the switch; what is not there is skipped. */
export async function swarmDown(log: Log): Promise<string[]> {
  const removed: string[] = [];
  for (const node of SWARM_NODES) {
    const p = nodePaths(node);
    // The containers' shims first: their tasks go at once, instead of dockerd waiting 10 s on each that ignores SIGTERM.
    for (const shim of nodeProcesses(p.run).filter((x) => (cmdline(x)?.[0] ?? '').endsWith('containerd-shim-runc-v2'))) {
      try {
        process.kill(shim, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    const pid = readPid(p.pidfile);
    if (pid && (cmdline(pid) ?? []).includes(p.execRoot)) {
      log(`stopping dockerd of ${node.name} (pid ${pid})`);
      process.kill(pid, 'SIGTERM');
      if (!(await exited(pid, 30_000))) {
        process.kill(pid, 'SIGKILL');
        await exited(pid, 10_000);
      }
      removed.push(`${node.name}: dockerd (pid ${pid})`);
    }
    for (const other of nodeProcesses(p.run)) {
      try {
        process.kill(other, 'SIGKILL');
        removed.push(`${node.name}: leftover process ${other}`);
      } catch {
        // gone meanwhile
      }
    }
    for (const other of nodeProcesses(p.run)) await exited(other, 5_000);
    for (const mount of mountsUnder([p.dataRoot, p.run])) {
      await run(['umount', '-l', mount]);
      removed.push(`${node.name}: mount ${mount}`);
    }
    if (existsSync(`/run/netns/${node.netns}`)) {
      await must(['ip', 'netns', 'del', node.netns]);
      removed.push(`${node.name}: network namespace`);
    }
    const left = mountsUnder([p.dataRoot, p.run]);
    if (left.length) throw new Error(`still mounted, not removing ${p.dataRoot} and ${p.run}: ${left.join(', ')}`);
    for (const dir of [p.dataRoot, p.run]) {
      if (existsSync(dir)) {
        rmSync(dir, { recursive: true, force: true });
        removed.push(`${node.name}: ${dir}`);
      }
    }
    for (const dir of cgroupDirs(p.cgroupParent)) {
      try {
        rmdirSync(dir);
        removed.push(`${node.name}: cgroup ${dir}`);
      } catch (err) {
        log(`cannot remove cgroup ${dir}: ${(err as Error).message}`);
      }
    }
  }
  if (existsSync(`/run/netns/${SWARM_SWITCH.netns}`)) {
    await must(['ip', 'netns', 'del', SWARM_SWITCH.netns]);
    removed.push(`switch namespace ${SWARM_SWITCH.netns}`);
  }
  removeEmptyRoots();
  rmSync(SWARM_STATE_FILE, { force: true });
  return removed;
}

/** Processes whose command line names this node's run directory (containerd, shims, docker-proxy). */
function nodeProcesses(runDir: string): number[] {
  const out: number[] = [];
  for (const entry of readdirProc()) {
    const argv = cmdline(entry);
    if (argv?.some((a) => a.startsWith(`${runDir}/`) || a.includes(`=${runDir}/`))) out.push(entry);
  }
  return out;
}

function readdirProc(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
    .map(Number);
}
