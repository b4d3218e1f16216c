// The text report of `docknet inspect` for each lab container, pinned by a golden file (non-TTY).
// The inputs are real saved snapshots of the lab, one per Docker generation; UPDATE_GOLDEN=1 rewrites the goldens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { repoPath } from '../repo-path.js';

// Relative, as a user types it: the snapshot notice prints the path it was given.
const SNAPSHOTS = [
  { snapshot: 'test/fixtures/lab-snapshot', golden: 'test/golden/inspect', docker: '20.10' },
  { snapshot: 'test/fixtures/lab-snapshot-28', golden: 'test/golden/inspect-28', docker: '28.5' },
];

for (const { snapshot, golden, docker } of SNAPSHOTS) {
  for (const name of readdirSync(repoPath(`${snapshot}/containers`)).sort()) {
    test(`inspect ${name} (Docker ${docker} lab) matches its golden file`, async () => {
      const io = memoryIO();
      const cwd = process.cwd();
      process.chdir(repoPath('.'));
      try {
        assert.equal(await main(['inspect', name, '--from', snapshot], io), 0, io.stderr);
      } finally {
        process.chdir(cwd);
      }
      const file = repoPath(`${golden}/${name}.txt`);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(repoPath(golden), { recursive: true });
        writeFileSync(file, io.stdout);
      }
      assert.equal(io.stdout, readFileSync(file, 'utf8'));
    });
  }
}
