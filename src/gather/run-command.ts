// Runs one host command read-only: argument array, no shell, C locale, a timeout, never throws.
import { execa } from 'execa';
import type { UnknownCause } from '../model/fact.js';

export interface CommandResult {
  command: string[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** ENOENT: the tool is not installed; EACCES: not permitted to run it. */
  errorCode: string | null;
  timedOut: boolean;
  durationMs: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** DOCKNET_COMMAND_TIMEOUT_MS overrides the 15 s a host command may take. */
export function commandTimeoutMs(env: NodeJS.ProcessEnv): number {
  const v = Number(env.DOCKNET_COMMAND_TIMEOUT_MS);
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_TIMEOUT_MS;
}

/** `env` is the environment docknet was given (its PATH finds the tool); the locale is always C. */
export async function runCommand(command: string[], timeoutMs: number, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const [file, ...args] = command;
  if (!file) throw new Error('runCommand needs a command');
  const started = performance.now();
  // Its own process group, so that a timeout stops the whole tree: a wrapper script's child holding
  // stdout open would otherwise keep docknet waiting long after the tool "was stopped".
  const subprocess = execa(file, args, {
    reject: false,
    shell: false,
    detached: true,
    stdin: 'ignore',
    env: { ...env, LC_ALL: 'C', LANG: 'C' },
    extendEnv: false,
    stripFinalNewline: false,
    maxBuffer: 256 * 1024 * 1024,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      if (subprocess.pid) process.kill(-subprocess.pid, 'SIGKILL');
    } catch {
      subprocess.kill('SIGKILL');
    }
  }, timeoutMs);
  const result = await subprocess;
  clearTimeout(timer);
  const errorCode = (result as { code?: string }).code ?? null;
  return {
    command,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    exitCode: result.exitCode ?? null,
    errorCode: errorCode && errorCode !== 'ERR_EXECA' ? errorCode : null,
    timedOut,
    durationMs: Math.round(performance.now() - started),
  };
}

/** Why a command gave no usable output: the words a user can act on, and their cause as a code. */
export interface CommandFailure {
  reason: string;
  cause: UnknownCause;
}

// iptables: "Permission denied (you must be root)"; nft and ip: "Operation not permitted".
const NEEDS_ROOT = /permission denied|must be root|Operation not permitted/i;

/** null when the command succeeded. */
export function commandFailureOf(r: CommandResult, tool: string): CommandFailure | null {
  if (r.errorCode === 'ENOENT') return { reason: `${tool} is not installed (command not found: ${r.command[0]})`, cause: 'tool-missing' };
  if (r.errorCode === 'EACCES' || r.errorCode === 'EPERM')
    return { reason: `permission denied running ${r.command[0]}`, cause: 'needs-root' };
  if (r.timedOut) return { reason: `${r.command.join(' ')} did not answer within the timeout and was stopped`, cause: 'failed' };
  if (r.errorCode !== null && r.exitCode === null)
    return { reason: `${r.command.join(' ')} could not be started: ${r.errorCode}`, cause: 'failed' };
  if (r.exitCode !== 0) {
    const err = r.stderr.trim().split('\n')[0] ?? '';
    if (NEEDS_ROOT.test(r.stderr))
      return { reason: `${tool} needs root (${err || 'permission denied'}): run with sudo`, cause: 'needs-root' };
    return { reason: `${r.command.join(' ')} exited with ${r.exitCode}${err ? `: ${err}` : ''}`, cause: 'failed' };
  }
  return null;
}

/** Why a command gave no usable output, in words a user can act on; null when it succeeded. */
export function commandFailure(r: CommandResult, tool: string): string | null {
  return commandFailureOf(r, tool)?.reason ?? null;
}
