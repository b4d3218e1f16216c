// reach on the repository's real snapshots (Docker 20.10 and 28.5 labs): each verdict and deciding rule
// is checked against the snapshot's own iptables-save, read here line by line, not through docknet.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ask } from './ask.js';
import { repoPath } from '../../repo-path.js';

const LAB_20 = repoPath('test/fixtures/lab-snapshot');
const LAB_28 = repoPath('test/fixtures/lab-snapshot-28');

/** The rules of one chain of one table, as iptables-save lists them, numbered from 1. */
function chainRules(dir: string, table: string, chain: string): string[] {
  const text = readFileSync(`${dir}/host/iptables-save.txt`, 'utf8');
  const block = text.split(`*${table}\n`)[1]?.split('\nCOMMIT')[0] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/^\[\d+:\d+\]\s+/, ''))
    .filter((l) => l.startsWith(`-A ${chain} `));
}

function numberOf(dir: string, table: string, chain: string, pattern: RegExp): number {
  const i = chainRules(dir, table, chain).findIndex((l) => pattern.test(l));
  assert.ok(i >= 0, `no rule of ${table} ${chain} matches ${pattern}`);
  return i + 1;
}

test('Docker 28.5: a container address is dropped from beyond the uplink by the raw PREROUTING rule for it', async () => {
  const r = await ask(LAB_28, 'outside', '10.228.0.2:8080');
  assert.equal(r.verdict, 'dropped');
  assert.equal(r.expect, 'timeout');
  assert.equal(r.decidedBy?.table, 'raw');
  assert.equal(r.decidedBy?.chain, 'PREROUTING');
  assert.equal(r.decidedBy?.number, numberOf(LAB_28, 'raw', 'PREROUTING', /^-A PREROUTING -d 10\.228\.0\.2\/32 ! -i docker0 -j DROP$/));
});

test('Docker 28.5: the published host port connects, DNATed, and the DOCKER filter ACCEPT for the container port decides', async () => {
  const r = await ask(LAB_28, 'outside', 'host:49154');
  assert.equal(r.verdict, 'delivered');
  assert.equal(r.expect, 'connect');
  const dnat = r.hops.find((h) => h.kind === 'nat');
  assert.ok(dnat && dnat.kind === 'nat');
  assert.match(dnat.rewrite.after, /^10\.228\.0\.2:8080$/);
  assert.equal(r.decidedBy?.chain, 'DOCKER');
  assert.equal(r.decidedBy?.table, 'filter');
  assert.equal(
    r.decidedBy?.number,
    numberOf(LAB_28, 'filter', 'DOCKER', /^-A DOCKER -d 10\.228\.0\.2\/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 8080 -j ACCEPT$/),
  );
});

test('Docker 28.5: a port published on 127.0.0.1 is refused from outside and connects from the host through docker-proxy', async () => {
  const outside = await ask(LAB_28, 'outside', 'host:8081');
  assert.equal(outside.verdict, 'no-listener');
  assert.equal(outside.expect, 'refused');
  const local = await ask(LAB_28, 'host', '127.0.0.1:8081');
  assert.equal(local.verdict, 'delivered');
  assert.equal(local.expect, 'connect');
  const at = local.hops.find((h) => h.kind === 'deliver-host');
  assert.ok(at && at.kind === 'deliver-host' && at.proxy !== null);
  assert.equal(at.proxy.containerIp, '10.228.0.2');
  assert.equal(at.proxied?.verdict, 'delivered');
});

test('Docker 28.5: from a container on another bridge, a container address is dropped by the raw rule too', async () => {
  const r = await ask(LAB_28, 'lab-web', 'tomcat-tml:8080');
  assert.equal(r.verdict, 'dropped');
  assert.equal(r.decidedBy?.table, 'raw');
});

test('Docker 20.10: a published container port is reachable directly from beyond the uplink (no raw drop on 20.10)', async () => {
  assert.deepEqual(chainRules(LAB_20, 'raw', 'PREROUTING'), []);
  const r = await ask(LAB_20, 'outside', '172.17.0.147:8080');
  assert.equal(r.verdict, 'delivered');
  assert.equal(r.expect, 'connect');
  assert.equal(
    r.decidedBy?.number,
    numberOf(LAB_20, 'filter', 'DOCKER', /^-A DOCKER -d 172\.17\.0\.147\/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 8080 -j ACCEPT$/),
  );
});

test('Docker 20.10: an unpublished port of a container address falls to the FORWARD policy DROP', async () => {
  const r = await ask(LAB_20, 'outside', '172.17.0.147:9999');
  assert.equal(r.verdict, 'dropped');
  assert.equal(r.decidedBy?.chain, 'FORWARD');
  assert.equal(r.decidedBy?.number, 0);
  assert.match(readFileSync(`${LAB_20}/host/iptables-save.txt`, 'utf8'), /^:FORWARD DROP /m);
});

test('Docker 20.10: two containers on one bridge pass iptables (bridge-nf-call-iptables is 1) and the bridge ACCEPT decides', async () => {
  const settings = JSON.parse(readFileSync(`${LAB_20}/host/settings.json`, 'utf8')) as { sysctl: Record<string, string> };
  assert.equal(settings.sysctl['net.bridge.bridge-nf-call-iptables'], '1');
  const r = await ask(LAB_20, 'lab-web', 'lab-multi:80');
  assert.ok(r.hops.some((h) => h.kind === 'bridged' && h.iptables));
  assert.equal(r.decidedBy?.number, numberOf(LAB_20, 'filter', 'FORWARD', /^-A FORWARD -i dnlab0 -o dnlab0 -j ACCEPT$/));
  // Nothing in lab-multi listens on 80: its socket tables are in the snapshot.
  assert.equal(r.verdict, 'no-listener');
});

test('egress from a container leaves by the uplink, masqueraded, and what lies beyond is not claimed', async () => {
  const r = await ask(LAB_20, 'tomcat-tml', '192.0.2.200:443');
  assert.equal(r.verdict, 'delivered');
  assert.equal(r.expect, 'unknown');
  assert.ok(r.hops.some((h) => h.kind === 'nat' && h.rewrite.kind === 'masquerade'));
  assert.ok(r.hops.some((h) => h.kind === 'leave' && h.iface === 'eth0'));
});
