// `npm run golden`: runs every golden case and writes its output as the golden file, saying which
// changed. Review the diff (git diff test/golden) before committing: the tests trust these files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';
import { GOLDEN_CASES } from './golden-cases.js';

let changed = 0;
for (const c of GOLDEN_CASES) {
  const r = await runCli(c.args, { cwd: c.cwd, ...c.medium });
  // doctor exits 1 on an error-level finding: its report is still the output to pin.
  if (r.code !== 0 && !(c.args[0] === 'doctor' && r.code === 1)) throw new Error(`${c.name} exited ${r.code}: ${r.stderr}`);
  const path = repoPath(c.golden);
  let before: string | null = null;
  try {
    before = readFileSync(path, 'utf8');
  } catch {
    // A new case: its golden file is written for the first time.
  }
  if (before === r.stdout) continue;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, r.stdout);
  changed++;
  process.stdout.write(`${before === null ? 'new' : 'changed'}: ${c.golden}\n`);
}
process.stdout.write(`${GOLDEN_CASES.length} golden files, ${changed} written; review them with: git diff test/golden\n`);
