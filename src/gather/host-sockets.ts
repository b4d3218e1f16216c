// Reads the host's socket tables (/proc/net/tcp, tcp6, udp, udp6) as text: which ports a host
// process is bound to, for "nobody publishes this port, but something listens on it".
import { localFs, type HostFs } from './host-fs.js';

export const SOCKET_TABLES = ['tcp', 'tcp6', 'udp', 'udp6'] as const;
export type SocketTable = (typeof SOCKET_TABLES)[number];

/** Each table's text, or the reason it could not be read (e.g. no IPv6 in this kernel). */
export function readHostSocketTables(proc: string, fs: HostFs = localFs): Record<SocketTable, string | Error> {
  const out = {} as Record<SocketTable, string | Error>;
  for (const t of SOCKET_TABLES) {
    try {
      out[t] = fs.readText(`${proc}/net/${t}`);
    } catch (err) {
      out[t] = err as Error;
    }
  }
  return out;
}
