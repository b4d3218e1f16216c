// Renders the reachability matrix's results (the JSON files test/engine/reach-matrix.test.ts writes, one
// per engine) as the Markdown table in the README: node scripts/reach-matrix.mjs /tmp/docknet-reach-matrix-*.json
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node scripts/reach-matrix.mjs /tmp/docknet-reach-matrix-<engine>.json ...\n');
  process.exit(2);
}

const cell = (s) => String(s).replaceAll('|', '\\|');

const out = [];
for (const f of files) {
  const { engine, at, rows } = JSON.parse(readFileSync(f, 'utf8'));
  const failed = rows.filter((r) => r.problems.length > 0).length;
  out.push(`Docker ${engine}, run of ${at}: ${rows.length} scenarios, ${rows.length - failed} passed, ${failed} failed.`, '');
  out.push('| set-up | scenario | packet | docknet | decided by | counter | result |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const counter = r.counted !== null ? `+${r.counted}${r.counterNote ? ' (appended rule)' : ''}` : r.counterNote ? 'no chain' : '';
    const docknet = `${r.verdict} (${r.expect})`;
    const result = r.problems.length ? `FAIL: ${r.problems.join('; ')}` : 'ok';
    out.push(
      `| ${r.setup} | ${cell(r.what)} | ${r.probe} | ${docknet} | ${cell(r.decidedBy ? `\`${r.decidedBy}\`` : '(routing)')} | ${counter} | ${cell(result)} |`,
    );
  }
  out.push('');
}
process.stdout.write(`${out.join('\n')}`);
