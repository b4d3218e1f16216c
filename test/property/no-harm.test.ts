// No-harm property test: on any subset of a real snapshot's fact files (and on the full snapshot),
// doctor never prints a host-changing command (ip link delete, kill, iptables -D, docker rm,
// docker network rm, ip route del), in text or JSON, for a thing the full snapshot shows in use:
// a veth with an owner, a rule of a live publication, a docker-proxy serving one, a running container.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harmIn, inUseOfReal } from './harmful-advice.js';
import { describeFailures, type Seen } from './info-loss.js';
import { findSnapshotDirs, loadReal, subsetsOf } from './snapshot-subsets.js';
import { FUZZ_SEED } from './fuzz.js';

for (const dir of findSnapshotDirs()) {
  test(`no harm: ${dir}: doctor on no subset of its files advises deleting, killing or removing what the full snapshot shows in use (seed ${FUZZ_SEED})`, async () => {
    const real = await loadReal(dir);
    const inUse = await inUseOfReal(real);
    const subsets = [...subsetsOf(real.files, dir), real.files];
    const seen: Seen[] = [];
    for (const files of subsets) seen.push(...(await harmIn(real, inUse, files)));
    assert.equal(
      seen.length,
      0,
      `no harm: ${describeFailures(real, subsets.length, seen, 40, 'host-changing command(s) for things in use', 'printed by doctor')}`,
    );
  });
}
