// Bringing each Docker generation's host up and down: its network namespace, uplink, routing rule and engine.
// The system's engine stays in the root namespace; Debian's newer engines (fetched by lab/engine-files.ts,
// never installed) each run in a network namespace of its own.
import { existsSync, mkdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pingEngine, type Log } from './engine.js';
import { fetchEngine } from './engine-files.js';
import { childEnv, hostEnv } from './host-enter.js';
import { DATA_ROOT, RUN_ROOT, hostPaths } from './host-paths.js';
import { cgroupDirs, dockerdArgs, exited, isOurs, mountsUnder, ownProcesses, readPid, startDockerd } from './host-processes.js';
import type { Generation, GenerationId } from './lab-spec.js';
import { must, run } from './run.js';

export interface HostState {
  generation: GenerationId;
  netns: boolean;
  uplink: boolean;
  engine: { pid: number; answering: boolean } | null;
}

export async function hostState(gen: Generation): Promise<HostState> {
  const p = hostPaths(gen);
  const pid = readPid(p.pidfile);
  const alive = pid !== null && isOurs(pid, p);
  return {
    generation: gen.id,
    netns: gen.netns ? existsSync(`/run/netns/${gen.netns}`) : true,
    uplink: gen.uplink ? (await run(['ip', 'link', 'show', 'dev', gen.uplink.rootEnd])).exitCode === 0 : true,
    engine: alive
      ? { pid, answering: (await pingEngine({ socketPath: gen.socket, text: `unix://${gen.socket}`, isDefault: false })).ok }
      : null,
  };
}

export interface HostUpResult {
  /** What this call made, in order: `down` undoes it. */
  made: string[];
  versions: Record<string, string>;
  serverVersion: string;
}

/** Makes the host (namespace, uplink) and starts its engine; each part only when it is not there yet. */
export async function hostUp(gen: Generation, log: Log): Promise<HostUpResult> {
  if (!gen.netns || !gen.uplink) throw new Error(`Docker ${gen.id} is the system's engine, in the root namespace`);
  const p = hostPaths(gen);
  const made: string[] = [];
  const fetch = await fetchEngine(gen, log);
  if (fetch.fetched)
    made.push(
      `fetched ${Object.entries(fetch.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} into ${p.root}`,
    );

  const ns = gen.netns;
  const inNs = (argv: string[]) => must(['nsenter', `--net=/run/netns/${ns}`, '--', ...argv]);
  if (!existsSync(`/run/netns/${ns}`)) {
    await must(['ip', 'netns', 'add', ns]);
    made.push(`network namespace ${ns}`);
  }
  const u = gen.uplink;
  if ((await run(['ip', 'link', 'show', 'dev', u.rootEnd])).exitCode !== 0) {
    await must(['ip', 'link', 'add', u.rootEnd, 'type', 'veth', 'peer', 'name', u.hostEnd, 'netns', ns]);
    await must(['ip', 'link', 'set', 'dev', u.rootEnd, 'alias', `docknet.lab uplink of ${ns}`]);
    await must(['ip', 'addr', 'replace', `${u.rootAddr}/${u.prefix}`, 'dev', u.rootEnd]);
    await must(['ip', 'link', 'set', u.rootEnd, 'up']);
    await inNs(['ip', 'addr', 'replace', `${u.hostAddr}/${u.prefix}`, 'dev', u.hostEnd]);
    await inNs(['ip', 'link', 'set', u.hostEnd, 'up']);
    made.push(`uplink ${u.rootEnd} ${u.rootAddr}/${u.prefix} <-> ${ns} ${u.hostEnd} ${u.hostAddr}/${u.prefix}`);
  }
  // A default route, as every real host has (doctor compares MTUs with it) ...
  await inNs(['ip', 'route', 'replace', 'default', 'via', u.rootAddr, 'dev', u.hostEnd]);
  // ... and in the root namespace, nothing that arrives from the host is forwarded anywhere: a routing
  // rule, not a firewall, and ip_forward toggled by a test cannot undo it. Local addresses still answer.
  const table = uplinkTable(gen);
  await must(['ip', 'route', 'replace', 'unreachable', 'default', 'table', table]);
  if (!(await must(['ip', 'rule', 'show', 'priority', table])).includes(`iif ${u.rootEnd}`)) {
    await must(['ip', 'rule', 'add', 'priority', table, 'iif', u.rootEnd, 'lookup', table]);
    made.push(`routing rule ${table}: nothing from ${u.rootEnd} is forwarded`);
  }
  await inNs(['ip', 'link', 'set', 'lo', 'up']);

  const ep = { socketPath: gen.socket, text: `unix://${gen.socket}`, isDefault: false };
  if (!(await pingEngine(ep)).ok) {
    // The engine would otherwise take the system's containerd, should one listen there, and share its namespace.
    if (existsSync('/run/containerd/containerd.sock')) {
      throw new Error('a system containerd listens on /run/containerd/containerd.sock; dockerd would use it instead of its own');
    }
    const stale = readPid(p.pidfile);
    if (stale && isOurs(stale, p))
      throw new Error(`dockerd ${stale} of Docker ${gen.id} runs but does not answer on ${gen.socket}; see ${p.log}`);
    mkdirSync(p.run, { recursive: true });
    mkdirSync(p.dataRoot, { recursive: true });
    // Its own (empty) config file: the system's /etc/docker/daemon.json is the 20.10 engine's.
    writeFileSync(p.config, '{}\n');
    const args = dockerdArgs(p, gen.socket, [
      ...(gen.bip ? ['--bip', gen.bip] : []),
      ...(gen.addressPool ? ['--default-address-pool', gen.addressPool] : []),
    ]);
    log(`starting dockerd ${gen.id} in ${ns} (log: ${p.log})`);
    await startDockerd(
      `dockerd ${gen.id}`,
      ['nsenter', `--net=/run/netns/${ns}`, '--', path.join(p.bin, 'dockerd'), ...args],
      childEnv(gen),
      p.log,
      ep,
    );
    made.push(`dockerd ${gen.id} (pid ${readPid(p.pidfile) ?? '?'}) on ${gen.socket}`);
  }
  const serverVersion = (await must(['docker', 'version', '--format', '{{.Server.Version}}'], { env: hostEnv(gen) })).trim();
  return { made, versions: fetch.versions, serverVersion };
}

/**
 * Stops the engine and removes the host: namespace, uplink, data and run directories, cgroups. Containers
 * go with the engine's data; the lab's `down` has already removed what it labelled. The fetched files stay.
 */
export async function hostDown(gen: Generation, log: Log): Promise<string[]> {
  if (!gen.netns || !gen.uplink) throw new Error(`Docker ${gen.id} is the system's engine; the lab does not stop it`);
  const p = hostPaths(gen);
  const removed: string[] = [];
  const pid = readPid(p.pidfile);
  if (pid && isOurs(pid, p)) {
    log(`stopping dockerd ${gen.id} (pid ${pid})`);
    process.kill(pid, 'SIGTERM');
    // dockerd stops its containers first (10 s each that ignore SIGTERM, in parallel).
    if (!(await exited(pid, 60_000))) {
      process.kill(pid, 'SIGKILL');
      await exited(pid, 10_000);
    }
    removed.push(`dockerd ${gen.id} (pid ${pid})`);
  }
  // What the engine started and left (containerd, shims, docker-proxy): each named by this host's own paths.
  for (const other of ownProcesses(p)) {
    try {
      process.kill(other, 'SIGKILL');
      removed.push(`leftover process ${other}`);
    } catch {
      // gone meanwhile
    }
  }
  for (const other of ownProcesses(p)) await exited(other, 5_000);
  for (const mount of mountsUnder([p.dataRoot, p.execRoot, p.run])) {
    await run(['umount', '-l', mount]);
    removed.push(`mount ${mount}`);
  }
  if (existsSync(`/run/netns/${gen.netns}`)) {
    await must(['ip', 'netns', 'del', gen.netns]);
    removed.push(`network namespace ${gen.netns}`);
  }
  // The uplink goes with the namespace, once the kernel has let the namespace go; make sure of it.
  if ((await run(['ip', 'link', 'show', 'dev', gen.uplink.rootEnd])).exitCode === 0) {
    await run(['ip', 'link', 'del', gen.uplink.rootEnd]);
    removed.push(`uplink ${gen.uplink.rootEnd}`);
  }
  const table = uplinkTable(gen);
  while ((await run(['ip', 'rule', 'show', 'priority', table])).stdout.trim()) {
    await must(['ip', 'rule', 'del', 'priority', table]);
    removed.push(`routing rule ${table}`);
  }
  if ((await run(['ip', 'route', 'show', 'table', table])).stdout.trim()) {
    await must(['ip', 'route', 'flush', 'table', table]);
    removed.push(`routing table ${table}`);
  }
  const left = mountsUnder([p.dataRoot, p.execRoot, p.run]);
  if (left.length) throw new Error(`still mounted, not removing ${p.dataRoot} and ${p.run}: ${left.join(', ')}`);
  for (const dir of [p.dataRoot, p.run]) {
    if (existsSync(dir)) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  // The parents too, once no generation's host is left in them.
  removeEmptyRoots();
  for (const dir of cgroupDirs(p.cgroupParent)) {
    try {
      rmdirSync(dir);
      removed.push(`cgroup ${dir}`);
    } catch (err) {
      log(`cannot remove cgroup ${dir}: ${(err as Error).message}`);
    }
  }
  return removed;
}

/** The parents of every host's data and run directories, once no host is left in them. */
export function removeEmptyRoots(): void {
  for (const dir of [DATA_ROOT, RUN_ROOT]) {
    try {
      rmdirSync(dir);
    } catch {
      // another host is still there, or it is gone already
    }
  }
}

/** The root namespace's routing table (and rule priority) for what arrives from the host's uplink. */
function uplinkTable(gen: Generation): string {
  return `219${gen.id.replace(/\D/g, '')}`;
}
