// Reads one container's DNS config and its main process's sockets through /proc/<pid>: file reads
// only, no exec, so it works on images with no tools at all.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface ContainerFilesRaw {
  pid: number;
  /** /proc/<pid>/root/etc/resolv.conf as the container sees it; null when unreadable. */
  resolvConf: string | null;
  /** Socket inodes held by the main process (from /proc/<pid>/fd links "socket:[N]"). */
  socketInodes: number[];
  /** /proc/<pid>/net/{tcp,tcp6,udp,udp6}: the socket tables of the container's namespace. */
  netTables: Record<string, string | null>;
  errors: string[];
}

function read(path: string, errors: string[]): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    errors.push(code === 'EACCES' || code === 'EPERM' ? `reading ${path} needs root` : `${path}: ${code ?? (err as Error).message}`);
    return null;
  }
}

export function readContainerFiles(pid: number, procRoot: string): ContainerFilesRaw {
  const errors: string[] = [];
  const proc = `${procRoot}/${pid}`;
  const raw: ContainerFilesRaw = {
    pid,
    resolvConf: read(`${proc}/root/etc/resolv.conf`, errors),
    socketInodes: [],
    netTables: {},
    errors,
  };
  try {
    for (const fd of readdirSync(`${proc}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`${proc}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target.startsWith('socket:[')) raw.socketInodes.push(Number(target.slice(8, -1)));
    }
  } catch (err) {
    errors.push(`listing ${proc}/fd: ${(err as { code?: string }).code ?? (err as Error).message}`);
  }
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) raw.netTables[table] = read(`${proc}/net/${table}`, errors);
  return raw;
}
