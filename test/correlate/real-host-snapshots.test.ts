// Hand-assembled snapshots of other real hosts and Docker versions (test/fixtures/snapshots/*, each
// with a SOURCE.md): the real load -> parse -> correlate code asserts the correlation each one allows,
// and says "not in the data" where it does not.
import { test } from 'node:test';
import { hostVethNoteText, interfaceNotesText } from '../../src/render/veth-words.js';
import assert from 'node:assert/strict';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { lookupIn } from '../../src/model/fact.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { correlateVethMap } from '../../src/correlate/veth-map.js';
import { correlateNat } from '../../src/correlate/nat.js';
import { repoPath } from '../repo-path.js';
import { runCli } from '../cli-helper.js';
import { mappingNoteText, pathText } from '../../src/render/nat-words.js';
import type { PortPath } from '../../src/model/port-path.js';
const pt = (p: PortPath | undefined): string | undefined => (p ? pathText(p) : undefined);

const snap = (name: string) => repoPath(`test/fixtures/snapshots/${name}`);
const LEO = snap('leo-ubuntu20-jenkins-busybox');
const NODE1 = snap('docker-node1-port-mapping');
const AWS = snap('aws-centos-docker1.11-two-centos');
const BUSYBOX = snap('enp1s0-busybox-host-view-myweb');

async function model(dir: string) {
  return buildHostModel(await loadSnapshot(dir));
}

// ---- leo-ubuntu-20: `ip l`, `brctl show docker0`, `docker ps`, the jenkins container's `ip l` ----

test("leo-ubuntu-20: every file parses; brctl (tabs, a continuation line) agrees with the links' master", async () => {
  const m = await model(LEO);
  assert.deepEqual(m.fileIssues, []);
  assert.deepEqual(
    lookupIn(m.bridges).map((b) => [b.name, b.interfaces]),
    [['docker0', ['veth1673542', 'veth75e137d']]],
  );
  assert.deepEqual(
    lookupIn(m.hostLinks)
      .filter((l) => l.master === 'docker0')
      .map((l) => l.name),
    ['veth1673542', 'veth75e137d'],
  );
  assert.deepEqual(
    m.containers.all.map((c) => c.name),
    ['goofy_aryabhata', 'thirsty_albattani'],
  );
});

test('leo-ubuntu-20: thirsty_albattani eth0@if5 (ifindex 4) pairs with veth1673542@if4 (ifindex 5) on docker0, from both sides', async () => {
  const map = correlateVethMap(await model(LEO));
  const row = map.interfaces.find((r) => r.container === 'thirsty_albattani');
  assert.ok(row);
  assert.equal(row.containerId, '54e9a2cefd94');
  assert.equal(row.interface, 'eth0');
  assert.equal(row.ifindex, 4);
  assert.equal(row.peerIfindex, 5);
  assert.equal(row.hostVeth, 'veth1673542');
  assert.equal(row.hostIfindex, 5);
  assert.equal(row.bridge, 'docker0');
  assert.equal(row.pairedBy, 'both-sides');
  assert.equal(row.mac, '02:42:ac:11:00:02');
  assert.equal(row.ipv4, null, '`ip link` prints no addresses: none is invented');
  const veth = map.hostVeths.find((v) => v.name === 'veth1673542');
  assert.deepEqual([veth?.owner, veth?.ownerInterface, veth?.linkNetnsId], ['thirsty_albattani', 'eth0', 0]);
});

test("leo-ubuntu-20: veth75e137d (link-netnsid 1) has no confirmed owner; goofy_aryabhata's inside is said to be unknown", async () => {
  const map = correlateVethMap(await model(LEO));
  const veth = map.hostVeths.find((v) => v.name === 'veth75e137d');
  assert.ok(veth);
  assert.deepEqual([veth.ifindex, veth.peerIfindex, veth.linkNetnsId, veth.bridge], [11, 10, 1, 'docker0']);
  assert.equal(veth.owner, null);
  assert.match(veth.note ? hostVethNoteText(veth.note) : '', /owner not in the data: the interfaces of goofy_aryabhata are unknown/);
  assert.match(veth.note ? hostVethNoteText(veth.note) : '', /inference, not confirmed: probably goofy_aryabhata's/);
  const busybox = map.interfaces.filter((r) => r.container === 'goofy_aryabhata');
  assert.equal(busybox.length, 1);
  assert.equal(busybox[0]?.interface, null);
  assert.equal(busybox[0]?.hostVeth, null);
  assert.match(interfaceNotesText(busybox[0]?.notes ?? []) ?? '', /no container-side data/);
  assert.deepEqual(
    map.hostVeths.map((v) => v.name),
    ['veth75e137d', 'veth1673542'],
  );
});

test('leo-ubuntu-20: 0.0.0.0:8080 is published to thirsty_albattani (docker ps); with no NAT rules nothing more is claimed', async () => {
  const r = correlateNat(await model(LEO));
  assert.equal(r.available, false);
  assert.match(r.reason ?? '', /holds no NAT rules/);
  assert.deepEqual(
    r.mappings.map((m) => `${m.hostIp}:${m.hostPort}/${m.protocol}`),
    ['0.0.0.0:8080/tcp'],
    '50000/tcp is only exposed',
  );
  const m = r.mappings[0];
  assert.equal(m?.container, 'thirsty_albattani');
  assert.equal(m?.containerPort, 8080);
  assert.equal(m?.publishedBy, 'docker ps');
  assert.equal(m?.containerIp, null);
  assert.equal(m?.rule, null);
  assert.equal(m?.via, 'unknown');
  assert.deepEqual(r.anomalies, []);
});

// ---- docker-node1: `docker ps` and `iptables -t nat -nvxL` of the same session ----

test('docker-node1: 32768 -> demo 172.17.0.2:80 by DOCKER rule 2 (1 pkt, 60 bytes); 80 -> demo1 172.17.0.3:80 by rule 3 (2 pkts, 120 bytes)', async () => {
  const r = correlateNat(await model(NODE1));
  assert.equal(r.available, true);
  assert.deepEqual(r.anomalies, []);
  assert.deepEqual(
    r.mappings.map((m) => `${m.hostIp}:${m.hostPort}`),
    ['0.0.0.0:80', '0.0.0.0:32768'],
  );
  const facts = r.mappings.map((m) => ({
    port: m.hostPort,
    container: m.container,
    to: `${m.containerIp}:${m.containerPort}`,
    ipFrom: m.containerIpFrom,
    publishedBy: m.publishedBy,
    rule: [m.rule?.chain, m.rule?.number, m.rule?.packets, m.rule?.bytes, m.rule?.countersExact],
    hookPath: m.rule?.hookPath,
    hairpin: [m.hairpin?.chain, m.hairpin?.number],
    via: m.via,
  }));
  assert.deepEqual(facts, [
    {
      port: 80,
      container: 'demo1',
      to: '172.17.0.3:80',
      ipFrom: 'rule',
      publishedBy: 'docker ps',
      rule: ['DOCKER', 3, 2, 120, true],
      hookPath: ['PREROUTING', 'DOCKER'],
      hairpin: ['POSTROUTING', 3],
      via: 'dnat',
    },
    {
      port: 32768,
      container: 'demo',
      to: '172.17.0.2:80',
      ipFrom: 'rule',
      publishedBy: 'docker ps',
      rule: ['DOCKER', 2, 1, 60, true],
      hookPath: ['PREROUTING', 'DOCKER'],
      hairpin: ['POSTROUTING', 2],
      via: 'dnat',
    },
  ]);
  const demo = r.mappings.find((m) => m.container === 'demo');
  assert.equal(
    pt(demo?.paths[0]),
    '0.0.0.0:32768/tcp -> nat PREROUTING -> DOCKER: DNAT to 172.17.0.2:80 (pkts 1, bytes 60) -> demo 172.17.0.2:80',
  );
  assert.match(
    demo?.notes.map(mappingNoteText).join('\n') ?? '',
    /demo's addresses are not in the data: 172\.17\.0\.2 is the DNAT rule's target/,
  );
});

test('docker-node1: no `ip` output, so no veth, bridge or probable veth is named', async () => {
  const m = await model(NODE1);
  const map = correlateVethMap(m);
  assert.equal(m.hostLinks.known, false);
  assert.deepEqual(map.hostVeths, []);
  assert.ok(map.notes.some((n) => n.code === 'host-links-unknown'));
  for (const mapping of correlateNat(m).mappings) {
    assert.deepEqual([mapping.hostVeth, mapping.probableHostVeth, mapping.bridge, mapping.interface], [null, null, null, null]);
  }
});

// ---- Docker 1.11.2 host: `docker ps`, `brctl show` (spaces), `ip link`, test1's `ip netns exec ... ip link` ----

test('docker 1.11.2 host: test1 eth0@if27 (ifindex 26) pairs with veth6a5ae6f@if26 (ifindex 27) on docker0', async () => {
  const m = await model(AWS);
  assert.deepEqual(m.fileIssues, []);
  assert.deepEqual(
    lookupIn(m.bridges).map((b) => [b.name, b.interfaces]),
    [['docker0', ['veth6a5ae6f', 'vethc16e6c8']]],
  );
  const map = correlateVethMap(m);
  const row = map.interfaces.find((r) => r.container === 'test1');
  assert.ok(row);
  assert.deepEqual(
    [row.interface, row.ifindex, row.peerIfindex, row.hostVeth, row.hostIfindex, row.bridge, row.pairedBy],
    ['eth0', 26, 27, 'veth6a5ae6f', 27, 'docker0', 'both-sides'],
  );
  const veth = map.hostVeths.find((v) => v.name === 'veth6a5ae6f');
  assert.deepEqual([veth?.owner, veth?.ownerInterface], ['test1', 'eth0']);
});

test('docker 1.11.2 host: vethc16e6c8 (link-netnsid 1) is not given to test2, only offered as an inference', async () => {
  const map = correlateVethMap(await model(AWS));
  const veth = map.hostVeths.find((v) => v.name === 'vethc16e6c8');
  assert.ok(veth);
  assert.deepEqual([veth.ifindex, veth.peerIfindex, veth.linkNetnsId, veth.bridge, veth.owner], [31, 30, 1, 'docker0', null]);
  assert.match(
    veth.note ? hostVethNoteText(veth.note) : '',
    /owner not in the data: the interfaces of test2 are unknown \(inference, not confirmed: probably test2's/,
  );
  const test2 = map.interfaces.find((r) => r.container === 'test2');
  assert.equal(test2?.hostVeth, null);
  assert.equal(test2?.interface, null);
  const r = correlateNat(await model(AWS));
  assert.equal(r.available, false);
  assert.deepEqual(r.mappings, [], 'docker ps shows no published port');
});

// ---- busybox `ip addr` in the host namespace (no link-netnsid), myweb's iproute2 `ip addr` ----

test('busybox host view: the veth is read (peer @if28, master docker0) though busybox prints no link-netnsid; myweb comes from its own file', async () => {
  const m = await model(BUSYBOX);
  assert.deepEqual(m.fileIssues, []);
  const veth = lookupIn(m.hostLinks).find((l) => l.name === 'veth85c0fe8');
  assert.ok(veth);
  assert.deepEqual([veth.ifindex, veth.peerIfindex, veth.linkNetnsId, veth.master], [29, 28, null, 'docker0']);
  assert.ok(veth.flags.includes('M-DOWN'));
  assert.deepEqual(
    m.containers.all.map((c) => [c.name, c.networkMode]),
    [['myweb', 'unknown']],
  );
  const map = correlateVethMap(m);
  const row = map.interfaces.find((r) => r.container === 'myweb');
  assert.ok(row);
  assert.deepEqual(
    [row.interface, row.ifindex, row.peerIfindex, row.ipv4, row.mac],
    ['eth0', 28, 29, '172.17.0.2/16', '02:42:ac:11:00:02'],
  );
  assert.ok(row.hostVeth === null || row.hostVeth === 'veth85c0fe8', 'never another link');
  assert.deepEqual(correlateNat(m).mappings, [], 'no container list and no NAT rules: nothing is published in the data');
});

test('busybox host view: myweb eth0 (28@if29) pairs with veth85c0fe8 (29@if28) on docker0, both sides pointing at each other', async () => {
  const map = correlateVethMap(await model(BUSYBOX));
  const row = map.interfaces.find((r) => r.container === 'myweb');
  assert.deepEqual([row?.hostVeth, row?.hostIfindex, row?.bridge], ['veth85c0fe8', 29, 'docker0']);
  assert.deepEqual(
    map.hostVeths.map((v) => [v.name, v.owner]),
    [['veth85c0fe8', 'myweb']],
  );
});

// ---- the three commands on each snapshot, as a user runs them ----

test('veth-map, nat and inspect run on every real-host snapshot, say it is a saved snapshot, and exit 0', async () => {
  const cases: [string, string, RegExp[]][] = [
    [
      LEO,
      'thirsty_albattani',
      [/veth1673542 \(5\)/, /0\.0\.0\.0:8080\/tcp/, /host side: veth1673542 \(ifindex 5, mtu 1500\) on bridge docker0/],
    ],
    [NODE1, 'demo', [/demo1/, /DOCKER 3/, /DNAT to 172\.17\.0\.2:80 \(pkts 1, bytes 60\)/]],
    [AWS, 'test1', [/veth6a5ae6f \(27\)/, /No published ports\./, /host side: veth6a5ae6f \(ifindex 27, mtu 1500\) on bridge docker0/]],
    [BUSYBOX, 'myweb', [/eth0@if29/, /Published ports unknown: no container list in the data/, /ipv4 172\.17\.0\.2\/16/]],
  ];
  for (const [dir, container, [vethRe, natRe, inspectRe]] of cases) {
    const outs = [
      await runCli(['veth-map', '--from', dir]),
      await runCli(['nat', '--from', dir]),
      await runCli(['inspect', container, '--from', dir]),
    ];
    for (const r of outs) {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /saved snapshot/);
    }
    assert.match(outs[0]?.stdout ?? '', vethRe as RegExp, `${dir} veth-map`);
    assert.match(outs[1]?.stdout ?? '', natRe as RegExp, `${dir} nat`);
    assert.match(outs[2]?.stdout ?? '', inspectRe as RegExp, `${dir} inspect`);
  }
});
