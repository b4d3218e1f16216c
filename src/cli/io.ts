// The IO of this process (its streams, terminal, environment and directory), and an in-memory one for tests.
import type { IO } from '../commands/io.js';
import type { OutputMedium } from '../render/medium.js';

export type { IO };

/** Forces the terminal form when stdout is not a terminal (as GH_FORCE_TTY does for gh): a width, or 1. */
export const FORCE_TTY_ENV = 'DOCKNET_FORCE_TTY';
/** The width of a terminal that does not say its own (nor COLUMNS). */
export const DEFAULT_WIDTH = 80;

const positive = (v: string | number | undefined): number | null => {
  const n = typeof v === 'number' ? v : v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/**
 * What output goes to, decided once: a terminal (stdout is one, or DOCKNET_FORCE_TTY is set: a number
 * from 2 up is the width, any other value such as 1 keeps the terminal's width, else COLUMNS, else 80)
 * or a pipe. Colour only in the terminal form, and never with --no-color, NO_COLOR or TERM=dumb.
 */
export function outputMedium(stdout: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv, noColorFlag: boolean): OutputMedium {
  const force = (env[FORCE_TTY_ENV] ?? '').trim();
  const forced = force !== '' && force !== '0' && force.toLowerCase() !== 'false';
  const isTTY = Boolean(stdout.isTTY) || forced;
  const forcedWidth = positive(force);
  const width = !isTTY
    ? null
    : forcedWidth !== null && forcedWidth > 1
      ? forcedWidth
      : ((stdout.isTTY ? positive(stdout.columns) : null) ?? positive(env.COLUMNS) ?? DEFAULT_WIDTH);
  return { isTTY, color: isTTY && !noColorFlag && env.NO_COLOR === undefined && env.TERM !== 'dumb', width };
}

export function processIO(noColorFlag: boolean): IO {
  const env = process.env;
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    ...outputMedium(process.stdout, env, noColorFlag),
    env,
    cwd: process.cwd(),
  };
}

/**
 * An IO that collects output in memory, for tests: piped unless told otherwise (as a real pipe is), an
 * empty environment unless given one, and the filesystem root as working directory unless given one
 * (so a relative path works only when a test means it).
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
