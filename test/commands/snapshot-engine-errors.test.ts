// snapshot save against a fake engine that fails one call or the container list: what is saved,
// what the manifest says (cause included), what the user reads, and the exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { FACT } from '../../src/snapshot/snapshot.js';
import { engineErrorAnswer, engineRoutes, startFakeEngine, fakeEngineEnv, type Route } from '../gather/fake-engine.js';
import { tempDir } from '../snapshot/helpers.js';
import { runCli } from '../cli-helper.js';

async function save(t: Parameters<typeof tempDir>[0], over: Route[]) {
  const engine = await startFakeEngine(t, engineRoutes(over));
  const target = join(await tempDir(t), 'snap');
  const r = await runCli(['snapshot', 'save', target], { env: fakeEngineEnv(engine.socket) });
  return { code: r.code, out: r.stdout, err: r.stderr, target, socket: engine.socket };
}

test('GET /info answering HTTP 500: the save succeeds without docker/info.json, the manifest says why, and --from keeps it', async (t) => {
  const r = await save(t, [{ path: /^\/info$/, answer: engineErrorAnswer(500, 'context deadline exceeded') }]);
  assert.equal(r.code, 0, r.err);
  const reason = `the Docker engine at DOCKER_HOST=unix://${r.socket} answered HTTP 500 to GET /info: context deadline exceeded`;
  assert.ok(r.out.includes(`  docker/info.json: ${reason}\n`), r.out);
  const manifest = JSON.parse(await readFile(join(r.target, 'manifest.json'), 'utf8'));
  assert.deepEqual(
    manifest.missing.filter((m: { path: string }) => m.path === FACT.engineInfo),
    [{ path: FACT.engineInfo, what: 'GET /info', reason, cause: 'failed' }],
  );
  const loaded = await loadSnapshot(r.target);
  assert.ok(loaded.facts.has(FACT.containers) && loaded.facts.has(FACT.networks) && !loaded.facts.has(FACT.engineInfo));
  assert.equal(loaded.missing.find((m) => m.path === FACT.engineInfo)?.cause, 'failed');
});

test('the container list answering HTTP 500: host facts saved, the four docker/ files missing with the status, exit 1', async (t) => {
  const r = await save(t, [{ path: /^\/containers\/json$/, answer: engineErrorAnswer(500, 'database is locked') }]);
  assert.equal(r.code, 1);
  const reason = `the Docker engine at DOCKER_HOST=unix://${r.socket} answered HTTP 500 to GET /containers/json: database is locked`;
  assert.equal(
    r.err,
    `docknet: ${reason}\nThe snapshot at ${r.target} holds the host's facts only (no containers, no networks).\n` +
      'Next: the engine is running but failing this call: its log (e.g. `journalctl -u docker`) says why; `docker info` shows whether it answers at all.\n',
  );
  const loaded = await loadSnapshot(r.target);
  for (const path of [FACT.containers, FACT.networks, FACT.engineInfo, FACT.engineVersion]) {
    assert.deepEqual(
      loaded.missing.filter((m) => m.path === path).map((m) => [m.reason, m.cause]),
      [[reason, 'failed']],
      path,
    );
  }
});
