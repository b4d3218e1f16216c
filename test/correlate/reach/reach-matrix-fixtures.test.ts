// reach on the snapshots the reachability matrix saved on Docker 28.5 (test/fixtures/reach-matrix-28):
// each case is a verdict the real packet proved docknet had wrong, kept as a pure test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ask } from './ask.js';
import { repoPath } from '../../repo-path.js';

const NONE = repoPath('test/fixtures/reach-matrix-28/none');

test('routed-host-port: a routed network publication has docker-proxy on :: only, which is IPv6-only: IPv4 to the host port is refused', async () => {
  // The facts behind it: the only socket on 18081 is [::]:18081, docker-proxy's with -host-ip ::.
  assert.match(readFileSync(`${NONE}/host/proc-net-tcp6.txt`, 'utf8'), / 0{32}:46A1 0{32}:0000 0A /);
  const proxies = JSON.parse(readFileSync(`${NONE}/host/docker-proxy.json`, 'utf8')) as { cmdline: string[] }[];
  const on18081 = proxies.filter((p) => p.cmdline[p.cmdline.indexOf('-host-port') + 1] === '18081');
  assert.deepEqual(
    on18081.map((p) => p.cmdline[p.cmdline.indexOf('-host-ip') + 1]),
    ['::'],
  );
  const r = await ask(NONE, '10.219.28.6', '10.219.28.5:18081');
  assert.equal(r.verdict, 'no-listener');
  assert.equal(r.expect, 'refused');
  assert.equal(r.decidedBy?.chain, 'INPUT');
  // Its IPv4 twin, tomcat-tml's 49154 (0.0.0.0 and ::), still connects.
  assert.equal((await ask(NONE, 'host', '10.219.28.5:49154')).expect, 'connect');
});

test('egress-internal: a container on an --internal network has no gateway, so a packet beyond its subnet never leaves it (unreachable)', async () => {
  // The fact behind it: the engine reports no gateway for either endpoint on docknet-lab-internal.
  const containers = JSON.parse(readFileSync(`${NONE}/docker/containers.json`, 'utf8')) as {
    Name: string;
    NetworkSettings: { Networks: Record<string, { Gateway: string }> };
  }[];
  const internal = containers.find((c) => c.Name === '/lab-internal');
  assert.equal(internal?.NetworkSettings.Networks['docknet-lab-internal']?.Gateway, '');
  const r = await ask(NONE, 'lab-internal', '198.18.28.2:8080');
  assert.equal(r.verdict, 'no-route');
  assert.equal(r.expect, 'unreachable');
  assert.equal(r.decidedBy, null);
  // On its own subnet it still reaches its neighbour, and its gateway (the host).
  assert.equal((await ask(NONE, 'lab-internal', '10.223.2.3:8080')).verdict, 'no-listener');
  assert.equal((await ask(NONE, 'lab-internal', '10.223.2.1:18193')).expect, 'connect');
});

const DROP_REPLIES = repoPath('test/fixtures/reach-matrix-28/docker-user-drop-replies');

test('docker-user-drop-replies: a published port connects on the way in and its reply is dropped on the way back (DOCKER-USER rule 1)', async () => {
  // The fact behind it: the set-up's rule, as iptables-save printed it.
  assert.match(
    readFileSync(`${DROP_REPLIES}/host/iptables-save.txt`, 'utf8'),
    /-A DOCKER-USER -d 10\.219\.28\.6\/32 -m conntrack --ctstate ESTABLISHED -j DROP/,
  );
  const r = await ask(DROP_REPLIES, '10.219.28.6', '10.219.28.5:49154');
  assert.deepEqual([r.verdict, r.expect, r.decidedOnReply], ['dropped', 'timeout', true]);
  assert.deepEqual([r.decidedBy?.chain, r.decidedBy?.number], ['DOCKER-USER', 1]);
  assert.equal(r.reply?.verdict, 'dropped');
  // The request itself was accepted by Docker's rule for the published port.
  const forward = r.hops.find((h) => h.kind === 'hook' && h.hook === 'forward');
  assert.equal(forward?.kind === 'hook' && forward.verdict, 'accept');
  // The suggestion is an insert before that rule for the reply's flow, never a delete.
  const a = r.advice[0];
  assert.equal(a?.code, 'allow-before');
  assert.ok(a?.code === 'allow-before' && a.reply && a.command?.join(' ').startsWith('iptables -t filter -I DOCKER-USER 1 -s 10.228.0.2'));
  assert.ok(a?.code === 'allow-before' && a.command?.includes('RETURN'));
  // The same host's own service answers through OUTPUT, which DOCKER-USER never sees.
  assert.equal((await ask(DROP_REPLIES, '10.219.28.6', '10.219.28.5:18193')).expect, 'connect');
});

test('a masqueraded connection between bridges gets its reply past Docker 28 raw drops: conntrack gives the client back after raw PREROUTING', async () => {
  const r = await ask(NONE, 'lab-web', 'lab-routed:8080');
  assert.equal(r.expect, 'connect');
  const replyRaw = r.reply?.hops.find((h) => h.kind === 'hook' && h.hook === 'prerouting');
  // raw sees the masqueraded address (the routed bridge's gateway), not lab-web's own, so its drop of lab-web's address does not match.
  assert.equal(replyRaw?.kind === 'hook' && replyRaw.packet.dst, '10.223.4.1');
  const route = r.reply?.hops.find((h) => h.kind === 'route');
  assert.equal(route?.kind === 'route' && route.dst, '10.223.0.2');
});
