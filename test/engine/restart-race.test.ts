// Engine test: a container restarted (new network namespace, new veth) between docknet's read of the
// host's links and its read of the container. The facts then disagree; docknet must claim no pair.
// The restart really happens here (the test fails when the namespace did not change); the same race is
// forced without an engine, with the eth0 ifindex reused, in test/gather/live.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { LAB_IMAGE, TEST_LABEL } from '../../lab/lab-spec.js';
import { liveHost } from '../../src/gather/host-access.js';
import { gatherLive } from '../../src/gather/live.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { correlateVethMap } from '../../src/correlate/veth-map.js';
import { FACT } from '../../src/snapshot/snapshot.js';
import { TEST_RUN_ID, withLab } from './harness.js';
import { interfaceNotesText } from '../../src/render/veth-words.js';

test('a container restarted with a new netns between reads: no pair is claimed, the old veth is not given to it', async (t) => {
  if (!(await withLab(t))) return;
  const name = `docknet-test-restart-${process.pid}`;
  await execa('docker', ['run', '-d', '--name', name, '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, LAB_IMAGE, 'sleep', '600']);
  try {
    const before = await gatherLive(['engine', 'container-net', 'links'], liveHost(process.env));
    const oldVeth = correlateVethMap(buildHostModel(before)).interfaces.find((r) => r.container === name)?.hostVeth;
    assert.ok(oldVeth, 'paired before the restart');

    await execa('docker', ['restart', '-t', '0', name]);
    const after = await gatherLive(['engine', 'container-net'], liveHost(process.env));
    // The host's links as read before the restart, the container as read after it.
    after.facts.set(FACT.ipAddrJson, before.facts.get(FACT.ipAddrJson)!);
    const map = correlateVethMap(buildHostModel(after));

    const row = map.interfaces.find((r) => r.container === name);
    assert.ok(row);
    assert.notEqual(
      before.facts.get(FACT.containerNet(name))?.text,
      after.facts.get(FACT.containerNet(name))?.text,
      'the namespace really changed',
    );
    assert.equal(row.hostVeth, null, `no pair claimed (note: ${interfaceNotesText(row.notes)})`);
    assert.match(interfaceNotesText(row.notes) ?? '', /not a host veth pointing back|no host veth points at/);
    const old = map.hostVeths.find((v) => v.name === oldVeth);
    assert.ok(old, 'the old veth is still in the (stale) host listing');
    assert.notEqual(old.owner, name);
  } finally {
    await execa('docker', ['rm', '-f', name], { reject: false });
  }
});
