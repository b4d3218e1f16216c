// The cause of a missing fact survives save and --from (directory and .tar.gz); a manifest entry
// with a cause that is not one, or that is not an entry, is read as well as it can be, never crashed on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { saveSnapshot } from '../../src/snapshot/save.js';
import { FACT, type MissingFact } from '../../src/snapshot/snapshot.js';
import { sampleSnapshot, tempDir } from './helpers.js';

const OPTS = { force: false, docknetVersion: '9.9.9', redaction: null };

const MISSING: MissingFact[] = [
  {
    path: FACT.brctlShow,
    what: 'brctl show',
    reason: 'brctl (bridge-utils) is not installed (command not found: brctl)',
    cause: 'tool-missing',
  },
  {
    path: FACT.iptablesSave,
    what: 'iptables-save -c',
    reason: 'iptables-save needs root (Permission denied (you must be root)): run with sudo',
    cause: 'needs-root',
  },
  {
    path: FACT.engineInfo,
    what: 'GET /info',
    reason: 'the Docker engine at unix:///var/run/docker.sock answered HTTP 500 to GET /info: context deadline exceeded',
    cause: 'failed',
  },
];

for (const name of ['snap', 'snap.tar.gz']) {
  test(`each missing fact keeps its cause through save and load (${name})`, async (t) => {
    const snap = sampleSnapshot();
    snap.missing = [...MISSING];
    const target = join(await tempDir(t), name);
    const saved = await saveSnapshot(snap, target, OPTS);
    assert.deepEqual(saved.manifest.missing, MISSING);
    const loaded = await loadSnapshot(target);
    assert.deepEqual(loaded.missing, MISSING);
  });
}

test('a manifest cause that is not one is dropped (the reason stays); entries that are not entries are left out', async (t) => {
  const snap = sampleSnapshot();
  snap.missing = [];
  const target = join(await tempDir(t), 'snap');
  await saveSnapshot(snap, target, OPTS);
  const path = join(target, 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8'));
  manifest.missing = [
    { path: FACT.brctlShow, what: 'brctl show', reason: 'brctl is not installed', cause: 'on-holiday' },
    { path: FACT.ipAddrJson, reason: 'no what field' },
    'not an entry',
    null,
    { path: 42, reason: 'a path that is not a string' },
  ];
  await writeFile(path, JSON.stringify(manifest));
  const loaded = await loadSnapshot(target);
  assert.deepEqual(loaded.missing, [
    { path: FACT.brctlShow, what: 'brctl show', reason: 'brctl is not installed' },
    { path: FACT.ipAddrJson, what: FACT.ipAddrJson, reason: 'no what field' },
  ]);
});
