// Parses /proc/net/{tcp,tcp6,udp,udp6}: the kernel's socket tables, addresses in hex.
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import type { ListeningSocket } from '../model/port-path.js';
import { cutShortIssue } from './listing-text.js';

export interface SocketEntry {
  protocol: 'tcp' | 'udp';
  family: 'ipv4' | 'ipv6';
  localIp: string;
  localPort: number;
  /** TCP state name (LISTEN, ESTABLISHED, ...); for UDP, CLOSE means bound (unconnected). */
  state: string;
  inode: number;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
};
//   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 ...
const ROW =
  /^\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+[0-9A-Fa-f]+:[0-9A-Fa-f]{4}\s+([0-9A-Fa-f]{2})\s+\S+\s+\S+\s+\S+\s+\d+\s+\d+\s+(\d+)/;

/** The kernel prints each 32-bit word of the address in host byte order (little-endian here). */
function hexToIp(hex: string): string | null {
  const words = hex.match(/.{8}/g);
  if (!words || (words.length !== 1 && words.length !== 4)) return null;
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return `::ffff:${bytes.slice(12).join('.')}`;
  return compressIpv6(groups);
}

/** RFC 5952 text: the longest run of two or more zero groups becomes "::". */
function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

// Files and command output end with a newline; a copy that does not may have lost the end of its last line.

export function parseProcNetSockets(text: string, protocol: 'tcp' | 'udp', family: 'ipv4' | 'ipv6'): Parsed<SocketEntry[]> {
  const value: SocketEntry[] = [];
  const issues: ParseIssue[] = [];
  const lines = splitLines(text);
  let lastUsed = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '' || /^\s*sl\s/.test(line)) return;
    const m = ROW.exec(line);
    const ip = m ? hexToIp(m[1] as string) : null;
    if (!m || ip === null || !Number.isSafeInteger(Number(m[4]))) {
      issues.push(issue(i + 1, line, `not a /proc/net/${protocol}${family === 'ipv6' ? '6' : ''} row`));
      return;
    }
    value.push({
      protocol,
      family,
      localIp: ip,
      localPort: parseInt(m[2] as string, 16),
      state: TCP_STATES[(m[3] as string).toUpperCase()] ?? (m[3] as string),
      inode: Number(m[4]),
    });
    lastUsed = i + 1;
  });
  const cut = cutShortIssue(text, lines, lastUsed);
  if (cut) issues.push(cut);
  return { value, issues };
}

/** The sockets that accept connections: TCP in LISTEN, UDP bound and unconnected (the kernel shows it as CLOSE). */
export function listeningOf(entries: SocketEntry[]): ListeningSocket[] {
  return entries
    .filter((s) => (s.protocol === 'tcp' && s.state === 'LISTEN') || (s.protocol === 'udp' && s.state === 'CLOSE'))
    .map((s) => ({ protocol: s.protocol, family: s.family, ip: s.localIp, port: s.localPort, inode: s.inode }));
}
