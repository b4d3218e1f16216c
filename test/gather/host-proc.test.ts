// The host's settings and docker-proxy processes read from a temporary /proc and /sys: a file that
// cannot be read is recorded with why (needs root, with its path), never as absent or as no process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDockerProxies } from '../../src/gather/docker-proxy.js';
import { readHostSettings } from '../../src/gather/host-files.js';
import { parseHostSettings } from '../../src/parse/host-settings.js';
import { UNREADABLE, assertUnreadable, procTree } from './proc-tree.js';

test('settings: a sysctl refused is unreadable (needs root, with its path), not absent; a missing file is null', (t) => {
  assertUnreadable();
  const proc = procTree(t);
  const sys = procTree(t);
  proc.link('sys/net/ipv4/ip_forward', UNREADABLE);
  proc.file('sys/net/ipv6/conf/all/forwarding', '0\n');
  sys.dir('module/br_netfilter');
  const raw = readHostSettings(proc.root, sys.root);
  assert.deepEqual(raw.sysctl, {
    'net.ipv6.conf.all.forwarding': '0',
    'net.bridge.bridge-nf-call-iptables': null,
    'net.bridge.bridge-nf-call-ip6tables': null,
  });
  assert.deepEqual(raw.modules, { br_netfilter: true });
  assert.deepEqual(raw.unreadable, {
    'net.ipv4.ip_forward': `reading ${proc.root}/sys/net/ipv4/ip_forward needs root (permission denied)`,
  });
  // What doctor reads back: the unreadable sysctl is not a value, and says why.
  const parsed = parseHostSettings(JSON.stringify(raw));
  assert.equal(parsed.value?.sysctl['net.ipv4.ip_forward'], undefined);
  assert.match(parsed.issues[0]?.reason ?? '', /^net\.ipv4\.ip_forward could not be read on the host: reading .* needs root/);
});

test('settings: a module directory that is absent is "not loaded"; one that cannot be checked is unreadable', (t) => {
  const proc = procTree(t);
  const sys = procTree(t);
  assert.deepEqual(readHostSettings(proc.root, sys.root).modules, { br_netfilter: false });
  // /sys/module a file, not a directory: ENOTDIR, which is not "absent".
  sys.file('module', 'not a directory\n');
  const raw = readHostSettings(proc.root, sys.root);
  assert.deepEqual(raw.modules, {});
  assert.match(raw.unreadable?.br_netfilter ?? '', /^could not read .*\/module\/br_netfilter: ENOTDIR/);
});

test('docker-proxy: a cmdline refused leaves the list unknown (needs root), not shorter', (t) => {
  assertUnreadable();
  const proc = procTree(t);
  proc.file('100/comm', 'dockerd\n');
  proc.file('200/comm', 'docker-proxy\n');
  proc.link('200/cmdline', UNREADABLE);
  const read = readDockerProxies(proc.root);
  assert.deepEqual(read, { ok: false, reason: `reading ${proc.root}/200/cmdline needs root (permission denied)`, cause: 'needs-root' });
});

test('docker-proxy: a process gone between the listing and the read is skipped; the others are read', (t) => {
  const proc = procTree(t);
  proc.dir('150');
  proc.file('200/comm', 'docker-proxy\n');
  proc.file('200/cmdline', '/usr/bin/docker-proxy\0-proto\0tcp\0-host-port\0'.concat('8080\0'));
  const read = readDockerProxies(proc.root);
  // Its namespace link is gone too: kept without a namespace, which is then unknown (never a kill's basis).
  assert.deepEqual(read, {
    ok: true,
    processes: [{ pid: 200, cmdline: ['/usr/bin/docker-proxy', '-proto', 'tcp', '-host-port', '8080'] }],
  });
});

test("docker-proxy: each process's network namespace is recorded (readlink /proc/<pid>/ns/net)", (t) => {
  const proc = procTree(t);
  proc.file('300/comm', 'docker-proxy\n');
  proc.file('300/cmdline', '/usr/sbin/docker-proxy\0-proto\0tcp\0');
  proc.link('300/ns/net', 'net:[4026533155]');
  const read = readDockerProxies(proc.root);
  assert.deepEqual(read, {
    ok: true,
    processes: [{ pid: 300, cmdline: ['/usr/sbin/docker-proxy', '-proto', 'tcp'], netns: 'net:[4026533155]' }],
  });
});

test('docker-proxy: /proc that cannot be listed is failed with the system words', (t) => {
  const proc = procTree(t);
  const read = readDockerProxies(`${proc.root}/nowhere`);
  assert.equal(read.ok, false);
  assert.ok(!read.ok && read.cause === 'failed' && /^cannot list .*nowhere: ENOENT/.test(read.reason), JSON.stringify(read));
});
