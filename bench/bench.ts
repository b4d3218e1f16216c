// npm run bench: docknet veth-map against the raw cost of the same facts, at 10/100/300 containers.
// Prints a table: wall time (median of runs), peak memory, and processes spawned, for each size.
import { ensureEngine, ensureImage, which, aptInstall } from '../lab/engine.js';
import { LAB_IMAGE } from '../lab/lab-spec.js';
import { must, run } from '../lab/run.js';
import { readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCH_LABEL = 'docknet.bench=1';
const SIZES = (process.env.BENCH_SIZES ?? '10,100,300').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BIN = fileURLToPath(new URL('../../bin/docknet.js', import.meta.url));
// The same facts a person gathers by hand, in one shell, as the brief's reference cost.
const RAW_SCRIPT = 'docker inspect $(docker ps -q) >/dev/null; ip addr >/dev/null; iptables -t nat -vnL >/dev/null; brctl show >/dev/null';
const TARGET_RATIO = 1.5;
const TARGET_MIB = 150;

interface Measure {
  wallMs: number;
  peakMiB: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** GNU time's %e/%M: wall seconds and peak resident KiB of the whole process tree's largest member. */
async function timed(command: string[]): Promise<Measure> {
  const r = await run(['/usr/bin/time', '-f', '__TIME__ %e %M', ...command], { timeoutMs: 600_000 });
  if (r.exitCode !== 0) throw new Error(`${command.join(' ')} failed: ${r.stderr.slice(-300)}`);
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no timing from ${command.join(' ')}: ${r.stderr.slice(-300)}`);
  return { wallMs: Number(m[1]) * 1000, peakMiB: Number(m[2]) / 1024 };
}

async function medianOf(command: string[]): Promise<Measure> {
  const runs: Measure[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timed(command));
  return { wallMs: median(runs.map((r) => r.wallMs)), peakMiB: Math.max(...runs.map((r) => r.peakMiB)) };
}

/** Processes started (execve calls) by a command and all its children, minus the command itself. */
async function spawned(command: string[]): Promise<number> {
  const out = `/tmp/docknet-bench-strace-${process.pid}`;
  await must(['strace', '-f', '-qq', '-e', 'trace=execve', '-o', out, ...command], { timeoutMs: 600_000 });
  const text = await readFile(out, 'utf8');
  await rm(out, { force: true });
  // Count successful execve lines only: a PATH lookup tries several directories.
  return text.split('\n').filter((l) => l.includes('execve(') && / = 0$/.test(l)).length - 1;
}

async function containerCount(): Promise<number> {
  const r = await must(['docker', 'ps', '-q', '--filter', `label=${BENCH_LABEL}`]);
  return r.split('\n').filter(Boolean).length;
}

async function growTo(n: number): Promise<void> {
  let have = await containerCount();
  while (have < n) {
    const batch = Math.min(10, n - have);
    await Promise.all(
      Array.from({ length: batch }, (_, i) =>
        must(['docker', 'run', '-d', '--label', BENCH_LABEL, '--name', `docknet-bench-${have + i}`, LAB_IMAGE, 'sleep', '3600'], {
          timeoutMs: 120_000,
        }),
      ),
    );
    have += batch;
  }
}

async function cleanup(): Promise<void> {
  const ids = (await run(['docker', 'ps', '-aq', '--filter', `label=${BENCH_LABEL}`])).stdout.split('\n').filter(Boolean);
  for (let i = 0; i < ids.length; i += 50) await run(['docker', 'rm', '-f', ...ids.slice(i, i + 50)], { timeoutMs: 300_000 });
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  await ensureEngine({ log });
  await ensureImage({ log });
  const missing = ['strace', 'brctl', 'iptables'].filter((p) => !which(p));
  if (!existsSync('/usr/bin/time') || missing.length) await aptInstall(['strace', 'time', 'bridge-utils', 'iptables'], log);
  await cleanup();
  const rows: string[][] = [];
  try {
    for (const n of SIZES) {
      log(`growing to ${n} containers`);
      await growTo(n);
      const total = Number((await must(['docker', 'ps', '-q'])).split('\n').filter(Boolean).length);
      const raw = await medianOf(['bash', '-c', RAW_SCRIPT]);
      const docknet = await medianOf(['node', BIN, 'veth-map', '--json']);
      const rawProcs = await spawned(['bash', '-c', RAW_SCRIPT]);
      const docknetProcs = await spawned(['node', BIN, 'veth-map', '--json']);
      const ratio = docknet.wallMs / raw.wallMs;
      rows.push([
        String(total),
        raw.wallMs.toFixed(0),
        String(rawProcs),
        docknet.wallMs.toFixed(0),
        ratio.toFixed(2),
        docknet.peakMiB.toFixed(0),
        String(docknetProcs),
        ratio <= TARGET_RATIO && docknet.peakMiB < TARGET_MIB ? 'yes' : 'no',
      ]);
    }
  } finally {
    log('removing bench containers');
    await cleanup();
  }
  const head = [
    'running containers',
    'raw ms',
    'raw procs',
    'docknet ms',
    'docknet/raw',
    'docknet peak MiB',
    'docknet procs',
    `within ${TARGET_RATIO}x and ${TARGET_MIB} MiB`,
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ');
  console.log(`docknet veth-map vs the raw shell (${RAW_SCRIPT}); median of ${RUNS} runs, peak = largest RSS seen`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(
    'Target (issue: veth-map): at 300 containers, within 1.5x of the raw cost and under 150 MiB; docknet procs must not grow with containers.',
  );
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
