// The text report of `docknet inspect` for each lab container, pinned by a golden file (non-TTY).
// The input is a real saved snapshot of the lab; UPDATE_GOLDEN=1 rewrites the goldens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { repoPath } from '../repo-path.js';

// Relative, as a user types it: the snapshot notice prints the path it was given.
const SNAPSHOT = 'test/fixtures/lab-snapshot';
const CONTAINERS = readdirSync(repoPath(`${SNAPSHOT}/containers`)).sort();

for (const name of CONTAINERS) {
  test(`inspect ${name} matches its golden file`, async () => {
    const io = memoryIO();
    const cwd = process.cwd();
    process.chdir(repoPath('.'));
    try {
      assert.equal(await main(['inspect', name, '--from', SNAPSHOT], io), 0, io.stderr);
    } finally {
      process.chdir(cwd);
    }
    const golden = repoPath(`test/golden/inspect/${name}.txt`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, io.stdout);
    assert.equal(io.stdout, readFileSync(golden, 'utf8'));
  });
}
