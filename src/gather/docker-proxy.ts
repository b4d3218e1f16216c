// Finds the userland proxy processes (docker-proxy) by reading /proc: file reads, no `ps`. Each
// process's network namespace is recorded: another engine's proxies (rootless Docker, an engine in
// another namespace) are in this /proc too, and are not this host's.
import { localFs, type HostFs } from './host-fs.js';
import type { UnknownCause } from '../model/fact.js';
import { isGone, readFailure } from './read-error.js';

export interface DockerProxyProcess {
  pid: number;
  /** argv as the kernel holds it, e.g. ["/usr/sbin/docker-proxy", "-proto", "tcp", "-host-ip", "0.0.0.0", ...]. */
  cmdline: string[];
  /**
   * readlink /proc/<pid>/ns/net, e.g. "net:[4026531833]"; null when it could not be read (netnsError
   * says why); absent when the link is not there (the process ended meanwhile).
   */
  netns?: string | null;
  netnsError?: string;
}

export type DockerProxyRead = { ok: true; processes: DockerProxyProcess[] } | { ok: false; reason: string; cause: UnknownCause };

const PROCESS_NAME = 'docker-proxy';

/** Every process whose name (/proc/<pid>/comm) is docker-proxy, by pid. */
export function readDockerProxies(procRoot: string, fs: HostFs = localFs): DockerProxyRead {
  let pids: number[];
  try {
    pids = fs
      .readdir(procRoot)
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  } catch (err) {
    const f = readFailure(err, procRoot);
    return {
      ok: false,
      reason: f.cause === 'needs-root' ? f.reason : `cannot list ${procRoot}: ${(err as Error).message}`,
      cause: f.cause,
    };
  }
  const processes: DockerProxyProcess[] = [];
  for (const pid of pids) {
    // Synchronous: /proc files answer at once, and most processes are rejected after one tiny read.
    let comm: string;
    let cmdline: string;
    let path = `${procRoot}/${pid}/comm`;
    try {
      comm = fs.readText(path).trim();
      if (comm !== PROCESS_NAME) continue;
      path = `${procRoot}/${pid}/cmdline`;
      cmdline = fs.readText(path);
    } catch (err) {
      // The process ended between listing /proc and reading it: it is no longer part of the host.
      if (isGone(err)) continue;
      // Anything else (hidepid=1 makes other users' files unreadable) leaves the list incomplete,
      // and an incomplete list would read as "no proxy serves this port".
      const f = readFailure(err, path);
      return { ok: false, reason: f.reason, cause: f.cause };
    }
    const argv = cmdline.split('\0');
    if (argv.at(-1) === '') argv.pop();
    try {
      processes.push({ pid, cmdline: argv, netns: fs.readlink(`${procRoot}/${pid}/ns/net`) });
    } catch (err) {
      // Ended meanwhile (or a /proc without namespace links): recorded without one, as older snapshots are.
      if (isGone(err)) processes.push({ pid, cmdline: argv });
      else {
        // Not root, or a process of another user namespace: its namespace is unknown, not this host's.
        const e = err as NodeJS.ErrnoException;
        processes.push({ pid, cmdline: argv, netns: null, netnsError: e.code ?? e.message });
      }
    }
  }
  return { ok: true, processes };
}
