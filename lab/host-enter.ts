// Entering a generation's host: its environment (socket, PATH), its network namespace, argv that runs inside it.
import { existsSync } from 'node:fs';
import { ENGINE_CACHE, hostPaths } from './host-paths.js';
import { readPid } from './host-processes.js';
import { GENERATION_ENV, type Generation } from './lab-spec.js';

/** The engine's environment: its socket, its programs first on PATH, and the generation for the lab and tests. */
export function hostEnv(gen: Generation): Record<string, string> {
  // Another generation's programs may be first on this process's PATH (it may run inside that host).
  const base = (process.env.PATH || '/usr/local/bin:/usr/bin:/bin').split(':').filter((d) => d && !d.startsWith(`${ENGINE_CACHE}/`));
  const sbin = ['/usr/local/sbin', '/usr/sbin', '/sbin'].filter((d) => !base.includes(d));
  const dirs = gen.netns ? [hostPaths(gen).bin, ...base, ...sbin] : [...base, ...sbin];
  const env: Record<string, string> = { [GENERATION_ENV]: gen.id, PATH: dirs.join(':') };
  // The system engine is the default one: no DOCKER_HOST, exactly as its users run docker and docknet.
  if (gen.netns) env.DOCKER_HOST = `unix://${gen.socket}`;
  return env;
}

/** This process's environment with the host's: a full environment for a child process. */
export function childEnv(gen: Generation, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...hostEnv(gen), ...extra };
  if (!gen.netns) delete env.DOCKER_HOST;
  return env;
}

/** The host's network namespace as a path nsenter --net takes (the root namespace: the system dockerd's). */
export function netnsPath(gen: Generation): string {
  if (gen.netns) return `/run/netns/${gen.netns}`;
  // This process may itself sit in another host's namespace; the system engine's own process says which is root.
  const pid = systemEnginePid();
  return pid ? `/proc/${pid}/ns/net` : '/proc/self/ns/net';
}

function systemEnginePid(): number | null {
  const pid = readPid('/var/run/docker.pid');
  return pid && existsSync(`/proc/${pid}/ns/net`) ? pid : null;
}

/**
 * argv that runs a command inside the host, seeing that host's /sys as well as its network: `ip netns
 * exec` (a mount namespace of its own, with the namespace's sysfs; brctl, for one, reads
 * /sys/class/net). The root namespace is entered with the system engine's network and mount namespaces.
 * dockerd itself is started with nsenter --net alone (hostUp): under ip netns exec it would lose
 * the cgroup mounts ("Devices cgroup isn't mounted").
 */
export function inHost(gen: Generation, argv: readonly string[]): string[] {
  if (gen.netns) return ['ip', 'netns', 'exec', gen.netns, ...argv];
  const pid = systemEnginePid();
  if (!pid) return [...argv];
  return ['nsenter', `--net=/proc/${pid}/ns/net`, `--mount=/proc/${pid}/ns/mnt`, `--wd=${process.cwd()}`, '--', ...argv];
}
