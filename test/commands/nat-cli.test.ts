// `docknet nat` through the CLI on the seed snapshot: the path text, the JSON contract, and the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePortQuery } from '../../src/commands/nat.js';
import { UsageError } from '../../src/model/errors.js';
import { repoPath } from '../repo-path.js';
import { runCli } from '../cli-helper.js';

const seed = repoPath('examples/seed-host');

test('nat --port 49154 on the seed prints the path as one chain, with the counters', async () => {
  const r = await runCli(['nat', '--from', seed, '--port', '49154']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(
    r.stdout.includes(
      '0.0.0.0:49154/tcp -> nat PREROUTING -> DOCKER: DNAT to 172.17.0.3:8080 (pkts 6, bytes 312) -> docker0 -> vethd4ac7ba? (probably) -> tomcat-tml 172.17.0.3:8080\n',
    ),
    r.stdout,
  );
  assert.match(r.stdout, /127\.0\.0\.1:49154\/tcp \(from this host\): bypasses DNAT/);
  assert.doesNotMatch(r.stdout, /49155/);
});

test('nat --json on the seed keeps the contract: schemaVersion, mappings and anomalies with their keys', async () => {
  const r = await runCli(['nat', '--from', seed, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = r.json();
  assert.equal(j.schemaVersion, 2);
  assert.equal(j.available, true);
  assert.deepEqual(j.anomalies, []);
  for (const m of j.mappings) {
    for (const k of [
      'hostIp',
      'hostPort',
      'protocol',
      'containerIp',
      'containerPort',
      'container',
      'network',
      'bridge',
      'hostVeth',
      'rule',
      'proxy',
    ]) {
      assert.ok(k in m, `mapping has ${k}`);
    }
    // schemaVersion 2: each note is its code and facts, with its sentence beside them.
    for (const n of m.notes) assert.ok(typeof n.code === 'string' && typeof n.text === 'string', `note ${JSON.stringify(n)}`);
  }
  const m = j.mappings.find((x: { hostPort: number; hostIp: string }) => x.hostPort === 49155);
  assert.deepEqual(
    { ip: m.containerIp, port: m.containerPort, container: m.container, veth: m.hostVeth },
    { ip: '172.17.0.2', port: 8080, container: 'tomcat01', veth: 'veth1f00e42' },
  );
  for (const k of ['table', 'chain', 'number', 'packets', 'bytes', 'text']) assert.ok(k in m.rule, `rule has ${k}`);
});

test('nat without --port prints one row per mapping', async () => {
  const r = await runCli(['nat', '--from', seed]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^0\.0\.0\.0:49154\/tcp\s+tomcat-tml\s+172\.17\.0\.3:8080\s+-\s+docker0\s+vethd4ac7ba\?\s+DOCKER 2\s+6\s+312\s+DNAT/m,
  );
  assert.match(r.stdout, /^0\.0\.0\.0:49155\/tcp\s+tomcat01\s+172\.17\.0\.2:8080\s+-\s+docker0\s+veth1f00e42\s+DOCKER 3\s+0\s+0\s+DNAT/m);
});

test('a port nobody publishes exits 1, naming it and the nearest published ports', async () => {
  const r = await runCli(['nat', '--from', seed, '--port', '49156']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^docknet: no mapping in the data for 49156\/tcp \(the container list is unknown/);
  assert.match(r.stderr, /published ports nearest to it: 49155\/tcp \(tomcat01\), 49154\/tcp \(tomcat-tml\)/);
  assert.match(r.stderr, /whether a host process listens on it is unknown/);
  const udp = await runCli(['nat', '--from', seed, '--port', '49154/udp']);
  assert.equal(udp.code, 1);
  assert.match(udp.stderr, /no mapping in the data for 49154\/udp/);
});

test('--json for a port nobody publishes: exit 1, the same words on stderr, and the facts near it as a document', async () => {
  const text = await runCli(['nat', '--from', seed, '--port', '49156']);
  const r = await runCli(['nat', '--json', '--from', seed, '--port', '49156']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, text.stderr);
  const j = r.json();
  assert.deepEqual(j.mappings, []);
  assert.deepEqual(j.directAccess, []);
  const np = j.notPublished;
  assert.deepEqual(np.query, { hostIp: null, port: 49156, protocol: 'tcp' });
  assert.equal(np.publicationsKnown, false);
  assert.deepEqual(np.nearest, [
    { hostPort: 49155, protocol: 'tcp', container: 'tomcat01' },
    { hostPort: 49154, protocol: 'tcp', container: 'tomcat-tml' },
  ]);
  // The socket tables are not in the seed: unknown, not "no host process listens".
  assert.equal(np.listeners, null);
  assert.deepEqual(np.stoppedPublishers, []);
  assert.match(np.text, /^no mapping in the data for 49156\/tcp \(the container list is unknown/);
  assert.deepEqual(np.lines.map((l: string) => `  ${l}\n`).join(''), text.stderr.slice(text.stderr.indexOf('\n') + 1));
  // A published port's document says so with notPublished null.
  const found = await runCli(['nat', '--json', '--from', seed, '--port', '49154']);
  assert.equal(found.code, 0, found.stderr);
  assert.equal(found.json().notPublished, null);
});

test('a host-IP-bound query: the exact binding, or the wildcard binding that serves it', async () => {
  const r = await runCli(['nat', '--from', seed, '--port', '0.0.0.0:49154', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.json().mappings.map((m: { hostIp: string }) => m.hostIp),
    ['0.0.0.0'],
  );
  const v6 = await runCli(['nat', '--from', seed, '--port', '[::]:49154/tcp', '--json']);
  assert.equal(v6.code, 0, v6.stderr);
  assert.deepEqual(
    v6.json().mappings.map((m: { hostIp: string }) => m.hostIp),
    ['::'],
  );
});

test('bad --port values exit 2 with the accepted forms, before reading anything', async () => {
  for (const bad of ['abc', '0', '65536', '80/icmp', '1.2.3:80', '10.0.0.1:', '-1', '49154/']) {
    // A missing snapshot would exit 1: exit 2 shows validation came first.
    const r = await runCli(['nat', '--from', '/nonexistent/snap', '--port', bad]);
    assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`invalid --port '${bad.replace(/[.[\]/]/g, '\\$&')}'`));
    assert.match(r.stderr, /--port takes PORT, PORT\/PROTO, HOSTIP:PORT or HOSTIP:PORT\/PROTO, e\.g\. 49154, 5353\/udp, 127\.0\.0\.1:8081/);
  }
});

test('parsePortQuery reads every accepted form', () => {
  assert.deepEqual(parsePortQuery('49154'), { hostIp: null, port: 49154, protocol: 'tcp' });
  assert.deepEqual(parsePortQuery('5353/UDP'), { hostIp: null, port: 5353, protocol: 'udp' });
  assert.deepEqual(parsePortQuery('127.0.0.1:8081'), { hostIp: '127.0.0.1', port: 8081, protocol: 'tcp' });
  assert.deepEqual(parsePortQuery('[::]:49154/tcp'), { hostIp: '::', port: 49154, protocol: 'tcp' });
  assert.deepEqual(parsePortQuery('[fd00::1]:80/sctp'), { hostIp: 'fd00::1', port: 80, protocol: 'sctp' });
  assert.throws(() => parsePortQuery('http'), UsageError);
});
