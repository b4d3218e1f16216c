// Reads a container's files.json (gather/container-files.ts): its resolv.conf and its main process's sockets.
import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';
import { parseProcNetSockets, type SocketEntry } from './proc-net-sockets.js';
import { parseResolvConf, type ResolvConf } from './resolv-conf.js';

export interface ContainerFiles {
  resolv: ResolvConf | null;
  sockets: { entries: SocketEntry[]; inodes: number[] } | null;
  /** Every socket of the container's network namespace (any process's); null when its tables were not read. */
  namespaceSockets: SocketEntry[] | null;
  errors: string[];
}

const TABLES = [
  ['tcp', 'tcp', 'ipv4'],
  ['tcp6', 'tcp', 'ipv6'],
  ['udp', 'udp', 'ipv4'],
  ['udp6', 'udp', 'ipv6'],
] as const;

export function parseContainerFiles(text: string): Parsed<ContainerFiles> {
  const issues: ParseIssue[] = [];
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    return {
      value: { resolv: null, sockets: null, namespaceSockets: null, errors: [] },
      issues: [issue(0, text.slice(0, 80), `not valid JSON: ${(err as Error).message}`)],
    };
  }
  const errors = Array.isArray(raw.errors) ? raw.errors.filter((e): e is string => typeof e === 'string') : [];
  const resolv = typeof raw.resolvConf === 'string' ? parseResolvConf(raw.resolvConf) : null;
  if (resolv) issues.push(...resolv.issues);
  const tables = (raw.netTables ?? {}) as Record<string, unknown>;
  // No inode list (the fds could not be read) leaves the listeners unknown, even with the tables.
  const inodes = Array.isArray(raw.socketInodes) ? raw.socketInodes.filter((n): n is number => typeof n === 'number') : null;
  const entries: SocketEntry[] = [];
  let anyTable = false;
  for (const [file, proto, family] of TABLES) {
    const t = tables[file];
    if (typeof t !== 'string') continue;
    anyTable = true;
    const parsed = parseProcNetSockets(t, proto, family);
    entries.push(...parsed.value);
    issues.push(...parsed.issues);
  }
  return {
    value: {
      resolv: resolv?.value ?? null,
      sockets: anyTable && inodes ? { entries, inodes } : null,
      namespaceSockets: anyTable ? entries : null,
      errors,
    },
    issues,
  };
}
