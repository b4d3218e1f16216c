// Reads a running container's interfaces through /proc/<pid>: file reads only, no process, no exec.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { ContainerNetFacts, ContainerIface } from '../model/container-net.js';

// Synchronous on purpose: sysfs and /proc files are tiny and answer at once, and thousands of
// promise-based reads (open, fstat, read, close through the thread pool) cost ten times more.
function readTrim(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
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
export function readOwnNetns(procRoot: string): string | null {
  try {
    return readlinkSync(`${procRoot}/self/ns/net`);
  } catch {
    return null;
  }
}

/**
 * The container's sysfs (mounted by the runtime inside its namespace) lists that namespace's
 * interfaces with ifindex and iflink; /proc/<pid>/net/igmp is the fallback that still gives
 * names and ifindexes when /sys is not mounted.
 */
export function readContainerNet(pid: number, hostNetns: string | null, procRoot: string): ContainerNetFacts {
  const facts: ContainerNetFacts = { pid, netns: null, via: null, interfaces: [], error: null };
  const proc = `${procRoot}/${pid}`;
  try {
    facts.netns = readlinkSync(`${proc}/ns/net`);
  } catch (err) {
    facts.error = reason(err, `${proc}/ns/net`);
    return facts;
  }
  // A host-mode container's interfaces are the host's own, already listed by `ip`.
  if (facts.netns === hostNetns) return facts;
  const sysNet = `${proc}/root/sys/class/net`;
  let names: string[] | null = null;
  try {
    names = readdirSync(sysNet).sort();
  } catch (err) {
    const code = (err as { code?: string })?.code;
    if (code === 'EACCES' || code === 'EPERM') {
      facts.error = reason(err, sysNet);
      return facts;
    }
  }
  if (names && names.length > 0) {
    facts.via = 'sysfs';
    // lo is in every namespace and links to nothing: not worth four reads per container.
    facts.interfaces = names
      .filter((n) => n !== 'lo')
      .map((name): ContainerIface => {
        const dir = `${sysNet}/${name}`;
        const [ifindex, iflink, mac, mtu] = ['ifindex', 'iflink', 'address', 'mtu'].map((f) => readTrim(`${dir}/${f}`));
        // operstate is not read: nothing uses it, and each file is a read per interface per container.
        return {
          name,
          ifindex: int(ifindex ?? null),
          iflink: int(iflink ?? null),
          mac: mac ?? null,
          mtu: int(mtu ?? null),
          operstate: null,
        };
      });
    return facts;
  }
  const igmp = readTrim(`${proc}/net/igmp`);
  if (igmp === null) {
    facts.error = `${proc} is gone: the container stopped while docknet was reading it`;
    return facts;
  }
  facts.via = 'proc-net';
  facts.procNetIgmp = igmp;
  return facts;
}
