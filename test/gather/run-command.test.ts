// What a host command's failure is recorded as: tool-missing (not installed), needs-root (EACCES,
// "you must be root"), or failed with the exit code and the first stderr line. Real processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandFailure, commandFailureOf, DEFAULT_TIMEOUT_MS, runCommand as runWith } from '../../src/gather/run-command.js';

/** This test process's PATH, handed in as docknet's CLI hands in its environment. */
const runCommand = (command: string[], timeoutMs = DEFAULT_TIMEOUT_MS) => runWith(command, timeoutMs, { PATH: process.env.PATH });

/** A node process that writes stderr and exits with code: a stand-in for a tool, without a shell. */
function tool(stderr: string, code: number): string[] {
  return [process.execPath, '-e', `process.stderr.write(${JSON.stringify(stderr)}); process.exit(${code})`];
}

test('a command that is not installed is tool-missing, naming the tool', async () => {
  const r = await runCommand(['docknet-test-no-such-tool', '-j']);
  assert.deepEqual(commandFailureOf(r, 'brctl (bridge-utils)'), {
    reason: 'brctl (bridge-utils) is not installed (command not found: docknet-test-no-such-tool)',
    cause: 'tool-missing',
  });
  assert.equal(
    commandFailure(r, 'brctl (bridge-utils)'),
    'brctl (bridge-utils) is not installed (command not found: docknet-test-no-such-tool)',
  );
});

test('a file that may not be executed (EACCES, even for root without an x bit) is needs-root', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'not-executable');
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o644);
  const r = await runCommand([file]);
  assert.equal(r.errorCode, 'EACCES');
  assert.deepEqual(commandFailureOf(r, 'iptables'), { reason: `permission denied running ${file}`, cause: 'needs-root' });
});

test('iptables "Permission denied (you must be root)" is needs-root, keeping the first stderr line', async () => {
  const r = await runCommand(
    tool('iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n', 4),
  );
  assert.deepEqual(commandFailureOf(r, 'iptables-save'), {
    reason:
      'iptables-save needs root (iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)): run with sudo',
    cause: 'needs-root',
  });
});

test('nft "Operation not permitted" is needs-root', async () => {
  const r = await runCommand(tool('netlink: Error: cache initialization failed: Operation not permitted\n', 1));
  assert.equal(commandFailureOf(r, 'nft (nftables)')?.cause, 'needs-root');
});

test('any other failure is failed, with the exit code and the first stderr line only', async () => {
  const cmd = tool('Error: either "dev" is duplicate, or "bogus" is a garbage.\nsecond line\n', 255);
  const r = await runCommand(cmd);
  assert.deepEqual(commandFailureOf(r, 'ip (iproute2)'), {
    reason: `${cmd.join(' ')} exited with 255: Error: either "dev" is duplicate, or "bogus" is a garbage.`,
    cause: 'failed',
  });
});

test('a command that succeeds has no failure', async () => {
  assert.equal(commandFailureOf(await runCommand(tool('a warning on stderr\n', 0)), 'x'), null);
});

test('a command stopped by the timeout is failed, saying so', async () => {
  const r = await runCommand([process.execPath, '-e', 'setTimeout(() => {}, 10000)'], 200);
  assert.equal(r.timedOut, true);
  const f = commandFailureOf(r, 'x');
  assert.equal(f?.cause, 'failed');
  assert.match(f?.reason ?? '', /did not answer within the timeout and was stopped$/);
});
