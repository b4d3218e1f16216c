// Engine tests for `docknet snapshot save`: secrets planted in a container appear in no saved byte,
// and veth-map on a saved snapshot of the lab gives the same JSON as veth-map live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { C, LAB_IMAGE, TEST_LABEL } from '../../lab/lab-spec.js';
import { must, run } from '../../lab/run.js';
import { runDocknet, withLab } from './harness.js';
import { readTree, tempDir } from '../snapshot/helpers.js';

function secret(): string {
  return randomBytes(12).toString('hex');
}

/** Which of the secrets occur in these bytes (raw, and as JSON would escape them: they are plain hex). */
function found(bytes: Buffer, secrets: string[]): string[] {
  return secrets.filter((s) => bytes.includes(s));
}

test('snapshot save: a planted env value, label and argument appear in no saved byte (directory and .tar.gz)', async (t) => {
  if (!(await withLab(t))) return;
  const dir = await tempDir(t);
  const env = `plant-${secret()}`;
  const label = secret();
  const token = secret();
  const secrets = [env, label, token];
  const name = `docknet-snapshot-secret-${process.pid}`;
  try {
    await must([
      'docker',
      'run',
      '-d',
      '--name',
      name,
      '--label',
      `${TEST_LABEL}=snapshot`,
      '--label',
      `db.password=${label}`,
      '--env',
      `DOCKNET_SECRET=${env}`,
      LAB_IMAGE,
      'sh',
      '-c',
      'sleep 2147483647',
      `--token=${token}`,
    ]);
    // Ground truth: the engine really holds all three, so a clean snapshot means they were redacted.
    const inspect = await must(['docker', 'inspect', name]);
    assert.deepEqual(found(Buffer.from(inspect), secrets), secrets);

    const archive = join(dir, 'redacted.tar.gz');
    const saveTar = await runDocknet(['snapshot', 'save', archive]);
    assert.equal(saveTar.exitCode, 0, saveTar.stderr);
    assert.match(saveTar.stdout, /Secrets redacted: .*environment value/);
    const compressed = await readFile(archive);
    const tar = gunzipSync(compressed);
    assert.deepEqual(found(compressed, secrets), []);
    assert.deepEqual(found(tar, secrets), [], 'a secret is in the .tar.gz');
    // The container is in the archive, with its variable name kept and its values replaced.
    assert.ok(tar.includes(`DOCKNET_SECRET=<redacted>`));
    assert.ok(tar.includes(`--token=<redacted>`));
    assert.ok(tar.includes(`containers/${name}/net.json`));

    const saveDir = await runDocknet(['snapshot', 'save', join(dir, 'redacted')]);
    assert.equal(saveDir.exitCode, 0, saveDir.stderr);
    const files = await readTree(join(dir, 'redacted'));
    assert.ok(files.size > 5);
    for (const [path, bytes] of files) assert.deepEqual(found(bytes, secrets), [], `a secret is in ${path}`);
    const manifest = JSON.parse((files.get('manifest.json') as Buffer).toString());
    assert.equal(manifest.redacted, true);
    assert.ok(manifest.redaction.counts['docker/containers.json'].env >= 1);

    // Control: without redaction the same scan finds every one, so the scan above could see them.
    const raw = await runDocknet(['snapshot', 'save', '--no-redact', join(dir, 'raw')]);
    assert.equal(raw.exitCode, 0, raw.stderr);
    const rawHits = new Set([...(await readTree(join(dir, 'raw'))).values()].flatMap((b) => found(b, secrets)));
    assert.deepEqual([...rawHits].sort(), [...secrets].sort());
  } finally {
    const rm = await run(['docker', 'rm', '-f', '-v', name]);
    if (rm.exitCode !== 0 && !/No such container/i.test(rm.stderr)) t.diagnostic(`could not remove ${name}: ${rm.stderr}`);
  }
});

interface VethMapJson {
  schemaVersion: number;
  snapshot: { source: string; location: string | null };
  interfaces: unknown[];
  hostVeths: unknown[];
  notes: string[];
}

async function vethMapJson(args: string[]): Promise<VethMapJson> {
  const r = await runDocknet(['veth-map', '--json', '--all', ...args]);
  assert.equal(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout) as VethMapJson;
}

test('veth-map --from a saved snapshot of the lab equals veth-map live (but for the snapshot key)', async (t) => {
  if (!(await withLab(t))) return;
  const dir = await tempDir(t);
  // The engine is shared: a container started or removed between the two reads is a retry, not a failure.
  let last = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    const path = join(dir, `lab-${attempt}.tar.gz`);
    const save = await runDocknet(['snapshot', 'save', path]);
    assert.equal(save.exitCode, 0, save.stderr);
    const live = await vethMapJson([]);
    const saved = await vethMapJson(['--from', path]);
    assert.equal(live.snapshot.source, 'live');
    assert.equal(saved.snapshot.source, 'saved');
    assert.equal(saved.snapshot.location, path);
    const { snapshot: _s, ...a } = saved;
    const { snapshot: _l, ...b } = live;
    try {
      // Notes included: a saved snapshot holds more files than live veth-map reads, and none may add noise.
      assert.deepEqual(a, b);
      assert.ok(live.interfaces.length > 5, 'the lab is there');
      return;
    } catch (err) {
      last = (err as Error).message;
      t.diagnostic(`attempt ${attempt} differed: ${last.slice(0, 2000)}`);
    }
  }
  assert.fail(`veth-map --from differs from live twice in a row:\n${last}`);
});

/** The JSON without what may differ between two reads of the same host: the snapshot key and packet counters. */
function withoutVolatile(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutVolatile);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'snapshot' && k !== 'packets' && k !== 'bytes')
        .map(([k, x]) => [k, withoutVolatile(x)]),
    );
  }
  return v;
}

test('nat and inspect --from a saved snapshot of the lab equal them live (but for the snapshot key and counters)', async (t) => {
  if (!(await withLab(t))) return;
  const dir = await tempDir(t);
  for (const args of [
    ['nat', '--json'],
    ['inspect', C.tomcat01, '--json'],
    ['inspect', C.multi, '--json'],
  ]) {
    let last = '';
    for (let attempt = 1; attempt <= 2 && last !== 'equal'; attempt++) {
      const path = join(dir, `${args[0]}-${args[1]}-${attempt}`);
      const save = await runDocknet(['snapshot', 'save', path]);
      assert.equal(save.exitCode, 0, save.stderr);
      const live = await runDocknet(args);
      if (live.exitCode === 2 && /unknown command/.test(live.stderr)) {
        t.diagnostic(`${args[0]} is not a command yet: not compared`);
        last = 'equal';
        break;
      }
      assert.equal(live.exitCode, 0, `${args.join(' ')}: ${live.stderr}`);
      const saved = await runDocknet([...args, '--from', path]);
      assert.equal(saved.exitCode, 0, `${args.join(' ')} --from: ${saved.stderr}`);
      try {
        assert.deepEqual(withoutVolatile(JSON.parse(saved.stdout)), withoutVolatile(JSON.parse(live.stdout)), args.join(' '));
        last = 'equal';
      } catch (err) {
        last = (err as Error).message;
        t.diagnostic(`${args.join(' ')}: attempt ${attempt} differed: ${last.slice(0, 2000)}`);
      }
    }
    assert.equal(last, 'equal', `${args.join(' ')} --from differs from live twice in a row:\n${last}`);
  }
});
