// The commander program: parses flags, runs one command, and is the one place errors become exit codes.
import { Command, CommanderError, Option } from 'commander';
// Loaded when they run, so that --version and --help start fast.
import {
  runDoctor,
  runExplain,
  runGraph,
  runInspect,
  runNat,
  runOverlay,
  loadOverlayFleet,
  runReach,
  runReachAcross,
  nodesNamed,
  runReport,
  runSnapshotImport,
  runSnapshotSave,
  runVethMap,
  runForHosts,
  hostFileName,
} from './lazy-commands.js';
import { DESTINATION_FORMS, SOURCE_FORMS } from '../commands/reach-forms.js';
import { escapeText } from '../render/escape.js';
import { DocknetError, EXIT, UsageError } from '../model/errors.js';
import { processIO, type IO } from './io.js';
import { docknetVersion } from '../version.js';

export { docknetVersion };

/** `docknet nat --help` for a usage error in `nat` (`docknet snapshot save --help` in a subcommand), `docknet --help` when no command was named. */
function helpFor(program: Command, argv: string[]): string {
  const path: string[] = [];
  let at = program;
  for (const a of argv) {
    if (a.startsWith('-')) continue;
    const sub = at.commands.find((c) => c.name() === a);
    if (!sub) break;
    path.push(a);
    at = sub;
  }
  return path.length ? `docknet ${path.join(' ')} --help` : 'docknet --help';
}

/** The one form of a usage error, commander's (unknown option, missing argument) and docknet's alike. */
function usageError(io: IO, message: string, help: string): number {
  io.err(`docknet: ${escapeText(message)}\nRun '${help}' for usage.\n`);
  return EXIT.usage;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** --host and --context, on every command that reads a host. */
function withHosts(c: Command): Command {
  return c
    .option(
      '--host <url>',
      'read this engine instead: unix:///path.sock, tcp://HOST:PORT or ssh://[user@]host[:port][/socket-path]; repeat for several hosts',
      collect,
      [],
    )
    .option('--context <name>', 'read the engine of this Docker context (as `docker context ls` lists them); repeatable', collect, []);
}

type HostOpts = { host: string[]; context: string[]; from?: string };

async function reportError(io: IO, err: unknown, help: string): Promise<number> {
  // Loaded here, not at start: the Engine API client is no part of --version or --help.
  const { EngineError, engineAnswerHint } = await import('../gather/engine-api.js');
  if (err instanceof UsageError) return usageError(io, err.message, help);
  if (err instanceof EngineError) {
    io.err(
      `docknet: ${escapeText(err.message)}\n` +
        (err.kind === 'permission'
          ? 'Next: run with sudo, or add this user to the docker group.\n'
          : err.kind === 'unreachable'
            ? 'Next: start the engine (e.g. `sudo systemctl start docker` or `sudo dockerd &`), or point DOCKER_HOST at a running one.\n'
            : `${escapeText(engineAnswerHint(err))}\n`),
    );
    return EXIT.failure;
  }
  if (err instanceof DocknetError) {
    io.err(`docknet: ${escapeText(err.message)}\n${err.hint ? `${escapeText(err.hint)}\n` : ''}`);
    return EXIT.failure;
  }
  const e = err as Error;
  io.err(`docknet: unexpected error: ${escapeText(e?.message ?? String(err))}\n`);
  if (io.env.DOCKNET_DEBUG === '1') io.err(`${e?.stack ?? ''}\n`);
  else io.err('Set DOCKNET_DEBUG=1 to see the stack trace, and please report it.\n');
  return EXIT.failure;
}

// Long on purpose: the table of commands, one commander declaration each, read top to bottom like `docknet --help`.
export async function main(argv: string[], ioOverride?: IO): Promise<number> {
  const noColor = argv.includes('--no-color');
  const io = ioOverride ?? processIO(noColor);
  let code: number = EXIT.ok;
  const program = new Command()
    .name('docknet')
    .description('Explains the real networking of a Docker host: veth pairs, bridges, NAT, for every network mode.')
    .version(docknetVersion())
    .option('--no-color', 'never colour the output (NO_COLOR is honoured too)')
    .exitOverride()
    // commander's own usage errors are said as docknet's are (usageError, below), not as it words them.
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s), outputError: () => {} });

  const from = new Option(
    '--from <snapshot>',
    'analyse a saved snapshot (directory, .tar.gz, or pasted transcript) instead of the live host',
  );

  withHosts(program.command('veth-map'))
    .description('pair every container interface with its host veth, and every host veth with its owner')
    .argument('[target...]', 'container names, id prefixes, or host veth names to show')
    .option('--json', 'print JSON (schemaVersion 1)')
    .option('--all', 'include stopped containers')
    .addOption(from)
    .action(async (targets: string[], o: HostOpts & { json?: boolean; all?: boolean }) => {
      code = await runForHosts(o, Boolean(o.json), io, (hio, snap) =>
        runVethMap({ targets, json: Boolean(o.json), all: Boolean(o.all) }, hio, snap),
      );
    });

  withHosts(program.command('inspect'))
    .description('the whole network story of one container: mode, interfaces and their host side, ports, neighbours, DNS')
    .argument('<container>', 'a container name, id, or unambiguous id prefix')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addOption(from)
    .action(async (target: string, o: HostOpts & { json?: boolean }) => {
      code = await runForHosts(o, Boolean(o.json), io, (hio, snap) => runInspect({ target, json: Boolean(o.json) }, hio, snap));
    });

  withHosts(program.command('nat'))
    .description('where each published host port goes: DNAT rule, docker-proxy, bridge, veth, container; stale, missing and foreign rules')
    .option('--port <port>', 'one port: PORT[/PROTO] or HOSTIP:PORT[/PROTO], e.g. 49154, 5353/udp, 127.0.0.1:8081')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addOption(from)
    .action(async (o: HostOpts & { port?: string; json?: boolean }) => {
      code = await runForHosts(o, Boolean(o.json), io, (hio, snap) => runNat({ port: o.port ?? null, json: Boolean(o.json) }, hio, snap));
    });

  withHosts(program.command('graph'))
    .description('a picture of the host as the kernel wires it: interfaces, bridges, veth pairs, containers, published ports')
    .argument('[container...]', 'draw only these containers and what connects them')
    .option('--format <format>', 'svg (default), dot or mermaid; chosen from --out when it ends in .svg, .dot/.gv or .mmd')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--no-group', 'draw every container, even past 40 (grouped per network otherwise)')
    .option('--exposure', 'colour published ports and container addresses by who can reach them (as reach --exposure)')
    .option('--json', 'print the graph as JSON (schemaVersion 1)')
    .addOption(from)
    .action(
      async (containers: string[], o: HostOpts & { format?: string; out?: string; group: boolean; exposure?: boolean; json?: boolean }) => {
        code = await runForHosts(o, Boolean(o.json), io, (hio, snap, host) =>
          runGraph(
            {
              format: o.format ?? null,
              out: o.out ? hostFileName(o.out, host) : null,
              containers,
              json: Boolean(o.json),
              group: o.group,
              exposure: Boolean(o.exposure),
            },
            hio,
            snap,
          ),
        );
      },
    );

  withHosts(program.command('explain'))
    .description('the notebook of this host: a sentence for every interface, network, mode, veth pair and rule line')
    .option('--markdown', 'Markdown on a terminal too (the default when piped; plain text on a terminal)')
    .option('--json', 'print JSON (schemaVersion 1)')
    .addOption(from)
    .action(async (o: HostOpts & { markdown?: boolean; json?: boolean }) => {
      code = await runForHosts(o, Boolean(o.json), io, (hio, snap) =>
        runExplain({ json: Boolean(o.json), markdown: Boolean(o.markdown) }, hio, snap),
      );
    });

  withHosts(program.command('report'))
    .description('one self-contained HTML file: the picture, veth map, NAT paths, findings and explanations, offline')
    .option('--html <file>', 'the HTML file to write')
    .option('--no-group', 'draw every container in the picture, even past 40')
    .addOption(from)
    .action(async (o: HostOpts & { html?: string; group: boolean }) => {
      code = await runForHosts(o, false, io, (hio, snap, host) =>
        runReport({ html: o.html ? hostFileName(o.html, host) : null, group: o.group }, hio, snap),
      );
    });

  const snapshot = program
    .command('snapshot')
    .description("save this host's network facts, to analyse them anywhere with --from")
    // With no subcommand (or one it does not have), the one usage-error form, not the help as an error.
    .allowExcessArguments()
    .action((_o: unknown, cmd: Command) => {
      const [name] = cmd.args;
      throw new UsageError(
        name === undefined ? 'snapshot needs a command: save <path> or import <transcript> <path>' : `unknown command '${name}'`,
      );
    });
  withHosts(snapshot.command('save'))
    .description('gather every fact docknet reads into a directory, or one .tar.gz when the path ends so (secrets redacted)')
    .argument('<path>', 'a new directory, or a file ending in .tar.gz or .tgz')
    .option('--force', 'replace the snapshot already at <path>')
    .option('--no-redact', 'keep environment values and secret-looking labels and arguments')
    .action(async (path: string, o: { force?: boolean; redact: boolean; host: string[]; context: string[] }) => {
      code = await runSnapshotSave({ path, force: Boolean(o.force), redact: o.redact, host: o.host, context: o.context }, io);
    });
  snapshot
    .command('import')
    .description('split a pasted terminal session (prompts, commands and their outputs) into a snapshot, and say what went where')
    .argument('<transcript>', 'a text file holding the session, e.g. copied from a forum thread or a blog post')
    .argument('<path>', 'a new (or empty) directory, or a file ending in .tar.gz or .tgz')
    .option('--force', 'replace the snapshot already at <path>')
    .option('--json', 'print the summary as JSON (schemaVersion 1)')
    .action(async (transcript: string, path: string, o: { force?: boolean; json?: boolean }) => {
      code = await runSnapshotImport({ transcript, path, force: Boolean(o.force), json: Boolean(o.json) }, io);
    });

  withHosts(program.command('reach'))
    .description("whether <source> can reach <destination>, the packet's walk through every rule, and the rule that decides")
    .argument('[source]', `${SOURCE_FORMS}; across nodes (several --from, --host or --context, or a fleet archive): [NODE/]TASK`)
    .argument('[destination]', `${DESTINATION_FORMS}; across nodes: [NODE/]TASK:PORT`)
    .option('--exposure', 'who can reach every published port and container address: outside, the host, each Docker network')
    .option('--json', 'print JSON (schemaVersion 1)')
    .option(
      '--from <snapshot>',
      'analyse a saved snapshot (directory, .tar.gz, or pasted transcript) instead of the live host; repeat it, one per swarm node, to reach from a task on one node to a task on another',
      collect,
      [],
    )
    .action(
      async (
        source: string | undefined,
        destination: string | undefined,
        o: Omit<HostOpts, 'from'> & { from: string[]; json?: boolean; exposure?: boolean },
      ) => {
        if (!o.exposure && (await nodesNamed(o, io)) > 1) {
          // Several nodes and two ends: the walk from a task on one node to a task on another.
          if (source === undefined || destination === undefined)
            throw new UsageError('reach across nodes takes a source [NODE/]TASK and a destination [NODE/]TASK:PORT[/tcp|udp]');
          code = await runReachAcross({ source, destination, json: Boolean(o.json) }, io, () => loadOverlayFleet(o, io, 'reach-across'));
          return;
        }
        if (o.from.length > 1)
          throw new UsageError('--exposure reads one host: give one --from (or --host for each host, one section each)');
        code = await runForHosts({ ...o, from: o.from[0] }, Boolean(o.json), io, (hio, snap) =>
          runReach(
            { source: source ?? null, destination: destination ?? null, json: Boolean(o.json), exposure: Boolean(o.exposure) },
            hio,
            snap,
          ),
        );
      },
    );

  withHosts(program.command('doctor'))
    .description("find what is wrong with this host's Docker networking, with evidence and a fix (exit 1 on any error finding)")
    .option('--json', 'print JSON (schemaVersion 1)')
    .option('--all', 'print every finding, not the first 5 of each kind')
    .addOption(from)
    .action(async (o: HostOpts & { json?: boolean; all?: boolean }) => {
      code = await runForHosts(o, Boolean(o.json), io, (hio, snap) => runDoctor({ json: Boolean(o.json), all: Boolean(o.all) }, hio, snap));
    });

  withHosts(program.command('overlay'))
    .description('swarm overlays on each node: VXLAN, fdb and neighbours against the control plane, with findings (exit 1 on an error)')
    .argument('[network]', 'one overlay, by name or id')
    .option('--json', 'print JSON (schemaVersion 1)')
    .option(
      '--from <snapshot>',
      'a saved snapshot of one node (repeat it for every node of the swarm), or a fleet archive',
      (v: string, prev: string[]) => [...prev, v],
      [],
    )
    .action(async (network: string | undefined, o: { json?: boolean; from: string[]; host: string[]; context: string[] }) => {
      code = await runOverlay({ network: network ?? null, json: Boolean(o.json) }, io, () => loadOverlayFleet(o, io));
    });

  // `docknet help nosuch` is a usage error, as `docknet nosuch` is (commander would print the general help).
  if (argv[0] === 'help' && argv[1] !== undefined && !program.commands.some((c) => c.name() === argv[1]))
    return usageError(io, `unknown command '${argv[1]}'`, 'docknet --help');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander.help is help shown because no command was given: a usage error; `docknet help` asked for it.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      if (err.code === 'commander.help') return argv[0] === 'help' ? EXIT.ok : EXIT.usage;
      return usageError(io, err.message.replace(/^error: /, ''), helpFor(program, argv));
    }
    return reportError(io, err, helpFor(program, argv));
  }
}
