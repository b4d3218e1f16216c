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

// Relative, as a user types it: the snapshot notice prints the path it was given. One saved lab per
// Docker generation.
const SNAPSHOTS = [
  { snapshot: 'test/fixtures/lab-snapshot', golden: 'test/golden/inspect', docker: '20.10' },
  { snapshot: 'test/fixtures/lab-snapshot-26', golden: 'test/golden/inspect-26', docker: '26.1' },
  { snapshot: 'test/fixtures/lab-snapshot-28', golden: 'test/golden/inspect-28', docker: '28.5' },
];

// Every generation's whole nat and doctor report too: where the generations' rules differ, these show it.
const REPORTS: readonly GoldenCase[] = SNAPSHOTS.filter((s) => s.docker !== '20.10').flatMap(({ snapshot, docker }) =>
  ['nat', 'doctor'].map((command) => ({
    name: `${command} (Docker ${docker} lab)`,
    args: [command, '--from', snapshot],
    cwd: repoPath('.'),
    golden: `test/golden/${command}-${docker.split('.')[0]}.txt`,
  })),
);

export const GOLDEN_CASES: readonly GoldenCase[] = SNAPSHOTS.flatMap(({ snapshot, golden, docker }) =>
  readdirSync(repoPath(`${snapshot}/containers`))
    .sort()
    .map((name) => ({
      name: `inspect ${name}${docker === '20.10' ? '' : ` (Docker ${docker} lab)`}`,
      args: ['inspect', name, '--from', snapshot],
      cwd: repoPath('.'),
      golden: `${golden}/${name}.txt`,
    })),
).concat(REPORTS);
