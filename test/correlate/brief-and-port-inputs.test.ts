// The host model from `ip -br` listings, `iptables -t nat -S` and `docker port` alone (real outputs of
// one moment, test/fixtures/live-debian12-parsers): what they say, and nothing they do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../repo-path.js';
import { runCli } from '../cli-helper.js';

const FIX = repoPath('test/fixtures/live-debian12-parsers');

async function snapshotOf(files: [string, string][]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'docknet-brief-'));
  for (const [from, to] of files) {
    await mkdir(join(dir, to, '..'), { recursive: true });
    await copyFile(join(FIX, from), join(dir, to));
  }
  return dir;
}

async function json(args: string[]) {
  const r = await runCli([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return r.json();
}

test('ip -br: host veths and bridges by name, never paired by an index brief output does not print', async (t) => {
  const dir = await snapshotOf([
    ['ip-br-addr.txt', 'host/ip-br-addr.txt'],
    ['ip-br-link.txt', 'host/ip-br-link.txt'],
  ]);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const map = await json(['veth-map', '--from', dir]);
  assert.equal(map.hostLinksKnown, true);
  assert.ok(map.hostVeths.length > 0, 'the brief listing names veths');
  for (const v of map.hostVeths) {
    assert.equal(v.ifindex, null, `${v.name}: brief output prints no ifindex`);
    assert.equal(v.owner, null);
    assert.equal(v.ownerStatus, 'unknown', `${v.name}: no container list, so no owner can be ruled out`);
  }
  const docker0 = map.hostInterfaces.find((h: { name: string }) => h.name === 'docker0');
  assert.deepEqual(docker0?.role, {
    code: 'docker-bridge',
    network: null,
    text: "Docker's bridge, by its name (no Docker network list in the data)",
  });
});

test('docker port and iptables -t nat -S: lab-web publishes 18080, DNAT rule to 10.213.0.2:8080', async (t) => {
  const dir = await snapshotOf([
    ['docker-port-lab-web.txt', 'docker/port-lab-web.txt'],
    ['iptables-t-nat-S.txt', 'host/iptables-S.txt'],
  ]);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const nat = await json(['nat', '--from', dir]);
  assert.equal(nat.publications.known, false, 'no container list: other containers may publish too');
  const m = nat.mappings.find((x: { hostPort: number; hostIp: string }) => x.hostPort === 18080 && x.hostIp === '0.0.0.0');
  assert.ok(m, JSON.stringify(nat.mappings.map((x: { hostPort: number }) => x.hostPort)));
  assert.equal(m.container, 'lab-web');
  assert.equal(m.containerPort, 8080);
  assert.equal(m.publishedBy, 'docker port');
  assert.equal(m.containerIp, '10.213.0.2');
  assert.equal(m.rule?.chain, 'DOCKER');
});
