// Engine test: a second Docker engine in another network namespace on the same machine. Its
// docker-proxy processes are in this /proc too; neither engine's `nat` or `doctor` report may take the
// other's as its own, and doctor proposes no `kill`. The other engine is 28 when this run is 20.10's
// and 20.10 otherwise; a host this test starts is removed again. Ground truth: /proc/<pid>/ns/net.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { childEnv, inHost, netnsPath } from '../../lab/host-enter.js';
import { hostState, hostUp } from '../../lab/hosts.js';
import { GENERATION, GENERATIONS, HTTP_PORT, LAB_IMAGE, TEST_LABEL } from '../../lab/lab-spec.js';
import { run } from '../../lab/run.js';
import { DOCKNET_BIN, REPO_ROOT, TEST_RUN_ID, runDocknet, withLab, type CliResult } from './harness.js';

const LAB = fileURLToPath(new URL('../../lab/lab.js', import.meta.url));
const OTHER = GENERATION.id === '20.10' ? GENERATIONS['28'] : GENERATIONS['20.10'];

interface ProcProxy {
  pid: number;
  netns: string;
}

/** Every docker-proxy process of the machine, with its network namespace. */
function allProxies(): ProcProxy[] {
  const out: ProcProxy[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'docker-proxy') continue;
      out.push({ pid: Number(entry), netns: readlinkSync(`/proc/${entry}/ns/net`) });
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

interface NatJson {
  mappings: { proxy: { pid: number } | null }[];
  anomalies: { proxy: { pid: number } | null; text: string }[];
  notes: string[];
  otherNetnsProxies: { count: number; namespaces: string[] } | null;
}
interface DoctorJson {
  findings: { check: string; severity: string; title: string; fix: string; evidence: { source: string; text: string }[] }[];
}

/** docknet run inside the other host: its namespace, its DOCKER_HOST. */
async function docknetOther(args: string[]): Promise<CliResult> {
  const argv = inHost(OTHER, [process.execPath, DOCKNET_BIN, ...args]);
  const r = await execa(argv[0]!, argv.slice(1), {
    cwd: REPO_ROOT,
    reject: false,
    timeout: 60_000,
    env: { ...childEnv(OTHER), NO_COLOR: '1', LC_ALL: 'C' },
    extendEnv: false,
    stdin: 'ignore',
  });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Undo steps, run last-made first when the test ends, pass or fail (t.after runs hooks in the order given). */
function undoStack(t: TestContext): (fn: () => Promise<void>) => void {
  const steps: (() => Promise<void>)[] = [];
  t.after(async () => {
    for (const step of steps.reverse()) await step();
  });
  return (fn) => steps.push(fn);
}

/** Makes sure the other engine answers and has the test image; a host started here is removed when the test ends. */
async function otherEngine(undo: (fn: () => Promise<void>) => void): Promise<void> {
  if (OTHER.netns) {
    if (!(await hostState(OTHER)).engine?.answering) {
      // Only from the root namespace: this run is the system engine's, so it is there.
      undo(async () => {
        const down = await run([process.execPath, LAB, 'down', '--engine', OTHER.id], { timeoutMs: 180_000 });
        assert.equal(down.exitCode, 0, `lab down --engine ${OTHER.id}: ${down.stderr}${down.stdout}`);
        assert.ok(!(await hostState(OTHER)).netns, `namespace ${OTHER.netns} removed`);
      });
      await hostUp(OTHER, () => {});
    }
  }
  const image = await run([process.execPath, LAB, 'engine', '--engine', OTHER.id], { timeoutMs: 180_000 });
  assert.equal(image.exitCode, 0, `lab engine --engine ${OTHER.id}: ${image.stderr}`);
}

/** The docker CLI aimed at the other engine (-H: this process's DOCKER_HOST is this host's). */
function otherDocker(args: string[]) {
  return run(['docker', '-H', `unix://${OTHER.socket}`, ...args]);
}

function proxyPids(j: NatJson): number[] {
  return [...j.mappings.map((m) => m.proxy?.pid), ...j.anomalies.map((a) => a.proxy?.pid)].filter(
    (p): p is number => typeof p === 'number',
  );
}

function assertNoneOf(what: string, nat: NatJson, doctor: DoctorJson, foreign: ProcProxy[]): void {
  const pids = new Set(foreign.map((p) => p.pid));
  for (const pid of proxyPids(nat)) assert.ok(!pids.has(pid), `${what}: nat names the other engine's docker-proxy ${pid}`);
  const mentions = (text: string) => [...pids].filter((pid) => new RegExp(`\\b(pid|kill) ${pid}\\b`).test(text));
  for (const n of [...nat.notes, ...nat.anomalies.map((a) => a.text)]) assert.deepEqual(mentions(n), [], `${what}: nat says: ${n}`);
  for (const f of doctor.findings) {
    assert.deepEqual(mentions(`${f.title} ${f.fix} ${f.evidence.map((e) => e.text).join(' ')}`), [], `${what}: doctor says: ${f.title}`);
    assert.doesNotMatch(f.fix, /^kill\b/, `${what}: doctor proposes a kill: ${f.title} -> ${f.fix}`);
  }
  // What was left out is said, and counted right.
  assert.equal(nat.otherNetnsProxies?.count, foreign.length, `${what}: other namespaces' docker-proxy count`);
  assert.ok(
    nat.notes.some((n) => n.startsWith(`${foreign.length} docker-proxy process(es) of other network namespaces`)),
    `${what}: nat says how many were left out: ${nat.notes.join(' | ')}`,
  );
  const left = doctor.findings.find((f) => f.title.startsWith(`${foreign.length} docker-proxy process(es) of other network namespaces`));
  assert.equal(left?.severity, 'info', `${what}: doctor says how many were left out`);
}

test(`a second engine (Docker ${OTHER.id}) in another network namespace: neither report takes the other's docker-proxy`, async (t) => {
  if (!(await withLab(t))) return;
  const undo = undoStack(t);
  await otherEngine(undo);
  const name = `docknet-second-engine-${process.pid}`;
  undo(async () => {
    const r = await otherDocker(['rm', '-f', '-v', name]);
    if (r.exitCode !== 0 && !/No such container/i.test(r.stderr)) throw new Error(r.stderr);
  });
  // Published ports the lab does not use, served by the other engine's docker-proxy.
  const started = await otherDocker([
    'run',
    '-d',
    '--name',
    name,
    '--label',
    `${TEST_LABEL}=${TEST_RUN_ID}`,
    '-p',
    `47990:${HTTP_PORT}`,
    '-p',
    `127.0.0.1:47991:${HTTP_PORT}`,
    LAB_IMAGE,
    'sleep',
    '600',
  ]);
  assert.equal(started.exitCode, 0, `docker run on Docker ${OTHER.id}: ${started.stderr}`);

  const self = readlinkSync('/proc/self/ns/net');
  // stat follows /proc/<pid>/ns/net and sees through the bind mount of /run/netns/<name>: the namespace's inode.
  const otherNs = `net:[${statSync(netnsPath(OTHER)).ino}]`;
  assert.notEqual(otherNs, self, 'the other engine is in another network namespace');
  const proxies = allProxies();
  const mine = proxies.filter((p) => p.netns === self);
  const theirs = proxies.filter((p) => p.netns === otherNs);
  assert.ok(mine.length > 0, "this host's lab publishes ports through docker-proxy");
  assert.ok(theirs.length >= 2, `the other engine runs docker-proxy for ${name}`);

  const nat = JSON.parse((await runDocknet(['nat', '--json'])).stdout) as NatJson;
  const doctor = JSON.parse((await runDocknet(['doctor', '--json'])).stdout) as DoctorJson;
  assertNoneOf(
    `Docker ${GENERATION.id}`,
    nat,
    doctor,
    proxies.filter((p) => p.netns !== self),
  );
  // This host's own proxies are still its own.
  assert.ok(
    proxyPids(nat).some((pid) => mine.some((p) => p.pid === pid)),
    "nat still names this host's docker-proxy",
  );

  const otherNat = await docknetOther(['nat', '--json']);
  assert.equal(otherNat.exitCode, 0, otherNat.stderr);
  const otherDoctor = await docknetOther(['doctor', '--json']);
  assert.ok(otherDoctor.exitCode === 0 || otherDoctor.exitCode === 1, otherDoctor.stderr);
  const onOther = JSON.parse(otherNat.stdout) as NatJson;
  assertNoneOf(
    `Docker ${OTHER.id}`,
    onOther,
    JSON.parse(otherDoctor.stdout) as DoctorJson,
    proxies.filter((p) => p.netns !== otherNs),
  );
  assert.ok(
    proxyPids(onOther).some((pid) => theirs.some((p) => p.pid === pid)),
    `nat on Docker ${OTHER.id} names its own docker-proxy`,
  );
});
