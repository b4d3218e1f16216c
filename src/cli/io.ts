// The streams and terminal facts a command writes to; commands never touch process.* directly.

export interface IO {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: colour and wrapping allowed. */
  isTTY: boolean;
  color: boolean;
  /** Terminal width, or null when piped. */
  width: number | null;
  /** The environment docknet runs in: read from here, never from process.env, so a test can give its own. */
  env: NodeJS.ProcessEnv;
  /** The working directory relative paths (--from, snapshot save) are read from. */
  cwd: string;
}

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
