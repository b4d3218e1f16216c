// What gather reads the host through: its environment, the /proc and /sys roots, the command runner
// and the runtime's state directories. A live run uses the real ones; tests hand in a made-up host.
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
  /** Where the OCI runtime keeps each container's state.json. */
  runtimeRoots: readonly string[];
}

/** This machine, with the environment docknet was started with. */
export function liveHost(env: NodeJS.ProcessEnv): HostAccess {
  const timeoutMs = commandTimeoutMs(env);
  return { env, procRoot: '/proc', sysRoot: '/sys', run: (command) => runCommand(command, timeoutMs, env), runtimeRoots: RUNC_STATE_ROOTS };
}
