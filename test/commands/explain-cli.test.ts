// docknet explain through the CLI: Markdown when piped (or --markdown), plain text on a terminal, JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';

const SEED = repoPath('examples/seed-host');

test('explain: Markdown when piped, plain text on a terminal, --markdown forces Markdown, --json is versioned', async () => {
  const piped = await runCli(['explain', '--from', SEED]);
  assert.equal(piped.code, 0, piped.stderr);
  assert.match(piped.stdout, /^# What this host's networking is, in words\n/);
  assert.match(
    piped.stdout,
    /\n## `iptables -t nat -vnL` on the host \(host\/iptables-nat\.txt\), line by line\n\n23 of 23 lines explained\.\n/,
  );
  assert.match(piped.stdout, /\n22\. ` {4}6 {3}312 DNAT .*` {2}\n {3}TCP packets not arriving on docker0/);
  const tty = await runCli(['explain', '--from', SEED], { isTTY: true, width: 120 });
  assert.doesNotMatch(tty.stdout, /^#|\*\*/m);
  assert.match(tty.stdout, /^Host interfaces\n=+\n- lo \(ifindex 1, 127\.0\.0\.1\/8\): loopback\.$/m);
  assert.match(tty.stdout, /^22 \| {5}6 {3}312 DNAT/m);
  const forced = await runCli(['explain', '--markdown', '--from', SEED], { isTTY: true });
  assert.match(forced.stdout, /^# /);
  const json = (await runCli(['explain', '--json', '--from', SEED])).json();
  assert.equal(json.schemaVersion, 1);
  const nat = json.listings.find((l: { file: string }) => l.file === 'host/iptables-nat.txt');
  assert.deepEqual([nat.explained, nat.lines], [23, 23]);
  assert.deepEqual(json.unexplained, []);
});
