// The docknet lab's command line (`node dist/lab/lab.js up|down|status|engine|exec`): each generation's host, then the lab in it.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { down, status, up, type LabReport, type LabStatus, type Outcome } from './build.js';
import { ensureEngine, ensureImage, pingEngine, type Log } from './engine.js';
import { message } from './host-facts.js';
import { childEnv, inHost } from './host-enter.js';
import { hostDown, hostState, hostUp } from './hosts.js';
import { outsideDown, outsideState, outsideUp } from './outside.js';
import { swarmDown, swarmUp } from './swarm.js';
import { GENERATION, GENERATION_IDS, GENERATIONS, generationId, type Generation } from './lab-spec.js';

// ---- command line ----

export function renderReport(title: string, r: LabReport): string {
  const out = [title];
  const section = (name: string, items: Outcome[]) => {
    if (!items.length) return;
    out.push(`${name}:`);
    const width = Math.max(...items.map((i) => i.what.length));
    for (const i of items) out.push(`  ${i.what.padEnd(width)}  ${i.detail}`);
  };
  section('done', r.created);
  section('skipped', r.skipped);
  section('FAILED', r.failed);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}

export function renderStatus(s: LabStatus): string {
  const out = [`lab: ${s.up ? 'up' : 'NOT complete'}${s.state ? ` (made ${s.state.createdAt})` : ''}`];
  const table = (rows: string[][]) => {
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) out.push(`  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd());
  };
  out.push('containers:');
  if (s.containers.length)
    table([['NAME', 'STATE', 'NETWORKS', 'PORTS'], ...s.containers.map((c) => [c.name, c.state, c.networks, c.ports])]);
  out.push('networks:');
  if (s.networks.length) table(s.networks.map((n) => [n.name, n.driver]));
  out.push('interfaces:');
  if (s.interfaces.length) table(s.interfaces.map((i) => [i.name, i.kind]));
  out.push(`swarm: ${s.swarm}`);
  for (const svc of s.services) out.push(`  service ${svc.name} ${svc.replicas} ${svc.ports}`);
  for (const sk of s.state?.report.skipped ?? []) out.push(`skipped: ${sk.what}: ${sk.detail}`);
  for (const m of s.missing) out.push(`missing: ${m}`);
  return out.join('\n');
}

interface Args {
  command: string;
  engines: Generation[];
  keepTest: boolean;
  /** --swarm N (up) or --swarm (down, status): the swarm lab (lab/swarm.ts); 0 when given without a count. */
  swarm: number | null;
  /** After `--` (exec). */
  rest: string[];
}

const USAGE = `usage: lab up [--engine 20.10|26|28]...      build the lab on each engine (default 20.10; 26 and 28 each as a host of its own)
       lab down [--engine ...] [--keep-test]  remove the lab, test objects and the newer engines' hosts (default: every generation)
       lab status [--engine ...]
       lab engine [--engine ...]              only make sure the engine answers and the test image exists
       lab exec --engine 28 -- COMMAND...     run a command inside that host (its network namespace, DOCKER_HOST, PATH)
       lab up --swarm 3                       a swarm of 3 Docker 28.5 nodes, each a namespace of its own, on a switch namespace
       lab down --swarm                       remove only the swarm lab (plain \`down\` removes it too)`;

function parseArgs(argv: string[]): Args | string {
  const [command = 'up', ...rest] = argv;
  const engines: Generation[] = [];
  let keepTest = false;
  let swarm: number | null = null;
  for (let i = 0; i < rest.length; i += 1) {
    const a = rest[i]!;
    if (a === '--') return { command, engines, keepTest, swarm, rest: rest.slice(i + 1) };
    if (a === '--keep-test' && command === 'down') keepTest = true;
    else if (a === '--swarm' || a.startsWith('--swarm=')) {
      const value = a === '--swarm' ? (command === 'up' ? rest[++i] : undefined) : a.slice('--swarm='.length);
      if (command === 'up' && !/^[1-3]$/.test(value ?? '')) return '--swarm needs a node count, 1 to 3 (e.g. --swarm 3)';
      swarm = value ? Number(value) : 0;
    } else if (a === '--engine' || a.startsWith('--engine=')) {
      const value = a === '--engine' ? rest[++i] : a.slice('--engine='.length);
      if (!value) return '--engine needs a generation: 20.10, 26 or 28';
      for (const v of value.split(',')) {
        const id = generationId(v);
        if (!id) return `--engine ${v}: no such generation (the lab has ${GENERATION_IDS.join(', ')})`;
        if (!engines.some((g) => g.id === id)) engines.push(GENERATIONS[id]);
      }
    } else return `unexpected argument: ${a}`;
  }
  return { command, engines, keepTest, swarm, rest: [] };
}

// Long on purpose: one case per command of USAGE, each a few lines; read top to bottom it is the command table.
async function main(argv: string[]): Promise<number> {
  const log: Log = (line) => process.stderr.write(`lab: ${line}\n`);
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`lab: ${args}\n${USAGE}\n`);
    return 2;
  }
  const one = args.engines.length ? args.engines : [GENERATION];
  if (args.swarm !== null && args.command === 'up') {
    const code = args.engines.length ? await eachHost(one, ['up'], log, { outside: true }, async () => 0) : 0;
    try {
      const report = await swarmUp(args.swarm, log);
      process.stdout.write(
        `docknet lab up --swarm ${args.swarm}\n${[...report.made.map((m) => `  made ${m}`), ...report.notes.map((n) => `  note: ${n}`)].join('\n')}\n`,
      );
      return code;
    } catch (err) {
      process.stdout.write(
        `docknet lab up --swarm ${args.swarm}\nFAILED:\n  ${message(err)}\n(\`npm run lab -- down --swarm\` removes what was made)\n`,
      );
      return 1;
    }
  }
  if (args.swarm !== null && args.command === 'down' && !args.engines.length) return downSwarm(log);
  switch (args.command) {
    case 'up': {
      return eachHost(one, ['up'], log, { outside: true }, async () => {
        const report = await up({ log });
        process.stdout.write(`${renderReport(`docknet lab up (Docker ${GENERATION.id})`, report)}\n\n${renderStatus(await status())}\n`);
        return report.failed.length ? 1 : 0;
      });
    }
    case 'down': {
      // Default: every generation, so nothing of any lab is left.
      const all = args.engines.length ? args.engines : GENERATION_IDS.map((id) => GENERATIONS[id]);
      let code = 0;
      for (const gen of all) code = Math.max(code, await downGeneration(gen, args.keepTest, log));
      if (!args.engines.length && !args.keepTest) code = Math.max(code, await downSwarm(log));
      return code;
    }
    case 'status': {
      let code = 0;
      for (const gen of one) {
        if (gen.netns && !(await insideNetns(gen))) {
          const h = await hostState(gen);
          if (!h.engine?.answering) {
            process.stdout.write(
              `Docker ${gen.id}: host ${gen.netns} ${h.netns ? 'exists' : 'absent'}, engine ${h.engine ? `pid ${h.engine.pid}, not answering` : 'not running'}\n`,
            );
            code = 1;
            continue;
          }
        }
        code = Math.max(
          code,
          await inGeneration(gen, ['status'], async () => {
            const s = await status();
            const o = await outsideState(GENERATION);
            const client = `client namespace ${GENERATION.outside.netns}: ${o.link ? 'up' : o.netns ? 'no link' : 'absent'}`;
            process.stdout.write(
              `Docker ${GENERATION.id}${GENERATION.netns ? ` (host ${GENERATION.netns})` : ''}\n${renderStatus(s)}\n${client}\n`,
            );
            return s.up ? 0 : 1;
          }),
        );
      }
      return code;
    }
    case 'engine': {
      return eachHost(one, ['engine'], log, { outside: false }, async () => {
        const engine = await ensureEngine({ log });
        const image = await ensureImage({ log });
        process.stdout.write(
          `engine ${engine.serverVersion} at ${engine.endpoint}${engine.started ? ' (started dockerd)' : ''}; image ${image.image}${image.built ? ' (built)' : ''}\n`,
        );
        return 0;
      });
    }
    case 'exec': {
      const [gen] = args.engines;
      if (!gen || args.engines.length > 1 || !args.rest.length) {
        process.stderr.write(`lab: exec needs one --engine and a command after --\n${USAGE}\n`);
        return 2;
      }
      if (gen.netns && !(await hostState(gen)).engine?.answering) {
        process.stderr.write(`lab: Docker ${gen.id} is not running; start it with: npm run lab -- up --engine ${gen.id}\n`);
        return 1;
      }
      return spawnInherit(inHost(gen, args.rest), childEnv(gen));
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

/**
 * Brings each generation's host up (its namespace and engine) and, with `outside`, its client namespace;
 * then runs `here` inside the host; the worst exit code.
 */
async function eachHost(
  gens: Generation[],
  argv: string[],
  log: Log,
  opts: { outside: boolean },
  here: () => Promise<number>,
): Promise<number> {
  let code = 0;
  for (const gen of gens) {
    const inside = await insideNetns(gen);
    if (gen.netns && !inside) {
      const host = await hostUp(gen, log);
      for (const m of host.made) log(`${gen.id}: made ${m}`);
    }
    // The client namespace lives in the root mount namespace: a lab process inside a host cannot make it.
    if (opts.outside && !inside) for (const m of await outsideUp(gen, log)) log(`${gen.id}: made ${m}`);
    code = Math.max(code, await inGeneration(gen, argv, here));
  }
  return code;
}

/** Runs `lab <argv>` for that generation: in this process when it is this process's, else a child inside the host. */
async function inGeneration(gen: Generation, argv: string[], here: () => Promise<number>): Promise<number> {
  if (gen.id === GENERATION.id && (!gen.netns || (await insideNetns(gen)))) return here();
  // A lab process inside a host works on that host only: it never starts another lab process.
  if (process.env[CHILD_ENV]) throw new Error(`lab ${argv[0]} for Docker ${gen.id} reached a lab process of Docker ${GENERATION.id}`);
  const child = [process.execPath, fileURLToPath(import.meta.url), ...argv, '--engine', gen.id];
  return spawnInherit(inHost(gen, child), childEnv(gen, { [CHILD_ENV]: '1' }));
}

const CHILD_ENV = 'DOCKNET_LAB_CHILD';

async function downSwarm(log: Log): Promise<number> {
  try {
    const removed = await swarmDown(log);
    if (removed.length) process.stdout.write(`docknet lab down: swarm lab\n${removed.map((r) => `  removed ${r}`).join('\n')}\n`);
    return 0;
  } catch (err) {
    process.stdout.write(`docknet lab down: swarm lab\nFAILED:\n  ${message(err)}\n`);
    return 1;
  }
}

async function downGeneration(gen: Generation, keepTest: boolean, log: Log): Promise<number> {
  const argv = ['down', ...(keepTest ? ['--keep-test'] : [])];
  const render = async () => {
    const report = await down({ keepTestObjects: keepTest });
    process.stdout.write(`${renderReport(`docknet lab down (Docker ${GENERATION.id})`, report)}\n`);
    return report.failed.length ? 1 : 0;
  };
  const removeOutside = async (): Promise<number> => {
    try {
      const removed = await outsideDown(gen);
      if (removed.length)
        process.stdout.write(
          `docknet lab down: client namespace of Docker ${gen.id}\n${removed.map((r) => `  removed ${r}`).join('\n')}\n`,
        );
      return 0;
    } catch (err) {
      process.stdout.write(`docknet lab down: client namespace of Docker ${gen.id}\nFAILED:\n  ${message(err)}\n`);
      return 1;
    }
  };
  if (!gen.netns) {
    const ping = await pingEngine({ socketPath: gen.socket, text: `unix://${gen.socket}`, isDefault: true });
    if (!ping.ok) {
      log(`Docker ${gen.id}: ${ping.reason}; nothing of its lab can be removed`);
      return removeOutside();
    }
    return Math.max(await inGeneration(gen, argv, render), await removeOutside());
  }
  if (await insideNetns(gen)) return render(); // only the lab: the host itself is taken down from outside it
  let code = 0;
  const h = await hostState(gen);
  if (h.engine?.answering) code = await inGeneration(gen, argv, render);
  code = Math.max(code, await removeOutside());
  if (keepTest) return code;
  if (h.netns || h.uplink || h.engine) {
    try {
      const removed = await hostDown(gen, log);
      process.stdout.write(`docknet lab down: host of Docker ${gen.id}\n${removed.map((r) => `  removed ${r}`).join('\n')}\n`);
    } catch (err) {
      process.stdout.write(`docknet lab down: host of Docker ${gen.id}\nFAILED:\n  ${message(err)}\n`);
      code = 1;
    }
  }
  return code;
}

/** Is this process inside that generation's network namespace? */
async function insideNetns(gen: Generation): Promise<boolean> {
  if (!gen.netns) return false;
  try {
    return statSync(`/run/netns/${gen.netns}`).ino === statSync('/proc/self/ns/net').ino;
  } catch {
    return false; // no such namespace
  }
}

function spawnInherit(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(file!, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', (err) => {
      process.stderr.write(`lab: ${argv[0]}: ${err.message}\n`);
      resolve(1);
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`lab: ${message(err)}\n`);
      process.exitCode = 1;
    },
  );
}
