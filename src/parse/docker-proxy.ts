// Reads docker-proxy processes from their command lines: docknet's own host/docker-proxy.json
// ([{pid, cmdline: [argv...], netns}], from /proc/<pid>/cmdline and ns/net) or a pasted `ps -eo pid,args` listing.
import type { DockerProxy } from '../model/port-path.js';
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import { jsonPreview } from './json-preview.js';
import { cutShortIssue } from './listing-text.js';

// Files and command output end with a newline; a copy that does not may have lost the end of its last line.

/** The flags docker-proxy is started with (moby's cmd/docker-proxy); others are kept in argv only. */
const VALUE_FLAGS = new Set(['-proto', '-host-ip', '-host-port', '-container-ip', '-container-port']);

function isProxyArgv0(a: string | undefined): boolean {
  return a !== undefined && /(?:^|\/)docker-proxy$/.test(a);
}

/** One docker-proxy command line; a reason string when it does not say what it forwards. */
export function readProxyArgv(pid: number, argv: string[], netns: string | null = null): DockerProxy | string {
  const values = new Map<string, string>();
  for (let i = 1; i < argv.length; i += 1) {
    // Go's flag package accepts -flag value, --flag value, -flag=value.
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(argv[i] ?? '');
    if (!m || m[1] === undefined) continue;
    const name = `-${m[1]}`;
    if (!VALUE_FLAGS.has(name)) continue;
    const v = m[2] ?? argv[i + 1];
    if (m[2] === undefined) i += 1;
    if (v !== undefined) values.set(name, v);
  }
  const hostPort = Number(values.get('-host-port'));
  const containerPort = Number(values.get('-container-port'));
  const hostIp = values.get('-host-ip');
  const containerIp = values.get('-container-ip');
  if (!hostIp || !containerIp || !Number.isInteger(hostPort) || !Number.isInteger(containerPort) || hostPort <= 0 || containerPort <= 0) {
    return 'docker-proxy command line without -host-ip, -host-port, -container-ip and -container-port';
  }
  // Whether it is this host's is decided beside the host's own namespace (parse/nat-facts.ts, doctor/proof.ts).
  return {
    pid,
    proto: (values.get('-proto') ?? 'tcp').toLowerCase(),
    hostIp,
    hostPort,
    containerIp,
    containerPort,
    argv,
    netns,
  };
}

function fromJson(text: string, issues: ParseIssue[]): DockerProxy[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    issues.push(issue(0, text, `not valid JSON: ${(err as Error).message}`));
    return [];
  }
  if (!Array.isArray(doc)) {
    issues.push(issue(0, text, 'expected a JSON array of {pid, cmdline}'));
    return [];
  }
  const out: DockerProxy[] = [];
  doc.forEach((entry, i) => {
    const e = entry as { pid?: unknown; cmdline?: unknown; argv?: unknown; netns?: unknown };
    // cmdline as argv (docknet's own), or as one string (a hand-made file: NULs or spaces between words).
    const raw = e?.cmdline ?? e?.argv;
    const argv = typeof raw === 'string' ? raw.split(/\0|\s+/).filter(Boolean) : raw;
    if (typeof e?.pid !== 'number' || !Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) {
      issues.push(issue(0, jsonPreview(entry), 'entry without a numeric pid and a cmdline'));
      return;
    }
    const netns = typeof e.netns === 'string' && /^net:\[\d+\]$/.test(e.netns) ? e.netns : null;
    if (e.netns !== undefined && e.netns !== null && netns === null)
      issues.push(issue(0, jsonPreview(entry), 'netns is not a namespace link such as net:[4026531833]; its namespace is unknown'));
    const p = readProxyArgv(e.pid, argv as string[], netns);
    if (typeof p === 'string') issues.push(issue(0, (argv as string[]).join(' '), p));
    else out.push(p);
  });
  return out;
}

/** `  25922 /usr/sbin/docker-proxy -proto tcp ...`: lines of other processes are skipped, not reported. */
function fromPs(text: string, issues: ParseIssue[]): DockerProxy[] {
  const out: DockerProxy[] = [];
  const lines = splitLines(text);
  let lastUsed = 0;
  lines.forEach((line, i) => {
    const words = line.trim().split(/\s+/);
    if (words.length < 2 || !/^\d+$/.test(words[0] ?? '') || !isProxyArgv0(words[1])) return;
    const p = readProxyArgv(Number(words[0]), words.slice(1));
    if (typeof p === 'string') issues.push(issue(i + 1, line, p));
    else out.push(p);
    lastUsed = i + 1;
  });
  const cut = cutShortIssue(text, lines, lastUsed);
  if (cut) issues.push(cut);
  return out;
}

export function parseDockerProxies(text: string): Parsed<DockerProxy[]> {
  const issues: ParseIssue[] = [];
  const value = text.trimStart().startsWith('[') ? fromJson(text, issues) : fromPs(text, issues);
  value.sort((a, b) => a.hostPort - b.hostPort || a.proto.localeCompare(b.proto) || a.hostIp.localeCompare(b.hostIp) || a.pid - b.pid);
  return { value, issues };
}

export { isProxyArgv0 };
