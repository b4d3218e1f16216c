// Saving and loading snapshots: directory and .tar.gz round trips, refusing existing paths,
// paths that would leave the target, newer manifests, and things that are not snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { loadSnapshot, loadSnapshotDir } from '../../src/snapshot/load.js';
import { archiveRootName, saveSnapshot } from '../../src/snapshot/save.js';
import { FACT, type Snapshot } from '../../src/snapshot/snapshot.js';
import { repoPath } from '../repo-path.js';
import { rawTar, rawTarEntry, readTree, sampleSnapshot, tempDir } from './helpers.js';
import { requireCapability, tar } from '../capability.js';

const OPTS = { force: false, docknetVersion: '9.9.9', redaction: null };

function assertSameFacts(loaded: Snapshot, saved: Snapshot): void {
  assert.deepEqual([...loaded.facts.keys()].sort(), [...saved.facts.keys()].sort());
  for (const [path, fact] of saved.facts) {
    assert.equal(loaded.facts.get(path)?.text, fact.text, path);
    assert.deepEqual(loaded.facts.get(path)?.origin, fact.origin, `${path} origin`);
  }
  assert.equal(loaded.takenAt, saved.takenAt);
  assert.equal(loaded.hostname, saved.hostname);
  assert.equal(loaded.kernel, saved.kernel);
  assert.deepEqual(loaded.missing, saved.missing);
}

test('a snapshot saved as a directory loads back with the same facts, origins and missing list', async (t) => {
  const dir = await tempDir(t);
  const snap = sampleSnapshot();
  const target = join(dir, 'snap');
  const r = await saveSnapshot(snap, target, OPTS);
  assert.equal(r.kind, 'directory');
  assert.deepEqual(r.files, ['manifest.json', ...snap.facts.keys()].sort());
  const loaded = await loadSnapshot(target);
  assert.deepEqual(loaded.source, { kind: 'saved', location: target });
  assertSameFacts(loaded, snap);
  const manifest = JSON.parse(await readFile(join(target, 'manifest.json'), 'utf8'));
  assert.equal(manifest.format, 'docknet-snapshot');
  assert.equal(manifest.formatVersion, 1);
  assert.equal(manifest.docknetVersion, '9.9.9');
  assert.equal(manifest.redacted, false);
  // Nothing but the snapshot is left beside it (the staging directory is gone).
  assert.deepEqual(await readdir(dir), ['snap']);
  assert.equal((await stat(target)).mode & 0o777, 0o700);
});

test('a snapshot saved as .tar.gz (and .tgz) loads back the same, and is a tar any tar can read', async (t) => {
  const dir = await tempDir(t);
  const snap = sampleSnapshot();
  for (const name of ['host-a.tar.gz', 'host-a.tgz']) {
    const target = join(dir, name);
    const r = await saveSnapshot(snap, target, OPTS);
    assert.equal(r.kind, 'archive');
    assert.equal((await stat(target)).mode & 0o777, 0o600);
    assertSameFacts(await loadSnapshot(target), snap);
  }
  // GNU tar extracts it into one directory named after the archive, which loads as a directory too.
  const tar = await execa('tar', ['xzf', join(dir, 'host-a.tar.gz'), '-C', dir], { reject: false });
  if (tar.exitCode === null || (tar as { code?: string }).code === 'ENOENT')
    return t.diagnostic('tar not installed: extraction not checked');
  assert.equal(tar.exitCode, 0, tar.stderr);
  const extracted = join(dir, archiveRootName('host-a.tar.gz'));
  assertSameFacts(await loadSnapshotDir(extracted), snap);
});

test('an archive made by hand with tar (wrapping directory, ./ prefixes) loads like the directory', async (t) => {
  if (!(await requireCapability(t, 'tar', tar))) return;
  const dir = await tempDir(t);
  const seed = repoPath('examples/seed-host');
  const fromDir = await loadSnapshot(seed);
  for (const [name, args] of [
    ['wrapped.tar.gz', ['czf', join(dir, 'wrapped.tar.gz'), '-C', repoPath('examples'), 'seed-host']],
    ['dotted.tgz', ['czf', join(dir, 'dotted.tgz'), '-C', seed, '.']],
    ['plain.tar', ['cf', join(dir, 'plain.tar'), '-C', seed, '.']],
  ] as const) {
    const r = await execa('tar', [...args], { reject: false });
    assert.equal(r.exitCode, 0, r.stderr);
    const fromArchive = await loadSnapshot(join(dir, name));
    assert.deepEqual([...fromArchive.facts.keys()].sort(), [...fromDir.facts.keys()].sort(), name);
    for (const [path, fact] of fromDir.facts) assert.equal(fromArchive.facts.get(path)?.text, fact.text, `${name}: ${path}`);
    assert.equal(fromArchive.source.location, join(dir, name));
  }
});

test('an existing path is refused without --force, before anything is written', async (t) => {
  const dir = await tempDir(t);
  const snap = sampleSnapshot();
  const target = join(dir, 'snap');
  await saveSnapshot(snap, target, OPTS);
  await assert.rejects(saveSnapshot(snap, target, OPTS), /snap already exists/);
  const archive = join(dir, 'snap.tar.gz');
  await saveSnapshot(snap, archive, OPTS);
  await assert.rejects(saveSnapshot(snap, archive, OPTS), /snap\.tar\.gz already exists/);
  assert.deepEqual((await readdir(dir)).sort(), ['snap', 'snap.tar.gz']);
});

test('--force replaces a snapshot whole: no file of the old one is left', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'snap');
  const old = sampleSnapshot();
  old.facts.set(FACT.containerNet('gone'), { path: FACT.containerNet('gone'), text: '{}', origin: { kind: 'file', what: 'x' } });
  await saveSnapshot(old, target, OPTS);
  const now = sampleSnapshot();
  await saveSnapshot(now, target, { ...OPTS, force: true });
  const files = [...(await readTree(target)).keys()];
  assert.ok(!files.includes('containers/gone/net.json'), 'a stale container of the old snapshot would be read as current');
  assertSameFacts(await loadSnapshot(target), now);
  const archive = join(dir, 'snap.tgz');
  await saveSnapshot(old, archive, OPTS);
  await saveSnapshot(now, archive, { ...OPTS, force: true });
  assert.ok(!(await loadSnapshot(archive)).facts.has('containers/gone/net.json'));
});

test('--force still refuses to replace what is not a snapshot', async (t) => {
  const dir = await tempDir(t);
  const notes = join(dir, 'notes');
  await mkdir(notes);
  await writeFile(join(notes, 'todo.txt'), 'keep me');
  await assert.rejects(
    saveSnapshot(sampleSnapshot(), notes, { ...OPTS, force: true }),
    /is a directory that is not a docknet snapshot: not replacing it, even with --force/,
  );
  const file = join(dir, 'report.tar.gz');
  await writeFile(file, 'not an archive');
  await assert.rejects(saveSnapshot(sampleSnapshot(), file, { ...OPTS, force: true }), /is a file that is not a snapshot archive/);
  assert.equal(await readFile(join(notes, 'todo.txt'), 'utf8'), 'keep me');
  assert.equal(await readFile(file, 'utf8'), 'not an archive');
});

test('--force on a symbolic link replaces the link, never what it points to', async (t) => {
  const dir = await tempDir(t);
  const elsewhere = join(dir, 'elsewhere');
  await mkdir(elsewhere);
  await writeFile(join(elsewhere, 'precious'), 'x');
  const link = join(dir, 'snap');
  await symlink(elsewhere, link);
  await assert.rejects(saveSnapshot(sampleSnapshot(), link, OPTS), /already exists/);
  await saveSnapshot(sampleSnapshot(), link, { ...OPTS, force: true });
  assert.ok((await stat(link)).isDirectory());
  assert.deepEqual(await readdir(elsewhere), ['precious']);
});

test('a fact whose path would leave the target (a strange container name) is not written, and is listed as missing', async (t) => {
  const dir = await tempDir(t);
  for (const name of ['snap', 'snap.tar.gz']) {
    const target = join(dir, 'inner', name);
    const snap = sampleSnapshot();
    for (const evil of ['../../escaped', '/abs', 'a/../../b', 'manifest.json']) {
      const path = evil === 'manifest.json' ? evil : FACT.containerNet(evil);
      snap.facts.set(path, { path, text: 'EVIL', origin: { kind: 'file', what: evil } });
    }
    const r = await saveSnapshot(snap, target, OPTS);
    assert.ok(r.files.every((f) => !f.includes('..') && !f.startsWith('/')));
    const loaded = await loadSnapshot(target);
    assert.ok(![...loaded.facts.values()].some((f) => f.text === 'EVIL'));
    const refused = loaded.missing.filter((m) => m.reason.startsWith('not saved:'));
    assert.equal(refused.length, 4, JSON.stringify(loaded.missing));
    assert.ok(refused.some((m) => /climbs out with '\.\.'/.test(m.reason)));
  }
  // Nothing appeared beside the target directory or above it.
  assert.deepEqual((await readdir(dir)).sort(), ['inner']);
  assert.deepEqual((await readdir(join(dir, 'inner'))).sort(), ['snap', 'snap.tar.gz']);
});

test('a manifest from a newer format version is refused with a clear message (directory and archive)', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'future');
  await mkdir(join(target, 'host'), { recursive: true });
  await writeFile(join(target, 'host', 'ip-addr.txt'), '1: lo: <LOOPBACK> mtu 65536\n');
  await writeFile(join(target, 'manifest.json'), JSON.stringify({ format: 'docknet-snapshot', formatVersion: 7, docknetVersion: '3.0.0' }));
  await assert.rejects(loadSnapshot(target), (err: Error & { hint?: string }) => {
    assert.match(err.message, /uses snapshot format version 7, newer than this docknet reads \(1\)/);
    assert.match(err.hint ?? '', /upgrade docknet.*3\.0\.0/);
    return true;
  });
  const archive = join(dir, 'future.tar.gz');
  const manifest = Buffer.from(JSON.stringify({ format: 'docknet-snapshot', formatVersion: 2 }));
  await writeFile(
    archive,
    gzipSync(rawTar(rawTarEntry('manifest.json', '0', manifest), rawTarEntry('host/ip-addr.txt', '0', Buffer.from('x\n')))),
  );
  await assert.rejects(loadSnapshot(archive), /future\.tar\.gz uses snapshot format version 2, newer than this docknet reads \(1\)/);
});

test('what is not a snapshot is named as such', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(loadSnapshot(join(dir, 'nope')), /no snapshot at .*nope: the path does not exist/);
  const empty = join(dir, 'empty');
  await mkdir(empty);
  await assert.rejects(loadSnapshot(empty), /empty is not a snapshot: it holds none of the files docknet reads/);
  const other = join(dir, 'other');
  await mkdir(join(other, 'src'), { recursive: true });
  await writeFile(join(other, 'src', 'main.ts'), 'x');
  await assert.rejects(loadSnapshot(other), /other is not a snapshot: it holds none of the files docknet reads/);
  const text = join(dir, 'notes.txt');
  await writeFile(text, 'hello');
  await assert.rejects(loadSnapshot(text), /notes\.txt is not a snapshot: a file that is neither a \.tar\.gz archive nor a directory/);
  const fake = join(dir, 'fake.tar.gz');
  await writeFile(fake, 'hello');
  await assert.rejects(loadSnapshot(fake), /fake\.tar\.gz is not a snapshot: it is named like a \.tar\.gz but is not gzip-compressed/);
  const gzText = join(dir, 'text.tar.gz');
  await writeFile(gzText, gzipSync(Buffer.from('just some text, not a tar')));
  await assert.rejects(loadSnapshot(gzText), /refusing the archive .*text\.tar\.gz: not a tar archive/);
  const unrelated = join(dir, 'unrelated.tar.gz');
  await writeFile(unrelated, gzipSync(rawTar(rawTarEntry('src/main.ts', '0', Buffer.from('x')))));
  await assert.rejects(loadSnapshot(unrelated), /unrelated\.tar\.gz is not a snapshot: it holds none of the files docknet reads/);
  const badManifest = join(dir, 'bad');
  await mkdir(join(badManifest, 'host'), { recursive: true });
  await writeFile(join(badManifest, 'host', 'ip-addr.txt'), 'x');
  await writeFile(join(badManifest, 'manifest.json'), '{"format":"something-else"}');
  await assert.rejects(loadSnapshot(badManifest), /manifest\.json is not a docknet snapshot manifest/);
});

test('a symbolic link inside a snapshot directory is not followed, and is listed as missing', async (t) => {
  const dir = await tempDir(t);
  const secret = join(dir, 'secret.txt');
  await writeFile(secret, 'outside the snapshot');
  const target = join(dir, 'snap');
  await saveSnapshot(sampleSnapshot(), target, OPTS);
  await symlink(secret, join(target, 'host', 'brctl-show.txt'));
  const loaded = await loadSnapshot(target);
  assert.equal(loaded.facts.has(FACT.brctlShow), false);
  assert.ok(loaded.missing.some((m) => m.path === FACT.brctlShow && /symbolic link: not followed/.test(m.reason)));
});
