// How Engine API failures are told apart (unreachable, permission, HTTP error, not JSON) and what
// each costs: against a fake engine on a unix socket, never a mock of dockerode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import {
  EngineAnswerError,
  EngineError,
  EngineHttpError,
  EngineUnreachableError,
  engineCause,
  engineError,
  fetchEngineRaw,
} from '../../src/gather/engine-api.js';
import { CONTAINER_ID, NETWORK_ID, engineErrorAnswer, engineRoutes, startFakeEngine, type Route } from './fake-engine.js';

const ENDPOINT = 'DOCKER_HOST=unix:///fake.sock';

async function fetchFrom(t: Parameters<typeof startFakeEngine>[0], over: Route[], detail: 'inspect' | 'list' = 'inspect') {
  const engine = await startFakeEngine(t, engineRoutes(over));
  const docker = new Docker({ socketPath: engine.socket });
  return { engine, result: fetchEngineRaw({ withInfo: true, detail, env: {}, runtimeRoots: [] }, docker, ENDPOINT) };
}

test('HTTP 500 on the container list fails the run with the status and the engine own message, not "cannot reach"', async (t) => {
  const { result } = await fetchFrom(t, [
    { path: /^\/containers\/json$/, answer: engineErrorAnswer(500, 'open /var/lib/docker/containers: too many open files') },
  ]);
  const err = await result.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof EngineHttpError, String(err));
  assert.equal(err.kind, 'http');
  assert.equal(err.statusCode, 500);
  assert.equal(err.call, 'GET /containers/json');
  assert.equal(
    err.message,
    `the Docker engine at ${ENDPOINT} answered HTTP 500 to GET /containers/json: open /var/lib/docker/containers: too many open files`,
  );
  assert.doesNotMatch(err.message, /cannot reach/);
  assert.equal(engineCause(err), 'failed');
});

test('HTTP 500 on GET /info loses only the engine info: containers and networks are kept', async (t) => {
  const { result } = await fetchFrom(t, [
    { path: /^\/info$/, answer: engineErrorAnswer(500, 'failed to get system info: context deadline exceeded') },
  ]);
  const raw = await result;
  assert.equal(raw.containers.length, 1);
  assert.equal(raw.networks?.length, 1);
  assert.equal(raw.info, null);
  assert.ok(raw.version !== null);
  const err = raw.failed.info;
  assert.ok(err instanceof EngineHttpError);
  assert.equal(err.statusCode, 500);
  assert.match(err.message, /answered HTTP 500 to GET \/info: failed to get system info: context deadline exceeded$/);
  assert.deepEqual(Object.keys(raw.failed), ['info']);
});

test('HTTP 403 from an authorization plugin on GET /networks: networks unknown (null), not an empty list', async (t) => {
  const msg = 'authorization denied by plugin opa-docker-authz: request rejected by administrative policy';
  const { result } = await fetchFrom(t, [{ path: /^\/networks$/, answer: engineErrorAnswer(403, msg) }]);
  const raw = await result;
  assert.equal(raw.networks, null);
  assert.equal(raw.containers.length, 1);
  assert.ok(raw.failed.networks instanceof EngineHttpError);
  assert.equal(raw.failed.networks.statusCode, 403);
  assert.equal(raw.failed.networks.message, `the Docker engine at ${ENDPOINT} answered HTTP 403 to GET /networks: ${msg}`);
});

test('one network whose inspect fails makes the whole network list unknown: a list short of one reads as complete', async (t) => {
  const { result } = await fetchFrom(t, [{ path: new RegExp(`^/networks/${NETWORK_ID}$`), answer: engineErrorAnswer(500, 'boom') }]);
  const raw = await result;
  assert.equal(raw.networks, null);
  assert.match(raw.failed.networks?.message ?? '', new RegExp(`answered HTTP 500 to GET /networks/${NETWORK_ID.slice(0, 12)}: boom$`));
});

test('a container whose inspect fails (not 404) is kept as its list entry, and the failure recorded', async (t) => {
  const { result } = await fetchFrom(t, [
    { path: new RegExp(`^/containers/${CONTAINER_ID}/json$`), answer: engineErrorAnswer(500, 'container is marked for removal') },
  ]);
  const raw = await result;
  assert.equal(raw.containers.length, 1);
  assert.deepEqual((raw.containers[0] as { Names: string[] }).Names, ['/web']);
  assert.equal(raw.inspectFailed.length, 1);
  assert.equal(raw.inspectFailed[0]?.id, CONTAINER_ID);
  assert.equal((raw.inspectFailed[0]?.error as EngineHttpError | undefined)?.statusCode, 500);
  assert.deepEqual(raw.vanished, []);
});

test('a 404 on an inspect is a container that vanished, not a failure', async (t) => {
  const { result } = await fetchFrom(t, [
    { path: new RegExp(`^/containers/${CONTAINER_ID}/json$`), answer: engineErrorAnswer(404, `No such container: ${CONTAINER_ID}`) },
  ]);
  const raw = await result;
  assert.deepEqual(raw.vanished, [CONTAINER_ID]);
  assert.equal(raw.containers.length, 0);
  assert.deepEqual(raw.inspectFailed, []);
});

test('a 200 answer that is not JSON is "malformed", naming the call and quoting the body', async (t) => {
  const { result } = await fetchFrom(t, [
    {
      path: /^\/containers\/json$/,
      answer: { status: 200, body: '<html><body>502 Bad Gateway</body></html>\n', contentType: 'text/html' },
    },
  ]);
  const err = await result.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof EngineAnswerError, String(err));
  assert.equal(err.kind, 'malformed');
  assert.equal(
    err.message,
    `the Docker engine at ${ENDPOINT} answered GET /containers/json with a body that is not JSON ("<html><body>502 Bad Gateway</body></html>") where a JSON array was expected`,
  );
});

test('truncated JSON on GET /version, or JSON of the wrong shape on /info, loses only that fact', async (t) => {
  const { result } = await fetchFrom(t, [
    { path: /^\/version$/, answer: { status: 200, body: '{"Version": "20.10' } },
    { path: /^\/info$/, answer: { status: 200, body: '[]' } },
  ]);
  const raw = await result;
  assert.equal(raw.containers.length, 1);
  assert.ok(raw.failed.version instanceof EngineAnswerError);
  assert.match(
    raw.failed.version.message,
    /answered GET \/version with a body that is not JSON \("\{\\"Version\\": \\"20\.10"\) where a JSON object was expected$/,
  );
  assert.ok(raw.failed.info instanceof EngineAnswerError);
  assert.match(raw.failed.info.message, /answered GET \/info with a JSON array where a JSON object was expected$/);
});

test('an HTTP error with a body that is not JSON keeps the body first line as the message', async (t) => {
  const { result } = await fetchFrom(t, [
    { path: /^\/containers\/json$/, answer: { status: 502, body: 'Bad Gateway\nupstream: docker.sock\n', contentType: 'text/plain' } },
  ]);
  await assert.rejects(result, (e: unknown) => {
    assert.ok(e instanceof EngineHttpError);
    assert.equal(e.statusCode, 502);
    assert.equal(e.engineMessage, 'Bad Gateway');
    return true;
  });
});

test('a connection cut on GET /info still fails the run as unreachable: nothing of the engine can be trusted to come', async (t) => {
  const { result } = await fetchFrom(t, [{ path: /^\/info$/, answer: 'cut' }]);
  await assert.rejects(result, (e: unknown) => {
    assert.ok(e instanceof EngineUnreachableError, String(e));
    assert.equal(e.kind, 'unreachable');
    assert.match(e.message, /^cannot reach the Docker engine at .*: the connection was cut \(did dockerd stop\?\)$/);
    return true;
  });
});

test('no socket at the path: unreachable, "no such socket"', async () => {
  const docker = new Docker({ socketPath: join(tmpdir(), `docknet-no-such-${process.pid}.sock`) });
  await assert.rejects(fetchEngineRaw({ withInfo: false, detail: 'list', env: {}, runtimeRoots: [] }, docker, ENDPOINT), (e: unknown) => {
    assert.ok(e instanceof EngineUnreachableError);
    assert.equal(e.kind, 'unreachable');
    assert.equal(e.message, `cannot reach the Docker engine at ${ENDPOINT}: no such socket (is dockerd running?)`);
    return true;
  });
});

test('engineError: EACCES (a real error of a refused open) is permission, whose cause is needs-root', () => {
  let real: unknown;
  try {
    // Write-only even for root (mode 0200): a real EACCES without dropping privileges.
    readFileSync('/proc/sys/net/ipv4/route/flush');
  } catch (err) {
    real = err;
  }
  assert.equal((real as { code?: string })?.code, 'EACCES', 'this machine gives EACCES reading /proc/sys/net/ipv4/route/flush');
  const e = engineError(real, ENDPOINT, 'GET /containers/json');
  assert.ok(e instanceof EngineUnreachableError);
  assert.equal(e.kind, 'permission');
  assert.equal(e.permissionDenied, true);
  assert.equal(engineCause(e), 'needs-root');
  assert.match(e.message, /permission denied on the socket \(is this user in the docker group\? try sudo\)$/);
});

test('engineError: an error that is neither a status nor a system error is a bug, thrown on as it is', () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'Id')");
  assert.throws(
    () => engineError(bug, ENDPOINT, 'GET /containers/json'),
    (e: unknown) => e === bug,
  );
  const already = new EngineHttpError(ENDPOINT, 'GET /info', 500, 'x');
  assert.equal(engineError(already, ENDPOINT, 'other'), already);
  assert.ok(already instanceof EngineError);
});

test('a container list whose entries have no Id is not the Engine API answer: malformed, not a crash', async (t) => {
  const { result } = await fetchFrom(t, [{ path: /^\/containers\/json$/, answer: { status: 200, body: '[{"Names": ["/web"]}]' } }]);
  await assert.rejects(result, (e: unknown) => {
    assert.ok(e instanceof EngineAnswerError, String(e));
    assert.match(e.message, /answered GET \/containers\/json with a list entry without an Id \(\{"Names":\["\/web"\]\}\)$/);
    return true;
  });
});

test('something at the socket that does not speak HTTP: malformed, naming the parser error', async (t) => {
  const { createServer } = await import('node:net');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'docknet-not-http-'));
  const socket = join(dir, 'docker.sock');
  const server = createServer((c) => c.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await assert.rejects(
    fetchEngineRaw({ withInfo: false, detail: 'list', env: {}, runtimeRoots: [] }, new Docker({ socketPath: socket }), ENDPOINT),
    (e: unknown) => {
      assert.ok(e instanceof EngineAnswerError, String(e));
      assert.match(
        e.message,
        /^the Docker engine at .* answered GET \/(containers\/json|networks) with an answer that is not HTTP \(Parse Error/,
      );
      return true;
    },
  );
});
