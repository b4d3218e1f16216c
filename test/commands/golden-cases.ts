// The outputs pinned by golden files: each case's command line and where its golden file is. The
// tests only compare (test/commands/inspect-golden.test.ts); `npm run golden` writes them
// (test/commands/write-goldens.ts), so a test never compares an output with itself.
import { readdirSync } from 'node:fs';
import { repoPath } from '../repo-path.js';

export interface GoldenCase {
  name: string;
  args: string[];
  /** The working directory the command runs in: the paths in args are relative to it. */
  cwd: string;
  /** Repository-relative path of the golden file. */
  golden: string;
}

// Relative, as a user types it: the snapshot notice prints the path it was given.
const SNAPSHOT = 'test/fixtures/lab-snapshot';

export const GOLDEN_CASES: readonly GoldenCase[] = readdirSync(repoPath(`${SNAPSHOT}/containers`))
  .sort()
  .map((name) => ({
    name: `inspect ${name}`,
    args: ['inspect', name, '--from', SNAPSHOT],
    cwd: repoPath('.'),
    golden: `test/golden/inspect/${name}.txt`,
  }));
