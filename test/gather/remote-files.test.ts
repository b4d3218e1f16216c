// The batched reads of a remote host, run here with a real sh: the command line ssh would hand the
// remote login shell is given to `sh -c` as it is, against files this test makes, and the readers
// gather runs on this machine give the same answers through the batches as through node:fs.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { BatchedReads } from '../../src/gather/batched-reads.js';
import { ownNetns } from '../../src/gather/container-side.js';
import { readDockerProxies } from '../../src/gather/docker-proxy.js';
import { readHostSettings } from '../../src/gather/host-files.js';
import { localFs } from '../../src/gather/host-fs.js';
import { batchCommandLine, chunkRequests, splitBatch, type Answer } from '../../src/gather/remote-files.js';
import { shellLine, shellScript } from '../../src/util/shell-quote.js';

/** What ssh does with the line: the remote login shell runs it with -c. */
async function remote(line: string): Promise<{ stdout: string; exitCode: number }> {
  const r = await execa('sh', ['-c', line], { reject: false, stripFinalNewline: false });
  return { stdout: String(r.stdout), exitCode: r.exitCode ?? -1 };
}

async function fetch(requests: string[]): Promise<Map<string, Answer>> {
  const out = new Map<string, Answer>();
  for (const chunk of chunkRequests(requests)) {
    const r = await remote(batchCommandLine(chunk));
    for (const [k, v] of splitBatch(r.stdout, chunk, 'lost')) out.set(k, v);
  }
  return out;
}

test('shellLine and shellScript: every argument reaches the remote command as given', async () => {
  const args = ['plain', '', "it's", 'a b', '$HOME', '`x`', 'new\nline', '*', '--', '-n', 'ünï'];
  const r = await remote(shellScript('for a do printf "<%s>" "$a"; done', 'name', args));
  assert.equal(r.stdout, args.map((a) => `<${a}>`).join(''));
  const echoed = await remote(shellLine(['printf', '%s|', ...args]));
  assert.equal(echoed.stdout, args.map((a) => `${a}|`).join(''));
});

test('the batch script: contents exact (trailing newlines, binary, empty), links, listings, and each failure its code', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-batch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'text'), 'one\ntwo\n\n');
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'bin'), Buffer.from([0, 1, 2, 255, 10, 0]));
  writeFileSync(join(dir, 'docknet 0 ok:Zm9v'), 'a delimiter in a name is only a name\n');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'a'), '1');
  symlinkSync('net:[4026531840]', join(dir, 'link'));
  const requests = [
    `f:${dir}/text`,
    `f:${dir}/empty`,
    `f:${dir}/bin`,
    `f:${dir}/docknet 0 ok:Zm9v`,
    `l:${dir}/link`,
    `d:${dir}/sub`,
    `s:${dir}/sub/a`,
    `f:${dir}/nosuch`,
    `d:${dir}/text`,
    `l:${dir}/text`,
    `f:${dir}/sub`,
    `s:${dir}/nosuch`,
  ];
  const got = await fetch(requests);
  const ok = (k: string) => {
    const a = got.get(k);
    assert.ok(a?.ok, `${k}: ${JSON.stringify(a)}`);
    return a.data;
  };
  const code = (k: string) => {
    const a = got.get(k);
    assert.ok(a && !a.ok, k);
    return a.code;
  };
  assert.equal(ok(`f:${dir}/text`).toString(), 'one\ntwo\n\n');
  assert.equal(ok(`f:${dir}/empty`).length, 0);
  assert.deepEqual([...ok(`f:${dir}/bin`)], [0, 1, 2, 255, 10, 0]);
  assert.equal(ok(`f:${dir}/docknet 0 ok:Zm9v`).toString(), 'a delimiter in a name is only a name\n');
  assert.equal(ok(`l:${dir}/link`).toString(), 'net:[4026531840]');
  assert.equal(ok(`d:${dir}/sub`).toString(), 'a');
  assert.equal(ok(`s:${dir}/sub/a`).length, 0);
  assert.equal(code(`f:${dir}/nosuch`), 'ENOENT');
  assert.equal(code(`d:${dir}/text`), 'ENOTDIR');
  assert.equal(code(`l:${dir}/text`), 'EINVAL');
  assert.equal(code(`f:${dir}/sub`), 'EISDIR');
  assert.equal(code(`s:${dir}/nosuch`), 'ENOENT');
});

test('splitBatch: lines that are not answers are ignored; a request left unanswered is EIO with the reason given', () => {
  const got = splitBatch('motd line\ndocknet 1 ok:aGk=\ndocknet 0 err:EACCES\n', ['f:/a', 'f:/b', 'f:/c'], 'the connection was lost');
  assert.deepEqual(got.get('f:/a'), { ok: false, code: 'EACCES' });
  assert.equal((got.get('f:/b') as { data: Buffer }).data.toString(), 'hi');
  assert.deepEqual(got.get('f:/c'), { ok: false, code: 'EIO', message: 'the connection was lost' });
});

test('chunkRequests: no chunk over the budget, nothing lost, order kept', () => {
  const requests = Array.from({ length: 500 }, (_, i) => `f:/proc/${i}/root/sys/class/net/eth0/iflink`);
  const chunks = chunkRequests(requests, 4000);
  assert.ok(chunks.length > 1);
  for (const c of chunks) assert.ok(c.reduce((n, r) => n + r.length + 3, 0) <= 4000);
  assert.deepEqual(chunks.flat(), requests);
});

test('BatchedReads: gather readers give what node:fs gives, in a few batches however many files', async () => {
  const reads = new BatchedReads(fetch);
  const [settings, own] = await Promise.all([
    reads.readFiles((fs) => readHostSettings('/proc', '/sys', fs)),
    reads.readFiles((fs) => ownNetns('/proc', fs)),
  ]);
  const local = readHostSettings('/proc', '/sys', localFs);
  assert.deepEqual(settings, local);
  // /proc/self is the reading process: the shell here, in this same namespace.
  assert.deepEqual(own, ownNetns('/proc', localFs));
  // Both readers together: the listing of conf/, then every interface's file, then nothing more.
  assert.ok(reads.batches <= 3, `${reads.batches} batches`);
  assert.ok(Object.keys(local.sysctl).length > 4);
});

test('BatchedReads: a reader that stops at the first unreadable file (the docker-proxy scan) still costs a few batches, not one per file', async () => {
  const reads = new BatchedReads(fetch);
  const got = await reads.readFiles((fs) => readDockerProxies('/proc', fs));
  const here = readDockerProxies('/proc', localFs);
  assert.equal(got.ok, here.ok);
  assert.ok(reads.batches <= 4, `${reads.batches} batches`);
});

test('BatchedReads: a reader that lets a read error escape gets the file once fetched, and a file that is not there fails as node:fs says', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-batch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'name'), 'node-1\n');
  const reads = new BatchedReads(fetch);
  // No try/catch: the first round's "not read yet" is not this reader's answer.
  assert.equal(await reads.readFiles((fs) => fs.readText(join(dir, 'name'))), 'node-1\n');
  await assert.rejects(
    reads.readFiles((fs) => fs.readText(join(dir, 'gone'))),
    (err: NodeJS.ErrnoException) => err.code === 'ENOENT' && /no such file or directory/.test(err.message),
  );
  assert.equal(reads.batches, 2);
});
