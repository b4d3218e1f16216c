import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostRoleText, hostVethNoteText, interfaceNotesText } from '../../src/render/veth-words.js';
import { loadSnapshotDir } from '../../src/snapshot/load.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { correlateVethMap } from '../../src/correlate/veth-map.js';
import { repoPath } from '../repo-path.js';
import { hostModel, type ModelParts } from '../model-helpers.js';

// examples/seed-host: outputs cut from the walkthrough in ../shared/seed/ (Docker 20.10.12, CentOS 7).
async function seedMap() {
  return correlateVethMap(buildHostModel(await loadSnapshotDir(repoPath('examples/seed-host'))));
}

test('seed: tomcat01 eth0@if11 pairs with host veth1f00e42@if10 on docker0', async () => {
  const map = await seedMap();
  const row = map.interfaces.find((r) => r.container === 'tomcat01');
  assert.ok(row);
  assert.equal(row.interface, 'eth0');
  assert.equal(row.ifindex, 10);
  assert.equal(row.peerIfindex, 11);
  assert.equal(row.hostVeth, 'veth1f00e42');
  assert.equal(row.hostIfindex, 11);
  assert.equal(row.bridge, 'docker0');
  assert.equal(row.ipv4, '172.17.0.2/16');
  assert.equal(row.mac, '02:42:ac:11:00:02');
  assert.equal(row.pairedBy, 'both-sides');
  const veth = map.hostVeths.find((v) => v.name === 'veth1f00e42');
  assert.equal(veth?.owner, 'tomcat01');
  assert.equal(veth?.ownerInterface, 'eth0');
});

test('seed: vethd4ac7ba is on docker0 and its owner is said to be missing from the data, not guessed', async () => {
  const map = await seedMap();
  const veth = map.hostVeths.find((v) => v.name === 'vethd4ac7ba');
  assert.ok(veth);
  assert.equal(veth.ifindex, 9);
  assert.equal(veth.peerIfindex, 8);
  assert.equal(veth.linkNetnsId, 1);
  assert.equal(veth.bridge, 'docker0');
  assert.equal(veth.owner, null);
  assert.match(veth.note ? hostVethNoteText(veth.note) : '', /owner not in the data: the interfaces of tomcat-tml are unknown/);
  assert.match(veth.note ? hostVethNoteText(veth.note) : '', /inference, not confirmed: probably tomcat-tml's/);
  assert.deepEqual(
    map.hostVeths.map((v) => v.name),
    ['veth1f00e42', 'vethd4ac7ba'],
  );
});

test('seed: tomcat-tml, known only from `docker ps`, has no invented interface', async () => {
  const map = await seedMap();
  const rows = map.interfaces.filter((r) => r.container === 'tomcat-tml');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.interface, null);
  assert.equal(rows[0]?.hostVeth, null);
  assert.equal(rows[0]?.mode, 'unknown');
  assert.match(interfaceNotesText(rows[0]?.notes ?? []) ?? '', /no container-side data/);
});

test('index 7 is never confused with 27 nor with index 7 of another namespace', async () => {
  const correlate = (parts: ModelParts) => correlateVethMap(hostModel(parts));
  const link = (ifindex: number, name: string, peer: number, nsid: number) => ({
    ifindex,
    name,
    peerIfindex: peer,
    peerName: null,
    linkNetnsId: nsid,
    master: 'docker0',
    kind: 'veth',
    mac: null,
    mtu: 1500,
    state: 'UP',
    flags: [],
    addresses: [],
  });
  const container = (name: string, ifindex: number, iflink: number, netns: string) => ({
    pid: 1,
    netns,
    via: 'sysfs' as const,
    error: null,
    interfaces: [{ name: 'eth0', ifindex, iflink, mac: null, mtu: 1500, operstate: 'up' }],
  });
  const info = (name: string) => ({
    id: `${name}0000000000000000`,
    name,
    image: '',
    state: 'running',
    running: true,
    pid: 1,
    created: null,
    startedAt: null,
    networkMode: 'bridge',
    sandboxKey: null,
    endpoints: [],
    ports: {},
    portBindings: {},
    exposedPorts: [],
    labels: {},
  });
  const map = correlate({
    containers: [info('a'), info('b'), info('c')],
    networks: [],
    // a: eth0 7 <-> host 27; b: eth0 27 <-> host 7; c: eth0 7 <-> host 8 (index 7 again, other namespace)
    hostLinks: [link(27, 'vethA', 7, 0), link(7, 'vethB', 27, 1), link(8, 'vethC', 7, 2)],
    hostNetns: 'net:[1]',
    containerNet: new Map([
      ['a', container('a', 7, 27, 'net:[10]')],
      ['b', container('b', 27, 7, 'net:[11]')],
      ['c', container('c', 7, 8, 'net:[12]')],
    ]),
  });
  const peer = (n: string) => map.interfaces.find((r) => r.container === n)?.hostVeth;
  assert.equal(peer('a'), 'vethA');
  assert.equal(peer('b'), 'vethB');
  assert.equal(peer('c'), 'vethC');
  assert.deepEqual(
    map.hostVeths.map((v) => [v.name, v.owner]),
    [
      ['vethA', 'a'],
      ['vethB', 'b'],
      ['vethC', 'c'],
    ],
  );
});

test('seed: the host interfaces are explained, the uplink as an inference', async () => {
  const map = await seedMap();
  const role = (name: string) => {
    const h = map.hostInterfaces.find((x) => x.name === name);
    return h ? hostRoleText(h.role, h.listed) : '';
  };
  const code = (name: string) => map.hostInterfaces.find((h) => h.name === name)?.role.code;
  assert.deepEqual(['lo', 'ens33', 'virbr0', 'virbr0-nic', 'docker0'].map(code), [
    'loopback',
    'uplink-guess',
    'foreign',
    'libvirt-placeholder',
    'docker-bridge',
  ]);
  assert.equal(role('lo'), 'loopback');
  assert.match(role('ens33'), /^probably the uplink \(inference/);
  assert.match(role('virbr0'), /libvirt's NAT bridge/);
  assert.match(role('virbr0-nic'), /libvirt's placeholder port/);
  assert.match(role('docker0'), /Docker's bridge, by its name/);
  assert.deepEqual(
    map.hostInterfaces.map((h) => h.name),
    ['lo', 'ens33', 'virbr0', 'virbr0-nic', 'docker0'],
    'veths are in their own table',
  );
});
