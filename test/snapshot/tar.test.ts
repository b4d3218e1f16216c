// The archive reader refuses entries that could reach outside the snapshot, and reads only into memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { readTar, writeTar, TarError } from '../../src/snapshot/tar.js';
import { rawTar, rawTarEntry, tempDir } from './helpers.js';
import { requireCapability, tar } from '../capability.js';

const LIMITS = { maxFileBytes: 1024 * 1024, maxFiles: 1000 };
const GOOD = rawTarEntry('host/ip-addr.txt', '0', Buffer.from('1: lo: <LOOPBACK> mtu 65536\n'));

async function archiveWith(dir: string, name: string, ...entries: Buffer[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, gzipSync(rawTar(GOOD, ...entries)));
  return path;
}

test('unsafe entries make the whole archive refused, naming the entry and why', async (t) => {
  const dir = await tempDir(t);
  const cases: [string, Buffer, RegExp][] = [
    [
      'dotdot',
      rawTarEntry('../x', '0', Buffer.from('x')),
      /entry "\.\.\/x" is not a safe path inside the snapshot: the path climbs out with '\.\.'/,
    ],
    ['nested-dotdot', rawTarEntry('host/../../etc/cron.d/x', '0', Buffer.from('x')), /climbs out with '\.\.'/],
    [
      'absolute',
      rawTarEntry('/etc/passwd', '0', Buffer.from('x')),
      /entry "\/etc\/passwd" is not a safe path inside the snapshot: the path is absolute/,
    ],
    ['dotdot-dir', rawTarEntry('../', '5'), /entry "\.\.\/" is not a safe path/],
    [
      'symlink',
      rawTarEntry('host/brctl-show.txt', '2', Buffer.alloc(0), '/etc/shadow'),
      /entry "host\/brctl-show\.txt" is a symbolic link -> "\/etc\/shadow": a snapshot archive holds only regular files and directories/,
    ],
    ['hardlink', rawTarEntry('host/iptables-save.txt', '1', Buffer.alloc(0), '/etc/shadow'), /is a hard link -> "\/etc\/shadow"/],
    ['device', rawTarEntry('host/dev', '3'), /is a character device/],
    ['fifo', rawTarEntry('host/fifo', '6'), /is a FIFO/],
    ['duplicate', rawTarEntry('host/ip-addr.txt', '0', Buffer.from('again')), /entry "host\/ip-addr\.txt" appears twice/],
  ];
  for (const [name, entry, message] of cases) {
    const path = await archiveWith(dir, `${name}.tar.gz`, entry);
    await assert.rejects(loadSnapshot(path), (err: Error & { hint?: string }) => {
      assert.match(err.message, new RegExp(`refusing the archive .*${name}\\.tar\\.gz: `), name);
      assert.match(err.message, message, name);
      assert.match(err.hint ?? '', /only regular files at relative paths/);
      return true;
    });
  }
  // Reading never extracts: the directory holds only the archives the test wrote.
  assert.deepEqual((await readdir(dir)).sort(), cases.map(([n]) => `${n}.tar.gz`).sort());
});

test('an archive made by tar with a symbolic link in it is refused', async (t) => {
  if (!(await requireCapability(t, 'tar', tar))) return;
  const dir = await tempDir(t);
  const src = join(dir, 'snap');
  const r = await execa(
    'sh',
    [
      '-c',
      `mkdir -p ${src}/host && echo x > ${src}/host/ip-addr.txt && ln -s /etc/passwd ${src}/host/brctl-show.txt && tar czf ${dir}/linked.tar.gz -C ${dir} snap`,
    ],
    { reject: false },
  );
  assert.equal(r.exitCode, 0, `could not build the archive with sh and tar: ${r.stderr}`);
  await assert.rejects(
    loadSnapshot(join(dir, 'linked.tar.gz')),
    /entry "snap\/host\/brctl-show\.txt" is a symbolic link -> "\/etc\/passwd"/,
  );
});

test('bad checksums, truncation and oversized entries are reported, not read', () => {
  const entry = rawTarEntry('host/ip-addr.txt', '0', Buffer.from('hello'));
  const corrupt = Buffer.from(entry);
  corrupt[0] = 'H'.charCodeAt(0);
  assert.throws(
    () => readTar(rawTar(corrupt), LIMITS),
    (e: Error) => e instanceof TarError && /header checksum mismatch at byte 0/.test(e.message),
  );
  assert.throws(() => readTar(entry.subarray(0, 512), LIMITS), /the archive is truncated/);
  assert.throws(() => readTar(rawTar(entry), { ...LIMITS, maxFileBytes: 4 }), /is larger than 4 bytes/);
  assert.throws(() => readTar(rawTar(entry, rawTarEntry('host/b', '0')), { ...LIMITS, maxFiles: 1 }), /more than 1 files/);
});

test('writeTar round-trips long paths (pax), unicode, empty files and parent directories', () => {
  const long = `containers/${'c'.repeat(180)}/net.json`;
  const files = [
    { path: 'manifest.json', data: Buffer.from('{}') },
    { path: long, data: Buffer.from('{"x":1}') },
    { path: 'host/ünï.txt', data: Buffer.from('✓\n') },
    { path: 'host/empty.txt', data: Buffer.alloc(0) },
  ];
  const read = readTar(writeTar(files, { mtime: new Date(0), root: 'snap' }), LIMITS);
  assert.deepEqual(
    read.map((f) => [f.path, Buffer.from(f.data).toString()]),
    files.map((f) => [`snap/${f.path}`, f.data.toString()]),
  );
});

test('GNU tar reads what writeTar writes, long paths included', async (t) => {
  const dir = await tempDir(t);
  const long = `containers/${'d'.repeat(150)}/net.json`;
  const archive = join(dir, 'w.tar');
  await writeFile(
    archive,
    writeTar(
      [
        { path: long, data: Buffer.from('ok') },
        { path: 'host/a.txt', data: Buffer.from('a') },
      ],
      { mtime: new Date(), root: 'w' },
    ),
  );
  if (!(await requireCapability(t, 'tar', tar))) return;
  const r = await execa('tar', ['tf', archive], { reject: false });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.ok(r.stdout.split('\n').includes(`w/${long}`), r.stdout);
});

test('GNU tar long names (gnu and pax formats) are read', async (t) => {
  if (!(await requireCapability(t, 'tar', tar))) return;
  const dir = await tempDir(t);
  const name = `c${'x'.repeat(120)}`;
  const r = await execa(
    'sh',
    [
      '-c',
      `mkdir -p ${dir}/s/containers/${name} && echo '{}' > ${dir}/s/containers/${name}/net.json && tar --format=gnu -czf ${dir}/gnu.tgz -C ${dir} s && tar --format=pax -czf ${dir}/pax.tgz -C ${dir} s`,
    ],
    { reject: false },
  );
  assert.equal(r.exitCode, 0, `could not build the archives with sh and tar: ${r.stderr}`);
  for (const a of ['gnu.tgz', 'pax.tgz']) {
    const s = await loadSnapshot(join(dir, a));
    assert.deepEqual([...s.facts.keys()], [`containers/${name}/net.json`], a);
  }
});

test('a damaged archive is refused with a TarError or read as files with safe paths, never anything else', () => {
  const good = writeTar(
    [
      { path: 'manifest.json', data: Buffer.from('{"format":"docknet-snapshot","formatVersion":1}') },
      { path: `containers/${'n'.repeat(130)}/net.json`, data: Buffer.from('{}') },
      { path: 'host/ip-addr.txt', data: Buffer.from('1: lo: <LOOPBACK> mtu 65536\n'.repeat(40)) },
    ],
    { mtime: new Date(0), root: 'r' },
  );
  // A fixed-seed generator: every run damages the same bytes, so a failure can be replayed.
  let seed = 20261128;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 2000; i++) {
    const bad = Buffer.from(good);
    for (let k = 0; k <= i % 4; k++) bad[next() % bad.length] = next() % 256;
    const cut = i % 7 === 0 ? bad.subarray(0, next() % bad.length) : bad;
    try {
      for (const f of readTar(cut, LIMITS)) {
        assert.ok(!f.path.split('/').includes('..') && !f.path.startsWith('/'), f.path);
      }
    } catch (err) {
      assert.ok(err instanceof TarError, `case ${i}: ${(err as Error).stack}`);
    }
  }
});
