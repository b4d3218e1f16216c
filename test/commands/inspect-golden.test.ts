// The text report of `docknet inspect` for each lab container, pinned by a golden file (non-TTY).
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
  assert.ok(GOLDEN_CASES.length >= 10, 'one golden per lab container');
});

for (const c of GOLDEN_CASES) {
  test(`${c.name} matches its golden file`, async () => {
    const r = await runCli(c.args, { cwd: c.cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      readFileSync(repoPath(c.golden), 'utf8'),
      `${c.golden} differs: if the change is meant, run \`npm run golden\` and review the diff`,
    );
  });
}
