import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpLinkJson } from '../../src/parse/ip-link-json.js';
import { parseIpAddrText } from '../../src/parse/ip-addr-text.js';
import type { Link } from '../../src/model/link.js';
import { fixture } from './helpers.js';

function byName(links: Link[], name: string): Link {
  const link = links.find((l) => l.name === name);
  assert.ok(link, `no link named ${name}`);
  return link;
}

test('live host `ip -j -d addr`: veth peers, netns ids, masters, kinds and addresses', () => {
  const { value, issues } = parseIpLinkJson(fixture('live-debian12-docker20.10/host-ip-j-d-addr.json'));
  assert.deepEqual(issues, []);
  assert.deepEqual(
    value.map((l) => l.ifindex),
    [1, 2, 3, 4, 5, 7, 9, 10, 14, 16],
  );
  const veth = byName(value, 'veth73d8699');
  assert.deepEqual(
    [veth.ifindex, veth.peerIfindex, veth.peerName, veth.linkNetnsId, veth.master, veth.kind, veth.mac, veth.state],
    [16, 15, null, 3, 'docker0', 'veth', 'ce:37:8f:0a:78:d4', 'UP'],
  );
  const docker0 = byName(value, 'docker0');
  assert.equal(docker0.kind, 'bridge');
  assert.deepEqual(docker0.addresses, [
    { family: 'inet', address: '172.17.0.1', prefixlen: 16, scope: 'global' },
    { family: 'inet6', address: 'fe80::42:88ff:fe52:1f45', prefixlen: 64, scope: 'link' },
  ]);
  assert.equal(byName(value, 'lo').kind, null);
  assert.deepEqual(byName(value, 'ifb0').flags, ['BROADCAST', 'NOARP']);
});

test('JSON and text of the same host agree', () => {
  const json = parseIpLinkJson(fixture('live-debian12-docker20.10/host-ip-j-d-addr.json')).value;
  const text = parseIpAddrText(fixture('live-debian12-docker20.10/host-ip-d-addr.txt')).value;
  assert.deepEqual(json, text);
  const jsonLink = parseIpLinkJson(fixture('live-debian12-docker20.10/host-ip-j-d-link.json')).value;
  assert.deepEqual(
    jsonLink.map((l) => ({ ...l, addresses: [] })),
    json.map((l) => ({ ...l, addresses: [] })),
  );
  assert.ok(
    jsonLink.every((l) => l.addresses.length === 0),
    '`ip -j link` has no addr_info',
  );
});

test('container side: link_index + link_netnsid 0 point at the host veth', () => {
  const { value, issues } = parseIpLinkJson(fixture('live-debian12-docker20.10/container-nsenter-ip-j-d-addr.json'));
  assert.deepEqual(issues, []);
  const eth0 = byName(value, 'eth0');
  assert.deepEqual([eth0.ifindex, eth0.peerIfindex, eth0.linkNetnsId, eth0.kind], [15, 16, 0, 'veth']);
  assert.deepEqual(eth0.addresses, [{ family: 'inet', address: '172.17.0.4', prefixlen: 16, scope: 'global' }]);
});

test('lab netns: "link" names a same-namespace peer and is resolved to its ifindex', () => {
  const { value, issues } = parseIpLinkJson(fixture('live-debian12-lab-netns/ip-j-d-addr.json'));
  assert.deepEqual(issues, []);
  assert.deepEqual(
    value.map((l) => [l.name, l.peerName, l.peerIfindex, l.kind]),
    [
      ['lo', null, null, null],
      ['vethB', 'vethA', 3, 'veth'],
      ['vethA', 'vethB', 2, 'veth'],
      ['br-lab', null, null, 'bridge'],
      ['macvlan0', 'vethA', 3, 'macvlan'],
      ['vxlan42', null, null, 'vxlan'],
      ['mv-eth0', 'eth0', 15, 'macvlan'],
      ['eth0', null, 16, 'veth'],
    ],
  );
  assert.equal(byName(value, 'vethB').master, 'br-lab');
  assert.deepEqual(
    byName(value, 'vethA').addresses.map((a) => a.address),
    ['10.99.0.1', '10.99.0.2'],
  );
  assert.deepEqual(value, parseIpAddrText(fixture('live-debian12-lab-netns/ip-d-addr.txt')).value);
});

test('invalid JSON gives an empty value and one issue', () => {
  const text = fixture('live-debian12-docker20.10/host-ip-j-d-addr.json');
  for (const bad of [text.slice(0, text.length / 2), '', 'Device "eth9" does not exist.', '\u0000\u00ff[']) {
    const parsed = parseIpLinkJson(bad);
    assert.deepEqual(parsed.value, []);
    assert.equal(parsed.issues.length, 1);
    assert.match(parsed.issues[0]?.reason ?? '', /not valid JSON/);
  }
  const notArray = parseIpLinkJson('{"ifindex":1,"ifname":"lo"}');
  assert.deepEqual([notArray.value, notArray.issues.length], [[], 1]);
});

test('entries without ifindex or ifname are reported and skipped', () => {
  const entries = JSON.parse(fixture('live-debian12-docker20.10/host-ip-j-d-addr.json')) as Record<string, unknown>[];
  delete entries[2]?.ifindex;
  delete entries[5]?.ifname;
  const { value, issues } = parseIpLinkJson(JSON.stringify([...entries, {}, null, 7]));
  assert.equal(value.length, entries.length - 2);
  assert.ok(!value.some((l) => l.name === 'ifb1' || l.ifindex === 7));
  assert.deepEqual(
    issues.map((i) => i.reason.split(':')[0]),
    ['entry 2', 'entry 5', 'entry 10', 'entry 11', 'entry 12'],
  );
});

test('wrongly typed fields are not trusted', () => {
  const entries = JSON.parse(fixture('live-debian12-docker20.10/host-ip-j-d-addr.json')) as Record<string, unknown>[];
  const veth = entries.find((e) => e.ifname === 'veth73d8699');
  assert.ok(veth);
  Object.assign(veth, {
    link_index: '15',
    link_netnsid: -1,
    mtu: 'big',
    master: 5,
    flags: 'UP',
    addr_info: [{ family: 'inet', local: 'x', prefixlen: 8 }],
  });
  const { value, issues } = parseIpLinkJson(JSON.stringify(entries));
  const link = byName(value, 'veth73d8699');
  assert.deepEqual(
    [link.peerIfindex, link.linkNetnsId, link.mtu, link.master, link.flags, link.addresses],
    [null, null, null, null, [], []],
  );
  assert.equal(issues.length, 1);
  assert.match(issues[0]?.reason ?? '', /address not understood/);
});

test('lab host: JSON and text agree on a host with many networks', () => {
  const json = parseIpLinkJson(fixture('live-debian12-lab-host/ip-j-d-addr.json'));
  assert.deepEqual(json.issues, []);
  assert.deepEqual(json.value, parseIpAddrText(fixture('live-debian12-lab-host/ip-d-addr.txt')).value);
});
