// docknet reach with several --from (one snapshot per swarm node) through main(): the cross-node form,
// its JSON, and its usage errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { saveFleet } from '../../src/snapshot/fleet-archive.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';

const from = (scenario: string) =>
  ['docknet-sw1', 'docknet-sw2', 'docknet-sw3'].flatMap((n) => ['--from', repoPath(`test/fixtures/swarm-28/${scenario}/${n}`)]);

test('reach across nodes: the deciding rule on the receiving node, text and JSON', async () => {
  const t = await runCli(['reach', ...from('vxlan-dropped'), 'swc-1', 'docknet-sw2/swc-2:8080']);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /verdict: dropped: a client times out/);
  assert.match(t.stdout, /decided by: docknet-sw2: iptables filter INPUT rule 1: -A INPUT -p udp -m udp --dport 4789 -j DROP/);
  const j = await runCli(['reach', ...from('healthy'), 'swc-1', 'swc-2:8080/tcp', '--json']);
  assert.equal(j.code, 0, j.stderr);
  const v = j.json();
  assert.equal(v.schemaVersion, 1);
  assert.equal(v.kind, 'across-nodes');
  assert.equal(v.verdict, 'delivered');
  assert.equal(v.destination.node, 'docknet-sw2');
});

test('reach across nodes: a name on two nodes is a usage error; --exposure reads one host', async () => {
  const a = await runCli(['reach', ...from('healthy'), 'sw-dnsrr', 'swc-1:8080']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /names containers on 2 nodes/);
  const e = await runCli(['reach', ...from('healthy'), '--exposure']);
  assert.equal(e.code, 2);
  assert.match(e.stderr, /--exposure reads one host/);
  const d = await runCli(['reach', ...from('healthy'), 'swc-1', '10.246.1.4:8080']);
  assert.equal(d.code, 2);
  assert.match(d.stderr, /reach across nodes takes \[NODE\/\]TASK:PORT/);
});

test('reach across nodes from a fleet archive: its hosts are the nodes, with the verdict of the same snapshots given one by one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-fleet-reach-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'fleet');
  const nodes = ['docknet-sw1', 'docknet-sw2', 'docknet-sw3'];
  await saveFleet(
    await Promise.all(
      nodes.map(async (n) => ({
        host: n,
        snapshot: await loadSnapshot(repoPath(`test/fixtures/swarm-28/vxlan-dropped/${n}`)),
        redaction: null,
      })),
    ),
    out,
    { force: false, docknetVersion: 'test' },
  );
  const archive = await runCli(['reach', '--from', out, 'swc-1', 'docknet-sw2/swc-2:8080', '--json']);
  assert.equal(archive.code, 0, archive.stderr);
  assert.equal(archive.json().kind, 'across-nodes');
  const oneByOne = await runCli(['reach', ...from('vxlan-dropped'), 'swc-1', 'docknet-sw2/swc-2:8080', '--json']);
  assert.equal(archive.json().verdict, 'dropped');
  assert.deepEqual(archive.json().decidedBy, oneByOne.json().decidedBy);
});
