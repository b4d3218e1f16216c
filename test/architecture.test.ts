// The rooms of the codebase and what each may import (README, Architecture): a test, so the rule holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoPath } from './repo-path.js';

/** Modules that reach the system: only gather/, snapshot/ (loading and saving files) and cli/ may import them. */
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|http|https|net|dgram|os|process|readline|worker_threads)$|^(execa|dockerode)$/;
/** Rooms that must stay pure: they work on values handed to them. */
const PURE = ['parse', 'correlate', 'model', 'render'];
/** What a pure room may import from this repository (snapshot/snapshot.ts is the Snapshot value and its file names: pure). */
const PURE_MAY_IMPORT: Record<string, string[]> = {
  model: ['model', 'snapshot/snapshot'],
  parse: ['model', 'parse', 'util', 'snapshot/snapshot'],
  correlate: ['model', 'correlate', 'util', 'parse', 'snapshot/snapshot'],
  render: ['model', 'render', 'util', 'correlate', 'parse', 'snapshot/snapshot'],
};

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.endsWith('.ts')) out.push(join(e.parentPath, e.name));
  return out;
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map(
    (m) => (m[1] ?? m[2]) as string,
  );
}

test('parse/, correlate/, model/ and render/ import no gather/, cli/, commands/ or I/O module; nothing in src imports cli/ but cli/', async () => {
  const src = repoPath('src');
  const problems: string[] = [];
  for (const file of await sources(src)) {
    const rel = relative(src, file).split('\\').join('/');
    const room = rel.split('/')[0] as string;
    for (const spec of importsOf(await readFile(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        if (PURE.includes(room) && IO_MODULES.test(spec)) problems.push(`${rel} imports ${spec}`);
        continue;
      }
      const target = relative(src, join(file, '..', spec))
        .split('\\')
        .join('/')
        .replace(/\.js$/, '');
      const targetRoom = target.split('/')[0] as string;
      if (targetRoom === 'cli' && room !== 'cli') problems.push(`${rel} imports ${target}: only cli/ may`);
      if (PURE.includes(room) && !(PURE_MAY_IMPORT[room] ?? []).some((ok) => target === ok || target.startsWith(`${ok}/`)))
        problems.push(`${rel} (${room}/) imports ${target}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the rule itself can fail: an import of gather/ from a parser is caught', () => {
  assert.deepEqual(importsOf("import { x } from '../gather/live.js';\nimport type { Y } from './y.js';"), ['../gather/live.js', './y.js']);
  assert.ok(IO_MODULES.test('node:fs/promises') && IO_MODULES.test('execa') && !IO_MODULES.test('node:net/x'));
});

test('exit codes are named (EXIT in model/errors.ts): no command returns a bare 0, 1 or 2', async () => {
  const dir = repoPath('src/commands');
  const problems: string[] = [];
  for (const file of await sources(dir))
    for (const [i, line] of (await readFile(file, 'utf8')).split('\n').entries())
      if (/\breturn [0-2];|\? [0-2] : [0-2];/.test(line)) problems.push(`${relative(dir, file)}:${i + 1}: ${line.trim()}`);
  assert.deepEqual(problems, []);
});

/** scripts/code-size.mjs, the size rule `node scripts/long-functions.mjs` lists by hand. */
interface CodeSize {
  FILE_LIMIT: number;
  FUNCTION_LIMIT: number;
  MARKER: string;
  longFile(text: string): number | null;
  longFunctions(file: string, text: string): { line: number; name: string; lines: number }[];
  sizeProblems(dir: string): string[];
}
const codeSize = (): Promise<CodeSize> => import(pathToFileURL(repoPath('scripts/code-size.mjs')).href) as Promise<CodeSize>;

test('no file in src/, lab/, bench/ or scripts/ over 400 lines, no function over 80 lines without a "Long on purpose:" comment saying why', async () => {
  const { sizeProblems } = await codeSize();
  assert.deepEqual(
    ['src', 'lab', 'bench', 'scripts'].flatMap((dir) => sizeProblems(repoPath(dir)).map((p) => relative(repoPath('.'), p))),
    [],
  );
});

test('the size rule itself can fail: a long file, a long function, and the marker that excuses one', async () => {
  const { FILE_LIMIT, FUNCTION_LIMIT, MARKER, longFile, longFunctions } = await codeSize();
  assert.equal(longFile('x\n'.repeat(FILE_LIMIT)), null);
  assert.equal(longFile('x\n'.repeat(FILE_LIMIT + 1)), FILE_LIMIT + 1);
  const body = (n: number) => `${'  x();\n'.repeat(n - 2)}`;
  const long = `function f() {\n${body(FUNCTION_LIMIT + 1)}}\n`;
  assert.deepEqual(longFunctions('a.ts', long), [{ line: 1, name: 'f', lines: FUNCTION_LIMIT + 1 }]);
  assert.deepEqual(longFunctions('a.ts', `function f() {\n${body(FUNCTION_LIMIT)}}\n`), []);
  assert.deepEqual(longFunctions('a.ts', `// ${MARKER} a table read top to bottom.\n${long}`), []);
  assert.deepEqual(longFunctions('a.ts', `// long, but no reason given\n${long}`).length, 1);
  const arrow = `export const g = () => {\n${body(FUNCTION_LIMIT + 1)}};\n`;
  assert.deepEqual(longFunctions('a.ts', arrow)[0]?.name, 'g');
  assert.deepEqual(longFunctions('a.ts', `/** ${MARKER} why. */\n${arrow}`), []);
});
