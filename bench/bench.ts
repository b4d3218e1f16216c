// npm run bench: every command in text and --json, timed as a user runs it (node bin/docknet.js, GNU
// time for wall time and peak memory), in one table. Live: at 10, 100 and 300 running containers
// (bench containers labelled docknet.bench=1, one published port each, removed after), beside the raw
// shell cost of the same facts. Generated: hosts of 500 to 5,000 containers written as snapshots and
// read with --from, as the time per container, which must stay flat. Then the targets, met or not.
//
// BENCH_LIVE and BENCH_GENERATED: the sizes ('' skips that part); BENCH_RUNS: runs per figure (median);
// BENCH_ENGINE_LOCK: a lock file (flock) the live part holds while it uses the engine, on a machine
// where several people share it; BENCH_OUT: also write the figures as JSON there.
import { ensureEngine, ensureImage, which, aptInstall } from '../lab/engine.js';
import { LAB_IMAGE } from '../lab/lab-spec.js';
import { must, run } from '../lab/run.js';
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeneratedHost, PORTS_PER_CONTAINER } from './generated-hosts.js';
import { type Measure, median, medianRun } from './timed.js';

const BENCH_LABEL = 'docknet.bench=1';
// The first bench container: growTo always makes it.
const INSPECT_TARGET = 'docknet-bench-0';
const sizes = (v: string | undefined, fallback: string): number[] =>
  (v ?? fallback)
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(Number);
const LIVE = sizes(process.env.BENCH_LIVE, '10,100,300');
const GENERATED = sizes(process.env.BENCH_GENERATED, '500,1000,2000,5000');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BIN = fileURLToPath(new URL('../../bin/docknet.js', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
// The same facts a person gathers by hand, in one shell: the reference cost of every command.
const RAW_SCRIPT = 'docker inspect $(docker ps -q) >/dev/null; ip addr >/dev/null; brctl show >/dev/null; iptables -t nat -vnL >/dev/null';
const TERMINAL_WIDTH = 120;

// The commands and outputs measured; a new command is one more line here.
const COMMANDS: { name: string; args: (inspectTarget: string) => string[] }[] = [
  { name: 'veth-map', args: () => ['veth-map'] },
  { name: 'nat', args: () => ['nat'] },
  { name: 'inspect', args: (target) => ['inspect', target] },
  { name: 'doctor', args: () => ['doctor'] },
];
// Text as read on a terminal (forced: the bench's stdout is a pipe), with colour; and JSON.
const OUTPUTS: { name: string; args: string[]; env: Record<string, string> }[] = [
  { name: 'text', args: [], env: { DOCKNET_FORCE_TTY: String(TERMINAL_WIDTH) } },
  { name: '--json', args: ['--json'], env: {} },
];

// The targets of issue 14.
const TARGET = { liveRatio: 1.0, liveAt: 300, generatedSeconds: 3, generatedAt: 2000, startupRatio: 2, peakMiB: 150, flat: 1.5 };

interface LiveSize {
  containers: number;
  bench: number;
  raw: Measure;
  startup: Record<'node -e 0' | 'docknet --version' | 'docknet --help', Measure>;
  /** `${command} ${output}` -> measure */
  commands: Record<string, Measure>;
}

interface GeneratedSize {
  containers: number;
  natRules: number;
  commands: Record<string, Measure>;
}

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

function medianOf(command: string[], env: Record<string, string> = {}, okCodes = [0], runCount = RUNS): Promise<Measure> {
  return medianRun(command, env, okCodes, runCount);
}

/** Every command in every output; doctor exits 1 when it finds an error, which is an answer, not a failure. */
async function measureCommands(inspectTarget: string, extra: string[]): Promise<Record<string, Measure>> {
  const out: Record<string, Measure> = {};
  for (const c of COMMANDS)
    for (const o of OUTPUTS) {
      const key = `${c.name} ${o.name}`;
      out[key] = await medianOf(['node', BIN, ...c.args(inspectTarget), ...o.args, ...extra], o.env, c.name === 'doctor' ? [0, 1] : [0]);
      log(`  ${key}: ${out[key].wallMs.toFixed(0)} ms, ${out[key].peakMiB.toFixed(0)} MiB`);
    }
  return out;
}

// Start-up takes a tenth of a second, as long as one scheduling delay on a busy machine: more runs,
// taken in turns, so that one slow moment does not land on one of the three alone.
const STARTUP_RUNS = Math.max(RUNS, 9);

async function measureStartup(): Promise<LiveSize['startup']> {
  const commands = {
    'node -e 0': ['node', '-e', '0'],
    'docknet --version': ['node', BIN, '--version'],
    'docknet --help': ['node', BIN, '--help'],
  };
  const runs: Record<string, Measure[]> = {};
  for (let i = 0; i < STARTUP_RUNS; i++)
    for (const [k, argv] of Object.entries(commands)) (runs[k] ??= []).push(await medianOf(argv, {}, [0], 1));
  const of = (k: string): Measure => ({
    wallMs: median(runs[k]!.map((r) => r.wallMs)),
    cpuMs: median(runs[k]!.map((r) => r.cpuMs)),
    peakMiB: Math.max(...runs[k]!.map((r) => r.peakMiB)),
  });
  return { 'node -e 0': of('node -e 0'), 'docknet --version': of('docknet --version'), 'docknet --help': of('docknet --help') };
}

// ---- live ----

const running = async (filter: string[] = []): Promise<string[]> =>
  (await must(['docker', 'ps', '-q', ...filter])).split('\n').filter(Boolean);

/** Bench containers until `total` run in all (others' count too), and at least one, for inspect. */
async function growTo(total: number): Promise<void> {
  let bench = (await running(['--filter', `label=${BENCH_LABEL}`])).length;
  let have = (await running()).length;
  const target = Math.max(total, have - bench + 1);
  while (have < target) {
    const batch = Math.min(10, target - have);
    await Promise.all(
      Array.from({ length: batch }, (_, i) =>
        must(
          [
            'docker',
            'run',
            '-d',
            '--label',
            BENCH_LABEL,
            '--name',
            `docknet-bench-${bench + i}`,
            '-p',
            '127.0.0.1::8080',
            LAB_IMAGE,
            'sleep',
            '3600',
          ],
          { timeoutMs: 120_000 },
        ),
      ),
    );
    bench += batch;
    have += batch;
  }
}

async function cleanup(): Promise<void> {
  const ids = (await run(['docker', 'ps', '-aq', '--filter', `label=${BENCH_LABEL}`])).stdout.split('\n').filter(Boolean);
  for (let i = 0; i < ids.length; i += 50) await run(['docker', 'rm', '-f', ...ids.slice(i, i + 50)], { timeoutMs: 300_000 });
}

async function livePart(): Promise<LiveSize[]> {
  await ensureEngine({ log });
  await ensureImage({ log });
  await cleanup();
  const results: LiveSize[] = [];
  try {
    for (const n of LIVE) {
      log(`growing to ${n} running containers`);
      await growTo(n);
      const containers = (await running()).length;
      const bench = (await running(['--filter', `label=${BENCH_LABEL}`])).length;
      const raw = await medianOf(['bash', '-c', RAW_SCRIPT]);
      log(`  raw shell: ${raw.wallMs.toFixed(0)} ms`);
      const startup = await measureStartup();
      results.push({ containers, bench, raw, startup, commands: await measureCommands(INSPECT_TARGET, []) });
    }
  } finally {
    log('removing bench containers');
    await cleanup();
  }
  return results;
}

/** The live part in a child that holds BENCH_ENGINE_LOCK (flock) only while it runs. */
async function livePartLocked(lock: string): Promise<LiveSize[]> {
  const dir = await mkdtemp(join(tmpdir(), 'docknet-bench-'));
  const out = join(dir, 'live.json');
  log(`live part under the engine lock ${lock}`);
  try {
    // Its progress goes straight to this stderr: the live part takes minutes.
    const r = await execa('flock', [lock, process.execPath, SELF, '--live-part', out], {
      reject: false,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.exitCode !== 0) throw new Error(`the live part failed (exit ${r.exitCode})`);
    return JSON.parse(await readFile(out, 'utf8')) as LiveSize[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---- generated ----

async function generatedPart(): Promise<GeneratedSize[]> {
  const results: GeneratedSize[] = [];
  for (const n of GENERATED) {
    const dir = join(await mkdtemp(join(tmpdir(), 'docknet-bench-')), `generated-${n}`);
    try {
      log(`writing a generated host of ${n} containers to ${dir}`);
      const host = await writeGeneratedHost(n, dir);
      results.push({ containers: n, natRules: host.natRules, commands: await measureCommands(host.inspectTarget, ['--from', dir]) });
    } finally {
      await rm(join(dir, '..'), { recursive: true, force: true });
    }
  }
  return results;
}

// ---- the table ----

const ms = (m: Measure): string => `${m.wallMs.toFixed(0)} ms`;
/** Wall time and, in brackets, the CPU time (user + system) of the same runs: on a loaded machine the wall time waits for a core. */
const msCpu = (m: Measure): string => `${m.wallMs.toFixed(0)} ms (cpu ${m.cpuMs.toFixed(0)})`;
const mib = (m: Measure): string => `${m.peakMiB.toFixed(0)} MiB`;
const x = (r: number): string => `${r.toFixed(2)}x`;
const thousands = (n: number): string => n.toLocaleString('en-US');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function report(live: LiveSize[], generated: GeneratedSize[], startupAlone: LiveSize['startup'] | null): string {
  const head = [
    'command',
    'output',
    ...live.map((l) => `live ${thousands(l.containers)}: wall, peak, x raw`),
    ...generated.map((g) => `gen ${thousands(g.containers)}: ms/container`),
    ...(generated.length > 1 ? [`${thousands(generated.at(-1)!.containers)} vs ${thousands(generated[0]!.containers)}`] : []),
    ...(generated.some((g) => g.containers === TARGET.generatedAt) ? [`gen ${thousands(TARGET.generatedAt)}: wall, peak`] : []),
  ];
  const rows: string[][] = [head];
  const gAt = generated.find((g) => g.containers === TARGET.generatedAt);
  if (live.length) {
    rows.push([
      'raw shell',
      '-',
      ...live.map((l) => `${msCpu(l.raw)}, ${mib(l.raw)}, ${x(1)}`),
      ...generated.map(() => '-'),
      ...head.slice(2 + live.length + generated.length).map(() => '-'),
    ]);
    for (const k of ['node -e 0', 'docknet --version', 'docknet --help'] as const)
      rows.push([
        k,
        '-',
        ...live.map((l) => `${msCpu(l.startup[k])}, ${mib(l.startup[k])}, ${x(l.startup[k].wallMs / l.startup['node -e 0'].wallMs)} node`),
        ...generated.map(() => '-'),
        ...head.slice(2 + live.length + generated.length).map(() => '-'),
      ]);
  }
  for (const c of COMMANDS)
    for (const o of OUTPUTS) {
      const key = `${c.name} ${o.name}`;
      const perContainer = generated.map((g) => g.commands[key]!.wallMs / g.containers);
      rows.push([
        c.name,
        o.name,
        ...live.map((l) => `${msCpu(l.commands[key]!)}, ${mib(l.commands[key]!)}, ${x(l.commands[key]!.wallMs / l.raw.wallMs)}`),
        ...perContainer.map((p) => p.toFixed(2)),
        ...(generated.length > 1 ? [x(perContainer.at(-1)! / perContainer[0]!)] : []),
        ...(gAt
          ? [
              `${(gAt.commands[key]!.wallMs / 1000).toFixed(2)} s (cpu ${(gAt.commands[key]!.cpuMs / 1000).toFixed(2)}), ${mib(gAt.commands[key]!)}`,
            ]
          : []),
      ]);
    }
  let out = `${table(rows)}\n`;
  if (!live.length && startupAlone) {
    const s = startupAlone;
    out += `\nstart-up: node -e 0 ${ms(s['node -e 0'])}; docknet --version ${ms(s['docknet --version'])} (${x(s['docknet --version'].wallMs / s['node -e 0'].wallMs)}); docknet --help ${ms(s['docknet --help'])} (${x(s['docknet --help'].wallMs / s['node -e 0'].wallMs)})\n`;
  }
  out += `\n${targets(live, generated, startupAlone).join('\n')}\n`;
  return out;
}

function targets(live: LiveSize[], generated: GeneratedSize[], startupAlone: LiveSize['startup'] | null): string[] {
  const lines = ['Targets (issue 14):'];
  const say = (ok: boolean | null, text: string) => lines.push(`  ${ok === null ? 'not measured' : ok ? 'met    ' : 'NOT met'}  ${text}`);
  const l = live.find((s) => s.containers >= TARGET.liveAt) ?? null;
  if (l) {
    const ratios = OUTPUTS.map((o) => l.commands[`veth-map ${o.name}`]!.wallMs / l.raw.wallMs);
    say(
      ratios.every((r) => r <= TARGET.liveRatio),
      `at ${l.containers} live containers, veth-map text and --json at or below ${x(TARGET.liveRatio)} the raw shell cost: ${ratios.map(x).join(' and ')}`,
    );
  } else say(null, `veth-map at ${TARGET.liveAt} live containers within ${x(TARGET.liveRatio)} of the raw shell cost`);
  const g = generated.find((s) => s.containers === TARGET.generatedAt) ?? null;
  if (g) {
    const worst = Object.entries(g.commands).sort((a, b) => b[1].wallMs - a[1].wallMs)[0]!;
    say(
      worst[1].wallMs < TARGET.generatedSeconds * 1000,
      `every command and output at ${thousands(g.containers)} generated containers under ${TARGET.generatedSeconds} s: slowest ${worst[0]} ${(worst[1].wallMs / 1000).toFixed(2)} s`,
    );
    const peak = Object.entries(g.commands).sort((a, b) => b[1].peakMiB - a[1].peakMiB)[0]!;
    say(
      peak[1].peakMiB < TARGET.peakMiB,
      `peak memory under ${TARGET.peakMiB} MiB at ${thousands(g.containers)} containers: largest ${peak[0]} ${mib(peak[1])}`,
    );
  } else
    say(null, `every command under ${TARGET.generatedSeconds} s and ${TARGET.peakMiB} MiB at ${TARGET.generatedAt} generated containers`);
  const s = live.at(-1)?.startup ?? startupAlone;
  if (s) {
    const r = Math.max(s['docknet --version'].wallMs, s['docknet --help'].wallMs) / s['node -e 0'].wallMs;
    say(r <= TARGET.startupRatio, `docknet --version and --help within ${x(TARGET.startupRatio)} of node -e 0: ${x(r)}`);
  } else say(null, 'start-up');
  if (generated.length > 1) {
    const first = generated[0]!;
    const last = generated.at(-1)!;
    const ratios = Object.keys(first.commands).map(
      (k) => [k, last.commands[k]!.wallMs / last.containers / (first.commands[k]!.wallMs / first.containers)] as const,
    );
    const worst = ratios.sort((a, b) => b[1] - a[1])[0]!;
    say(
      worst[1] <= TARGET.flat,
      `time per container flat within ${x(TARGET.flat)} from ${thousands(first.containers)} to ${thousands(last.containers)} generated containers: largest ${worst[0]} ${x(worst[1])}`,
    );
  } else say(null, 'time per container from 500 to 5,000 generated containers');
  return lines;
}

async function machine(): Promise<string> {
  const cpu = cpus();
  const docker = (await run(['docker', 'version', '--format', '{{.Server.Version}}'])).stdout.trim() || 'no engine';
  let os = 'Linux';
  try {
    os = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // Not every system has /etc/os-release: the generic name will do.
  }
  return `${cpu[0]?.model ?? 'cpu'} x ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${os}, Node ${process.version}, Docker ${docker}`;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const i = process.argv.indexOf('--live-part');
  if (i >= 0) {
    await writeFile(process.argv[i + 1] as string, JSON.stringify(await livePart()));
    return;
  }
  const missing = ['brctl', 'iptables', 'flock'].filter((p) => !which(p));
  if (!existsSync('/usr/bin/time') || missing.length) await aptInstall(['time', 'bridge-utils', 'iptables', 'util-linux'], log);
  const started = new Date().toISOString();
  const loadBefore = load();
  const lock = process.env.BENCH_ENGINE_LOCK;
  const live = LIVE.length ? (lock ? await livePartLocked(lock) : await livePart()) : [];
  const generated = GENERATED.length ? await generatedPart() : [];
  const startupAlone = live.length ? null : await measureStartup();
  const results = { started, machine: await machine(), loadBefore, loadAfter: load(), runs: RUNS, live, generated, startupAlone };
  if (process.env.BENCH_OUT) await writeFile(process.env.BENCH_OUT, JSON.stringify(results, null, 2));
  process.stdout.write(
    `docknet bench, ${started}: median of ${RUNS} runs (start-up: ${STARTUP_RUNS}, in turns) of the wall time, peak = largest resident memory of the runs (GNU time).\n` +
      `machine: ${results.machine}; load average ${loadBefore} at the start, ${results.loadAfter} at the end.\n` +
      `live: running containers (bench containers: busybox, one published port each, docker-proxy on), x raw = wall time over the raw shell's: ${RAW_SCRIPT}\n` +
      `gen: the generated host (test/property/scale-host.ts) of N containers and ${PORTS_PER_CONTAINER} published ports each, saved as a snapshot, read with --from.\n` +
      `text: the terminal form (DOCKNET_FORCE_TTY=${TERMINAL_WIDTH}, colour on); inspect: one container. (cpu N): user + system CPU ms of the command itself (the raw shell's excludes dockerd's work).\n\n` +
      report(live, generated, startupAlone),
  );
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
