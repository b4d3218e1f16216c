// Engine test of the ssh transport (Docker 28 only): an sshd started inside the Docker 28 lab host's
// namespace on 127.0.0.1:2222, and docknet, run in that same namespace, reading that host through it.
// veth-map over ssh equals the local veth-map of the same engine; a refused port and a refused key
// each get their own error while a good host still reports; one ssh connection per host per run.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { C, GENERATION } from '../../lab/lab-spec.js';
import { SAVE_ONLY_COMMANDS } from '../../src/gather/all.js';
import { HOST_COMMANDS } from '../../src/gather/live.js';
import { READ_SCRIPT } from '../../src/gather/remote-files.js';
import { hostHeading } from '../../src/render/fleet.js';
import { shellLine } from '../../src/util/shell-quote.js';
import { requireCapability } from '../capability.js';
import { runDocknet, withLab } from './harness.js';
import { SSHD, startSshd } from './ssh-sshd.js';

const PORT = 2222;

function inside(netns: string): boolean {
  try {
    return statSync(`/run/netns/${netns}`).ino === statSync('/proc/self/ns/net').ino;
  } catch {
    return false;
  }
}

function accepted(log: string): number {
  return log.split('\n').filter((l) => /Accepted publickey for root from 127\.0\.0\.1/.test(l)).length;
}

test('veth-map --host ssh://root@127.0.0.1:2222/<socket> equals the local veth-map; bad hosts get their own errors; one connection per host', async (t) => {
  if (GENERATION.id !== '28' || !GENERATION.netns) {
    t.skip('the ssh transport test runs on the Docker 28 lab host (npm run test:engine -- --engine 28)');
    return;
  }
  if (!(await withLab(t))) return;
  const netns = GENERATION.netns;
  if (!(await requireCapability(t, "Debian's sshd (openssh-server)", () => (existsSync(SSHD) ? null : `${SSHD} is not installed`)))) return;
  // 127.0.0.1 must be the lab host's own loopback: this process and sshd both in its namespace.
  assert.ok(inside(netns), `this test must run inside ${netns}`);
  const sshd = await startSshd(t, `/run/netns/${netns}`, PORT);
  const tmp = await mkdtemp(join(tmpdir(), 'docknet-ssh-test-'));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  const env = { DOCKNET_SSH_CONFIG: sshd.clientConfig, TMPDIR: tmp };
  const url = `ssh://root@127.0.0.1:${PORT}${GENERATION.socket}`;

  const local = await runDocknet(['veth-map']);
  assert.equal(local.exitCode, 0, local.stderr);
  const remote = await runDocknet(['veth-map', '--host', url], { env });
  assert.equal(remote.exitCode, 0, remote.stderr);
  assert.equal(remote.stdout, `${hostHeading(url)}${local.stdout}`);
  assert.equal(accepted(await sshd.log()), 1, 'one ssh connection for the whole run');

  const localJson = await runDocknet(['veth-map', '--json']);
  const remoteJson = await runDocknet(['veth-map', '--json', '--host', url], { env });
  assert.equal(remoteJson.exitCode, 0, remoteJson.stderr);
  const fleet = JSON.parse(remoteJson.stdout);
  assert.equal(fleet.kind, 'docknet-fleet');
  // The one difference two runs have: when each was taken.
  const untimed = (j: { snapshot: { takenAt?: string } }) => ({ ...j, snapshot: { ...j.snapshot, takenAt: 'T' } });
  assert.deepEqual(untimed(fleet.hosts[url]), untimed(JSON.parse(localJson.stdout)));
  assert.equal(accepted(await sshd.log()), 2);

  const refusedPort = `ssh://root@127.0.0.1:${PORT + 1}${GENERATION.socket}`;
  const refusedKey = `ssh://daemon@127.0.0.1:${PORT}${GENERATION.socket}`;
  const mixed = await runDocknet(['veth-map', '--host', refusedPort, '--host', refusedKey, '--host', url], { env });
  assert.equal(mixed.exitCode, 1, mixed.stderr);
  const sections = mixed.stdout.split(/^(?==== host )/m);
  assert.equal(sections.length, 3, mixed.stdout);
  assert.match(sections[0] ?? '', /could not be read: cannot connect over ssh: .*Connection refused/);
  assert.match(sections[1] ?? '', /could not be read: cannot connect over ssh: .*Permission denied \(publickey\)/);
  assert.equal(sections[2], `${hostHeading(url)}${local.stdout}`);
  assert.equal(accepted(await sshd.log()), 3);

  // The other commands read the same facts through the same seam: their output over ssh is the local one.
  for (const args of [['nat'], ['doctor'], ['inspect', C.web]]) {
    const here = await runDocknet(args);
    const there = await runDocknet([...args, '--host', url], { env });
    assert.equal(there.stdout, `${hostHeading(url)}${here.stdout}`, args.join(' '));
    assert.equal(there.exitCode, here.exitCode, args.join(' '));
  }
  // A fleet archive saved over ssh reads back as the same host.
  const archive = join(tmp, 'fleet');
  const saved = await runDocknet(['snapshot', 'save', '--host', url, archive], { env });
  assert.equal(saved.exitCode, 0, saved.stderr + saved.stdout);
  const fromArchive = await runDocknet(['veth-map', '--json', '--from', archive]);
  assert.equal(fromArchive.exitCode, 0, fromArchive.stderr);
  // Everything but the snapshot's description (saved, where, when) is the live answer.
  const { snapshot: _saved, ...answer } = JSON.parse(fromArchive.stdout).hosts[url];
  const { snapshot: _live, ...liveAnswer } = JSON.parse(localJson.stdout);
  assert.deepEqual(answer, liveAnswer);
  assert.equal(accepted(await sshd.log()), 7);
  // Only the fixed read-only commands ran on the host: the local run's, the batched read script, dial-stdio.
  const allowed = new Set(
    [
      ['true'],
      ...Object.values(HOST_COMMANDS).flatMap((specs) => specs.map((s) => s.command)),
      ...SAVE_ONLY_COMMANDS.map((s) => s.command),
      ['iptables-legacy-save', '-c'],
      ['ip6tables-legacy-save', '-c'],
      ['ip', 'xfrm', 'state'],
      ['ip', 'xfrm', 'policy'],
    ].map((argv) => (argv[0] === 'true' ? 'true' : shellLine(['env', 'LC_ALL=C', 'LANG=C', ...argv]))),
  );
  allowed.add(shellLine(['docker', '--host', `unix://${GENERATION.socket}`, 'system', 'dial-stdio']));
  const readScript = `${shellLine(['sh', '-c', READ_SCRIPT, 'docknet-read'])} `;
  const overlayTool = /^env LC_ALL=C LANG=C nsenter '?--net=[\w/.-]+'? -- (ip -j -d link show|bridge -j fdb show|ip -j neigh show)$/;
  const ran = await sshd.commands();
  assert.ok(ran.length > 10, `${ran.length} commands`);
  const other = ran.filter((c) => !allowed.has(c) && !c.startsWith(readScript) && !overlayTool.test(c));
  assert.deepEqual(other, []);
  // Every master was closed (ssh -O exit) and its private directory removed.
  assert.deepEqual(
    readdirSync(tmp).filter((e) => e.startsWith('docknet-ssh-')),
    [],
  );
});
