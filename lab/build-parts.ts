// `up`, part by part: the lab's bridges, macvlan, swarm and overlay, ingress service and containers, each into the report.
import { existsSync } from 'node:fs';
import { sleep, type Log } from './engine.js';
import type { LabReport, LabState } from './build.js';
import { jsonLines, linkExists, linkKind, message, swarmInfo, swarmMadeByLab } from './host-facts.js';
import {
  HTTP_PORT,
  IFACE,
  LAB_IMAGE,
  LAB_LABEL,
  LAB_LABEL_VALUE,
  NET,
  SERVICE,
  SWARM_ADDR,
  SWARM_ADDR_CIDR,
  SWARM_ADDR_POOL,
  SWARM_NODE_LABEL,
  type ContainerSpec,
  overlayCreateArgs,
} from './lab-spec.js';
import { failure, must, run } from './run.js';

const LABEL_ARG = `${LAB_LABEL}=${LAB_LABEL_VALUE}`;
export const GWBRIDGE = 'docker_gwbridge';

export async function step(report: LabReport, what: string, fn: () => Promise<string>): Promise<boolean> {
  try {
    report.created.push({ what, detail: await fn() });
    return true;
  } catch (err) {
    report.failed.push({ what, detail: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

export async function createBridge(net: { name: string; subnet: string; gateway: string }, extra: string[]): Promise<string> {
  const args = ['network', 'create', '--driver', 'bridge', '--subnet', net.subnet, '--gateway', net.gateway, '--label', LABEL_ARG];
  return (await must(['docker', ...args, ...extra, net.name])).trim();
}

export async function setUpMacvlan(report: LabReport, state: LabState, log: Log): Promise<boolean> {
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

export async function setUpOverlay(report: LabReport, state: LabState, log: Log): Promise<boolean> {
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

export async function setUpService(report: LabReport, log: Log): Promise<void> {
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

export async function runContainer(spec: ContainerSpec): Promise<string> {
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
