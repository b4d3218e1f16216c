import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { repoPath } from '../repo-path.js';

const seed = repoPath('examples/seed-host');

async function run(args: string[]) {
  const io = memoryIO();
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

test('veth-map --from the seed prints the snapshot notice once and the pair', async () => {
  const r = await run(['veth-map', '--from', seed]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.match(/Describes a saved snapshot/g)?.length, 1);
  assert.match(r.out, /tomcat01\s+-\s+unknown\s+eth0@if11\s+10\s+veth1f00e42 \(11\)\s+docker0/);
});

test('a host veth name is a reverse lookup', async () => {
  const r = await run(['veth-map', '--json', '--from', seed, 'veth1f00e42']);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.equal(json.schemaVersion, 1);
  assert.deepEqual(
    json.interfaces.map((i: { container: string }) => i.container),
    ['tomcat01'],
  );
  assert.deepEqual(
    json.hostVeths.map((v: { name: string }) => v.name),
    ['veth1f00e42'],
  );
});

test('an unknown target exits 1 naming it, with the closest names', async () => {
  const r = await run(['veth-map', '--from', seed, 'tomcat1']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /no container or host veth matches 'tomcat1'/);
  assert.match(r.err, /closest names: tomcat01/);
});

test('an unknown flag exits 2 with usage', async () => {
  const r = await run(['veth-map', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option '--bogus'/);
  assert.match(r.err, /Usage: docknet veth-map/);
});

test('a --from path that does not exist exits 1 saying so', async () => {
  const r = await run(['veth-map', '--from', '/nonexistent/snap']);
  assert.equal(r.code, 1);
  assert.match(r.err, /no snapshot at \/nonexistent\/snap: the path does not exist/);
  assert.doesNotMatch(r.err, /at .*\.js:\d+/);
});

test('an engine that cannot be reached exits 1 naming DOCKER_HOST, without a stack trace', async () => {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
  try {
    const r = await run(['veth-map']);
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot reach the Docker engine at DOCKER_HOST=unix:\/\/\/nonexistent\/docker.sock: no such socket/);
    assert.match(r.err, /Next: start the engine/);
    assert.doesNotMatch(r.err, /at .*\.js:\d+/);
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
});

test('no command is a usage error (exit 2); --help and --version succeed', async () => {
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['--help'])).code, 0);
  const v = await run(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.out, /^\d+\.\d+\.\d+\n$/);
});
