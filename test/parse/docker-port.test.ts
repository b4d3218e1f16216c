import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerPort, publishedPorts } from '../../src/parse/docker-port.js';
import { fixture } from './helpers.js';

const live = (file: string, context = {}) => parseDockerPort(fixture(`live-debian12-parsers/${file}`), context);

/** NetworkSettings.Ports of `docker inspect`, in the docknet shape (hostIp, hostPort). */
function inspectPorts(name: string): Record<string, { hostIp: string; hostPort: string }[]> {
  const raw = JSON.parse(fixture(`live-debian12-parsers/docker-inspect-ports-${name}.json`)) as Record<
    string,
    { HostIp: string; HostPort: string }[]
  >;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.map((b) => ({ hostIp: b.HostIp, hostPort: b.HostPort }))]));
}

const byKey = (ports: Record<string, { hostIp: string; hostPort: string }[]>) =>
  Object.fromEntries(
    Object.entries(ports)
      .map(([k, v]) => [k, [...v].sort((a, b) => `${a.hostIp}:${a.hostPort}`.localeCompare(`${b.hostIp}:${b.hostPort}`))] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

for (const name of ['tomcat-tml', 'lab-web', 'lab-none']) {
  test(`live \`docker port ${name}\` gives what \`docker inspect\` of the same second says`, () => {
    const { value, issues } = live(`docker-port-${name}.txt`, { container: name });
    assert.deepEqual(issues, []);
    assert.deepEqual(value.notPublished, []);
    assert.deepEqual(byKey(publishedPorts(value.publications)), byKey(inspectPorts(name)));
    assert.ok(value.publications.every((p) => p.container === name));
  });
}

test('IPv6 bindings: `[::]` (and the old `:::`) read as ::', () => {
  const tml = live('docker-port-tomcat-tml.txt').value.publications;
  assert.deepEqual(
    tml.filter((p) => p.containerPort === 8080).map((p) => `${p.hostIp} ${p.hostPort} ${p.line}`),
    ['0.0.0.0 49154 7', '127.0.0.1 8081 8', ':: 49154 9'],
  );
  const old = parseDockerPort(fixture('github-issues-pastes/serverless-offline-1217-docker-port.txt'));
  assert.deepEqual(old.issues, []);
  assert.deepEqual(
    old.value.publications.map((p) => [p.container, p.containerPort, p.protocol, p.hostIp, p.hostPort]),
    [
      ['container', 9001, 'tcp', '0.0.0.0', 49153],
      ['container', 9001, 'tcp', '::', 49153],
    ],
  );
});

test('the one-column form: the port is unknown unless the caller or a command line says it', () => {
  const alone = live('docker-port-tomcat-tml-8080.txt').value.publications;
  assert.deepEqual(
    alone.map((p) => [p.containerPort, p.protocol, p.hostIp, p.hostPort]),
    [
      [null, null, '0.0.0.0', 49154],
      [null, null, '127.0.0.1', 8081],
      [null, null, '::', 49154],
    ],
  );
  assert.deepEqual(publishedPorts(alone), {}, 'no port, no key');
  const told = live('docker-port-tomcat-tml-5353-udp.txt', { container: 'tomcat-tml', containerPort: 5353, protocol: 'udp' });
  assert.deepEqual(publishedPorts(told.value.publications), { '5353/udp': inspectPorts('tomcat-tml')['5353/udp'] });
  const grpc = parseDockerPort(fixture('github-issues-pastes/grpc-39159-docker-port-80.txt'));
  assert.deepEqual(grpc.issues, []);
  assert.deepEqual(
    grpc.value.publications.map((p) => [p.container, p.containerPort, p.protocol, p.hostIp]),
    [
      ['8f64a57ed2e0', 80, 'tcp', '0.0.0.0'],
      ['8f64a57ed2e0', 80, 'tcp', '::'],
    ],
  );
  const orb = parseDockerPort(fixture('github-issues-pastes/orbstack-214-docker-port-3306.txt'), {
    container: 'myproject-mariadb',
    containerPort: 3306,
  });
  assert.deepEqual(
    orb.value.publications.map((p) => `${p.container} ${p.containerPort}/${p.protocol} ${p.hostIp}:${p.hostPort}`),
    ['myproject-mariadb 3306/tcp 0.0.0.0:32769', 'myproject-mariadb 3306/tcp :::32769'],
  );
});

test('"No public port" is a fact: that port is known not to be published', () => {
  const { value, issues } = live('docker-port-tomcat-tml-9-udp.txt');
  assert.deepEqual(issues, []);
  assert.deepEqual(value.publications, []);
  assert.deepEqual(value.notPublished, [{ container: 'tomcat-tml', containerPort: 9, protocol: 'udp', line: 1 }]);
});

test("docker's reference page: a session of several commands, each answer read with its command", () => {
  const { value, issues } = parseDockerPort(fixture('docker-cli-docs/port-md-transcript.txt'));
  assert.deepEqual(
    value.publications.map((p) => `${p.container} ${p.containerPort}/${p.protocol} ${p.hostIp}:${p.hostPort}`),
    ['test 7890/tcp 0.0.0.0:4321', 'test 9876/tcp 0.0.0.0:1234', 'test 7890/tcp 0.0.0.0:4321', 'test 7890/tcp 0.0.0.0:4321'],
  );
  assert.deepEqual(value.notPublished, [{ container: 'test', containerPort: 7890, protocol: 'udp', line: 17 }]);
  // `$ docker ps` and its two lines of table: not docker port output.
  assert.deepEqual(
    issues.map((i) => i.line),
    [1, 3, 4],
  );
  assert.match(issues[0]?.reason ?? '', /shell prompt/);
});
