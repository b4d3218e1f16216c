// npm run test:engine: the engine test suite against one Docker generation, run inside that generation's
// host (its network namespace, DOCKER_HOST and programs), so docknet and the tests' ground truth see that host.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Log } from './engine.js';
import { childEnv, inHost } from './host-enter.js';
import { hostState, hostUp } from './hosts.js';
import { outsideUp } from './outside.js';
import { swarmDown, swarmUp } from './swarm.js';
import { GENERATION_ENV, GENERATION_IDS, GENERATIONS, generationId, type Generation } from './lab-spec.js';

const DIST = fileURLToPath(new URL('../', import.meta.url));
const LAB = fileURLToPath(new URL('./lab.js', import.meta.url));

/** The swarm tests' file: run on Docker 28 only, with the swarm lab this runner brings up (lab/swarm.ts). */
export const SWARM_TEST = 'swarm-overlay.test.js';
/** The ssh transport's test: its sshd runs in the Docker 28 lab host's namespace, so on 28 only. */
export const SSH_TEST = 'ssh-host.test.js';
/** The files that run on Docker 28 only. */
const ONLY_ON_28 = [SWARM_TEST, SSH_TEST];

/** Every test file that needs an engine: test/engine/*, and the *-engine tests beside the units they cover (the swarm's and ssh's on 28 only). */
export function engineTestFiles(root = path.join(DIST, 'test'), generation: Generation['id'] = '28'): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.name.endsWith('.test.js') && (path.basename(dir) === 'engine' || e.name.endsWith('-engine.test.js'))) out.push(file);
    }
  };
  walk(root);
  return out.filter((f) => generation === '28' || !ONLY_ON_28.includes(path.basename(f))).sort();
}

function spawnInherit(argv: string[], env: NodeJS.ProcessEnv, onChild?: (pid: number) => void): Promise<number> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(file!, args, { stdio: 'inherit', env });
    if (child.pid) onChild?.(child.pid);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', (err) => {
      process.stderr.write(`test:engine: ${file}: ${err.message}\n`);
      resolve(1);
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const log: Log = (line) => process.stderr.write(`test:engine: ${line}\n`);
  let gen: Generation | null = null;
  let keep = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    if (a === '--engine' || a.startsWith('--engine=')) {
      const v = a === '--engine' ? (argv[++i] ?? '') : a.slice('--engine='.length);
      const id = generationId(v);
      if (!id) {
        process.stderr.write(`test:engine: --engine ${v}: no such generation (${GENERATION_IDS.join(', ')})\n`);
        return 2;
      }
      gen = GENERATIONS[id];
    } else if (a === '--keep') keep = true;
    else files.push(path.resolve(a));
  }
  if (!gen) {
    const raw = process.env[GENERATION_ENV];
    const id = raw ? generationId(raw) : '20.10';
    if (!id) {
      process.stderr.write(`test:engine: ${GENERATION_ENV}=${raw}: no such generation (${GENERATION_IDS.join(', ')})\n`);
      return 2;
    }
    gen = GENERATIONS[id];
  }
  const tests = files.length ? files : engineTestFiles(undefined, gen.id);
  const swarm = gen.id === '28' && tests.some((f) => path.basename(f) === SWARM_TEST);

  let started = false;
  if (gen.netns) {
    if (!(await hostState(gen)).engine?.answering) {
      started = true;
      for (const m of (await hostUp(gen, log)).made) log(`${gen.id}: made ${m}`);
    }
  }
  let child: number | null = null;
  const forward = (signal: NodeJS.Signals) => {
    if (child) process.kill(child, signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  log(`Docker ${gen.id}${gen.netns ? ` in ${gen.netns}` : ''}: ${tests.length} test files`);
  let code = 1;
  try {
    // The client namespace beyond the uplink, which the tests connect from (made here: a process inside the host cannot).
    for (const m of await outsideUp(gen, log)) log(`${gen.id}: made ${m}`);
    // The swarm is made from here, in the root namespaces: the tests run inside the 28 host, which cannot make namespaces for others.
    if (swarm) {
      log('bringing up the swarm lab for the swarm tests (3 nodes)');
      const r = await swarmUp(3, log);
      for (const m of r.made) log(`swarm: made ${m}`);
    }
    code = await spawnInherit(
      inHost(gen, [process.execPath, '--test', '--test-concurrency=1', ...tests]),
      childEnv(gen),
      (pid) => (child = pid),
    );
  } finally {
    child = null;
    if (swarm) {
      log('removing the swarm lab');
      try {
        await swarmDown(log);
      } catch (err) {
        log(`swarm down failed: ${err instanceof Error ? err.message : String(err)}`);
        code = code || 1;
      }
    }
    // A host this run started goes again, lab and all, even when the tests failed or were interrupted.
    if (started && !keep) {
      log(`removing the host of Docker ${gen.id} this run started (--keep leaves it)`);
      const down = await spawnInherit([process.execPath, LAB, 'down', '--engine', gen.id], process.env);
      if (down !== 0) code = code || down;
    }
  }
  return code;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`test:engine: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
