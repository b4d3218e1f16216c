// The outputs pinned by golden files: each case's command line and where its golden file is. The
// tests only compare (test/commands/inspect-golden.test.ts); `npm run golden` writes them
// (test/commands/write-goldens.ts), so a test never compares an output with itself.
import { readdirSync } from 'node:fs';
import { PIPE, type CliOptions } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';

export interface GoldenCase {
  name: string;
  args: string[];
  /** The working directory the command runs in: the paths in args are relative to it. */
  cwd: string;
  /** Repository-relative path of the golden file. */
  golden: string;
  /** The output medium (terminal and its width, or pipe); the CLI helper's wide terminal when not given. */
  medium?: CliOptions;
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

const INSPECT_CASES: GoldenCase[] = SNAPSHOTS.flatMap(({ snapshot, golden, docker }) =>
  readdirSync(repoPath(`${snapshot}/containers`))
    .sort()
    .map((name) => ({
      name: `inspect ${name}${docker === '20.10' ? '' : ` (Docker ${docker} lab)`}`,
      args: ['inspect', name, '--from', snapshot],
      cwd: repoPath('.'),
      golden: `${golden}/${name}.txt`,
    })),
);

/** The width of the terminal the terminal-form goldens are written for: narrower than most tables. */
export const GOLDEN_WIDTH = 100;
export const GOLDEN_TERMINAL: CliOptions = { isTTY: true, color: false, width: GOLDEN_WIDTH };

// The table commands in both forms (test/golden/forms/<snapshot>/<command>.<form>.txt): on a terminal
// of GOLDEN_WIDTH columns, and piped (tab-separated). doctor has no table: one form, piped.
const FORM_SNAPSHOTS = [
  { snapshot: 'examples/seed-host', name: 'seed-host' },
  { snapshot: 'test/fixtures/lab-snapshot', name: 'lab-snapshot' },
  { snapshot: 'test/fixtures/lab-snapshot-28', name: 'lab-snapshot-28' },
];
const FORMS = [
  { form: 'terminal', medium: GOLDEN_TERMINAL },
  { form: 'pipe', medium: PIPE },
] as const;

export const FORM_CASES: GoldenCase[] = FORM_SNAPSHOTS.flatMap(({ snapshot, name }) => [
  ...['veth-map', 'nat'].flatMap((command) =>
    FORMS.map(({ form, medium }) => ({
      name: `${command} of ${name} (${form})`,
      args: [command, '--from', snapshot],
      cwd: repoPath('.'),
      golden: `test/golden/forms/${name}/${command}.${form}.txt`,
      medium,
    })),
  ),
  {
    name: `doctor of ${name} (pipe)`,
    args: ['doctor', '--from', snapshot],
    cwd: repoPath('.'),
    golden: `test/golden/forms/${name}/doctor.pipe.txt`,
    medium: PIPE,
  },
]);

export const GOLDEN_CASES: readonly GoldenCase[] = [...INSPECT_CASES, ...REPORTS, ...FORM_CASES];
