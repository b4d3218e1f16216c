// Engine test: without root, veth-map still prints what the Engine API knows and says "needs root";
// without access to the socket it exits 1 naming the socket and the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { C } from '../../lab/lab-spec.js';
import { DOCKNET_BIN, REPO_ROOT, defaultBridge, engineWhere, re, withLab } from './harness.js';
import { dockerGid, dockerGroup, requireCapability } from '../capability.js';

const NOBODY = '65534';

async function asNobody(groups: string[], args: string[]) {
  const groupFlags = groups.length ? [`--groups=${groups.join(',')}`] : ['--clear-groups'];
  return execa('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, ...groupFlags, process.execPath, DOCKNET_BIN, ...args], {
    cwd: REPO_ROOT,
    reject: false,
    env: { NO_COLOR: '1' },
  });
}

test('not root but in the docker group: Engine API rows printed, the inside marked "needs root"', async (t) => {
  if (!(await withLab(t))) return;
  if (!(await requireCapability(t, 'the docker group', dockerGroup))) return;
  const gid = await dockerGid();
  const r = await asNobody([gid], ['veth-map', '--json', C.tomcat01]);
  assert.equal(r.exitCode, 0, r.stderr);
  const json = JSON.parse(r.stdout) as {
    interfaces: { container: string; ipv4: string | null; hostVeth: string | null; note: string | null }[];
  };
  const row = json.interfaces.find((i) => i.container === C.tomcat01);
  assert.ok(row);
  assert.match(row.ipv4 ?? '', (await defaultBridge()).prefix, 'the Engine API address is still there');
  assert.equal(row.hostVeth, null, 'no pairing is guessed without the inside');
  assert.match(row.note ?? '', /needs root \(permission denied\)/);
});

test('no access to the engine socket: exit 1 naming it and the fix, no stack trace', async (t) => {
  if (!(await withLab(t))) return;
  const r = await asNobody([], ['veth-map']);
  assert.equal(r.exitCode, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`cannot reach the Docker engine at ${re(engineWhere())}: permission denied on the socket`));
  assert.match(r.stderr, /add this user to the docker group/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
