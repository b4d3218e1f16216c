// Redaction rules: environment values always, secret-looking labels, options and arguments, URL passwords.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactArgs, redactSnapshot, secretKey } from '../../src/gather/redact.js';
import { FACT, emptySnapshot, type Snapshot } from '../../src/snapshot/snapshot.js';

function snapshotWith(files: Record<string, unknown>): Snapshot {
  const s = emptySnapshot({ kind: 'live', location: null });
  for (const [path, doc] of Object.entries(files)) {
    s.facts.set(path, { path, text: typeof doc === 'string' ? doc : JSON.stringify(doc), origin: { kind: 'api', what: path } });
  }
  return s;
}

const INSPECT = {
  Id: 'f'.repeat(64),
  Name: '/db',
  Path: 'docker-entrypoint.sh',
  Args: ['postgres', '--password=hunter2', '-c', 'shared_buffers=128MB'],
  Config: {
    Env: ['POSTGRES_PASSWORD=hunter2', 'PATH=/usr/local/bin:/usr/bin', 'NO_VALUE', 'EMPTY='],
    Labels: { 'db.password': 'hunter2', 'com.docker.compose.project': 'shop', API_KEY: 'k-123', 'empty.token': '' },
    Cmd: ['postgres', '--token', 'tok-456', '--auth-file=/run/secrets/x', 'listen=0.0.0.0'],
    Entrypoint: ['sh', '-c', 'exec app --client-secret s3cr3t --port 80 DB_PASSWD=pw1 && curl -H "Authorization: Bearer abc.def" http://x'],
    Healthcheck: { Test: ['CMD-SHELL', 'pg_isready --password=hc-pass'] },
  },
  HostConfig: {
    NetworkMode: 'bridge',
    LogConfig: { Type: 'splunk', Config: { 'splunk-token': 'spl-789', 'splunk-url': 'https://splunk:8088' } },
    Mounts: [{ Type: 'volume', VolumeOptions: { DriverConfig: { Name: 'local', Options: { o: 'addr=10.0.0.1', password: 'cifs-pw' } } } }],
  },
  NetworkSettings: {
    SandboxKey: '/var/run/docker/netns/abc',
    Networks: { bridge: { IPAddress: '172.17.0.2', MacAddress: '02:42:ac:11:00:02' } },
  },
  Mounts: [{ Source: '/srv/data' }],
};

test('secret-looking keys', () => {
  for (const k of ['db.password', 'API_KEY', '--token', 'Authorization', 'DB_PASSWD', 'client_secret', 'aws.credentials', 'apikey'])
    assert.ok(secretKey(k), k);
  for (const k of ['com.docker.compose.project', 'PATH', '--port', 'listen', 'maintainer']) assert.ok(!secretKey(k), k);
});

test('containers.json: env values, secret labels, options and arguments are replaced; network facts are not', () => {
  const { snapshot, summary } = redactSnapshot(snapshotWith({ [FACT.containers]: [INSPECT] }));
  const [c] = JSON.parse(snapshot.facts.get(FACT.containers)!.text);
  assert.deepEqual(c.Config.Env, ['POSTGRES_PASSWORD=<redacted>', 'PATH=<redacted>', 'NO_VALUE', 'EMPTY=<redacted>']);
  assert.deepEqual(c.Config.Labels, {
    'db.password': REDACTED,
    'com.docker.compose.project': 'shop',
    API_KEY: REDACTED,
    'empty.token': '',
  });
  assert.deepEqual(c.Args, ['postgres', '--password=<redacted>', '-c', 'shared_buffers=128MB']);
  assert.deepEqual(c.Config.Cmd, ['postgres', '--token', REDACTED, '--auth-file=<redacted>', 'listen=0.0.0.0']);
  assert.equal(
    c.Config.Entrypoint[2],
    'exec app --client-secret <redacted> --port 80 DB_PASSWD=<redacted> && curl -H "Authorization: <redacted>" http://x',
  );
  assert.deepEqual(c.Config.Healthcheck.Test, ['CMD-SHELL', 'pg_isready --password=<redacted>']);
  assert.deepEqual(c.HostConfig.LogConfig.Config, { 'splunk-token': REDACTED, 'splunk-url': 'https://splunk:8088' });
  assert.deepEqual(c.HostConfig.Mounts[0].VolumeOptions.DriverConfig.Options, { o: 'addr=10.0.0.1', password: REDACTED });
  assert.equal(c.Path, 'docker-entrypoint.sh');
  assert.deepEqual(c.NetworkSettings, INSPECT.NetworkSettings, 'SandboxKey holds "key" but is a network fact, not a secret');
  assert.deepEqual(c.Mounts, INSPECT.Mounts);
  const text = snapshot.facts.get(FACT.containers)!.text;
  for (const secret of ['hunter2', 'k-123', 'tok-456', 's3cr3t', 'pw1', 'abc.def', 'hc-pass', 'spl-789', 'cifs-pw', '/run/secrets/x'])
    assert.ok(!text.includes(secret), secret);
  assert.deepEqual(summary.counts[FACT.containers], { env: 3, label: 2, arg: 7, option: 2 });
  assert.equal(summary.replacement, REDACTED);
});

test('the container list shape (Labels, Command at the top) is redacted too', () => {
  const listed = { Id: 'e'.repeat(64), Names: ['/x'], State: 'running', Labels: { 'vault.token': 't' }, Command: 'run --secret=abc' };
  const { snapshot } = redactSnapshot(snapshotWith({ [FACT.containers]: [listed] }));
  const [c] = JSON.parse(snapshot.facts.get(FACT.containers)!.text);
  assert.deepEqual(c.Labels, { 'vault.token': REDACTED });
  assert.equal(c.Command, 'run --secret=<redacted>');
});

test('URL passwords anywhere in Engine JSON; network and engine labels; version untouched', () => {
  const { snapshot, summary } = redactSnapshot(
    snapshotWith({
      [FACT.containers]: [{ Id: 'a', Config: { Labels: { 'backup.target': 's3://AKIA:wJalr@bucket/x' } } }],
      [FACT.networks]: [
        {
          Name: 'n',
          Labels: { 'owner.token': 'x1' },
          Options: { 'com.docker.network.bridge.name': 'br0' },
          IPAM: { Options: { secret: 'x2' } },
        },
      ],
      [FACT.engineInfo]: { Labels: ['env=prod', 'registry.auth=x3'], HttpProxy: 'http://user:pass@proxy:3128' },
      [FACT.engineVersion]: { Version: '20.10.24' },
    }),
  );
  assert.ok(!snapshot.facts.get(FACT.containers)!.text.includes('wJalr'));
  assert.match(snapshot.facts.get(FACT.containers)!.text, /s3:\/\/AKIA:<redacted>@bucket/);
  const [n] = JSON.parse(snapshot.facts.get(FACT.networks)!.text);
  assert.deepEqual(n.Labels, { 'owner.token': REDACTED });
  assert.deepEqual(n.Options, { 'com.docker.network.bridge.name': 'br0' });
  assert.deepEqual(n.IPAM.Options, { secret: REDACTED });
  const info = JSON.parse(snapshot.facts.get(FACT.engineInfo)!.text);
  assert.deepEqual(info.Labels, ['env=prod', 'registry.auth=<redacted>']);
  assert.equal(info.HttpProxy, 'http://user:<redacted>@proxy:3128');
  assert.equal(snapshot.facts.get(FACT.engineVersion)!.text, '{"Version":"20.10.24"}');
  assert.equal(summary.counts[FACT.engineVersion], undefined);
});

test('a JSON file that does not parse is left out and said to be missing, never saved unredacted', () => {
  const before = snapshotWith({ [FACT.containers]: '[{"Config":{"Env":["A=secret"]}', [FACT.ipAddrText]: 'text stays' });
  const { snapshot } = redactSnapshot(before);
  assert.equal(snapshot.facts.has(FACT.containers), false);
  assert.equal(snapshot.facts.get(FACT.ipAddrText)?.text, 'text stays');
  assert.match(snapshot.missing.find((m) => m.path === FACT.containers)?.reason ?? '', /not valid JSON, so it could not be redacted/);
  assert.equal(before.facts.has(FACT.containers), true, 'the original snapshot is not changed');
});

test('argument rules: a flag value in the next argument, but not another flag', () => {
  const counts: Record<string, number> = {};
  assert.deepEqual(redactArgs(['--password', '--verbose', 'x', '--api-key', 'k', 'TOKEN=', 7], counts), [
    '--password',
    '--verbose',
    'x',
    '--api-key',
    REDACTED,
    'TOKEN=',
    7,
  ]);
  assert.deepEqual(counts, { arg: 1 });
});
