import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repoPath } from '../repo-path.js';
import { runCli } from '../cli-helper.js';

const seed = repoPath('examples/seed-host');

test('veth-map --from the seed prints the snapshot notice once and the pair', async () => {
  const r = await runCli(['veth-map', '--from', seed]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.match(/Describes a saved snapshot/g)?.length, 1);
  assert.match(r.stdout, /tomcat01\s+-\s+unknown\s+eth0@if11\s+10\s+veth1f00e42 \(11\)\s+docker0/);
});

test('a host veth name is a reverse lookup', async () => {
  const r = await runCli(['veth-map', '--json', '--from', seed, 'veth1f00e42']);
  assert.equal(r.code, 0, r.stderr);
  const json = r.json();
  assert.equal(json.schemaVersion, 3);
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
  const r = await runCli(['veth-map', '--from', seed, 'tomcat1']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /no container or host veth matches 'tomcat1'/);
  assert.match(r.stderr, /closest names: tomcat01/);
});

test('an unknown flag exits 2, pointing at the help of veth-map', async () => {
  const r = await runCli(['veth-map', '--bogus']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "docknet: unknown option '--bogus'\nRun 'docknet veth-map --help' for usage.\n");
});

test('a --from path that does not exist exits 1 saying so', async () => {
  const r = await runCli(['veth-map', '--from', '/nonexistent/snap']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no snapshot at \/nonexistent\/snap: the path does not exist/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('an engine that cannot be reached exits 1 naming DOCKER_HOST, without a stack trace', async () => {
  const r = await runCli(['veth-map'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot reach the Docker engine at DOCKER_HOST=unix:\/\/\/nonexistent\/docker.sock: no such socket/);
  assert.match(r.stderr, /Next: start the engine/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
});

test('no command is a usage error (exit 2); --help and --version succeed', async () => {
  assert.equal((await runCli([])).code, 2);
  assert.equal((await runCli(['--help'])).code, 0);
  const v = await runCli(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('snapshot with no command, or one it does not have, is the one usage-error form pointing at its help', async () => {
  const none = await runCli(['snapshot']);
  assert.equal(none.code, 2);
  assert.equal(
    none.stderr,
    "docknet: snapshot needs a command: save <path> or import <transcript> <path>\nRun 'docknet snapshot --help' for usage.\n",
  );
  assert.equal(none.stdout, '');
  const bogus = await runCli(['snapshot', 'bogus']);
  assert.equal(bogus.code, 2);
  assert.equal(bogus.stderr, "docknet: unknown command 'bogus'\nRun 'docknet snapshot --help' for usage.\n");
  assert.equal((await runCli(['snapshot', '--help'])).code, 0);
  assert.equal((await runCli(['help', 'snapshot'])).code, 0);
});

test('a relative --from is read from the working directory docknet was given, and named as typed', async () => {
  const r = await runCli(['veth-map', '--from', 'seed-host'], { cwd: repoPath('examples') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /loaded from seed-host/);
  const elsewhere = await runCli(['veth-map', '--from', 'seed-host'], { cwd: repoPath('test') });
  assert.equal(elsewhere.code, 1);
  assert.match(elsewhere.stderr, /no snapshot at seed-host: the path does not exist/);
});
