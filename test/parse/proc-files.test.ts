import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseProcNetSockets } from '../../src/parse/proc-net-sockets.js';
import { parseResolvConf } from '../../src/parse/resolv-conf.js';
import { repoPath } from '../repo-path.js';

const fixture = (name: string) => readFileSync(repoPath(`test/fixtures/live-debian12-proc-net/${name}`), 'utf8');

test('/proc/net/tcp6 of tomcat-tml: httpd listens on [::]:8080, connections from the bridge gateway', () => {
  const { value, issues } = parseProcNetSockets(fixture('tomcat-tml-tcp6.txt'), 'tcp', 'ipv6');
  assert.deepEqual(issues, []);
  const listen = value.filter((s) => s.state === 'LISTEN');
  assert.deepEqual(
    listen.map((s) => [s.localIp, s.localPort, s.inode]),
    [['::', 8080, 243063]],
  );
  assert.deepEqual(
    value.filter((s) => s.state === 'TIME_WAIT').map((s) => s.localIp),
    ['::ffff:172.17.0.147', '::ffff:172.17.0.147'],
  );
});

test('/proc/net/tcp of the host: little-endian IPv4 words', () => {
  const { value, issues } = parseProcNetSockets(fixture('host-tcp.txt'), 'tcp', 'ipv4');
  assert.deepEqual(issues, []);
  assert.ok(value.some((s) => s.localIp === '127.0.0.1' && s.localPort === 8081 && s.state === 'LISTEN'));
});

test('garbage lines become issues with line numbers', () => {
  const { value, issues } = parseProcNetSockets('  sl  local_address\nnot a row\n', 'tcp', 'ipv4');
  assert.deepEqual(value, []);
  assert.equal(issues[0]?.line, 2);
});

test('resolv.conf: embedded DNS on a user-defined network, the host resolver on the default bridge', () => {
  assert.deepEqual(parseResolvConf(fixture('lab-web-resolv.conf')).value, {
    nameservers: ['127.0.0.11'],
    search: [],
    options: ['ndots:0'],
  });
  assert.deepEqual(parseResolvConf(fixture('tomcat-tml-resolv.conf')).value.nameservers, ['10.255.255.53']);
});
