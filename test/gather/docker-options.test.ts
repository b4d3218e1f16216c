// Where docknet connects, read from the environment it was given (never process.env): the endpoint
// it names in errors, and dockerode's options, for every DOCKER_HOST form the docker CLI accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerOptions, engineEndpoint, EngineUnreachableError } from '../../src/gather/engine-api.js';

const HOME = '/nonexistent-home';

test('no DOCKER_HOST: the system socket, named as a user would write it', () => {
  assert.equal(engineEndpoint({ HOME }), 'unix:///var/run/docker.sock');
  const o = dockerOptions({ HOME });
  assert.equal(o.socketPath, '/var/run/docker.sock');
  assert.equal(o.host, undefined);
});

test("no DOCKER_HOST, and Docker Desktop's per-user socket exists: that one", (t) => {
  const home = mkdtempSync(join(tmpdir(), 'docknet-home-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const sock = join(home, '.docker/run/docker.sock');
  mkdirSync(join(home, '.docker/run'), { recursive: true });
  writeFileSync(sock, '');
  assert.equal(dockerOptions({ HOME: home }).socketPath, sock);
  assert.equal(engineEndpoint({ HOME: home }), `unix://${sock}`);
});

test('DOCKER_HOST forms: unix, tcp, tcp with TLS, ssh, and a bare host:port', () => {
  assert.equal(engineEndpoint({ DOCKER_HOST: 'unix:///run/x.sock' }), 'DOCKER_HOST=unix:///run/x.sock');
  assert.equal(dockerOptions({ DOCKER_HOST: 'unix:///run/x.sock' }).socketPath, '/run/x.sock');
  const tcp = dockerOptions({ DOCKER_HOST: 'tcp://127.0.0.1:2375' });
  assert.deepEqual([tcp.socketPath, tcp.host, tcp.port, tcp.protocol], [undefined, '127.0.0.1', '2375', 'http']);
  assert.equal(dockerOptions({ DOCKER_HOST: 'tcp://127.0.0.1:2376' }).protocol, 'https');
  assert.equal(dockerOptions({ DOCKER_HOST: 'tcp://127.0.0.1:2375', DOCKER_TLS_VERIFY: '1' }).protocol, 'https');
  const ssh = dockerOptions({ DOCKER_HOST: 'ssh://me@build-host:22', SSH_AUTH_SOCK: '/run/agent' });
  assert.deepEqual([ssh.protocol, ssh.username, ssh.host, ssh.sshOptions], ['ssh', 'me', 'build-host', { agent: '/run/agent' }]);
  const bare = dockerOptions({ DOCKER_HOST: '127.0.0.1:2375' });
  assert.deepEqual([bare.host, bare.port, bare.protocol], ['127.0.0.1', '2375', 'http']);
  assert.equal(dockerOptions({ DOCKER_HOST: 'tcp://127.0.0.1:2375', DOCKER_CLIENT_TIMEOUT: '30' }).timeout, 30);
});

test('DOCKER_CERT_PATH: the CA, certificate and key are read from it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-certs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), `-- ${f} --\n`);
  const o = dockerOptions({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_CERT_PATH: dir });
  assert.equal(o.ca, '-- ca.pem --\n');
  assert.equal(String(o.cert), '-- cert.pem --\n');
  assert.equal(String(o.key), '-- key.pem --\n');
});

test('a DOCKER_HOST that is no address is an engine error naming it, not a crash', () => {
  assert.throws(
    () => dockerOptions({ DOCKER_HOST: 'tcp://[not an address' }),
    (err: unknown) =>
      err instanceof EngineUnreachableError &&
      /^cannot reach the Docker engine at DOCKER_HOST=tcp:\/\/\[not an address: not an address/.test(err.message),
  );
});
