// The streams and terminal facts a command writes to; commands never touch process.* directly.

export interface IO {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: colour and wrapping allowed. */
  isTTY: boolean;
  color: boolean;
  /** Terminal width, or null when piped. */
  width: number | null;
  env: NodeJS.ProcessEnv;
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
  };
}

/** An IO that collects output in memory, for tests. */
export function memoryIO(opts: Partial<Pick<IO, 'isTTY' | 'color' | 'width'>> = {}): IO & { stdout: string; stderr: string } {
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
    env: {},
  };
  return io;
}
