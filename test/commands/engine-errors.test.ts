// An engine that answers with errors, at the command level: a fake Engine API on a unix socket
// (test/gather/fake-engine.ts). What the user reads, the exit code, and what is still answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineErrorAnswer, engineRoutes, startFakeEngine, fakeEngineEnv, type Route } from '../gather/fake-engine.js';
import { runCli } from '../cli-helper.js';

async function runAgainst(t: Parameters<typeof startFakeEngine>[0], over: Route[], args: string[]) {
  const engine = await startFakeEngine(t, engineRoutes(over));
  const r = await runCli(args, { env: fakeEngineEnv(engine.socket) });
  return { code: r.code, out: r.stdout, err: r.stderr, socket: engine.socket };
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

test('veth-map: HTTP 500 on the container list exits 1 with the status and the engine message, not "cannot reach"', async (t) => {
  const r = await runAgainst(t, [{ path: /^\/containers\/json$/, answer: engineErrorAnswer(500, 'database is locked') }], ['veth-map']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.equal(
    r.err,
    `docknet: the Docker engine at DOCKER_HOST=unix://${r.socket} answered HTTP 500 to GET /containers/json: database is locked\n` +
      'Next: the engine is running but failing this call: its log (e.g. `journalctl -u docker`) says why; `docker info` shows whether it answers at all.\n',
  );
});

test('veth-map: HTTP 403 from an authorization plugin says the request was refused, and by whom to ask', async (t) => {
  const msg = 'authorization denied by plugin opa-docker-authz: request rejected by administrative policy';
  const r = await runAgainst(t, [{ path: /^\/containers\/json$/, answer: engineErrorAnswer(403, msg) }], ['veth-map']);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    new RegExp(
      `^docknet: the Docker engine at DOCKER_HOST=unix://${esc(r.socket)} answered HTTP 403 to GET /containers/json: ${esc(msg)}\n`,
    ),
  );
  assert.match(r.err, /\nNext: the engine, or an authorization plugin in front of it, refused the request/);
  assert.doesNotMatch(r.err, /cannot reach|\n\s+at /);
});

test('veth-map: a container list that is not JSON exits 1 naming the call and quoting the answer', async (t) => {
  const r = await runAgainst(
    t,
    [{ path: /^\/containers\/json$/, answer: { status: 200, body: '[{"Id": "abc", "Names": ', contentType: 'application/json' } }],
    ['veth-map'],
  );
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    /answered GET \/containers\/json with a body that is not JSON \("\[\{\\"Id\\": \\"abc\\", \\"Names\\":"\) where a JSON array was expected\n/,
  );
  assert.match(r.err, /\nNext: check that DOCKER_HOST points at a Docker engine/);
  assert.doesNotMatch(r.err, /unexpected error/);
});

test('veth-map --json: HTTP 403 on GET /networks still lists the container; networks are unknown, not none', async (t) => {
  const r = await runAgainst(t, [{ path: /^\/networks$/, answer: engineErrorAnswer(403, 'denied by policy') }], ['veth-map', '--json']);
  assert.equal(r.err, '');
  const j = JSON.parse(r.out);
  const web = j.interfaces.find((i: { container: string }) => i.container === 'web');
  assert.ok(web, 'the container is still listed');
  assert.equal(web.network, 'bridge');
  assert.equal(web.driver, null, 'the network list is unknown, so the driver is');
});

test('doctor: HTTP 500 on GET /info loses only the engine info, and the check that needed it says so', async (t) => {
  const r = await runAgainst(
    t,
    [{ path: /^\/info$/, answer: engineErrorAnswer(500, 'failed to get system info: context deadline exceeded') }],
    ['doctor', '--json'],
  );
  assert.doesNotMatch(r.err, /docknet:/);
  const j = JSON.parse(r.out);
  const rootless = j.checks.find((c: { check: string }) => c.check === 'rootless');
  assert.equal(rootless.status, 'skipped');
  assert.equal(
    rootless.reason,
    `the Docker engine at DOCKER_HOST=unix://${r.socket} answered HTTP 500 to GET /info: failed to get system info: context deadline exceeded`,
  );
  // The container list survived: the checks that need it ran.
  const defaultBridge = j.checks.find((c: { check: string }) => c.check === 'default-bridge-dns');
  assert.equal(defaultBridge?.status, 'ran', JSON.stringify(j.checks.map((c: { check: string; status: string }) => [c.check, c.status])));
});
