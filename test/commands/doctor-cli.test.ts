import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repoPath } from '../repo-path.js';
import { runCli } from '../cli-helper.js';

test('doctor on the seed host: forwarding off, with the warning the seed printed as evidence; exit 1', async () => {
  const r = await runCli(['doctor', '--json', '--from', repoPath('examples/seed-host')]);
  assert.equal(r.code, 1, r.stderr);
  const j = r.json();
  assert.equal(j.schemaVersion, 1);
  const fwd = j.findings.find((f: { check: string }) => f.check === 'forwarding');
  assert.equal(fwd.severity, 'error');
  assert.deepEqual(fwd.evidence, [
    { source: 'docker/warnings.txt', text: 'WARNING: IPv4 forwarding is disabled. Networking will not work.' },
  ]);
});

test("doctor on the seed host explains virbr0 as libvirt's, and does not call vethd4ac7ba a leftover", async () => {
  const r = await runCli(['doctor', '--from', repoPath('examples/seed-host')]);
  assert.match(r.stdout, /Bridge virbr0 is libvirt's bridge \(KVM virtual machines' NAT network\), not Docker's, by its name\./);
  assert.match(r.stdout, /vethd4ac7ba's owner is not in the data/);
  assert.doesNotMatch(r.stdout, /vethd4ac7ba on Docker bridge docker0 belongs to no container/);
  assert.match(r.stdout, /Skipped checks \(not passed: they could not run\)\n- bridge netfilter: kernel settings/);
  assert.match(r.stdout, /^1 error\(s\), 0 warning\(s\), \d+ info; \d+ of 11 checks ran, \d+ skipped\.$/m);
});

test('doctor with a bad flag is a usage error', async () => {
  assert.equal((await runCli(['doctor', '--bogus'])).code, 2);
});
