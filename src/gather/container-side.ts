// Reads a running container's interfaces through /proc/<pid>: file reads only, no process, no exec.
import { readFile, readdir, readlink } from 'node:fs/promises';
import type { ContainerNetFacts, ContainerIface } from '../model/container-net.js';

async function readTrim(path: string): Promise<string | null> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return null;
  }
}

function int(text: string | null): number | null {
  if (text === null || !/^-?\d+$/.test(text)) return null;
  return Number(text);
}

function reason(err: unknown, what: string): string {
  const code = (err as { code?: string })?.code;
  if (code === 'EACCES' || code === 'EPERM') return `reading ${what} needs root (permission denied)`;
  if (code === 'ENOENT' || code === 'ESRCH') return `${what} is gone: the container stopped while docknet was reading it`;
  return `could not read ${what}: ${(err as Error)?.message ?? String(err)}`;
}

/** The host's own network namespace, for telling host-mode containers apart. */
export async function readOwnNetns(): Promise<string | null> {
  try {
    return await readlink('/proc/self/ns/net');
  } catch {
    return null;
  }
}

/**
 * The container's sysfs (mounted by the runtime inside its namespace) lists that namespace's
 * interfaces with ifindex and iflink; /proc/<pid>/net/igmp is the fallback that still gives
 * names and ifindexes when /sys is not mounted.
 */
export async function readContainerNet(pid: number): Promise<ContainerNetFacts> {
  const facts: ContainerNetFacts = { pid, netns: null, via: null, interfaces: [], error: null };
  try {
    facts.netns = await readlink(`/proc/${pid}/ns/net`);
  } catch (err) {
    facts.error = reason(err, `/proc/${pid}/ns/net`);
    return facts;
  }
  const sysNet = `/proc/${pid}/root/sys/class/net`;
  let names: string[] | null = null;
  try {
    names = (await readdir(sysNet)).sort();
  } catch (err) {
    const code = (err as { code?: string })?.code;
    if (code === 'EACCES' || code === 'EPERM') {
      facts.error = reason(err, sysNet);
      return facts;
    }
  }
  if (names && names.length > 0) {
    facts.via = 'sysfs';
    facts.interfaces = await Promise.all(
      names.map(async (name): Promise<ContainerIface> => {
        const dir = `${sysNet}/${name}`;
        const [ifindex, iflink, mac, mtu, operstate] = await Promise.all(
          ['ifindex', 'iflink', 'address', 'mtu', 'operstate'].map((f) => readTrim(`${dir}/${f}`)),
        );
        return { name, ifindex: int(ifindex ?? null), iflink: int(iflink ?? null), mac: mac ?? null, mtu: int(mtu ?? null), operstate: operstate ?? null };
      }),
    );
    return facts;
  }
  const igmp = await readTrim(`/proc/${pid}/net/igmp`);
  if (igmp === null) {
    facts.error = `/proc/${pid} is gone: the container stopped while docknet was reading it`;
    return facts;
  }
  facts.via = 'proc-net';
  facts.procNetIgmp = igmp;
  return facts;
}
