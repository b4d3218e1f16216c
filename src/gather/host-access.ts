// What gather reads the host through: its environment, the /proc and /sys roots, the command runner,
// the file reader and the runtime's state directories. A live run uses this machine's; a run over ssh
// (gather/ssh-host.ts) the same interface backed by one ssh connection; tests hand in a made-up host.
import type Docker from 'dockerode';
import { localFs, type HostFs } from './host-fs.js';
import { commandTimeoutMs, runCommand, type CommandResult } from './run-command.js';
import { RUNC_STATE_ROOTS } from './runtime-pids.js';

export type CommandRunner = (command: string[]) => Promise<CommandResult>;

export interface HostAccess {
  /** DOCKER_HOST (and its TLS variables) and DOCKNET_COMMAND_TIMEOUT_MS are read from here, never from process.env. */
  env: NodeJS.ProcessEnv;
  /** '/proc' on a live host. */
  procRoot: string;
  /** '/sys' on a live host. */
  sysRoot: string;
  /** Runs one host command read-only (runCommand on a live host). */
  run: CommandRunner;
  /**
   * Runs a synchronous reader of /proc and /sys files: at once with node:fs here; over ssh, again with
   * each round's missing files fetched in one batch, so `read` must only read and return.
   */
  readFiles<T>(read: (fs: HostFs) => T): Promise<T>;
  /** Where the OCI runtime keeps each container's state.json. */
  runtimeRoots: readonly string[];
  /** The Engine API connection, when not the one DOCKER_HOST names (an engine over ssh), and its name for errors. */
  engine?: { options: Docker.DockerOptions; endpoint: string };
  /** The host's own name and kernel release when it is not this machine. */
  identity?: { hostname: string | null; kernel: string | null };
  /** Set when the host's kernel cannot be read at all (an engine over tcp): why, for every host fact. */
  hostFactsUnknown?: string;
}

/** This machine, with the environment docknet was started with. */
export function liveHost(env: NodeJS.ProcessEnv): HostAccess {
  const timeoutMs = commandTimeoutMs(env);
  return {
    env,
    procRoot: '/proc',
    sysRoot: '/sys',
    run: (command) => runCommand(command, timeoutMs, env),
    readFiles: async (read) => read(localFs),
    runtimeRoots: RUNC_STATE_ROOTS,
  };
}
