// The streams, environment and working directory a command is given; commands never touch process.*.
import type { OutputMedium } from '../render/medium.js';

export interface IO extends OutputMedium {
  out(text: string): void;
  err(text: string): void;
  /** The environment docknet runs in: read from here, never from process.env, so a test can give its own. */
  env: NodeJS.ProcessEnv;
  /** The working directory relative paths (--from, snapshot save) are read from. */
  cwd: string;
}

/** What a command run once per host is given: no stdout, since it returns its output (commands/output.ts). */
export type CommandIO = Omit<IO, 'out'>;
