// Reading a container's interfaces and files through /proc/<pid> of a temporary tree: a permission
// error is needs-root with its path, never an absent interface, an empty listing, or "gone".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFailure } from '../../src/gather/read-error.js';
import { readContainerFiles } from '../../src/gather/container-files.js';
import { ownNetns, readContainerNet } from '../../src/gather/container-side.js';
import { parseContainerFiles } from '../../src/parse/container-files.js';
import { parseContainerNetJson } from '../../src/parse/container-net.js';
import { UNREADABLE, assertUnreadable, procTree, type Tree } from './proc-tree.js';

const PID = 4242;
const NS = 'net:[4026532999]';
const HOST_NS = 'net:[4026531840]';

function iface(tree: Tree, name: string, values: { ifindex: string; iflink: string }): void {
  const dir = `${PID}/root/sys/class/net/${name}`;
  tree.file(`${dir}/ifindex`, `${values.ifindex}\n`);
  tree.file(`${dir}/iflink`, `${values.iflink}\n`);
  tree.file(`${dir}/address`, '02:42:ac:11:00:02\n');
  tree.file(`${dir}/mtu`, '1500\n');
}

function container(t: Parameters<typeof procTree>[0]): Tree {
  const tree = procTree(t);
  tree.link(`${PID}/ns/net`, NS);
  tree.dir(`${PID}/root/sys/class/net/lo`);
  return tree;
}

test('readable sysfs: interfaces with ifindex and iflink, no error', (t) => {
  const tree = container(t);
  iface(tree, 'eth0', { ifindex: '2', iflink: '7' });
  const facts = readContainerNet(PID, HOST_NS, tree.root);
  assert.equal(facts.error, null);
  assert.equal(facts.netns, NS);
  assert.equal(facts.via, 'sysfs');
  assert.deepEqual(facts.interfaces, [{ name: 'eth0', ifindex: 2, iflink: 7, mac: '02:42:ac:11:00:02', mtu: 1500, operstate: null }]);
});

test('an iflink the kernel refuses to read is needs-root with its path, not an interface without a peer', (t) => {
  assertUnreadable();
  const tree = container(t);
  const dir = `${PID}/root/sys/class/net/eth0`;
  tree.file(`${dir}/ifindex`, '2\n');
  tree.link(`${dir}/iflink`, UNREADABLE);
  tree.file(`${dir}/address`, '02:42:ac:11:00:02\n');
  tree.file(`${dir}/mtu`, '1500\n');
  const path = `${tree.root}/${dir}/iflink`;
  const facts = readContainerNet(PID, HOST_NS, tree.root);
  assert.equal(facts.error, `reading ${path} needs root (permission denied)`);
  assert.equal(facts.errorCause, 'needs-root');
  // The names were read; the pairing cannot be.
  assert.deepEqual(
    facts.interfaces.map((i) => i.name),
    ['eth0'],
  );
  // And the cause survives the snapshot's net.json.
  const back = parseContainerNetJson(JSON.stringify(facts)).value;
  assert.equal(back?.errorCause, 'needs-root');
  assert.equal(back?.error, facts.error);
});

test('an ifindex that is a directory is failed with the system error, not a missing value', (t) => {
  const tree = container(t);
  tree.dir(`${PID}/root/sys/class/net/eth0/ifindex`);
  tree.file(`${PID}/root/sys/class/net/eth0/iflink`, '7\n');
  const facts = readContainerNet(PID, HOST_NS, tree.root);
  assert.equal(facts.errorCause, 'failed');
  assert.match(facts.error ?? '', /^could not read .*\/eth0\/ifindex: EISDIR: illegal operation on a directory/);
});

test('no sysfs, and /proc/<pid>/net/igmp refused: needs-root naming igmp, not "the container stopped"', (t) => {
  assertUnreadable();
  const tree = procTree(t);
  tree.link(`${PID}/ns/net`, NS);
  tree.link(`${PID}/net/igmp`, UNREADABLE);
  const facts = readContainerNet(PID, HOST_NS, tree.root);
  assert.equal(facts.error, `reading ${tree.root}/${PID}/net/igmp needs root (permission denied)`);
  assert.equal(facts.errorCause, 'needs-root');
  assert.doesNotMatch(facts.error ?? '', /gone|stopped/);
});

test('no sysfs, readable igmp: the fallback is used', (t) => {
  const tree = procTree(t);
  tree.link(`${PID}/ns/net`, NS);
  tree.file(
    `${PID}/net/igmp`,
    'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n1\tlo        :     1      V3\n2\teth0      :     1      V3\n',
  );
  const facts = readContainerNet(PID, HOST_NS, tree.root);
  assert.equal(facts.error, null);
  assert.equal(facts.via, 'proc-net');
});

test('a process that is gone (no /proc/<pid>) says so, as failed', (t) => {
  const tree = procTree(t);
  const facts = readContainerNet(PID, HOST_NS, tree.root);
  assert.equal(facts.error, `${tree.root}/${PID}/ns/net is gone: the container stopped while docknet was reading it`);
  assert.equal(facts.errorCause, 'failed');
});

test("the host's own namespace, or why it could not be read", (t) => {
  const tree = procTree(t);
  tree.link('self/ns/net', HOST_NS);
  assert.deepEqual(ownNetns(tree.root), { netns: HOST_NS });
  const none = ownNetns(`${tree.root}/nowhere`);
  assert.equal(none.netns, null);
  assert.ok(none.netns === null && none.failure.cause === 'failed');
});

test('container files: an fd directory that cannot be listed leaves the listeners unknown, not "none"', (t) => {
  assertUnreadable();
  const tree = procTree(t);
  tree.file(`${PID}/root/etc/resolv.conf`, 'nameserver 127.0.0.11\n');
  tree.file(`${PID}/fd`, 'a file where a directory is expected\n');
  tree.file(`${PID}/net/tcp`, '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n');
  tree.link(`${PID}/net/udp`, UNREADABLE);
  const raw = readContainerFiles(PID, tree.root);
  assert.equal(raw.socketInodes, null);
  assert.equal(raw.resolvConf, 'nameserver 127.0.0.11\n');
  assert.ok(
    raw.errors.some((e) => e === `listing ${tree.root}/${PID}/fd: ENOTDIR`),
    raw.errors.join('; '),
  );
  assert.ok(raw.errors.includes(`reading ${tree.root}/${PID}/net/udp needs root`), raw.errors.join('; '));
  const parsed = parseContainerFiles(JSON.stringify(raw)).value;
  assert.equal(parsed.sockets, null, 'without the inodes, which sockets are the process own is unknown');
});

test('container files: socket links are read from a listable fd directory', (t) => {
  const tree = procTree(t);
  tree.link(`${PID}/fd/3`, 'socket:[123456]');
  tree.link(`${PID}/fd/4`, '/dev/null');
  tree.file(`${PID}/net/tcp`, '');
  const raw = readContainerFiles(PID, tree.root);
  assert.deepEqual(raw.socketInodes, [123456]);
  assert.notEqual(parseContainerFiles(JSON.stringify(raw)).value.sockets, null);
});

test('readFailure: a real EACCES is needs-root naming the path; a real ENOENT is failed with the system words', () => {
  assertUnreadable();
  const errOf = (path: string): unknown => {
    try {
      readFileSync(path);
    } catch (err) {
      return err;
    }
    return assert.fail(`${path} was readable`);
  };
  assert.deepEqual(readFailure(errOf(UNREADABLE), UNREADABLE), {
    code: 'EACCES',
    cause: 'needs-root',
    reason: `reading ${UNREADABLE} needs root (permission denied)`,
  });
  const missing = readFailure(errOf('/proc/docknet-no-such-file'), '/proc/docknet-no-such-file');
  assert.equal(missing.cause, 'failed');
  assert.match(missing.reason, /^could not read \/proc\/docknet-no-such-file: ENOENT: no such file or directory/);
});
