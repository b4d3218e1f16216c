// Real outputs pasted on other hosts (test/fixtures/pastes/*, each with SOURCE.md and expected.json): docknet,
// run as a user runs it (veth-map and nat --json --from the directory), must give every answer the paste
// allows and state nothing the paste contradicts or cannot prove.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../repo-path.js';
import { compareAnswers, docknetAnswers, type PasteAnswers } from './paste-answers.js';
import { runCli } from '../cli-helper.js';

const ROOT = repoPath('test/fixtures/pastes');

async function runJson(args: string[]): Promise<{ json: unknown; problem: string | null }> {
  const r = await runCli([...args, '--json']);
  if (r.code !== 0) return { json: {}, problem: `docknet ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}` };
  try {
    return { json: JSON.parse(r.stdout), problem: null };
  } catch (e) {
    return { json: {}, problem: `docknet ${args.join(' ')} printed no JSON: ${(e as Error).message}` };
  }
}

const dirs = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

test('the corpus holds at least 25 pastes, each with SOURCE.md and expected.json', () => {
  assert.ok(dirs.length >= 25, `${dirs.length} pastes`);
  for (const d of dirs) {
    assert.ok(existsSync(join(ROOT, d, 'SOURCE.md')), `${d}/SOURCE.md`);
    assert.ok(existsSync(join(ROOT, d, 'expected.json')), `${d}/expected.json`);
    const source = readFileSync(join(ROOT, d, 'SOURCE.md'), 'utf8');
    assert.match(source, /https?:\/\/|search-index file id \d+/, `${d}/SOURCE.md names its origin`);
    assert.match(source, /## Answers this paste allows/, `${d}/SOURCE.md says what the paste allows`);
  }
});

for (const dir of dirs) {
  test(`paste ${dir}: docknet gives what the paste proves, and nothing it does not`, async () => {
    const path = join(ROOT, dir);
    const expected = JSON.parse(readFileSync(join(path, 'expected.json'), 'utf8')) as PasteAnswers;
    const veth = await runJson(['veth-map', '--from', path]);
    const nat = await runJson(['nat', '--from', path]);
    const problems = [veth.problem, nat.problem].filter((p): p is string => p !== null);
    problems.push(...compareAnswers(expected, docknetAnswers(veth.json as object, nat.json as object)));
    assert.deepEqual(problems, []);
  });
}
