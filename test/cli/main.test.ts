// The commander program's edges (src/cli/main.ts): `help` agrees with `--help`, and every usage error,
// commander's and docknet's alike, has one form that points at the command's own help, with exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../cli-helper.js';

test('`docknet help` and `docknet --help` print the same and exit 0, for the program and for a command', async () => {
  const [help, flag] = [await runCli(['help']), await runCli(['--help'])];
  assert.deepEqual([help.code, flag.code], [0, 0]);
  assert.equal(help.stdout, flag.stdout);
  assert.match(help.stdout, /^Usage: docknet \[options\] \[command\]/);
  const [natHelp, natFlag] = [await runCli(['help', 'nat']), await runCli(['nat', '--help'])];
  assert.deepEqual([natHelp.code, natFlag.code], [0, 0]);
  assert.equal(natHelp.stdout, natFlag.stdout);
  assert.match(natHelp.stdout, /^Usage: docknet nat \[options\]/);
});

test('usage errors: one form, `docknet: <what>` then the help of the command it was in; exit 2, nothing on stdout', async () => {
  const cases: [string[], string, string][] = [
    [['nat', '--bogus'], "unknown option '--bogus'", 'docknet nat --help'],
    [['inspect'], "missing required argument 'container'", 'docknet inspect --help'],
    [['nat', '--port'], "option '--port <port>' argument missing", 'docknet nat --help'],
    [['snapshot', 'save'], "missing required argument 'path'", 'docknet snapshot save --help'],
    [['nosuch'], "unknown command 'nosuch'", 'docknet --help'],
    [['help', 'nosuch'], "unknown command 'nosuch'", 'docknet --help'],
    // docknet's own validation, after commander: the same form.
    [['nat', '--port', 'abc'], "invalid --port 'abc'", 'docknet nat --help'],
    [['graph', '--format', 'png'], "invalid --format 'png'", 'docknet graph --help'],
  ];
  for (const [args, what, help] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.ok(r.stderr.startsWith(`docknet: ${what}`), `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.endsWith(`\nRun '${help}' for usage.\n`), `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^error: |Usage: /m, "not commander's own wording, nor the whole help");
  }
});

test('no command at all: the program help on stderr, exit 2 (a usage error, not a request for help)', async () => {
  const r = await runCli([]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^Usage: docknet \[options\] \[command\]/);
});
