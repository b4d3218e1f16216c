import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Link } from '../../src/model/link.js';
import { mergeBriefListings, parseIpBrief } from '../../src/parse/ip-brief.js';
import { parseIpLinkJson } from '../../src/parse/ip-link-json.js';
import { fixture } from './helpers.js';

const live = (file: string) => parseIpBrief(fixture(`live-debian12-parsers/${file}`));

test('live `ip -br addr` and `ip -br link` agree with `ip -j -d addr` of the same second', () => {
  const addr = live('ip-br-addr.txt');
  const link = live('ip-br-link.txt');
  assert.deepEqual(addr.issues, []);
  assert.deepEqual(link.issues, []);
  const json = parseIpLinkJson(fixture('live-debian12-parsers/ip-j-d-addr.json')).value;
  const merged = mergeBriefListings(addr.value, link.value);
  assert.deepEqual(
    merged.map((l) => l.name),
    json.map((l) => l.name),
  );
  for (const [k, j] of json.entries()) {
    const b = merged[k] as Link;
    assert.equal(b.ifindex, 0, 'brief listings print no ifindex');
    assert.deepEqual(
      [b.state, b.mac, b.flags, b.peerIfindex, b.addresses.map((a) => `${a.address}/${a.prefixlen}`)],
      [j.state, j.mac, j.flags, j.peerIfindex, j.addresses.map((a) => `${a.address}/${a.prefixlen}`)],
      b.name,
    );
  }
  const veth = merged.find((l) => l.name === 'vethb6447f0');
  assert.deepEqual([veth?.peerIfindex, veth?.peerName, veth?.linkNetnsId], [10, null, null]);
});

test('`ip -br -c`: the same links once the colour codes are removed', () => {
  assert.deepEqual(live('ip-br-c-addr.txt'), live('ip-br-addr.txt'));
  assert.deepEqual(live('ip-br-c-link.txt'), live('ip-br-link.txt'));
});

test('a pasted `ip -br a`: the prompt is reported, DOWN links without addresses read', () => {
  const { value, issues } = parseIpBrief(fixture('phunc20-linux-notes/ip-br-a.txt'));
  assert.deepEqual(
    issues.map((i) => [i.line, i.reason]),
    [[1, 'shell prompt or command line, not `ip -br` output']],
  );
  assert.deepEqual(
    value.map((l) => [l.name, l.state, l.addresses.map((a) => `${a.family} ${a.address}/${a.prefixlen}`)]),
    [
      ['lo', 'UNKNOWN', ['inet 127.0.0.1/8', 'inet6 ::1/128']],
      ['enp0s25', 'DOWN', []],
      ['wlp3s0', 'UP', ['inet 192.168.3.107/24', 'inet6 fe80::1d9b:b755:3a10:c073/64']],
      ['enp0s26u1u2u4', 'DOWN', []],
      ['docker0', 'DOWN', ['inet 172.17.0.1/16']],
    ],
  );
});

test('both forms in one paste merge by name; a name listed twice in one form is reported, not doubled', () => {
  const both = parseIpBrief(fixture('live-debian12-parsers/ip-br-link.txt') + fixture('live-debian12-parsers/ip-br-addr.txt'));
  assert.deepEqual(both.issues, []);
  const docker0 = both.value.find((l) => l.name === 'docker0');
  assert.deepEqual([docker0?.mac, docker0?.addresses.length], ['02:42:4f:4a:94:97', 2]);
  const twice = parseIpBrief(fixture('phunc20-linux-notes/ip-br-a.txt').repeat(2));
  assert.equal(twice.value.length, 5);
  assert.equal(twice.issues.filter((i) => /listed a second time/.test(i.reason)).length, 5);
});

test('lines that are not brief output are reported', () => {
  // `ip addr` (not -br) text of the same paste's host, as people paste it by mistake.
  const { value, issues } = parseIpBrief(fixture('live-debian12-docker20.10/host-ip-addr.txt'));
  assert.deepEqual(value, []);
  assert.ok(issues.length > 10);
});
