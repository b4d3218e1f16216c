// Host commands run with the environment docknet was given (its PATH, the C locale; nothing of the
// test process), and a timeout that stops the whole process tree. Runs node itself as the "host command".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { commandFailure, commandTimeoutMs, DEFAULT_TIMEOUT_MS, runCommand } from '../../src/gather/run-command.js';

const NODE = process.execPath;
const PATH = dirname(NODE);

test('the command sees the environment it was given, in the C locale, and nothing of the test process', async () => {
  const r = await runCommand(
    [
      'node',
      '-e',
      'process.stdout.write(JSON.stringify([process.env.LC_ALL, process.env.LANG, process.env.ONLY_HERE, process.env.HOME ?? null]))',
    ],
    10_000,
    { PATH, ONLY_HERE: 'yes', LC_ALL: 'de_DE.UTF-8' },
  );
  assert.equal(r.exitCode, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['C', 'C', 'yes', null]);
});

test('a tool not on the given PATH is "not installed", named', async () => {
  const r = await runCommand(['node', '-e', '0'], 10_000, { PATH: '/nonexistent' });
  assert.equal(r.errorCode, 'ENOENT');
  assert.equal(commandFailure(r, 'node'), 'node is not installed (command not found: node)');
});

test('a command that outlives its timeout is stopped with its children, and said so', async () => {
  // The child keeps stdout open: without killing the process group, docknet would wait for it.
  const script = `require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit' }); setTimeout(() => {}, 60000);`;
  const started = Date.now();
  const r = await runCommand([NODE, '-e', script], 500, { PATH });
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  assert.equal(r.timedOut, true);
  assert.equal(commandFailure(r, 'node'), `${NODE} -e ${script} did not answer within the timeout and was stopped`);
});

test('DOCKNET_COMMAND_TIMEOUT_MS is read from the environment given; anything but a positive integer keeps 15 s', () => {
  assert.equal(DEFAULT_TIMEOUT_MS, 15_000);
  assert.equal(commandTimeoutMs({ DOCKNET_COMMAND_TIMEOUT_MS: '2500' }), 2500);
  for (const bad of [undefined, '', '0', '-5', '1.5', 'soon'])
    assert.equal(commandTimeoutMs({ DOCKNET_COMMAND_TIMEOUT_MS: bad }), 15_000, String(bad));
});
