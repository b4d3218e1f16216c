// What the reachability matrix sets up around the lab, each part undone after, even on failure: the
// host firewall set-ups (ufw, DOCKER-USER rules), only ever inside the engine host's own network
// namespace; an egress namespace beyond the host with a listener; a listener of the host; and the
// rule counters (iptables-save -c) that prove which rule decided a packet.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { netnsPath } from '../../lab/host-enter.js';
import { GENERATIONS, type Generation } from '../../lab/lab-spec.js';
import { failure, must, run } from '../../lab/run.js';
import type { SetupId } from './reach-matrix-scenarios.js';

// ---- rule counters ----

export interface Counted {
  packets: number;
  /** The rule as iptables-save prints it, without its counters; `policy X` for a chain's policy. */
  text: string;
}

/** Every rule and base-chain policy of `iptables-save -c`, by `table/chain/number` (0: the policy). */
export async function ruleCounters(): Promise<Map<string, Counted>> {
  const out = await must(['iptables-save', '-c']);
  const counters = new Map<string, Counted>();
  let table = '';
  let numbers = new Map<string, number>();
  for (const line of out.split('\n')) {
    if (line.startsWith('*')) {
      table = line.slice(1).trim();
      numbers = new Map();
      continue;
    }
    const policy = /^:(\S+) (\S+) \[(\d+):(\d+)\]/.exec(line);
    if (policy) {
      if (policy[2] !== '-') counters.set(`${table}/${policy[1]}/0`, { packets: Number(policy[3]), text: `policy ${policy[2]}` });
      continue;
    }
    const rule = /^\[(\d+):(\d+)\] (-A (\S+) .*)$/.exec(line);
    if (!rule) continue;
    const chain = rule[4] as string;
    const n = (numbers.get(chain) ?? 0) + 1;
    numbers.set(chain, n);
    counters.set(`${table}/${chain}/${n}`, { packets: Number(rule[1]), text: rule[3] as string });
  }
  return counters;
}

// ---- listeners ----

/** A TCP listener of this process (the host's namespace) on 0.0.0.0:port. */
export function hostListener(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((s) => s.destroy());
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}

const LISTENER = String.raw`
require('node:net').createServer((s) => s.destroy()).listen(Number(process.argv[1]), '0.0.0.0', () => process.stdout.write('ready\n'));
`;

export interface Egress {
  ip: string;
  stop: () => Promise<void>;
}

/**
 * A namespace beyond the host: a process in a network namespace of its own (unshare, so nothing is
 * mounted under /run/netns), joined to the host by veth `mx-eg0` on 198.18.<n>.0/30 (RFC 2544's
 * benchmarking range: no real host), listening on `port`, routing `routeBack` (a routed network's
 * subnet, whose replies go back without NAT) via the host. Killing the process removes it all.
 */
export async function egressNamespace(gen: Generation, port: number, routeBack: string[]): Promise<Egress> {
  const n = gen.id === '20.10' ? 20 : Number(gen.id);
  const hostAddr = `198.18.${n}.1`;
  const ip = `198.18.${n}.2`;
  const child = spawn('unshare', ['--net', '--', process.execPath, '-e', LISTENER, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    child.kill('SIGKILL');
    if ((await run(['ip', 'link', 'show', 'dev', 'mx-eg0'])).exitCode === 0) await run(['ip', 'link', 'del', 'mx-eg0']);
  };
  try {
    await ready(child, 'the egress listener');
    const pid = String(child.pid);
    const inside = (args: string[]) => must(['nsenter', `--net=/proc/${pid}/ns/net`, '--', 'ip', ...args]);
    if ((await run(['ip', 'link', 'show', 'dev', 'mx-eg0'])).exitCode === 0) await must(['ip', 'link', 'del', 'mx-eg0']);
    await must(['ip', 'link', 'add', 'mx-eg0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pid]);
    await must(['ip', 'link', 'set', 'dev', 'mx-eg0', 'alias', 'docknet.test reach matrix egress']);
    await must(['ip', 'addr', 'add', `${hostAddr}/30`, 'dev', 'mx-eg0']);
    await must(['ip', 'link', 'set', 'mx-eg0', 'up']);
    await inside(['addr', 'add', `${ip}/30`, 'dev', 'eth0']);
    await inside(['link', 'set', 'eth0', 'up']);
    await inside(['link', 'set', 'lo', 'up']);
    for (const r of routeBack) await inside(['route', 'add', r, 'via', hostAddr]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ip, stop };
}

function ready(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 10 s: ${err.trim()}`)), 10_000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      if (!d.toString().includes('ready')) return;
      clearTimeout(timer);
      resolve();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${err.trim()}`));
    });
  });
}

// ---- host firewall set-ups ----

export type Undo = () => Promise<void>;

/**
 * The engine host's own namespace, as a path for nsenter; throws for the system engine (the root
 * namespace, the machine's own), where no firewall set-up is ever applied, and when this process is
 * not inside the host it names.
 */
export function hostNamespace(gen: Generation): string {
  if (!gen.netns) throw new Error(`Docker ${gen.id} runs in the machine's own namespace: no firewall set-up is applied there`);
  const ns = `/run/netns/${gen.netns}`;
  const inode = (p: string) => statSync(p).ino;
  if (inode(ns) !== inode('/proc/self/ns/net')) throw new Error(`this test process is not inside ${gen.netns}`);
  if (inode(ns) === inode(machineNamespace())) throw new Error(`${gen.netns} is the machine's own namespace`);
  return ns;
}

/** The machine's own network namespace: the system engine's (lab/hosts.ts); never where a set-up goes. */
function machineNamespace(): string {
  const p = netnsPath(GENERATIONS['20.10']);
  if (p === '/proc/self/ns/net') throw new Error("the system engine is not running, so the machine's own namespace cannot be told apart");
  return p;
}

async function inNs(ns: string, argv: string[]): Promise<string> {
  return must(['nsenter', `--net=${ns}`, '--', ...argv]);
}

/** Applies a set-up in the host's namespace; returns what undoes it. */
export async function applySetup(id: SetupId, gen: Generation, client: string, lanIface: string): Promise<Undo> {
  if (id === 'none') return async () => {};
  const ns = hostNamespace(gen);
  if (id === 'ufw') return ufwEnable(ns);
  const rules =
    id === 'docker-user-drop-source'
      ? [['-s', `${client}/32`, '-j', 'DROP']]
      : id === 'docker-user-drop-replies'
        ? [['-d', `${client}/32`, '-m', 'conntrack', '--ctstate', 'ESTABLISHED', '-j', 'DROP']]
        : [
            ['-i', lanIface, '-p', 'tcp', '-m', 'tcp', '--dport', '8080', '-j', 'RETURN'],
            ['-i', lanIface, '-j', 'DROP'],
          ];
  const added: string[][] = [];
  const undo = async () => {
    for (const r of added.reverse()) await inNs(ns, ['iptables', '-D', 'DOCKER-USER', ...r]);
  };
  try {
    for (const [i, r] of rules.entries()) {
      await inNs(ns, ['iptables', '-I', 'DOCKER-USER', String(i + 1), ...r]);
      added.push(r);
    }
  } catch (err) {
    await undo();
    throw err;
  }
  return undo;
}

/** ufw's files: /etc/default/ufw and /etc/ufw's own, which `ufw enable` may write (ENABLED=yes in ufw.conf). */
function ufwFiles(): Map<string, { data: Buffer; mode: number }> {
  const paths = ['/etc/default/ufw', ...readdirSync('/etc/ufw').map((f) => path.join('/etc/ufw', f))];
  const out = new Map<string, { data: Buffer; mode: number }>();
  for (const p of paths) {
    const st = statSync(p);
    if (st.isFile()) out.set(p, { data: readFileSync(p), mode: st.mode & 0o7777 });
  }
  return out;
}

/** iptables-nft makes a built-in chain only when it is used: one that iptables-save lists may not be in the kernel. */
export async function nftChainExists(table: string, chain: string): Promise<boolean> {
  const r = await run(['nft', 'list', 'chain', 'ip', table, chain]);
  if (r.exitCode === 0) return true;
  if (/No such file or directory/.test(r.stderr)) return false;
  throw new Error(failure(r) ?? 'nft list chain failed');
}

/** The rules of a table set, without counters or comments: what must be the same after ufw is gone again. */
async function rulesText(ns: string, save: string): Promise<string> {
  return (await inNs(ns, [save]))
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''))
    .join('\n');
}

/** The sysctls ufw's sysctl.conf sets, as the machine's own namespace has them: they must not move. */
async function rootSysctls(): Promise<string> {
  const keys = readFileSync('/etc/ufw/sysctl.conf', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split('=')[0] as string);
  return must(['nsenter', `--net=${machineNamespace()}`, '--', 'sysctl', ...keys]);
}

/** Removes what `ufw disable` leaves (its primary chains, empty, and the jumps to them) and puts the policies back. */
async function ufwLeftovers(ns: string, exe: 'iptables' | 'ip6tables', before: string): Promise<void> {
  const now = await inNs(ns, [`${exe}-save`, '-t', 'filter']);
  for (const line of now.split('\n')) {
    const m = /^-A (\S+) ((?:.* )?-j ufw6?-\S+)$/.exec(line);
    if (m && !m[1]?.startsWith('ufw')) await inNs(ns, [exe, '-D', m[1] as string, ...(m[2] as string).split(' ')]);
  }
  const chains = [...now.matchAll(/^:(ufw6?-\S+) /gm)].map((m) => m[1] as string);
  for (const c of chains) await inNs(ns, [exe, '-F', c]);
  for (const c of chains) await inNs(ns, [exe, '-X', c]);
  const filter = before.split('*filter')[1] ?? '';
  for (const m of filter.matchAll(/^:(INPUT|FORWARD|OUTPUT) (ACCEPT|DROP)/gm)) await inNs(ns, [exe, '-P', m[1] as string, m[2] as string]);
}

/** Debian's ufw enabled in the host's namespace (default deny incoming, deny routed); the undo restores rules, files and policies. */
async function ufwEnable(ns: string): Promise<Undo> {
  const files = ufwFiles();
  const sysctls = await rootSysctls();
  const before4 = await rulesText(ns, 'iptables-save');
  const before6 = await rulesText(ns, 'ip6tables-save');
  const undo = async () => {
    const problems: string[] = [];
    // Every step is tried, whatever failed before it; the files first, as they are the machine's.
    const step = async (what: string, f: () => Promise<void>) => {
      try {
        await f();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    await step('ufw disable', async () => {
      const r = await run(['nsenter', `--net=${ns}`, '--', 'ufw', '--force', 'disable']);
      if (r.exitCode !== 0) throw new Error(failure(r) ?? 'failed');
    });
    await step("restoring ufw's files", async () => {
      for (const [p, f] of files) if (!readFileSync(p).equals(f.data)) writeFileSync(p, f.data, { mode: f.mode });
    });
    await step('removing the chains ufw leaves (IPv4)', () => ufwLeftovers(ns, 'iptables', before4));
    await step('removing the chains ufw leaves (IPv6)', () => ufwLeftovers(ns, 'ip6tables', before6));
    // A filter table ufw made (no IPv6 rules before it, on a host whose engine writes none) goes again whole.
    for (const [family, before] of [
      ['ip', before4],
      ['ip6', before6],
    ] as const) {
      if (!before.includes('*filter'))
        await step(
          `removing the ${family} filter table ufw made`,
          async () => void (await inNs(ns, ['nft', 'delete', 'table', family, 'filter'])),
        );
    }
    for (const p of ufwFiles().keys()) if (!files.has(p)) problems.push(`ufw left a new file ${p}`);
    if ((await rulesText(ns, 'iptables-save')) !== before4) problems.push('the IPv4 rules differ from before ufw was enabled');
    if ((await rulesText(ns, 'ip6tables-save')) !== before6) problems.push('the IPv6 rules differ from before ufw was enabled');
    if ((await rootSysctls()) !== sysctls) problems.push("the machine's own namespace's sysctls changed");
    if (problems.length) throw new Error(`undoing ufw: ${problems.join('; ')}`);
  };
  try {
    await inNs(ns, ['ufw', '--force', 'enable']);
    const status = await inNs(ns, ['ufw', 'status', 'verbose']);
    if (!/deny \(incoming\)/.test(status) || !/deny \(routed\)/.test(status))
      throw new Error(`ufw status is not default deny incoming and routed:\n${status}`);
  } catch (err) {
    await undo();
    throw err;
  }
  return undo;
}
