// gatherLive against a fake engine: what a failed Engine API call leaves in the snapshot (a
// MissingFact with the call, the HTTP status and the engine message, cause "failed") and what it keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatherLive } from '../../src/gather/live.js';
import { FACT } from '../../src/snapshot/snapshot.js';
import { CONTAINER_ID, engineErrorAnswer, engineRoutes, startFakeEngine, fakeEngineEnv, type Route } from './fake-engine.js';
import { liveHost } from '../../src/gather/host-access.js';

async function gatherFrom(t: Parameters<typeof startFakeEngine>[0], over: Route[]) {
  const engine = await startFakeEngine(t, engineRoutes(over));
  const snapshot = await gatherLive(['engine', 'engine-info'], liveHost(fakeEngineEnv(engine.socket)), { detail: 'list' });
  return { snapshot, socket: engine.socket };
}

test('GET /info answering HTTP 500: docker/info.json is missing with the status and message; the rest is gathered', async (t) => {
  const { snapshot, socket } = await gatherFrom(t, [{ path: /^\/info$/, answer: engineErrorAnswer(500, 'context deadline exceeded') }]);
  assert.ok(snapshot.facts.has(FACT.containers));
  assert.ok(snapshot.facts.has(FACT.networks));
  assert.ok(snapshot.facts.has(FACT.engineVersion));
  assert.ok(!snapshot.facts.has(FACT.engineInfo));
  assert.deepEqual(
    snapshot.missing.filter((m) => m.path === FACT.engineInfo),
    [
      {
        path: FACT.engineInfo,
        what: 'GET /info',
        reason: `the Docker engine at DOCKER_HOST=unix://${socket} answered HTTP 500 to GET /info: context deadline exceeded`,
        cause: 'failed',
      },
    ],
  );
});

test('GET /networks answering HTTP 403: no docker/networks.json (unknown, not "[]"), a MissingFact says why', async (t) => {
  const { snapshot } = await gatherFrom(t, [{ path: /^\/networks$/, answer: engineErrorAnswer(403, 'denied by policy') }]);
  assert.ok(!snapshot.facts.has(FACT.networks));
  const m = snapshot.missing.find((x) => x.path === FACT.networks);
  assert.equal(m?.cause, 'failed');
  assert.match(m?.reason ?? '', /answered HTTP 403 to GET \/networks: denied by policy$/);
});

test('a container inspect answering HTTP 500: the container is kept from its list entry, and the failure is recorded', async (t) => {
  const { snapshot } = await gatherFrom(t, [
    { path: new RegExp(`^/containers/${CONTAINER_ID}/json$`), answer: engineErrorAnswer(500, 'container is marked for removal') },
  ]);
  const containers = JSON.parse(snapshot.facts.get(FACT.containers)?.text ?? 'null') as { Id: string }[];
  assert.deepEqual(
    containers.map((c) => c.Id),
    [CONTAINER_ID],
  );
  const m = snapshot.missing.find((x) => x.path === FACT.containers);
  assert.equal(m?.what, `GET /containers/${CONTAINER_ID.slice(0, 12)}/json`);
  assert.equal(m?.cause, 'failed');
  assert.match(
    m?.reason ?? '',
    /answered HTTP 500 to GET \/containers\/c{12}\/json: container is marked for removal; container c{12} is described by its list entry instead$/,
  );
});
