// Fleet archives and several hosts in one output: two saved hosts and one that could not be read are
// written as a fleet archive, read back as the same fleet, and every command prints one section per host
// whose body is exactly that host's output alone; with --json, each host's own document keyed by host.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DocknetError } from '../../src/model/errors.js';
import { loadFleetArchive, memberDir, readFleetManifest, saveFleet } from '../../src/snapshot/fleet-archive.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { hostHeading } from '../../src/render/fleet.js';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';

const SEED = repoPath('examples/seed-host');
const LAB = repoPath('test/fixtures/lab-snapshot-28');

async function writeFleet(dir: string): Promise<string> {
  const out = join(dir, 'fleet');
  await saveFleet(
    [
      { host: 'ssh://root@seed:22', snapshot: await loadSnapshot(SEED), redaction: null },
      { host: 'lab-28', snapshot: await loadSnapshot(LAB), redaction: null },
      { host: 'tcp://down:2375', error: new DocknetError('cannot reach the Docker engine at tcp://down:2375', 'Next: start it') },
    ],
    out,
    { force: false, docknetVersion: 'test' },
  );
  return out;
}

test('a fleet archive reads back as the same fleet: labels, order, every fact, and the host that failed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-fleet-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = await writeFleet(dir);
  const manifest = await readFleetManifest(out);
  assert.ok(manifest);
  assert.deepEqual(
    manifest.hosts.map((h) => [h.host, 'snapshot' in h ? h.snapshot : h.error.message]),
    [
      ['ssh://root@seed:22', memberDir(0, 'ssh://root@seed:22')],
      ['lab-28', memberDir(1, 'lab-28')],
      ['tcp://down:2375', 'cannot reach the Docker engine at tcp://down:2375'],
    ],
  );
  const fleet = await loadFleetArchive(out, manifest);
  for (const [i, from] of [SEED, LAB].entries()) {
    const m = fleet[i];
    assert.ok(m && 'snapshot' in m);
    const original = await loadSnapshot(from);
    assert.deepEqual([...m.snapshot.facts.keys()].sort(), [...original.facts.keys()].sort());
    for (const [path, fact] of original.facts) assert.equal(m.snapshot.facts.get(path)?.text, fact.text, path);
  }
  const failed = fleet[2];
  assert.ok(failed && 'error' in failed);
  assert.equal(failed.error.hint, 'Next: start it');
  // A second save is refused without --force, and never replaces what is not a fleet archive.
  await assert.rejects(writeFleet(dir), /already exists/);
  await assert.rejects(saveFleet([], SEED, { force: true, docknetVersion: 't' }), /not a fleet archive/);
  assert.equal(await readFleetManifest(SEED), null);
});

test('every command on a fleet archive: a section per host, each the single host output; exit 1 for the host that failed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-fleet-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = await writeFleet(dir);
  for (const args of [['veth-map'], ['nat'], ['doctor'], ['explain'], ['reach', '--exposure'], ['graph', '--format', 'dot']]) {
    const fleet = await runCli([...args, '--from', out]);
    const seed = await runCli([...args, '--from', SEED]);
    const lab = await runCli([...args, '--from', LAB]);
    assert.equal(fleet.code, 1, `${args.join(' ')}: ${fleet.stderr}`);
    const sections = fleet.stdout.split(/^(?==== host )/m);
    assert.equal(sections.length, 3, fleet.stdout.slice(0, 400));
    // The one difference: where each snapshot was loaded from, which the outputs name.
    const at = (i: number, host: string, from: string) => (sections[i] ?? '').replaceAll(join(out, memberDir(i, host)), from);
    assert.equal(at(0, 'ssh://root@seed:22', SEED), `${hostHeading('ssh://root@seed:22')}${seed.stdout}\n`);
    assert.equal(at(1, 'lab-28', LAB), `${hostHeading('lab-28')}${lab.stdout}\n`);
    assert.match(
      sections[2] ?? '',
      /^=== host tcp:\/\/down:2375 ===\ndocknet: tcp:\/\/down:2375 could not be read: cannot reach the Docker engine/,
    );
  }
});

const DOWN_ERROR = { error: { message: 'cannot reach the Docker engine at tcp://down:2375', hint: 'Next: start it' } };

test("fleet JSON is each host's own document nested under hosts, byte for byte, for every --json command; a host that fails keeps its error", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-fleet-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = await writeFleet(dir);
  const members: [string, string][] = [
    ['ssh://root@seed:22', SEED],
    ['lab-28', LAB],
  ];
  // The one difference: where each snapshot was loaded from, which the documents name.
  const relocated = (text: string) => members.reduce((t, [host, from], i) => t.replaceAll(join(out, memberDir(i, host)), from), text);
  for (const args of [
    ['veth-map', '--json'],
    ['nat', '--json'],
    ['nat', '--port', '49154', '--json'],
    ['doctor', '--json'],
    ['explain', '--json'],
    ['reach', '--exposure', '--json'],
    ['graph', '--json'],
    ['inspect', 'tomcat01', '--json'],
    ['inspect', 'lab-web', '--json'],
  ]) {
    const fleet = await runCli([...args, '--from', out]);
    const hosts: Record<string, unknown> = {};
    const codes: number[] = [];
    for (const [host, from] of members) {
      const one = await runCli([...args, '--from', from]);
      codes.push(one.code);
      // A host whose command failed (inspect of a container it lacks) has its error where its document would be.
      if (one.stdout === '') {
        const message = /^docknet: (.*)$/m.exec(one.stderr)?.[1];
        assert.deepEqual((fleet.json().hosts[host] as { error: { message: string } }).error.message, message, args.join(' '));
        hosts[host] = fleet.json().hosts[host];
      } else hosts[host] = one.json();
    }
    hosts['tcp://down:2375'] = DOWN_ERROR;
    assert.equal(
      relocated(fleet.stdout),
      `${JSON.stringify({ schemaVersion: 1, kind: 'docknet-fleet', hosts }, null, 2)}\n`,
      args.join(' '),
    );
    assert.equal(fleet.code, Math.max(1, ...codes), args.join(' '));
  }
  assert.ok('error' in (await runCli(['inspect', 'lab-web', '--json', '--from', out])).json().hosts['ssh://root@seed:22']);
  // Words instead of a document (the file graph --out wrote) are kept as they were printed; the file is the host's document.
  const file = join(dir, 'g.json');
  const wrote = (await runCli(['graph', '--json', '--out', file, '--from', out])).json().hosts;
  assert.match(wrote['lab-28'].output, /^Wrote .*g\.lab-28\.json \(json: \d+ nodes, \d+ edges\)\.\n$/);
  assert.equal(relocated(readFileSync(join(dir, 'g.lab-28.json'), 'utf8')), (await runCli(['graph', '--json', '--from', LAB])).stdout);
  assert.deepEqual(wrote['tcp://down:2375'], DOWN_ERROR);
});

test('one host and no --host: the output is the single-host one, with no heading', async () => {
  const r = await runCli(['veth-map', '--from', SEED]);
  assert.equal(r.code, 0);
  assert.doesNotMatch(r.stdout, /=== host/);
});

test('--host and --context are usage errors naming what is wrong, before any I/O', async () => {
  const bad = await runCli(['veth-map', '--host', 'ftp://x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--host 'ftp:\/\/x'/);
  const ctx = await runCli(['doctor', '--context', 'nosuch'], { env: { DOCKER_CONFIG: repoPath('test/fixtures/docker-context') } });
  assert.equal(ctx.code, 2);
  assert.match(ctx.stderr, /--context 'nosuch': no such Docker context/);
  const both = await runCli(['nat', '--host', 'unix:///x.sock', '--from', SEED]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /cannot be combined/);
  const twice = await runCli(['inspect', 'x', '--host', 'unix:///x.sock', '--host', 'unix:///x.sock']);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /given twice/);
});
