// One OpenSSH connection to a host, multiplexed: a master (ControlMaster=auto, its ControlPath in a
// private temporary directory, BatchMode, a short ControlPersist) that every command and every Engine
// API stream of the run goes through, closed with `ssh -O exit` at the end. execa, argument arrays.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { execa } from 'execa';
import { DocknetError } from '../model/errors.js';
import { shellLine } from '../util/shell-quote.js';
import { runCommand, type CommandResult } from './run-command.js';

export interface SshTarget {
  /** The URL as the user gave it, for messages. */
  url: string;
  user: string | null;
  host: string;
  port: number | null;
}

/** sshd's MaxSessions is 10 by default: commands and Engine API streams together stay under it. */
export const MAX_COMMANDS = 6;
export const MAX_ENGINE_STREAMS = 3;

/** A counting semaphore: at most `limit` holders at once. */
class Limit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** The ssh options every call of one connection shares; DOCKNET_SSH_CONFIG names an ssh_config file (ssh -F). */
export function sshArgs(target: SshTarget, controlPath: string, env: NodeJS.ProcessEnv): string[] {
  return [
    ...(env.DOCKNET_SSH_CONFIG ? ['-F', env.DOCKNET_SSH_CONFIG] : []),
    ...['-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath}`, '-o', 'ControlPersist=30'],
    ...['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-T'],
    ...(target.port !== null ? ['-p', String(target.port)] : []),
    ...(target.user !== null ? ['-l', target.user] : []),
    '--',
    target.host,
  ];
}

/** ssh's own failure (exit 255) in words: the first line it wrote, e.g. "Permission denied (publickey)". */
function sshFailure(target: SshTarget, r: CommandResult): DocknetError {
  const said = r.stderr.trim().split('\n').filter(Boolean).pop() ?? '';
  if (r.errorCode === 'ENOENT') return new DocknetError(`ssh (the OpenSSH client) is not installed: ${target.url} cannot be read`, null);
  const why = r.timedOut ? 'ssh did not connect within the timeout' : said || `ssh exited with ${r.exitCode}`;
  return new DocknetError(
    `cannot connect over ssh: ${why}`,
    /denied|publickey/i.test(said)
      ? "Next: check that the key in ssh-agent or ~/.ssh is in that user's authorized_keys (docknet runs ssh with BatchMode=yes: no password prompts)."
      : 'Next: check the address and port, and that `ssh` to it works from this shell.',
  );
}

export class SshConnection {
  private readonly commands = new Limit(MAX_COMMANDS);
  private closed = false;

  private constructor(
    readonly target: SshTarget,
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeoutMs: number,
  ) {}

  private get args(): string[] {
    return sshArgs(this.target, join(this.dir, 'master'), this.env);
  }

  /** Starts the master with a first command; a host that cannot be reached is a DocknetError naming it. */
  static async open(target: SshTarget, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<SshConnection> {
    // mkdtemp makes the directory 0700: the control socket is nobody else's to use.
    const dir = await mkdtemp(join(env.TMPDIR || '/tmp', 'docknet-ssh-'));
    const conn = new SshConnection(target, dir, env, timeoutMs);
    const r = await runCommand(['ssh', ...conn.args, 'true'], timeoutMs, env);
    if (r.exitCode !== 0) {
      await conn.close();
      throw sshFailure(target, r);
    }
    return conn;
  }

  /**
   * Runs one host command remotely, in the C locale. The result names the command, not ssh; the remote
   * shell's 127 and 126 (not found, not executable) read as a local ENOENT and EACCES do.
   */
  async run(command: string[]): Promise<CommandResult> {
    const r = await this.runLine(shellLine(['env', 'LC_ALL=C', 'LANG=C', ...command]));
    const errorCode = r.errorCode ?? (r.exitCode === 127 ? 'ENOENT' : r.exitCode === 126 ? 'EACCES' : null);
    if (r.exitCode === 255 && !r.stdout) {
      const said = r.stderr.trim().split('\n').filter(Boolean).pop() ?? 'the connection was lost';
      return { ...r, command, exitCode: 255, stderr: `ssh ${this.target.url}: ${said}\n`, errorCode };
    }
    return { ...r, command, errorCode };
  }

  /** One remote command line, as the remote login shell reads it (quoted with util/shell-quote.ts). */
  runLine(line: string): Promise<CommandResult> {
    return this.commands.run(() => runCommand(['ssh', ...this.args, line], this.timeoutMs, this.env));
  }

  /** `docker system dial-stdio` on the host (with --host unix://SOCKET when the URL named one): a raw stream to its engine. */
  dialStdio(socket: string | null): Duplex {
    const docker = ['docker', ...(socket ? ['--host', `unix://${socket}`] : []), 'system', 'dial-stdio'];
    const child = execa('ssh', [...this.args, shellLine(docker)], {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'ignore',
      buffer: false,
      reject: false,
      env: this.env,
      extendEnv: false,
    });
    if (!child.stdout || !child.stdin) throw new Error('ssh gave no pipes');
    const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
    stream.once('close', () => child.kill('SIGTERM'));
    return stream;
  }

  /** Ends the master (`ssh -O exit`) and removes the temporary directory; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await runCommand(['ssh', ...this.args.slice(0, -2), '-O', 'exit', '--', this.target.host], this.timeoutMs, this.env);
    await rm(this.dir, { recursive: true, force: true });
  }
}
