// --host URLs and --context names: every form docknet reads, and a usage error naming what it does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextHost, contextMetaPath } from '../../src/gather/docker-context.js';
import { parseHostUrl } from '../../src/gather/host-url.js';
import { UsageError } from '../../src/model/errors.js';
import { repoPath } from '../repo-path.js';

test('parseHostUrl: unix, tcp and ssh, with and without user, port and socket path', () => {
  assert.deepEqual(parseHostUrl('unix:///run/docker-28.sock'), {
    kind: 'unix',
    url: 'unix:///run/docker-28.sock',
    path: '/run/docker-28.sock',
  });
  assert.deepEqual(parseHostUrl('tcp://127.0.0.1:2375'), { kind: 'tcp', url: 'tcp://127.0.0.1:2375', host: '127.0.0.1', port: 2375 });
  assert.deepEqual(parseHostUrl('tcp://[::1]:2376'), { kind: 'tcp', url: 'tcp://[::1]:2376', host: '::1', port: 2376 });
  assert.deepEqual(parseHostUrl('ssh://root@127.0.0.1:2222/run/docker-28.sock'), {
    kind: 'ssh',
    url: 'ssh://root@127.0.0.1:2222/run/docker-28.sock',
    user: 'root',
    host: '127.0.0.1',
    port: 2222,
    socket: '/run/docker-28.sock',
  });
  assert.deepEqual(parseHostUrl('ssh://node-1.example'), {
    kind: 'ssh',
    url: 'ssh://node-1.example',
    user: null,
    host: 'node-1.example',
    port: null,
    socket: null,
  });
  assert.equal((parseHostUrl('ssh://deploy@[fd00::5]/') as { host: string; socket: null }).host, 'fd00::5');
});

test('parseHostUrl: what it refuses is a usage error naming the URL and why', () => {
  const cases: [string, RegExp][] = [
    ['docker.example:2375', /not a URL/],
    ['http://x:1', /'http:\/\/' is not a transport/],
    ['unix://run/docker.sock', /absolute path/],
    ['tcp://127.0.0.1', /needs a port/],
    ['tcp://127.0.0.1:99999', /'99999' is not a port/],
    ['tcp://127.0.0.1:2375/v1', /no path/],
    ['ssh://-oProxyCommand=x', /is not a host name/],
    ['ssh://ro ot@h', /is not a user name/],
    ['ssh://root@h:22/run/x y.sock', /is not a socket path/],
    ['ssh://root@:22', /no host name/],
  ];
  for (const [url, why] of cases) {
    assert.throws(
      () => parseHostUrl(url),
      (e: unknown) => e instanceof UsageError && e.message.includes(`'${url}'`) && why.test(e.message),
      url,
    );
  }
});

test('contextHost: the docker CLI store of test/fixtures/docker-context; an unknown name is a usage error naming it', () => {
  const env = { DOCKER_CONFIG: repoPath('test/fixtures/docker-context') };
  assert.equal(contextHost('fleetfix', env), 'ssh://root@192.0.2.10:2222/run/docker-28.sock');
  assert.match(
    contextMetaPath('fleetfix', env),
    /contexts\/meta\/37d7b63192a0925dfd844801a57cd1b2de127a0bc7b78eb8e145139e8102d8df\/meta\.json$/,
  );
  assert.throws(
    () => contextHost('nosuch', env),
    (e: unknown) => e instanceof UsageError && /--context 'nosuch': no such Docker context/.test(e.message),
  );
  assert.equal(contextHost('default', { DOCKER_HOST: 'unix:///run/docker-26.sock' }), 'unix:///run/docker-26.sock');
});
