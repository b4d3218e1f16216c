// reach --exposure on the real lab snapshots: each row's outside verdict against the snapshot's own
// rules, and the flags that matter (direct access on 20.10, none on 28.5's default networks).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { exposure } from '../../../src/correlate/reach/exposure.js';
import { hostView } from '../../../src/correlate/reach/host-view.js';
import { containerSocketsOf } from '../../../src/parse/container-sockets.js';
import { buildHostModel } from '../../../src/parse/host-model.js';
import { hostSettingsFact } from '../../../src/parse/host-settings.js';
import { loadSnapshot } from '../../../src/snapshot/load.js';
import { repoPath } from '../../repo-path.js';

async function exposureOf(dir: string) {
  const snapshot = await loadSnapshot(dir);
  const model = buildHostModel(snapshot);
  return exposure(hostView(model, hostSettingsFact(snapshot).fact, containerSocketsOf(snapshot, model)));
}

/** `-A PREROUTING -d <ip>/32 ! -i <bridge> -j DROP` lines of the raw table: the addresses Docker 28 protects. */
function rawDropped(dir: string): Set<string> {
  const text = readFileSync(`${dir}/host/iptables-save.txt`, 'utf8');
  return new Set([...text.matchAll(/-A PREROUTING -d (\d+\.\d+\.\d+\.\d+)\/32 ! -i \S+ -j DROP/g)].map((m) => m[1] as string));
}

test('Docker 28.5: every container address the raw table protects times out from outside; the published ports on 0.0.0.0 that something listens behind connect', async () => {
  const dir = repoPath('test/fixtures/lab-snapshot-28');
  const e = await exposureOf(dir);
  const outside = e.sources.findIndex((s) => s.kind === 'outside');
  const dropped = rawDropped(dir);
  const addressRows = e.rows.filter((r) => r.kind === 'address' && r.destination.kind === 'ip' && dropped.has(r.destination.ip));
  assert.ok(addressRows.length >= 5);
  for (const r of addressRows) assert.equal(r.cells[outside]?.expect, 'timeout', `${r.container} ${JSON.stringify(r.destination)}`);
  const web = e.rows.find((r) => r.kind === 'published' && r.container === 'tomcat-tml' && r.publication?.hostPort === 49154);
  assert.equal(web?.cells[outside]?.expect, 'connect');
  // Direct access is flagged only where the network opts out of the protection: gateway mode routed or
  // nat-unprotected (docker/networks.json), whose containers have no raw drop.
  const unprotected = new Set(
    (
      JSON.parse(readFileSync(`${dir}/docker/networks.json`, 'utf8')) as {
        Options: Record<string, string>;
        Containers: Record<string, { Name: string }>;
      }[]
    )
      .filter((n) => ['routed', 'nat-unprotected'].includes(n.Options['com.docker.network.bridge.gateway_mode_ipv4'] ?? ''))
      .flatMap((n) => Object.values(n.Containers).map((c) => c.Name)),
  );
  assert.ok(unprotected.size >= 2, 'the lab has a routed and a nat-unprotected container');
  const flagged = e.rows.filter((r) => r.flags.some((f) => f.code === 'direct-from-outside'));
  assert.ok(flagged.length > 0);
  for (const r of flagged) {
    assert.ok(unprotected.has(r.container ?? ''), `${r.container} ${JSON.stringify(r.destination)}`);
    assert.ok(r.destination.kind === 'ip' && !dropped.has(r.destination.ip));
  }
});

test('Docker 20.10: container addresses whose ports are published are flagged as reachable directly from beyond the uplink', async () => {
  const e = await exposureOf(repoPath('test/fixtures/lab-snapshot'));
  const direct = e.rows.filter((r) => r.flags.some((f) => f.code === 'direct-from-outside')).map((r) => r.destination);
  assert.deepEqual(
    direct.map((d) => (d.kind === 'ip' ? `${d.ip}:${d.port}` : '')),
    ['10.213.0.2:8080', '172.17.0.160:8080', '172.17.0.147:8080'],
  );
  // A published port that nothing in the container listens on is let through, and refused by the container.
  const closed = e.rows.find((r) => r.destination.kind === 'ip' && r.destination.ip === '172.17.0.147' && r.destination.port === 7000);
  assert.equal(closed?.cells[0]?.expect, 'refused');
});
