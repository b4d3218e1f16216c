// Lists what breaks the size rule in src/, lab/, bench/ and scripts/ (scripts/code-size.mjs): files over 400 lines, and functions
// over 80 lines without a "Long on purpose:" comment above them saying why. Run by hand,
// `node scripts/long-functions.mjs`; test/architecture.test.ts enforces the same rule.
import { sizeProblems } from './code-size.mjs';

const problems = ['src', 'lab', 'bench', 'scripts'].flatMap((dir) => sizeProblems(dir));
for (const p of problems) console.log(p);
if (problems.length > 0) {
  console.log(`${problems.length} breach(es) of the size rule`);
  process.exitCode = 1;
}
