// One command's cost as a user pays it: wall and CPU time and peak memory under GNU time, and the
// median of several runs. Shared by the benches.
import { run } from '../lab/run.js';

export interface Measure {
  wallMs: number;
  cpuMs: number;
  peakMiB: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** GNU time: wall seconds, user and system CPU seconds, and the peak resident KiB of the command. */
export async function timed(command: string[], env: Record<string, string>, okCodes: number[]): Promise<Measure> {
  const r = await run(['/usr/bin/time', '-f', '__TIME__ %e %U %S %M', ...command], { timeoutMs: 600_000, env });
  const m = /__TIME__ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m || !okCodes.includes(r.exitCode ?? -1))
    throw new Error(`${command.join(' ')} exited ${r.exitCode}: ${r.stderr.replace(/__TIME__.*/, '').slice(-400)}`);
  return { wallMs: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000, peakMiB: Number(m[4]) / 1024 };
}

/** The median wall and CPU time of `runs` runs, and the largest peak. */
export async function medianRun(command: string[], env: Record<string, string>, okCodes: number[], runs: number): Promise<Measure> {
  const all: Measure[] = [];
  for (let i = 0; i < runs; i++) all.push(await timed(command, env, okCodes));
  return {
    wallMs: median(all.map((r) => r.wallMs)),
    cpuMs: median(all.map((r) => r.cpuMs)),
    peakMiB: Math.max(...all.map((r) => r.peakMiB)),
  };
}
