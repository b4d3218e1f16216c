// Information-loss property test: on any subset of a real snapshot's fact files, every definite
// answer of veth-map, nat, inspect and doctor is the full snapshot's answer, or is not given
// ("unknown"). An answer invented from missing data fails, naming the snapshot, the subset, the
// command and the answer. Every subset of a small snapshot is tried; SAMPLED_SUBSETS seeded ones
// of a large one (INFOLOSS_RUNS=<n> or FUZZ_RUNS=<n> to try more, FUZZ_SEED=<n> for others).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailures, fullAnswersOf, subsetDisagreements, type Seen } from './info-loss.js';
import { ALL_SUBSETS_UP_TO, SAMPLED_SUBSETS, findSnapshotDirs, loadReal, subsetsOf } from './snapshot-subsets.js';
import { FUZZ_SEED } from './fuzz.js';

const dirs = findSnapshotDirs();

test('the real snapshots of the repository are all found', () => {
  // The six there were when this test was written; more are welcome and are picked up by layout.
  for (const d of [
    'examples/seed-host',
    'test/fixtures/lab-snapshot',
    'test/fixtures/snapshots/aws-centos-docker1.11-two-centos',
    'test/fixtures/snapshots/docker-node1-port-mapping',
    'test/fixtures/snapshots/enp1s0-busybox-host-view-myweb',
    'test/fixtures/snapshots/leo-ubuntu20-jenkins-busybox',
  ])
    assert.ok(dirs.includes(d), `${d} is not found as a snapshot (found: ${dirs.join(', ')})`);
});

for (const dir of dirs) {
  test(`information loss: ${dir}: no subset of its files gives a definite answer the full snapshot contradicts (seed ${FUZZ_SEED})`, async () => {
    const real = await loadReal(dir);
    const full = await fullAnswersOf(real);
    const subsets = subsetsOf(real.files, dir);
    const expected = real.files.length <= ALL_SUBSETS_UP_TO ? 2 ** real.files.length - 2 : SAMPLED_SUBSETS;
    assert.ok(subsets.length >= expected, `${dir}: only ${subsets.length} subsets built, expected at least ${expected}`);
    const seen: Seen[] = [];
    for (const files of subsets) seen.push(...(await subsetDisagreements(full, files)));
    assert.equal(seen.length, 0, describeFailures(real, subsets.length, seen));
  });
}
