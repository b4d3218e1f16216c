// Reads one container's DNS config and its main process's sockets through /proc/<pid>: file reads
// only, no exec, so it works on images with no tools at all.
import { localFs, type HostFs } from './host-fs.js';
import { errorCode, isGone, readFailure } from './read-error.js';

export interface ContainerFilesRaw {
  pid: number;
  /** /proc/<pid>/root/etc/resolv.conf as the container sees it; null when unreadable. */
  resolvConf: string | null;
  /**
   * Socket inodes held by the main process (from /proc/<pid>/fd links "socket:[N]"); null when
   * the fds could not be read, which is not "holds no sockets".
   */
  socketInodes: number[] | null;
  /** /proc/<pid>/net/{tcp,tcp6,udp,udp6}: the socket tables of the container's namespace. */
  netTables: Record<string, string | null>;
  errors: string[];
}

function describe(err: unknown, path: string): string {
  const f = readFailure(err, path);
  return f.cause === 'needs-root' ? `reading ${path} needs root` : `${path}: ${errorCode(err) ?? (err as Error).message}`;
}

function read(fs: HostFs, path: string, errors: string[]): string | null {
  try {
    return fs.readText(path);
  } catch (err) {
    errors.push(describe(err, path));
    return null;
  }
}

/** The roots are parameters so that tests can point them at a tree of their own. */
export function readContainerFiles(pid: number, procRoot: string, fs: HostFs = localFs): ContainerFilesRaw {
  const errors: string[] = [];
  const base = `${procRoot}/${pid}`;
  const raw: ContainerFilesRaw = {
    pid,
    resolvConf: read(fs, `${base}/root/etc/resolv.conf`, errors),
    socketInodes: [],
    netTables: {},
    errors,
  };
  try {
    const inodes: number[] = [];
    for (const fd of fs.readdir(`${base}/fd`)) {
      let target: string;
      try {
        target = fs.readlink(`${base}/fd/${fd}`);
      } catch (err) {
        // An fd closed between the listing and the readlink held nothing; anything else is unknown.
        if (isGone(err)) continue;
        throw err;
      }
      if (target.startsWith('socket:[')) inodes.push(Number(target.slice(8, -1)));
    }
    raw.socketInodes = inodes;
  } catch (err) {
    raw.socketInodes = null;
    errors.push(
      `listing ${base}/fd: ${readFailure(err, `${base}/fd`).cause === 'needs-root' ? 'needs root (permission denied)' : (errorCode(err) ?? (err as Error).message)}`,
    );
  }
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) raw.netTables[table] = read(fs, `${base}/net/${table}`, errors);
  return raw;
}
