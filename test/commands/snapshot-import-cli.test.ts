// `docknet snapshot import <transcript> <dir>` and `--from <transcript>`: the seed walkthrough gives the
// answers of the snapshot assembled from it by hand (examples/seed-host); bad input is named, not a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { FACT } from '../../src/snapshot/snapshot.js';
import { repoPath } from '../repo-path.js';
import { readTree, tempDir } from '../snapshot/helpers.js';
import { runCli } from '../cli-helper.js';

const SEED = repoPath('test/fixtures/transcripts/seed-walkthrough.txt');
const SEED_HOST = repoPath('examples/seed-host');
const MISSING_NOTE =
  'missing containers/tomcat-tml/ip-addr.txt: tool missing: OCI runtime exec failed: exec failed: container_linux.go:380: starting container process caused: exec: "ip": executable file not found in $PATH: unknown';

/** A command's --json answer without the key that says where the snapshot came from. */
async function answer(command: string, from: string): Promise<{ code: number; json: Record<string, unknown> }> {
  const r = await runCli([command, '--json', '--from', from]);
  assert.equal(r.stderr, '', `${command} --from ${from}`);
  const json = r.json() as Record<string, unknown>;
  assert.equal((json.snapshot as { location: string }).location, from);
  delete json.snapshot;
  return { code: r.code, json };
}

async function sameAnswersAsSeedHost(from: string): Promise<void> {
  const veth = await answer('veth-map', from);
  const want = await answer('veth-map', SEED_HOST);
  // The one difference: the import knows why tomcat-tml's side is unknown (its image has no `ip`).
  assert.deepEqual(veth.json.notes, [
    ...(want.json.notes as unknown[]),
    {
      code: 'missing',
      path: 'containers/tomcat-tml/ip-addr.txt',
      reason: MISSING_NOTE.replace(/^missing containers\/tomcat-tml\/ip-addr\.txt: /, ''),
      text: MISSING_NOTE,
    },
  ]);
  assert.deepEqual({ ...veth.json, notes: null }, { ...want.json, notes: null });
  assert.ok((veth.json.interfaces as unknown[]).length === 2);
  for (const command of ['nat', 'doctor']) {
    const got = await answer(command, from);
    const exp = await answer(command, SEED_HOST);
    assert.deepEqual(got, exp, command);
  }
  const doctor = await answer('doctor', from);
  assert.equal(doctor.code, 1, 'forwarding is off on the seed host: an error finding');
  const nat = await answer('nat', from);
  assert.ok(JSON.stringify(nat.json).includes('49154'), 'the DNAT rule for 49154 is read');
}

test('the seed walkthrough, imported: the files of examples/seed-host, and the same veth-map, nat and doctor answers', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'seed');
  const r = await runCli(['snapshot', 'import', SEED, target]);
  assert.equal(r.code, 0, r.stderr);
  const tree = await readTree(target);
  const want = await readTree(SEED_HOST);
  want.delete('SOURCE.md');
  assert.deepEqual([...tree.keys()].sort(), [...want.keys(), 'manifest.json'].sort());
  for (const [path, data] of want) assert.ok(data.equals(tree.get(path) as Buffer), path);
  const manifest = JSON.parse(await readFile(join(target, 'manifest.json'), 'utf8'));
  assert.equal(manifest.importedFrom.kind, 'transcript');
  assert.equal(manifest.importedFrom.path, SEED);
  assert.equal(manifest.importedFrom.sha256, '1bd6324a5b7f8f27915d7fb2d950395c62c17a03a43d3423ba356b8fd4f75857');
  assert.equal(manifest.redacted, false);
  assert.deepEqual(manifest.files[FACT.ipAddrText], { kind: 'manual', what: 'ip addr', lines: [202, 234] });
  assert.deepEqual(manifest.missing, [
    {
      path: FACT.containerIpAddr('tomcat-tml'),
      what: 'docker exec -it  50b626fc91d2 ip addr',
      reason: MISSING_NOTE.replace(/^missing containers\/tomcat-tml\/ip-addr\.txt: /, ''),
      cause: 'tool-missing',
    },
  ]);
  await sameAnswersAsSeedHost(target);
  const loaded = await loadSnapshot(target);
  assert.equal(loaded.source.transcript, true);
});

test('the seed walkthrough given straight to --from: the same answers, and the notice says it is a transcript', async () => {
  await sameAnswersAsSeedHost(SEED);
  const r = await runCli(['veth-map', '--from', SEED]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^Describes facts cut from a pasted terminal transcript \(time not recorded\), loaded from .*seed-walkthrough\.txt; not the live host\.\n/,
  );
  assert.match(r.stdout, /tomcat01 +- +unknown +eth0@if11 +10 +veth1f00e42 \(11\)/);
});

test('the import summary says what went where, what was not read, what failed, and what the reader should know', async (t) => {
  const dir = await tempDir(t);
  const r = await runCli(['snapshot', 'import', SEED, join(dir, 's')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^Imported 5 files from .*seed-walkthrough\.txt into .*s \(directory\): 13 commands after prompts, 6 read, 1 failed, 6 not read\.\n/,
  );
  assert.match(r.stdout, /\nFiles:\n {2}containers\/tomcat01\/ip-addr\.txt {2}docker exec -it tomcat01 ip addr \(lines 189-197\)\n/);
  assert.match(r.stdout, /\n {2}host\/iptables-nat\.txt +iptables -t nat -vnL \(lines 239-262\)\n/);
  assert.match(
    r.stdout,
    /\nOutputs left out \(1\):\n {2}line 48 {2}ip addr -> host\/ip-addr\.txt: replaced \(the later output at line 202 is kept\)\n/,
  );
  assert.match(
    r.stdout,
    /\nFailed \(1; .*\):\n {2}line 165 {2}docker exec -it {2}50b626fc91d2 ip addr -> containers\/tomcat-tml\/ip-addr\.txt: 50b626fc91d2 is tomcat-tml/,
  );
  assert.match(r.stdout, /\nNot read \(6\):\n {2}line 13 {2}docker version: not a command docknet reads/);
  assert.match(r.stdout, /\n {2}line 167 {2}docker exec -it {2}50b626fc91d2 \/bin\/bash: opens a shell in tomcat-tml \(50b626fc91d2\)\n/);
  assert.match(
    r.stdout,
    /\nNotes \(1\):\n {2}line 156: docker\/ps\.txt was listed before `docker run -d -P --name tomcat01 tomcat:8\.0` \(line 171\) changed the host/,
  );
  assert.match(r.stdout, /\nAnalyse it with: docknet veth-map --from .*s\n$/);
});

test('import --json: files, commands, unknown, missing and issues, as data', async (t) => {
  const dir = await tempDir(t);
  const r = await runCli(['snapshot', 'import', '--json', SEED, join(dir, 'j.tar.gz')]);
  assert.equal(r.code, 0, r.stderr);
  const j = r.json();
  assert.equal(j.schemaVersion, 1);
  assert.equal(j.snapshot.kind, 'archive');
  assert.equal(j.commandCount, 13);
  assert.deepEqual(
    j.files.map((f: { path: string; lines: number[] }) => [f.path, f.lines]),
    [
      ['containers/tomcat01/ip-addr.txt', [189, 197]],
      ['docker/ps.txt', [156, 158]],
      ['docker/warnings.txt', [171, 188]],
      ['host/ip-addr.txt', [202, 234]],
      ['host/iptables-nat.txt', [239, 262]],
    ],
  );
  assert.equal(j.unknown.length, 6);
  assert.equal(j.missing[0].path, 'containers/tomcat-tml/ip-addr.txt');
  assert.equal(j.commands.find((c: { line: number }) => c.line === 48).outcome, 'replaced');
  // The archive is a snapshot like any other.
  const loaded = await loadSnapshot(join(dir, 'j.tar.gz'));
  assert.equal(loaded.facts.get(FACT.dockerPs)?.origin.what, 'docker ps');
});

test('import refuses a non-empty directory unless --force, and takes an empty one', async (t) => {
  const dir = await tempDir(t);
  const taken = join(dir, 'taken');
  await mkdir(taken);
  await writeFile(join(taken, 'notes.txt'), 'mine');
  const r = await runCli(['snapshot', 'import', SEED, taken]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /taken already exists\nchoose a new path, or pass --force/);
  const forced = await runCli(['snapshot', 'import', '--force', SEED, taken]);
  assert.equal(forced.code, 1, 'not a snapshot: not replaced even with --force');
  assert.match(forced.stderr, /is a directory that is not a docknet snapshot: not replacing it, even with --force/);
  assert.equal(await readFile(join(taken, 'notes.txt'), 'utf8'), 'mine');
  const empty = join(dir, 'empty');
  await mkdir(empty);
  assert.equal((await runCli(['snapshot', 'import', SEED, empty])).code, 0);
  assert.equal((await runCli(['snapshot', 'import', SEED, empty])).code, 1, 'now it holds a snapshot');
  assert.equal((await runCli(['snapshot', 'import', '--force', SEED, empty])).code, 0);
});

test('bad transcripts: a missing file, a directory, a binary file, an empty file, text with no command, commands docknet does not read', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'out');
  const missing = await runCli(['snapshot', 'import', join(dir, 'nope.txt'), target]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^docknet: no transcript at .*nope\.txt: the path does not exist\n/);
  const isDir = await runCli(['snapshot', 'import', dir, target]);
  assert.match(isDir.stderr, /is a directory, not a transcript/);
  const bin = join(dir, 'a.bin');
  await writeFile(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]));
  const binary = await runCli(['snapshot', 'import', bin, target]);
  assert.equal(binary.code, 1);
  assert.match(binary.stderr, /^docknet: .*a\.bin is not a transcript: it holds binary data, not text\n/);
  const empty = join(dir, 'empty.txt');
  await writeFile(empty, '');
  assert.match((await runCli(['snapshot', 'import', empty, target])).stderr, /empty\.txt is not a transcript: the file is empty/);
  const prose = join(dir, 'prose.txt');
  // The seed's own prose, without its command lines.
  const seed = await readFile(SEED, 'utf8');
  await writeFile(prose, seed.slice(0, seed.indexOf('[root@192 ~]#')));
  const noCommand = await runCli(['snapshot', 'import', prose, target]);
  assert.equal(noCommand.code, 1);
  assert.match(
    noCommand.stderr,
    /prose\.txt is not a transcript: its text holds no shell prompt followed by a command \(such as `\$ ip addr` or `\[root@host ~\]# docker ps`\)\npaste each command after its shell prompt/,
  );
  const none = await runCli(['snapshot', 'import', repoPath('test/fixtures/transcripts/csdn-docker0-netns-step-by-step.txt'), target]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /it holds 15 commands after shell prompts, none of which docknet reads \(line 3 `ln -s/);
  for (const r of [missing, isDir, binary, noCommand, none]) assert.doesNotMatch(r.stderr, /at .*\.js:\d+|unexpected error/);
  await assert.rejects(readFile(join(target, 'manifest.json')), 'nothing written');
  assert.equal((await runCli(['snapshot', 'import', SEED])).code, 2, 'a usage error without the target');
});

test('--from a binary file or a text with no command is a clear error; the transcript is recognised whatever its name', async (t) => {
  const dir = await tempDir(t);
  const bin = join(dir, 'x.dat');
  await writeFile(bin, Buffer.from([1, 2, 3, 0, 4, 5]));
  const b = await runCli(['nat', '--from', bin]);
  assert.equal(b.code, 1);
  assert.match(
    b.stderr,
    /x\.dat is not a snapshot: a file that is neither a \.tar\.gz archive, a directory, nor a text transcript \(it holds binary data\)/,
  );
  const prose = join(dir, 'notes.md');
  await writeFile(prose, 'Docker networking notes.\n\nNothing was run here.\n');
  const p = await runCli(['doctor', '--from', prose]);
  assert.equal(p.code, 1);
  assert.match(
    p.stderr,
    /notes\.md is not a snapshot: a file that is neither a \.tar\.gz archive nor a directory, and its text holds no shell prompt followed by a command/,
  );
  const named = join(dir, 'paste.log');
  await writeFile(named, await readFile(repoPath('test/fixtures/transcripts/moby-26391-sudo-iptables-nat-nvL.txt')));
  const nat = await runCli(['nat', '--json', '--from', named]);
  assert.equal(nat.code, 0, nat.stderr);
  assert.match(nat.stdout, /127\.0\.0\.1/);
});
