// Correlation of the seed host (examples/seed-host: the walkthrough's `iptables -t nat -vnL`, `docker ps`
// and tomcat01's own `ip addr`): every DNAT rule finds its container, with the rule's counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSnapshotDir } from '../../src/snapshot/load.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { correlateNat } from '../../src/correlate/nat.js';
import { repoPath } from '../repo-path.js';
import { pathText } from '../../src/render/nat-words.js';
import type { PortPath } from '../../src/model/port-path.js';
const pt = (p: PortPath | undefined): string | undefined => (p ? pathText(p) : undefined);

async function seedReport() {
  return correlateNat(buildHostModel(await loadSnapshotDir(repoPath('examples/seed-host'))));
}

test('seed: 49154 -> 172.17.0.3:8080 is tomcat-tml (known from docker ps), by DOCKER rule 2 with its counters', async () => {
  const r = await seedReport();
  assert.equal(r.available, true);
  const m = r.mappings.find((x) => x.hostPort === 49154 && x.hostIp === '0.0.0.0');
  assert.ok(m);
  assert.equal(m.protocol, 'tcp');
  assert.equal(m.container, 'tomcat-tml');
  assert.equal(m.containerIp, '172.17.0.3');
  assert.equal(m.containerPort, 8080);
  assert.equal(m.containerIpFrom, 'rule', 'docker ps does not show addresses: the rule does');
  assert.equal(m.publishedBy, 'docker ps');
  assert.deepEqual(
    { table: m.rule?.table, chain: m.rule?.chain, number: m.rule?.number, packets: m.rule?.packets, bytes: m.rule?.bytes },
    { table: 'nat', chain: 'DOCKER', number: 2, packets: 6, bytes: 312 },
  );
  assert.match(m.rule?.text ?? '', /tcp dpt:49154 to:172\.17\.0\.3:8080/);
  assert.deepEqual(m.rule?.hookPath, ['PREROUTING', 'DOCKER']);
  assert.equal(m.bridge, 'docker0', 'the bridge holding 172.17.0.1/16 on the host');
  assert.equal(m.hostVeth, null, "tomcat-tml's inside was not captured: no veth is asserted");
  assert.equal(m.probableHostVeth, 'vethd4ac7ba', 'the one unowned veth on docker0, offered as probable only');
  assert.equal(m.hairpin?.chain, 'POSTROUTING');
  assert.equal(m.hairpin?.number, 7);
  assert.equal(
    pt(m.paths[0]),
    '0.0.0.0:49154/tcp -> nat PREROUTING -> DOCKER: DNAT to 172.17.0.3:8080 (pkts 6, bytes 312) -> docker0 -> vethd4ac7ba? (probably) -> tomcat-tml 172.17.0.3:8080',
  );
  assert.equal(m.via, 'dnat');
  const loop = m.paths.find((p) => p.address === '127.0.0.1:49154/tcp');
  assert.match(pt(loop) ?? '', /bypasses DNAT \(nat OUTPUT sends only ! -d 127\.0\.0\.0\/8 to DOCKER\)/);
});

test('seed: 49155 -> 172.17.0.2:8080 is tomcat01 (known from its own ip addr), through veth1f00e42', async () => {
  const r = await seedReport();
  const m = r.mappings.find((x) => x.hostPort === 49155);
  assert.ok(m);
  assert.equal(m.container, 'tomcat01');
  assert.equal(m.containerIp, '172.17.0.2');
  assert.equal(m.containerPort, 8080);
  assert.equal(m.containerIpFrom, 'interface');
  assert.equal(m.publishedBy, null, 'docker ps was taken before tomcat01 started: the publication is read from the rule');
  assert.equal(m.rule?.number, 3);
  assert.equal(m.rule?.packets, 0);
  assert.equal(m.hostVeth, 'veth1f00e42');
  assert.equal(m.interface, 'eth0');
  assert.equal(
    pt(m.paths[0]),
    '0.0.0.0:49155/tcp -> nat PREROUTING -> DOCKER: DNAT to 172.17.0.2:8080 (pkts 0, bytes 0) -> docker0 -> veth1f00e42 -> tomcat01 eth0 172.17.0.2:8080',
  );
});

test('seed: no anomaly, [::]:49154 is docker-proxy territory, and the sources are named', async () => {
  const r = await seedReport();
  assert.deepEqual(r.anomalies, []);
  const v6 = r.mappings.find((x) => x.hostIp === '::' && x.hostPort === 49154);
  assert.ok(v6);
  assert.equal(v6.rule, null);
  assert.equal(v6.containerIp, '172.17.0.3', 'the same container address as the IPv4 binding');
  assert.deepEqual(
    r.mappings.map((x) => `${x.hostIp}:${x.hostPort}`),
    ['0.0.0.0:49154', ':::49154', '0.0.0.0:49155'],
  );
  assert.ok(r.notes.some((n) => n.includes('host/iptables-nat.txt (iptables -L text)')));
  assert.ok(r.notes.includes('docker-proxy processes not read'));
});
