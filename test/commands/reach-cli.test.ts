// docknet reach through main(): its usage errors before any I/O, JSON shape, and answers from a
// snapshot that lacks the facts a verdict needs (unknown, with why, never a guess).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';

const LAB_28 = repoPath('test/fixtures/lab-snapshot-28');

for (const [args, words] of [
  [['reach', 'outside'], /reach takes a source .* and a destination .*, or --exposure/],
  [['reach', 'outside', 'host'], /invalid destination 'host': no port; the destination is host:PORT/],
  [['reach', 'outside', 'host:0'], /invalid destination 'host:0': 0 is outside 1-65535/],
  [['reach', 'outside', 'host:80/icmp'], /invalid destination 'host:80\/icmp': 'icmp' is not tcp or udp/],
  [['reach', 'outside:300.1.1.1', 'host:80'], /invalid source 'outside:300\.1\.1\.1': '300\.1\.1\.1' is not an IP address/],
  [['reach', '--exposure', 'outside', 'host:80'], /--exposure takes no source or destination/],
] as const) {
  test(`usage error, before reading anything: docknet ${args.join(' ')}`, async () => {
    const r = await runCli([...args, '--from', '/nonexistent/snapshot']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, words);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('an unknown container is a clear error naming the closest names, exit 1', async () => {
  const r = await runCli(['reach', 'tomcat-tmx', 'host:80', '--from', LAB_28]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no container matches 'tomcat-tmx'/);
  assert.match(r.stderr, /tomcat-tml/);
});

test('--json: versioned, with the verdict, what a client sees, the deciding rule and every hop', async () => {
  const r = await runCli(['reach', 'outside', '10.228.0.2:8080', '--json', '--from', LAB_28]);
  assert.equal(r.code, 0, r.stderr);
  const j = r.json();
  assert.equal(j.schemaVersion, 1);
  assert.equal(j.verdict, 'dropped');
  assert.equal(j.expect, 'timeout');
  assert.deepEqual([j.decidedBy.table, j.decidedBy.chain], ['raw', 'PREROUTING']);
  assert.deepEqual(
    j.hops.map((h: { kind: string }) => h.kind),
    ['enter', 'hook'],
  );
  assert.equal(j.source.resolved.kind, 'outside');
  assert.equal(j.destination.resolved.ip, '10.228.0.2');
});

test('text: the walk numbered hop by hop, then the verdict and the rule', async () => {
  const r = await runCli(['reach', 'outside', 'host:49154', '--from', LAB_28]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ {2}1\. enters on eth0: 198\.51\.100\.7:40000 -> 10\.219\.28\.2:49154\/tcp$/m);
  assert.match(r.stdout, /^ {2}\d\. DNAT: 10\.219\.28\.2:49154 -> 10\.228\.0\.2:8080$/m);
  assert.match(r.stdout, /^verdict: delivered: a client connects$/m);
  assert.match(
    r.stdout,
    /^decided by: iptables filter DOCKER rule \d+: -A DOCKER -d 10\.228\.0\.2\/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 8080 -j ACCEPT/m,
  );
});

test('a snapshot without the host routes: outside cannot be placed, and the answer says so instead of guessing', async () => {
  const r = await runCli([
    'reach',
    'outside',
    '10.0.0.9:80',
    '--json',
    '--from',
    repoPath('test/fixtures/pastes/moby-8830-iptables-nat-nvL-excerpt'),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const j = r.json();
  assert.equal(j.verdict, 'unknown');
  assert.equal(j.expect, 'unknown');
  assert.match(j.unknown, /routes are unknown/);
});
