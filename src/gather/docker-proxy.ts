// Finds docker-proxy processes by reading /proc/<pid>/cmdline (file reads, no `ps`): the userland
// proxy serving published ports that DNAT does not reach (127.0.0.1, [::] without ip6tables NAT).
import { readFileSync, readdirSync } from 'node:fs';

export interface ProxyProcessRaw {
  pid: number;
  /** argv as the kernel holds it (NUL-separated in /proc/<pid>/cmdline). */
  cmdline: string[];
}

const PROXY_ARGV0 = /(?:^|\/)docker-proxy$/;

/** Every process whose argv[0] ends in docker-proxy; throws only when /proc itself cannot be listed. */
export function readDockerProxies(proc = '/proc'): ProxyProcessRaw[] {
  const out: ProxyProcessRaw[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    let raw: string;
    try {
      raw = readFileSync(`${proc}/${entry}/cmdline`, 'latin1');
    } catch {
      // The process ended between listing and reading: not a proxy any more.
      continue;
    }
    const nul = raw.indexOf('\0');
    const argv0 = nul < 0 ? raw : raw.slice(0, nul);
    if (!PROXY_ARGV0.test(argv0)) continue;
    out.push({ pid: Number(entry), cmdline: raw.replace(/\0$/, '').split('\0') });
  }
  return out.sort((a, b) => a.pid - b.pid);
}
