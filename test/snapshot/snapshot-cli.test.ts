// `docknet snapshot save` and `--from <archive>` at the command level, without an engine:
// gathering is injected, so these run anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { memoryIO } from '../../src/cli/io.js';
import { runSnapshotSave } from '../../src/commands/snapshot.js';
import { EngineUnreachableError } from '../../src/gather/engine-api.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { FACT } from '../../src/snapshot/snapshot.js';
import { repoPath } from '../repo-path.js';
import { sampleSnapshot, tempDir } from './helpers.js';
import { runCli } from '../cli-helper.js';
import { requireCapability, tar as tarWorks } from '../capability.js';

function fakeGather(engineError: EngineUnreachableError | null = null) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    gather: async () => {
      calls++;
      const snapshot = sampleSnapshot();
      const [c] = JSON.parse(snapshot.facts.get(FACT.containers)!.text);
      c.Config = { Env: ['SECRET=planted-value'], Labels: { 'db.password': 'planted-label' } };
      snapshot.facts.set(FACT.containers, { ...snapshot.facts.get(FACT.containers)!, text: JSON.stringify([c]) });
      return { snapshot, engineError };
    },
  };
}

test('snapshot save on an existing path exits 1 before gathering anything', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'taken'));
  const r = await runCli(['snapshot', 'save', join(dir, 'taken')]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /taken already exists\nchoose a new path, or pass --force/);
  const fake = fakeGather();
  const io = memoryIO();
  await assert.rejects(
    runSnapshotSave({ path: join(dir, 'taken'), force: false, redact: true }, io, { gather: fake.gather, docknetVersion: 't' }),
    /already exists/,
  );
  assert.equal(fake.calls, 0);
});

test('snapshot save without a path, or with an unknown flag, is a usage error (exit 2)', async () => {
  assert.equal((await runCli(['snapshot', 'save'])).code, 2);
  assert.equal((await runCli(['snapshot', 'save', 'x', '--bogus'])).code, 2);
  assert.equal((await runCli(['snapshot'])).code, 2);
});

test('save reports what it wrote, what it redacted and what it could not gather', async (t) => {
  const dir = await tempDir(t);
  const fake = fakeGather();
  const io = memoryIO();
  const target = join(dir, 'a.tar.gz');
  const code = await runSnapshotSave({ path: target, force: false, redact: true }, io, { gather: fake.gather, docknetVersion: 't' });
  assert.equal(code, 0, io.stderr);
  assert.match(io.stdout, /^Saved a snapshot of host-a \(taken 2026-11-28T10:00:00.000Z\) to .*a\.tar\.gz \(archive, 7 files\)\.\n/);
  assert.match(io.stdout, /Secrets redacted: 1 environment value, 1 label value replaced by <redacted> \(--no-redact keeps them\)\./);
  assert.match(io.stdout, /Not gathered \(1\):\n {2}host\/nft-ruleset\.json: nft \(nftables\) is not installed/);
  const loaded = await loadSnapshot(target);
  assert.ok(!loaded.facts.get(FACT.containers)!.text.includes('planted'));
});

test('--no-redact keeps values and says so; the manifest records it', async (t) => {
  const dir = await tempDir(t);
  const io = memoryIO();
  const target = join(dir, 'raw');
  assert.equal(
    await runSnapshotSave({ path: target, force: false, redact: false }, io, { gather: fakeGather().gather, docknetVersion: 't' }),
    0,
  );
  assert.match(io.stdout, /Not redacted \(--no-redact\)/);
  const manifest = JSON.parse(await readFile(join(target, 'manifest.json'), 'utf8'));
  assert.equal(manifest.redacted, false);
  assert.equal(manifest.redaction, undefined);
  assert.match(await readFile(join(target, FACT.containers), 'utf8'), /planted-value/);
});

test('an unreachable engine: host facts are still saved, the engine is listed as missing, exit 1', async (t) => {
  const dir = await tempDir(t);
  const io = memoryIO();
  const target = join(dir, 'partial');
  const err = new EngineUnreachableError('unix:///var/run/docker.sock', 'no such socket (is dockerd running?)', false);
  const code = await runSnapshotSave({ path: target, force: false, redact: true }, io, {
    gather: fakeGather(err).gather,
    docknetVersion: 't',
  });
  assert.equal(code, 1);
  assert.match(io.stdout, /^Saved a snapshot/);
  assert.match(io.stderr, /cannot reach the Docker engine at unix:\/\/\/var\/run\/docker\.sock: no such socket/);
  assert.match(io.stderr, /holds the host's facts only/);
  assert.ok((await loadSnapshot(target)).facts.has(FACT.ipAddrText));
});

test('veth-map --from a .tar.gz of the seed host answers like the directory', async (t) => {
  if (!(await requireCapability(t, 'tar', tarWorks))) return;
  const dir = await tempDir(t);
  const archive = join(dir, 'seed.tar.gz');
  const made = await execa('tar', ['czf', archive, '-C', repoPath('examples'), 'seed-host'], { reject: false });
  assert.equal(made.exitCode, 0, `tar could not build the archive: ${made.stderr}`);
  const fromDir = await runCli(['veth-map', '--json', '--from', repoPath('examples/seed-host')]);
  const fromTar = await runCli(['veth-map', '--json', '--from', archive]);
  assert.equal(fromTar.code, 0, fromTar.stderr);
  const strip = (s: string) => {
    const j = JSON.parse(s);
    delete j.snapshot;
    return j;
  };
  assert.deepEqual(strip(fromTar.stdout), strip(fromDir.stdout));
  const text = await runCli(['veth-map', '--from', archive]);
  assert.equal(text.stdout.match(/Describes a saved snapshot/g)?.length, 1);
  assert.match(text.stdout, /loaded from .*seed\.tar\.gz/);
});

test('--from something that is not a snapshot exits 1 saying what it is', async (t) => {
  const dir = await tempDir(t);
  const r = await runCli(['veth-map', '--from', repoPath('package.json')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /package\.json is not a snapshot: a file that is neither a \.tar\.gz archive nor a directory/);
  const e = await runCli(['veth-map', '--from', dir]);
  assert.equal(e.code, 1);
  assert.match(e.stderr, /is not a snapshot: it holds none of the files docknet reads/);
  assert.match(e.stderr, /docs\/snapshot-format\.md/);
});

test('a relative save path is written in the working directory docknet was given, and named as typed', async (t) => {
  const dir = await tempDir(t);
  const io = memoryIO({ cwd: dir });
  const code = await runSnapshotSave({ path: 'rel.tar.gz', force: false, redact: true }, io, {
    gather: fakeGather().gather,
    docknetVersion: 't',
  });
  assert.equal(code, 0, io.stderr);
  assert.match(io.stdout, / to rel\.tar\.gz \(archive, 7 files\)\./);
  assert.ok((await loadSnapshot(join(dir, 'rel.tar.gz'))).facts.has(FACT.ipAddrText));
  assert.ok((await loadSnapshot('rel.tar.gz', dir)).facts.has(FACT.ipAddrText));
});
