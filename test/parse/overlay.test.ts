// The overlay parsers on real captures of a three-node Docker 28.5 swarm (test/fixtures/live-swarm-28).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBridgeFdbJson } from '../../src/parse/bridge-fdb.js';
import { parseIpNeighJson } from '../../src/parse/ip-neigh-json.js';
import { parseOverlayLinks } from '../../src/parse/overlay-links.js';
import { parseOverlayNetwork, parseSwarmNodes, parseSwarmServices, parseSwarmTasks } from '../../src/parse/swarm-engine.js';
import { parseXfrmPolicy, parseXfrmState } from '../../src/parse/xfrm-text.js';
import { fixture } from './helpers.js';

const F = 'live-swarm-28/docknet-sw1';

test('ip -j -d link of an overlay namespace: vxlan0 with its VNI, port and flags; br0; the veth legs', () => {
  const { value, issues } = parseOverlayLinks(fixture(`${F}/ns-docknet-sw-overlay/ip-link.json`));
  assert.deepEqual(issues, []);
  assert.ok(value);
  assert.deepEqual(value.vxlans, [
    {
      name: 'vxlan0',
      ifindex: value.vxlans[0]!.ifindex,
      vni: 4097,
      port: 4789,
      learning: true,
      proxy: true,
      l2miss: true,
      l3miss: true,
      mtu: 1450,
      master: 'br0',
      mac: value.vxlans[0]!.mac,
    },
  ]);
  assert.deepEqual(
    value.links.filter((l) => l.kind === 'veth').map((l) => [l.name, l.master, l.linkNetnsId]),
    [
      ['veth0', 'br0', 1],
      ['veth1', 'br0', 2],
      ['veth2', 'br0', 3],
    ],
  );
  assert.equal(value.links.find((l) => l.kind === 'bridge')?.name, 'br0');
});

test('bridge -j fdb show: every remote MAC on vxlan0 with the VTEP it goes to', () => {
  const { value, issues } = parseBridgeFdbJson(fixture(`${F}/ns-docknet-sw-overlay/bridge-fdb.json`));
  assert.deepEqual(issues, []);
  assert.ok(value);
  const remote = value.filter((e) => e.dev === 'vxlan0' && e.dst);
  assert.deepEqual(
    remote.map((e) => `${e.mac} ${e.dst}`),
    [
      '02:42:0a:f6:01:0b 10.241.0.13',
      '02:42:0a:f6:01:08 10.241.0.12',
      '02:42:0a:f6:01:07 10.241.0.13',
      '02:42:0a:f6:01:06 10.241.0.13',
      '02:42:0a:f6:01:05 10.241.0.12',
      '02:42:0a:f6:01:04 10.241.0.12',
    ],
  );
  // The same count as the text form's `dst` lines: nothing dropped.
  const text = fixture(`${F}/ns-docknet-sw-overlay/bridge-fdb.txt`);
  assert.equal(text.split('\n').filter((l) => / dst /.test(l)).length, remote.length);
  assert.equal(text.trim().split('\n').length, value.length);
  assert.deepEqual(parseBridgeFdbJson(''), { value: [], issues: [] });
});

test('ip -j neigh show: each remote task address with its MAC, PERMANENT', () => {
  const { value, issues } = parseIpNeighJson(fixture(`${F}/ns-docknet-sw-overlay/ip-neigh.json`));
  assert.deepEqual(issues, []);
  assert.ok(value);
  assert.equal(value.length, fixture(`${F}/ns-docknet-sw-overlay/ip-neigh.txt`).trim().split('\n').length);
  assert.deepEqual(
    value.find((n) => n.dst === '10.246.1.4'),
    { dst: '10.246.1.4', dev: 'vxlan0', lladdr: '02:42:0a:f6:01:04', states: ['PERMANENT'] },
  );
});

test('ip xfrm policy of an encrypted overlay: one policy per peer with its ESP template; ip xfrm state empty', () => {
  const { value, issues } = parseXfrmPolicy(fixture(`${F}/xfrm-policy.txt`));
  assert.deepEqual(issues, []);
  assert.deepEqual(
    value.map((p) => [p.src, p.dst, p.selector, p.dir, p.mark, p.tmpl?.proto, p.tmpl?.dst]),
    [['10.241.0.11/32', '10.241.0.12/32', 'proto udp dport 4789', 'out', '0xd0c4e3/0xffffffff', 'esp', '10.241.0.12']],
  );
  assert.deepEqual(parseXfrmState(fixture(`${F}/xfrm-state.txt`)), { value: [], issues: [] });
});

test('ip xfrm state with an SA: addresses, SPI, mode and the algorithm name; the key never kept', () => {
  // The form iproute2 prints for an SA (its layout as in `ip xfrm state` of any IPsec host; key shortened).
  const sa =
    'src 10.241.0.11 dst 10.241.0.12\n\tproto esp spi 0x4916c502 reqid 13681891 mode transport\n\treplay-window 0 \n\taead rfc4106(gcm(aes)) 0x0123456789abcdef0123456789abcdef01234567 64\n\tsel src 0.0.0.0/0 dst 0.0.0.0/0 \n';
  const { value, issues } = parseXfrmState(sa);
  assert.deepEqual(issues, []);
  assert.equal(value.length, 1);
  assert.deepEqual(
    [value[0]!.src, value[0]!.dst, value[0]!.proto, value[0]!.spi, value[0]!.mode, value[0]!.algorithms],
    ['10.241.0.11', '10.241.0.12', 'esp', '0x4916c502', 'transport', ['aead rfc4106(gcm(aes))']],
  );
  assert.doesNotMatch(value[0]!.text, /0123456789abcdef0123/);
  assert.equal(parseXfrmState('\tproto esp\n').issues.length, 1, 'an indented line before any block is reported');
});

test('network inspect -v of an overlay: VNI, peers, services with VIPs, tasks with their host, local endpoints', () => {
  const { value, issues } = parseOverlayNetwork(fixture(`${F}/network-docknet-sw-overlay.json`));
  assert.deepEqual(issues, []);
  assert.ok(value);
  assert.equal(value.vni, 4097);
  assert.equal(value.encrypted, false);
  assert.deepEqual(
    value.peers?.map((p) => p.ip),
    ['10.241.0.11', '10.241.0.12', '10.241.0.13'],
  );
  const vip = value.services.find((s) => s.name === 'sw-vip');
  assert.equal(vip?.vip, '10.246.1.10');
  assert.equal(value.services.find((s) => s.name === 'sw-dnsrr')?.vip, null, '"<nil>" is no VIP');
  const swc2 = value.services.find((s) => s.name === '')?.tasks.find((t) => t.name === 'swc-2');
  assert.deepEqual(swc2, { service: '', name: 'swc-2', endpointIp: '10.246.1.4', hostIp: '10.241.0.12' });
  assert.deepEqual(
    value.local.find((l) => l.name === 'swc-1'),
    { id: value.local.find((l) => l.name === 'swc-1')!.id, name: 'swc-1', mac: '02:42:0a:f6:01:02', ipv4: '10.246.1.2' },
  );
  const enc = parseOverlayNetwork(fixture(`${F}/network-docknet-sw-encrypted.json`)).value;
  assert.equal(enc?.encrypted, true);
  assert.equal(enc?.vni, 4098);
  assert.equal(parseOverlayNetwork('[]').value, null);
});

test('GET /nodes, /services, /tasks of the manager', () => {
  const nodes = parseSwarmNodes(fixture(`${F}/nodes.json`)).value;
  assert.deepEqual(nodes?.map((n) => [n.hostname, n.role, n.state, n.addr]).sort(), [
    ['docknet-sw1', 'manager', 'ready', '10.241.0.11'],
    ['docknet-sw2', 'worker', 'ready', '10.241.0.12'],
    ['docknet-sw3', 'worker', 'ready', '10.241.0.13'],
  ]);
  const services = parseSwarmServices(fixture(`${F}/services.json`)).value;
  assert.deepEqual(services?.map((s) => [s.name, s.endpointMode, s.ports.map((p) => `${p.published}/${p.mode}`).join(',')]).sort(), [
    ['sw-dnsrr', 'dnsrr', ''],
    ['sw-hostmode', 'vip', '18110/host'],
    ['sw-vip', 'vip', '18111/ingress'],
  ]);
  const tasks = parseSwarmTasks(fixture(`${F}/tasks.json`)).value;
  assert.ok(tasks && tasks.length >= 4 && tasks.every((t) => t.state === 'running'));
});
