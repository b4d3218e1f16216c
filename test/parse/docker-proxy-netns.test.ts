// host/docker-proxy.json's netns field: this host's proxies are kept, another namespace's left out and
// counted, and an unknown namespace (field absent, null, or the host's own unknown) is kept as unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerProxies } from '../../src/parse/docker-proxy.js';
import { hostProxies } from '../../src/parse/nat-facts.js';

const argv = (port: number) => [
  '/usr/sbin/docker-proxy',
  '-proto',
  'tcp',
  '-host-ip',
  '0.0.0.0',
  '-host-port',
  String(port),
  '-container-ip',
  '172.17.0.2',
  '-container-port',
  '80',
];

const file = JSON.stringify([
  { pid: 10, cmdline: argv(8080), netns: 'net:[4026531833]' },
  { pid: 11, cmdline: argv(8081), netns: 'net:[4026533155]' },
  { pid: 12, cmdline: argv(8082), netns: null, netnsError: 'EACCES' },
  { pid: 13, cmdline: argv(8083) },
  { pid: 14, cmdline: argv(8084), netns: 'somewhere' },
]);

test('netns is read from each entry; a value that is not a namespace link is reported and unknown', () => {
  const parsed = parseDockerProxies(file);
  assert.deepEqual(
    parsed.value.map((p) => [p.pid, p.netns]),
    [
      [10, 'net:[4026531833]'],
      [11, 'net:[4026533155]'],
      [12, null],
      [13, null],
      [14, null],
    ],
  );
  assert.equal(parsed.issues.length, 1);
  assert.match(parsed.issues[0]?.reason ?? '', /not a namespace link/);
});

test("this host's proxies are kept, another namespace's are left out and counted", () => {
  const { mine, other } = hostProxies(parseDockerProxies(file).value, 'net:[4026531833]');
  assert.deepEqual(
    mine?.map((p) => [p.pid, p.netns]),
    [
      [10, 'net:[4026531833]'],
      [12, null],
      [13, null],
      [14, null],
    ],
  );
  assert.deepEqual(other, { count: 1, namespaces: ['net:[4026533155]'] });
});

test("several namespaces and not the host's own: no proxy is this host's (the list is unknown, with why)", () => {
  const r = hostProxies(parseDockerProxies(file).value, null);
  assert.equal(r.mine, null);
  assert.equal(r.other, null);
  assert.match(
    r.unknown ?? '',
    /of 2 network namespaces \(net:\[4026531833\], net:\[4026533155\]\), and this host's own \(host\/netns\.txt\) is not in the data/,
  );
});

test("one namespace and not the host's own: kept (doctor's proof still has no namespace to compare)", () => {
  const one = parseDockerProxies(file).value.filter((p) => p.netns !== 'net:[4026533155]');
  const r = hostProxies(one, null);
  assert.equal(r.mine?.length, 4);
  assert.deepEqual(r.other, { count: 0, namespaces: [] });
});

test('a ps listing says nothing of namespaces: every proxy is namespace unknown', () => {
  const ps = `  PID COMMAND\n 25922 ${argv(49154).join(' ')}\n`;
  const { mine } = hostProxies(parseDockerProxies(ps).value, 'net:[4026531833]');
  assert.deepEqual(
    mine?.map((p) => [p.pid, p.netns]),
    [[25922, null]],
  );
});
