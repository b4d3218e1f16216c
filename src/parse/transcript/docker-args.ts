// The docker command line: the subcommand past the global options, and what exec and run were asked
// (which container, interactive or not); and whether a command opened a shell.
import { basename, commandWords, shellWords } from './shell-words.js';

export const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh', 'dash', 'ksh']);

/** The ref an interactive shell was opened in (`docker exec -it web sh`, `docker attach web`, `docker run -it`). */
export function opensShell(command: string): { ref: string | null } | null {
  const w = commandWords(shellWords(command).words);
  if (basename(w[0] ?? '') !== 'docker') return null;
  const d = dockerArgs(w.slice(1));
  if (!d) return null;
  if (d.sub === 'attach') return d.rest[0] ? { ref: d.rest.find((a) => !a.startsWith('-')) ?? null } : null;
  if (d.sub === 'exec') {
    const e = execArgs(d.rest);
    if (!e?.interactive) return null;
    const inner = e.argv;
    const shell = SHELLS.has(basename(inner[0] ?? '')) && inner.slice(1).every((a) => /^-[il]+$/.test(a) || a === '--login');
    return shell ? { ref: e.ref } : null;
  }
  if (d.sub === 'run') {
    const r = runArgs(d.rest);
    return r.interactive && !r.detached ? { ref: r.name } : null;
  }
  return null;
}

interface DockerArgs {
  sub: string;
  /** For `docker network inspect`: 'network inspect'. */
  rest: string[];
  remote: boolean;
}

const DOCKER_GLOBAL_VALUE = new Set([
  '-H',
  '--host',
  '-c',
  '--context',
  '--config',
  '-l',
  '--log-level',
  '--tlscacert',
  '--tlscert',
  '--tlskey',
]);
const CONTAINER_SUBS = new Set(['ls', 'list', 'ps', 'inspect', 'port', 'exec', 'run', 'create', 'start', 'attach']);

export function dockerArgs(args: string[]): DockerArgs | null {
  let i = 0;
  let remote = false;
  while (i < args.length && (args[i] as string).startsWith('-')) {
    const a = args[i] as string;
    const name = a.split('=')[0] as string;
    if (['-H', '--host', '-c', '--context'].includes(name)) remote = true;
    i += DOCKER_GLOBAL_VALUE.has(a) ? 2 : 1;
  }
  let sub = args[i];
  if (sub === undefined) return null;
  let rest = args.slice(i + 1);
  if (sub === 'container' && CONTAINER_SUBS.has(rest[0] ?? '')) {
    sub = ['ls', 'list'].includes(rest[0] as string) ? 'ps' : (rest[0] as string);
    rest = rest.slice(1);
  } else if (sub === 'network' || sub === 'system' || sub === 'compose') {
    sub = `${sub} ${rest[0] ?? ''}`.trim();
    rest = rest.slice(1);
  }
  return { sub, rest, remote };
}

/** Short flags of a cluster (`-it` -> i, t), or null for a long option. */
function shortFlags(a: string): string | null {
  return /^-[A-Za-z]+$/.test(a) ? a.slice(1) : null;
}

const EXEC_VALUE = new Set(['-e', '--env', '--env-file', '-u', '--user', '-w', '--workdir', '--detach-keys']);

export function execArgs(args: string[]): { ref: string; argv: string[]; interactive: boolean } | null {
  let i = 0;
  let interactive = false;
  while (i < args.length && (args[i] as string).startsWith('-')) {
    const a = args[i] as string;
    const flags = shortFlags(a);
    if (a === '--interactive' || a === '--tty' || (flags && /[it]/.test(flags))) interactive = true;
    if (EXEC_VALUE.has(a) || (flags && /[euw]$/.test(flags) && flags.length > 0 && !/^[itd]+$/.test(flags))) i += 2;
    else i += 1;
  }
  const ref = args[i];
  if (ref === undefined) return null;
  let argv = args.slice(i + 1);
  // `sh -c "ip addr"`: the command inside is what ran.
  if (SHELLS.has(basename(argv[0] ?? '')) && argv[1] === '-c' && argv[2] !== undefined) argv = shellWords(argv[2]).words;
  return { ref, argv, interactive };
}

const RUN_VALUE = new Set(
  (
    '-a --attach --add-host --cidfile --cpus -c --cpu-shares --device --dns --dns-search --entrypoint -e --env --env-file ' +
    '--expose -h --hostname --ip --ip6 -l --label --link --log-driver --log-opt --mac-address -m --memory --mount --name ' +
    '--net --network --network-alias -p --publish --pid --platform --pull --restart --runtime --security-opt --shm-size ' +
    '--stop-signal --tmpfs -u --user --ulimit -v --volume --volumes-from -w --workdir --cap-add --cap-drop --gpus'
  ).split(' '),
);

export function runArgs(args: string[]): { name: string | null; interactive: boolean; detached: boolean } {
  let name: string | null = null;
  let interactive = false;
  let detached = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('-')) break;
    const flags = shortFlags(a);
    if (flags) {
      if (/[it]/.test(flags)) interactive = true;
      if (flags.includes('d')) detached = true;
      if (RUN_VALUE.has(`-${flags.slice(-1)}`) && !/[itdP]$/.test(flags)) i++;
      continue;
    }
    const [opt, value] = a.split(/=(.*)/s) as [string, string | undefined];
    if (opt === '--interactive' || opt === '--tty') interactive = true;
    if (opt === '--detach') detached = true;
    const v = value ?? (RUN_VALUE.has(opt) ? args[++i] : undefined);
    if (opt === '--name' && v !== undefined) name = v;
  }
  return { name, interactive, detached };
}

export function formatOf(args: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-f' || a === '--format') return args[i + 1] ?? '';
    if (a.startsWith('--format=')) return a.slice(9);
  }
  return null;
}
