// docs/snapshot-format.md and the loader agree: every file the docs describe is one docknet knows
// (FACT), every FACT file is described, and every one the docs do not mark as "for people" is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { FACT } from '../../src/snapshot/snapshot.js';
import { repoPath } from '../repo-path.js';

/** FACT's paths, per-name ones with `<name>` (socket tables with each table's name). */
function factPaths(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, v] of Object.entries(FACT)) {
    if (typeof v === 'string') out.set(v, key);
    else if (key === 'hostSockets') for (const t of ['tcp', 'tcp6', 'udp', 'udp6']) out.set(v(t), key);
    else out.set(v('<name>'), key);
  }
  return out;
}

/** The paths in the first column of the docs' layout tables, expanded (`-tcp6`, `NAME`, two paths in one cell). */
function documentedPaths(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  const layout = doc.slice(doc.indexOf('## Layout'));
  for (const row of layout.split('\n').filter((l) => l.startsWith('| `'))) {
    const first = row.split('|')[1] ?? '';
    const paths = [...first.matchAll(/`([^`]+)`/g)].map((m) => (m[1] as string).replace('NAME', '<name>'));
    for (const p of paths) {
      if (!/^(host|docker|containers|overlay|swarm)\//.test(p)) continue;
      out.set(p, row);
      if (p === 'host/proc-net-tcp.txt') for (const t of ['tcp6', 'udp', 'udp6']) out.set(`host/proc-net-${t}.txt`, row);
    }
  }
  return out;
}

async function sourcesOf(dir: string, skip: (path: string) => boolean = () => false): Promise<string> {
  let text = '';
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(e.parentPath, e.name);
    if (e.isFile() && e.name.endsWith('.ts') && !skip(path)) text += await readFile(path, 'utf8');
  }
  return text;
}

test('the documented snapshot files are exactly the ones docknet knows', async () => {
  const documented = documentedPaths(await readFile(repoPath('docs/snapshot-format.md'), 'utf8'));
  const known = factPaths();
  assert.ok(documented.size >= 30, `the docs' tables were found (${documented.size} paths)`);
  assert.deepEqual([...documented.keys()].filter((p) => !known.has(p)).sort(), [], 'documented but unknown to FACT');
  assert.deepEqual([...known.keys()].filter((p) => !documented.has(p)).sort(), [], 'in FACT but not documented');
});

test('every documented input is read by a parser, a correlation or a command (not only gathered or imported)', async () => {
  const documented = documentedPaths(await readFile(repoPath('docs/snapshot-format.md'), 'utf8'));
  // The transcript importer (parse/transcript.ts and parse/transcript/) writes the files; it does not read them.
  const importer = (path: string) =>
    path === repoPath('src/parse/transcript.ts') || path.startsWith(join(repoPath('src/parse/transcript'), sep));
  const withoutImporter = (
    await Promise.all(['src/parse', 'src/correlate', 'src/commands'].map((d) => sourcesOf(repoPath(d), importer)))
  ).join('\n');
  const unread: string[] = [];
  for (const [path, key] of factPaths()) {
    const row = documented.get(path) ?? '';
    if (/for people/.test(row)) continue;
    if (!new RegExp(`FACT\\.${key}\\b`).test(withoutImporter) && !withoutImporter.includes(`'${path}'`))
      unread.push(`${path} (FACT.${key})`);
  }
  assert.deepEqual(unread, []);
});
