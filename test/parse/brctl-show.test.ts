import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBrctlShow } from '../../src/parse/brctl-show.js';
import { parseIpAddrText } from '../../src/parse/ip-addr-text.js';
import { fixture } from './helpers.js';
import { bridgeComplaint, holds, issueComplaint } from './invariants.js';

const FIXTURES = [
  'live-debian12-docker20.10/brctl-show.txt',
  'live-debian12-lab-netns/brctl-show.txt',
  'github-links-bridges/systeminformation-186-brctl-show.txt',
  'github-links-bridges/moby-8042-brctl-show.txt',
  'live-debian12-lab-host/brctl-show.txt',
];

test('live host: continuation lines add interfaces to the bridge above', () => {
  const { value, issues } = parseBrctlShow(fixture('live-debian12-docker20.10/brctl-show.txt'));
  assert.deepEqual(issues, []);
  assert.deepEqual(value, [
    { name: 'br-33d8b577e114', bridgeId: '8000.02420d4da5fd', stp: false, interfaces: ['veth58d52e1'] },
    { name: 'docker0', bridgeId: '8000.024288521f45', stp: false, interfaces: ['veth0d1506b', 'veth73d8699', 'vethca9a47f'] },
  ]);
});

test('pasted with spaces: empty bridges, STP yes, prompt reported', () => {
  const { value, issues } = parseBrctlShow(fixture('github-links-bridges/systeminformation-186-brctl-show.txt'));
  assert.deepEqual(value, [
    { name: 'br-9cfc26c0bd93', bridgeId: '8000.0242995205a6', stp: false, interfaces: [] },
    { name: 'br0', bridgeId: '8000.bc305bd3b744', stp: false, interfaces: ['bond0', 'vnet0'] },
    { name: 'docker0', bridgeId: '8000.0242dc94d9ba', stp: false, interfaces: [] },
    { name: 'virbr0', bridgeId: '8000.52540072b861', stp: true, interfaces: ['virbr0-nic'] },
  ]);
  assert.deepEqual(
    issues.map((i) => [i.line, i.text]),
    [[1, 'root@Devon:~# brctl show']],
  );
  assert.match(issues[0]?.reason ?? '', /prompt/);
});

test('tab-separated paste from an old Docker host', () => {
  const { value, issues } = parseBrctlShow(fixture('github-links-bridges/moby-8042-brctl-show.txt'));
  assert.deepEqual(value, [{ name: 'docker0', bridgeId: '8000.56847afe9799', stp: false, interfaces: ['veth4d43'] }]);
  assert.deepEqual(
    issues.map((i) => i.line),
    [1],
  );
});

/** Parses and checks what holds for any input: issue lines within it, every bridge and port a name, each bridge its own line. */
function parsedWell(text: string, what: string): ReturnType<typeof parseBrctlShow> {
  const parsed = parseBrctlShow(text);
  holds(issueComplaint(text, parsed.issues) ?? bridgeComplaint(parsed.value, text.split(/\r?\n|\r/)), what);
  return parsed;
}

test('CRLF, shuffled and truncated input never throws, never invents a bridge, and every bridge read is well formed', () => {
  let s = 7;
  const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  for (const path of FIXTURES) {
    const text = fixture(path);
    const full = parseBrctlShow(text);
    assert.deepEqual(parseBrctlShow(text.replace(/\n/g, '\r\n')).value, full.value, path);
    const names = new Set(full.value.map((b) => b.name));
    const ifaces = new Set(full.value.flatMap((b) => b.interfaces));
    for (let round = 0; round < 30; round++) {
      const shuffled = text
        .split('\n')
        .sort(() => rand() - 0.5)
        .join('\n');
      const cut = text.slice(0, Math.floor(rand() * text.length));
      for (const input of [shuffled, cut]) {
        const parsed = parsedWell(input, `${path} (round ${round})`);
        // Only a last line without its newline may be cut short, and then it says so.
        const flagged = parsed.issues.some((i) => /cut short/.test(i.reason));
        for (const b of parsed.value) {
          assert.ok(names.has(b.name) || flagged, `${path}: ${b.name}`);
          for (const i of b.interfaces) assert.ok(ifaces.has(i) || flagged, `${path}: ${i}`);
        }
      }
    }
  }
  const bytes = Array.from({ length: 20000 }, () => String.fromCharCode(Math.floor(rand() * 256))).join('');
  const garbage = parsedWell(bytes, 'random bytes');
  assert.ok(garbage.issues.length > 0, 'random bytes read as nothing, and nothing said');
  assert.deepEqual(parseBrctlShow(''), { value: [], issues: [] });
});

test('a paste without its final newline is flagged when the last line was used', () => {
  const text = fixture('live-debian12-docker20.10/brctl-show.txt');
  const cut = text.slice(0, text.indexOf('vethca9a47f') + 'vethca9'.length);
  const { value, issues } = parseBrctlShow(cut);
  assert.deepEqual(value[1]?.interfaces, ['veth0d1506b', 'veth73d8699', 'vethca9']);
  assert.deepEqual(
    issues.map((i) => [i.line, i.reason]),
    [[5, 'no newline after the last line: it may be cut short']],
  );
  assert.deepEqual(parseBrctlShow(text.trimEnd()).issues.length, 1);
});

test('a paste that starts mid-bridge reports the orphan interface lines', () => {
  const lines = fixture('live-debian12-docker20.10/brctl-show.txt').split('\n');
  // Lines 4-5 are docker0's continuation lines; without the lines above they belong to nothing.
  const { value, issues } = parseBrctlShow(lines.slice(3).join('\n'));
  assert.deepEqual(value, []);
  assert.deepEqual(
    issues.map((i) => [i.line, i.reason]),
    [
      [1, 'interface line without a bridge above it'],
      [2, 'interface line without a bridge above it'],
    ],
  );
});

test('lab host: portless bridges, and ports agree with the `master` of `ip -d addr`', () => {
  const { value, issues } = parseBrctlShow(fixture('live-debian12-lab-host/brctl-show.txt'));
  assert.deepEqual(issues, []);
  assert.deepEqual(
    value.find((b) => b.name === 'dnlab-dummy0'),
    { name: 'dnlab-dummy0', bridgeId: '8000.000000000000', stp: false, interfaces: [] },
  );
  const links = parseIpAddrText(fixture('live-debian12-lab-host/ip-d-addr.txt')).value;
  for (const bridge of value) {
    const ports = links
      .filter((l) => l.master === bridge.name)
      .map((l) => l.name)
      .sort();
    assert.deepEqual([...bridge.interfaces].sort(), ports, bridge.name);
  }
  assert.equal(value.length, links.filter((l) => l.kind === 'bridge').length);
});
