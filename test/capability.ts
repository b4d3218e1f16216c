// The one gate for a test that needs what a machine may lack (an engine, the docker group, a C compiler,
// tar, the lab's macvlan, overlay or swarm): under CI the test FAILS with the reason; elsewhere it is
// skipped, loudly, with the reason. A probe returns null when the capability is there, else why not.
import type { TestContext } from 'node:test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';

export type Probe = () => string | null | Promise<string | null>;

/** CI set to anything but '', '0' or 'false': the run must prove everything it claims. */
export function underCi(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

export type Gate = { action: 'run' } | { action: 'skip' | 'fail'; message: string };

/** What a test does when its capability is missing (`why`), as a value so the rule is tested alone. */
export function gate(name: string, why: string | null, env: NodeJS.ProcessEnv): Gate {
  if (why === null) return { action: 'run' };
  if (underCi(env)) return { action: 'fail', message: `${name} is required under CI and missing: ${why}` };
  return { action: 'skip', message: `SKIPPED, ${name} missing: ${why} (under CI=true this fails)` };
}

async function probed(probe: Probe): Promise<string | null> {
  try {
    return await probe();
  } catch (err) {
    return `could not find out: ${(err as Error)?.message ?? String(err)}`;
  }
}

/**
 * Runs the probe; true when the test may go on. Missing: throws under CI (the test fails with the
 * reason), else skips the test with the reason, also written to stderr so a skip is never silent.
 */
export async function requireCapability(t: TestContext, name: string, probe: Probe): Promise<boolean> {
  const g = gate(name, await probed(probe), process.env);
  if (g.action === 'run') return true;
  if (g.action === 'fail') throw new Error(g.message);
  process.stderr.write(`\n*** ${g.message} ***\n\n`);
  t.skip(g.message);
  return false;
}

/** How this kernel was built with `option` (CONFIG_IP_VS): 'y', 'm', 'not set', or null when /proc/config.gz is not there. */
export function kernelConfig(option: string, configGz = '/proc/config.gz'): 'y' | 'm' | 'not set' | null {
  let text: string;
  try {
    text = gunzipSync(readFileSync(configGz)).toString('utf8');
  } catch {
    return null;
  }
  if (new RegExp(`^# ${option} is not set$`, 'm').test(text) || !new RegExp(`^${option}=`, 'm').test(text)) return 'not set';
  return new RegExp(`^${option}=m$`, 'm').test(text) ? 'm' : 'y';
}

/**
 * A kernel feature: when this kernel is built without it (`# CONFIG_X is not set`), no setup on this
 * machine can give it, so the test is skipped even under CI, saying so plainly and naming the option.
 * A kernel built with it where it is still missing goes through requireCapability (and fails under CI).
 */
export async function requireKernelFeature(t: TestContext, name: string, option: string, probe: Probe): Promise<boolean> {
  if (kernelConfig(option) === 'not set') {
    const message = `SKIPPED on this machine: its kernel is built without ${option}, so ${name} cannot exist here (not a failure, even under CI)`;
    process.stderr.write(`\n*** ${message} ***\n\n`);
    t.skip(message);
    return false;
  }
  return requireCapability(t, name, probe);
}

/** A probe that runs `command` (e.g. ['tar', '--version']): null when it exits 0. */
export function commandWorks(command: string[]): Probe {
  return async () => {
    const r = await execa(command[0] ?? '', command.slice(1), { reject: false });
    if ((r as { code?: string }).code === 'ENOENT') return `${command[0]} is not installed`;
    return r.exitCode === 0 ? null : `\`${command.join(' ')}\` exited ${r.exitCode}: ${String(r.stderr).trim().split('\n')[0] ?? ''}`;
  };
}

/** The gid of the docker group, or '' when this machine has none (see dockerGroupProbe). */
export async function dockerGid(): Promise<string> {
  const r = await execa('getent', ['group', 'docker'], { reject: false });
  return String(r.stdout).split(':')[2] ?? '';
}

export const dockerGroup: Probe = async () => ((await dockerGid()) ? null : 'no docker group on this machine (getent group docker)');

export const tar: Probe = commandWorks(['tar', '--version']);
export const cCompiler: Probe = commandWorks(['cc', '--version']);
