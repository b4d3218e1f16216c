// Runs the lab's host commands (docker, ip, apt-get): argument arrays, no shell, a timeout, one result shape.
// Kept apart from src/gather so the lab and the tests' ground truth never depend on docknet's own code.
import { execa } from 'execa';

export interface RunResult {
  command: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** ENOENT when the program is not installed. */
  errorCode: string | null;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Bytes or text written to the command's stdin. */
  input?: string | Uint8Array;
  env?: Record<string, string>;
  /** Working directory (default: this process's). */
  cwd?: string;
}

export async function run(command: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = command;
  if (!file) throw new Error('run needs a command');
  const result = await execa(file, args, {
    reject: false,
    shell: false,
    timeout: opts.timeoutMs ?? 60_000,
    env: { LC_ALL: 'C', LANG: 'C', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
  });
  const code = (result as { code?: string }).code;
  return {
    command: [...command],
    exitCode: result.exitCode ?? null,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    errorCode: code && code !== 'ERR_EXECA' ? code : null,
    timedOut: Boolean(result.timedOut),
  };
}

/** Why a run failed, naming the command; null when it succeeded. */
export function failure(r: RunResult): string | null {
  const cmd = r.command.join(' ');
  if (r.errorCode === 'ENOENT') return `${r.command[0]} is not installed (running: ${cmd})`;
  if (r.timedOut) return `${cmd} timed out`;
  if (r.exitCode !== 0) {
    const err = lines(r.stderr.trim() || r.stdout)
      .slice(-3)
      .join(' | ');
    return `${cmd} exited with ${r.exitCode}${err ? `: ${err}` : ''}`;
  }
  return null;
}

/** Runs and throws an error naming the command when it fails; returns stdout. */
export async function must(command: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(command, opts);
  const why = failure(r);
  if (why) throw new Error(why);
  return r.stdout;
}

/** Non-empty trimmed lines. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
