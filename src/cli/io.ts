// The IO of this process (its streams, terminal, environment and directory), and an in-memory one for tests.
import type { IO } from '../commands/io.js';

export type { IO };

export function processIO(noColorFlag: boolean): IO {
  const isTTY = Boolean(process.stdout.isTTY);
  const env = process.env;
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    isTTY,
    color: isTTY && !noColorFlag && env.NO_COLOR === undefined && env.TERM !== 'dumb',
    width: isTTY ? (process.stdout.columns ?? 120) : null,
    env,
    cwd: process.cwd(),
  };
}

/**
 * An IO that collects output in memory, for tests: an empty environment unless given one, and the
 * filesystem root as working directory unless given one (so a relative path works only when a test means it).
 */
export function memoryIO(
  opts: Partial<Pick<IO, 'isTTY' | 'color' | 'width' | 'env' | 'cwd'>> = {},
): IO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    isTTY: opts.isTTY ?? false,
    color: opts.color ?? false,
    width: opts.width ?? null,
    env: opts.env ?? {},
    cwd: opts.cwd ?? '/',
  };
  return io;
}
