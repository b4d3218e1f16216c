// docknet reach with several --from (one snapshot per swarm node) through main(): the cross-node form,
// its JSON, and its usage errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
