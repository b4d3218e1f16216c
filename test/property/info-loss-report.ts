// Writes the failure classes of the information-loss and no-harm tests, over every real snapshot, as
// Markdown (the appendix of INFOLOSS-FINDINGS.md): `node dist/test/property/info-loss-report.js`.
// Not a test: the tests are info-loss.test.ts and no-harm.test.ts; this regenerates their to-do list.
import { harmIn, inUseOfReal } from './harmful-advice.js';
import { type FailureClass, type Seen, classify, fullAnswersOf, subsetDisagreements } from './info-loss.js';
import { type RealSnapshot, findSnapshotDirs, loadReal, reproduce, subsetsOf } from './snapshot-subsets.js';

interface Merged {
  key: string;
  test: string;
  perSnapshot: { real: RealSnapshot; c: FailureClass }[];
}

const merged = new Map<string, Merged>();
const totals: string[] = [];
for (const dir of findSnapshotDirs()) {
  const real = await loadReal(dir);
  const full = await fullAnswersOf(real);
  const inUse = await inUseOfReal(real);
  const subsets = subsetsOf(real.files, dir);
  const loss: Seen[] = [];
  const harm: Seen[] = [];
  for (const files of subsets) loss.push(...(await subsetDisagreements(full, files)));
  for (const files of [...subsets, real.files]) harm.push(...(await harmIn(real, inUse, files)));
  totals.push(
    `| ${dir} | ${real.files.length} | ${subsets.length} | ${new Set(loss.map((s) => s.files.join('\n'))).size} (${loss.length} answers) | ${new Set(harm.map((s) => s.files.join('\n'))).size} (${harm.length} commands) |`,
  );
  for (const [test, seen] of [
    ['information loss', loss],
    ['no harm', harm],
  ] as const) {
    for (const c of classify(real, seen)) {
      const key = `${test} | ${c.key}`;
      const m = merged.get(key) ?? { key, test, perSnapshot: [] };
      m.perSnapshot.push({ real, c });
      merged.set(key, m);
    }
  }
}

const list = (s: Set<string> | null) => [...(s ?? [])].sort().join(', ') || '(none)';
const out: string[] = [
  '| snapshot | fact files | subsets | subsets with information loss | subsets with harmful advice |',
  '|---|---|---|---|---|',
  ...totals,
  '',
];
const ordered = [...merged.values()].sort(
  (a, b) =>
    a.test.localeCompare(b.test) ||
    b.perSnapshot.reduce((n, p) => n + p.c.subsets.size, 0) - a.perSnapshot.reduce((n, p) => n + p.c.subsets.size, 0),
);
let i = 0;
for (const m of ordered) {
  const first = m.perSnapshot[0]?.c as FailureClass;
  const best = m.perSnapshot.reduce((a, b) => (b.c.example.files.length < a.c.example.files.length ? b : a));
  const e = best.c.example;
  out.push(
    `### ${++i}. ${m.test}: [${first.command}] ${first.kind}: subset ${JSON.stringify(first.subsetShape)}, full ${JSON.stringify(first.fullShape)} (${first.why})`,
    '',
    `- seen in: ${m.perSnapshot.map((p) => `${p.real.dir} (${p.c.subsets.size} subsets, ${p.c.count} answers)`).join('; ')}`,
    `- in ${best.real.dir}, absent in every such subset: ${list(best.c.alwaysAbsent)}; present in every one: ${list(best.c.alwaysPresent)}`,
    `- e.g. ${best.real.dir}, subset {${e.files.join(', ')}}, \`docknet ${e.command.join(' ')}\`: ${e.question} = ${JSON.stringify(e.subset)}; full: ${e.full === null ? '(no answer)' : JSON.stringify(e.full)}`,
    `- reproduce: \`${reproduce(best.real, e.files, e.command)}\``,
    '',
  );
}
process.stdout.write(`${out.join('\n')}\n`);
