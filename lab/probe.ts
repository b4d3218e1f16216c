// Real connections for the tests' ground truth: from a network namespace (the client beyond the uplink,
// or a container's), a TCP connect or a UDP exchange to one address, classified by what the kernel answered.
// Node's net/dgram run under `nsenter --net=...`; traffic goes only to the lab's own namespaces and containers.
import { spawn, type ChildProcess } from 'node:child_process';
import { run } from './run.js';

/** connect: a TCP handshake completed or a UDP reply came; refused: RST or ICMP port unreachable; unreachable: ICMP host/net unreachable or no route; timeout: silence (a DROP). */
export type ProbeResult = 'connect' | 'refused' | 'timeout' | 'unreachable';

export interface ProbeTarget {
  /** A path nsenter --net takes: /run/netns/NAME or /proc/PID/ns/net. */
  from: string;
  ip: string;
  port: number;
  protocol?: 'tcp' | 'udp';
  timeoutMs?: number;
}

const CLIENT = String.raw`
const [proto, ip, port, ms] = process.argv.slice(1);
const done = (r, why) => { process.stdout.write(JSON.stringify({ result: r, why: why ?? null })); process.exit(0); };
const classify = (e) => {
  if (e.code === 'ECONNREFUSED') return done('refused', e.code);
  if (['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(e.code)) return done('unreachable', e.code);
  if (e.code === 'ETIMEDOUT') return done('timeout', e.code);
  return done('error', e.code ?? String(e.message));
};
setTimeout(() => done('timeout', 'no answer within ' + ms + ' ms'), Number(ms));
if (proto === 'tcp') {
  const s = require('node:net').connect({ host: ip, port: Number(port) });
  s.on('connect', () => { s.destroy(); done('connect'); });
  s.on('error', classify);
} else {
  const s = require('node:dgram').createSocket('udp4');
  s.on('error', classify);
  s.on('message', () => done('connect'));
  s.connect(Number(port), ip, () => s.send('docknet probe\n', (e) => e && classify(e)));
}
`;

/** One probe; throws when the probe itself could not run (nsenter, node), never for what the network answered. */
export async function probe(t: ProbeTarget): Promise<ProbeResult> {
  const ms = t.timeoutMs ?? 2000;
  const r = await run(
    ['nsenter', `--net=${t.from}`, '--', process.execPath, '-e', CLIENT, t.protocol ?? 'tcp', t.ip, String(t.port), String(ms)],
    {
      timeoutMs: ms + 10_000,
    },
  );
  let out: { result?: string; why?: string | null } = {};
  try {
    out = JSON.parse(r.stdout) as typeof out;
  } catch {
    // reported below
  }
  if (out.result === 'connect' || out.result === 'refused' || out.result === 'timeout' || out.result === 'unreachable') return out.result;
  throw new Error(
    `probe ${t.protocol ?? 'tcp'} ${t.ip}:${t.port} from ${t.from} did not run: ${out.why ?? (r.stderr.trim() || `exit ${r.exitCode}`)}`,
  );
}

const ECHO = String.raw`
const s = require('node:dgram').createSocket('udp4');
s.on('message', (m, rinfo) => s.send(m, rinfo.port, rinfo.address));
s.bind(Number(process.argv[1]), () => process.stdout.write('ready\n'));
`;

/**
 * A UDP echo on `port` in a container's network namespace (busybox's nc has no UDP); the test stops it.
 * Resolves once it is bound.
 */
export function udpEcho(netnsPath: string, port: number): Promise<{ stop: () => void; process: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${netnsPath}`, '--', process.execPath, '-e', ECHO, String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`UDP echo on ${port} in ${netnsPath} did not start within 10 s: ${err.trim()}`));
    }, 10_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (!d.toString().includes('ready')) return;
      clearTimeout(timer);
      resolve({ stop: () => child.kill('SIGKILL'), process: child });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`UDP echo on ${port} in ${netnsPath} exited with ${code}: ${err.trim()}`));
    });
  });
}
