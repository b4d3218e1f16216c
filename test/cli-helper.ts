// The one way CLI tests run docknet: main() with an in-memory IO (its own environment and working
// directory, never process.env or process.cwd()), returning the exit code, both streams and the JSON.
import assert from 'node:assert/strict';
import { main } from '../src/cli/main.js';
import { memoryIO, type IO } from '../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as JSON; fails the test, showing stdout and stderr, when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON as loosely as JSON.parse gives it
  json<T = any>(): T;
}

export type CliOptions = Partial<Pick<IO, 'isTTY' | 'color' | 'width' | 'env' | 'cwd'>>;

/** The terminal CLI tests see unless they ask for another: wide enough that no table wraps, no colour. */
export const TEST_TERMINAL = { isTTY: true, color: false, width: 1000 } as const;
/** The pipe form (stdout not a terminal): tables tab-separated. */
export const PIPE = { isTTY: false, color: false, width: null } as const;

/** Runs docknet in the terminal form (TEST_TERMINAL) unless opts say otherwise (PIPE for the piped form). */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const io = memoryIO({ ...TEST_TERMINAL, ...opts });
  const code = await main(args, io);
  return {
    code,
    stdout: io.stdout,
    stderr: io.stderr,
    json<T>(): T {
      try {
        return JSON.parse(io.stdout) as T;
      } catch (err) {
        assert.fail(
          `docknet ${args.join(' ')} did not print JSON (${(err as Error).message}); exit ${code}\nstdout: ${io.stdout}\nstderr: ${io.stderr}`,
        );
      }
    },
  };
}
