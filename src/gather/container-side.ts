// Reads a running container's interfaces through /proc/<pid>: file reads only, no process, no exec.
import { localFs, type HostFs } from './host-fs.js';
import type { ContainerNetFacts, ContainerIface } from '../model/container-net.js';
import { isGone, readFailure, type ReadFailure } from './read-error.js';

type Read = { ok: true; text: string } | { ok: false; err: unknown };

// Synchronous on purpose: sysfs and /proc files are tiny and answer at once, and thousands of
// promise-based reads (open, fstat, read, close through the thread pool) cost ten times more.
function readTrim(fs: HostFs, path: string): Read {
  try {
    return { ok: true, text: fs.readText(path).trim() };
  } catch (err) {
    return { ok: false, err };
  }
}

function int(text: string | null): number | null {
  if (text === null || !/^-?\d+$/.test(text)) return null;
  return Number(text);
}

/** The words for a read that failed: a container that stopped is "gone", a permission error needs root. */
function failure(err: unknown, what: string): ReadFailure {
  if (isGone(err))
    return {
      code: (err as { code?: string }).code ?? null,
      cause: 'failed',
      reason: `${what} is gone: the container stopped while docknet was reading it`,
    };
  return readFailure(err, what);
}

function fail(facts: ContainerNetFacts, f: ReadFailure): ContainerNetFacts {
  facts.error = f.reason;
  facts.errorCause = f.cause;
  return facts;
}

/** The namespace of the gathering process (the host's), or why it could not be read. */
export function ownNetns(procRoot: string, fs: HostFs = localFs): { netns: string } | { netns: null; failure: ReadFailure } {
  const path = `${procRoot}/self/ns/net`;
  try {
    return { netns: fs.readlink(path) };
  } catch (err) {
    return { netns: null, failure: readFailure(err, path) };
  }
}

/** The host's own network namespace, for telling host-mode containers apart. */
export function readOwnNetns(procRoot: string, fs: HostFs = localFs): string | null {
  return ownNetns(procRoot, fs).netns;
}

/**
 * The container's sysfs (mounted by the runtime inside its namespace) lists that namespace's
 * interfaces with ifindex and iflink; /proc/<pid>/net/igmp is the fallback that still gives
 * names and ifindexes when /sys is not mounted. A read refused for want of root is recorded as
 * such, with its path: never as an absent interface or an empty listing.
 */
export function readContainerNet(pid: number, hostNetns: string | null, procRoot: string, fs: HostFs = localFs): ContainerNetFacts {
  const facts: ContainerNetFacts = { pid, netns: null, via: null, interfaces: [], error: null };
  const nsPath = `${procRoot}/${pid}/ns/net`;
  try {
    facts.netns = fs.readlink(nsPath);
  } catch (err) {
    return fail(facts, failure(err, nsPath));
  }
  // A host-mode container's interfaces are the host's own, already listed by `ip`.
  if (facts.netns === hostNetns) return facts;
  const sysNet = `${procRoot}/${pid}/root/sys/class/net`;
  let names: string[] | null = null;
  let sysfsFailure: ReadFailure | null = null;
  try {
    names = fs.readdir(sysNet).sort();
  } catch (err) {
    const f = failure(err, sysNet);
    if (f.cause === 'needs-root') return fail(facts, f);
    // No /sys in the container (ENOENT), or not a directory: /proc/<pid>/net/igmp may still say.
    if (!isGone(err)) sysfsFailure = readFailure(err, sysNet);
  }
  if (names && names.length > 0) {
    facts.via = 'sysfs';
    let refused: ReadFailure | null = null;
    // lo is in every namespace and links to nothing: not worth four reads per container.
    facts.interfaces = names
      .filter((n) => n !== 'lo')
      .map((name): ContainerIface => {
        const dir = `${sysNet}/${name}`;
        const [ifindex, iflink, mac, mtu] = ['ifindex', 'iflink', 'address', 'mtu'].map((f) => {
          const r = readTrim(fs, `${dir}/${f}`);
          if (r.ok) return r.text;
          // An interface removed mid-read has no value; any other failure is recorded.
          if (!isGone(r.err)) refused ??= readFailure(r.err, `${dir}/${f}`);
          return null;
        });
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
    // The names are known, but without every ifindex and iflink the pairing is not.
    return refused ? fail(facts, refused) : facts;
  }
  const igmpPath = `${procRoot}/${pid}/net/igmp`;
  const igmp = readTrim(fs, igmpPath);
  if (!igmp.ok) {
    if (isGone(igmp.err) && sysfsFailure) return fail(facts, sysfsFailure);
    return fail(facts, isGone(igmp.err) ? failure(igmp.err, `${procRoot}/${pid}`) : readFailure(igmp.err, igmpPath));
  }
  facts.via = 'proc-net';
  facts.procNetIgmp = igmp.text;
  return facts;
}
