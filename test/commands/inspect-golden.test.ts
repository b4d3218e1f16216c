// The text reports pinned by golden files (test/commands/golden-cases.ts): `docknet inspect` of each lab
// container, and the table commands in the terminal and the pipe form.
// The input is a real saved snapshot of the lab. The test only compares: `npm run golden` rewrites the
// goldens (test/commands/write-goldens.ts), and the diff is reviewed before it is committed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';
import { GOLDEN_CASES } from './golden-cases.js';

test('golden files are written by `npm run golden`, never by the test run', () => {
  // The old habit rewrote the goldens and then compared the output with itself: say so instead of passing.
  assert.equal(
    process.env.UPDATE_GOLDEN,
    undefined,
    'UPDATE_GOLDEN does nothing: run `npm run golden`, then review `git diff test/golden`',
  );
  assert.ok(GOLDEN_CASES.filter((c) => c.args[0] === 'inspect').length >= 10, 'one golden per lab container');
  assert.ok(GOLDEN_CASES.some((c) => c.medium?.isTTY === false) && GOLDEN_CASES.some((c) => c.medium?.isTTY === true), 'both forms');
});

for (const c of GOLDEN_CASES) {
  test(`${c.name} matches its golden file`, async () => {
    const r = await runCli(c.args, { cwd: c.cwd, ...c.medium });
    // doctor exits 1 on an error-level finding (the seed host has one); every other case exits 0.
    assert.ok(r.code === 0 || (c.args[0] === 'doctor' && r.code === 1), `exit ${r.code}: ${r.stderr}`);
    assert.equal(
      r.stdout,
      readFileSync(repoPath(c.golden), 'utf8'),
      `${c.golden} differs: if the change is meant, run \`npm run golden\` and review the diff`,
    );
  });
}
