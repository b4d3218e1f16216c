// The reply path and the suggestions for a negative verdict, on saved real lab snapshots (Docker 28.5:
// test/fixtures/lab-snapshot-28; Docker 20.10: test/fixtures/lab-snapshot).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ask } from './ask.js';
import { repoPath } from '../../repo-path.js';

const LAB_28 = repoPath('test/fixtures/lab-snapshot-28');
const LAB_20 = repoPath('test/fixtures/lab-snapshot');

test('a delivered connection carries its reply: ESTABLISHED, from the container back to the client, accepted by Docker 28 DOCKER-FORWARD', async () => {
  const r = await ask(LAB_28, 'outside', 'host:49154');
  assert.equal(r.expect, 'connect');
  assert.equal(r.decidedOnReply, false);
  assert.ok(r.reply, 'the reply was walked');
  const enter = r.reply.hops[0];
  assert.equal(enter?.kind, 'enter');
  assert.deepEqual(enter?.kind === 'enter' && [enter.container, enter.packet.src, enter.packet.sport, enter.packet.dst], [
    'tomcat-tml',
    '10.228.0.2',
    8080,
    '198.51.100.7',
  ]);
  const hooks = r.reply.hops.filter((h) => h.kind === 'hook');
  assert.ok(hooks.every((h) => h.kind === 'hook' && h.reply));
  // conntrack ESTABLISHED: no nat chain sees the reply.
  assert.ok(hooks.every((h) => h.kind === 'hook' && h.steps.every((s) => s.rule.table !== 'nat')));
  assert.equal(r.reply.verdict, 'delivered');
  assert.deepEqual([r.reply.decidedBy?.chain, r.reply.decidedBy?.number], ['DOCKER-FORWARD', 4]);
  assert.equal(r.reply.hops.at(-1)?.kind, 'leave');
  assert.deepEqual(r.advice, [], 'no suggestion for a connection that works');
});

test('a refused TCP connection walks its reset back; a refused UDP one (an ICMP error, RELATED) is not walked', async () => {
  const tcp = await ask(LAB_28, 'lab-web', 'tomcat-tml:9999');
  assert.equal(tcp.verdict, 'dropped', 'Docker 28 drops direct access across bridges before any listener');
  const refused = await ask(LAB_28, 'host', 'tomcat-tml:9999');
  assert.equal(refused.verdict, 'no-listener');
  assert.equal(refused.reply?.verdict, 'delivered');
  const udp = await ask(LAB_28, 'host', 'tomcat-tml:9999/udp');
  assert.equal(udp.verdict, 'no-listener');
  assert.equal(udp.reply, null);
});

test('suggestions: Docker 28 direct-access drop, loopback-published port, --internal, enable_icc=false, unpublished port', async () => {
  const direct = await ask(LAB_28, 'outside', 'tomcat-tml:8080');
  assert.deepEqual(
    direct.advice.map((a) => a.code),
    ['docker-direct-access'],
  );
  const across = await ask(LAB_28, 'lab-web', 'tomcat-tml:8080');
  assert.equal(across.advice[0]?.code === 'docker-direct-access' && across.advice[0].from, 'lab-web');

  const loopback = await ask(LAB_28, 'outside', '127.0.0.1:8081');
  assert.deepEqual(
    loopback.advice.map((a) => [a.code, a.code === 'loopback-from-outside' && a.rule?.table]),
    [['loopback-from-outside', 'raw']],
  );

  const internal = await ask(LAB_28, 'lab-multi', 'lab-internal:8080');
  const i = internal.advice[0];
  assert.equal(i?.code, 'docker-isolation');
  assert.ok(i?.code === 'docker-isolation' && i.internal && i.from === 'lab-multi' && i.dockerUser === null);

  const icc = await ask(LAB_28, 'lab-noicc-a', 'lab-noicc-b:8080');
  const c = icc.advice[0];
  assert.equal(c?.code, 'docker-icc');
  assert.deepEqual(c?.code === 'docker-icc' && c.dockerUser, [
    'iptables',
    '-I',
    'DOCKER-USER',
    '1',
    '-s',
    '10.223.3.2',
    '-d',
    '10.223.3.3',
    '-p',
    'tcp',
    '-m',
    'tcp',
    '--dport',
    '8080',
    '-j',
    'ACCEPT',
  ]);

  const unpublished = await ask(LAB_28, 'outside', 'lab-routed:9999');
  assert.equal(unpublished.advice[0]?.code, 'docker-unpublished');
});

test('suggestions on Docker 20.10: isolation between networks names both ends; a port published on 127.0.0.1 only', async () => {
  const across = await ask(LAB_20, 'lab-multi', 'tomcat-tml:8080');
  const a = across.advice[0];
  assert.ok(a?.code === 'docker-isolation' && !a.internal && a.from === 'lab-multi' && a.network === 'bridge', JSON.stringify(a));
  assert.ok(a?.code === 'docker-isolation' && a.dockerUser?.includes('DOCKER-USER'));
  const lanAddress = await ask(LAB_20, 'outside', 'host:8081');
  assert.equal(lanAddress.verdict, 'no-listener');
  assert.deepEqual(
    lanAddress.advice.map((x) => [x.code, x.code === 'published-elsewhere' && x.hostIps]),
    [['published-elsewhere', ['127.0.0.1']]],
  );
});

test('no suggestion where the verdict is unknown or positive', async () => {
  for (const [s, d] of [
    ['outside', 'host:49154'],
    ['tomcat-tml', '203.0.113.9:443'],
  ] as const) {
    const r = await ask(LAB_28, s, d);
    assert.notEqual(r.expect, 'refused');
    assert.deepEqual(r.advice, [], `${s} -> ${d}: ${r.verdict}/${r.expect}`);
  }
});
