// The two output forms through the real program (bin/docknet.js, the bundle): piped it prints the pipe
// form of the goldens, which `cut -f`, `awk -F'\t'` and grep read column by column; DOCKNET_FORCE_TTY
// gives the terminal form, coloured unless NO_COLOR or --no-color. No engine: the saved snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { repoPath } from '../repo-path.js';
import { GOLDEN_WIDTH } from './golden-cases.js';

const BIN = repoPath('bin/docknet.js');
const golden = (rel: string): string => readFileSync(repoPath(`test/golden/forms/${rel}`), 'utf8');

/** bin/docknet.js with stdout a pipe, in an environment of its own (none of this process's NO_COLOR or DOCKNET_FORCE_TTY). */
async function docknet(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await execa(process.execPath, [BIN, ...args], {
    cwd: repoPath('.'),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', ...env },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    stdin: 'ignore',
    timeout: 60_000,
  });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A real shell tool (cut, awk, grep) reading `input` on its stdin. */
async function tool(argv: string[], input: string): Promise<string> {
  const r = await execa(argv[0] as string, argv.slice(1), { input, reject: false, stripFinalNewline: false });
  assert.ok(r.exitCode === 0 || (argv[0] === 'grep' && r.exitCode === 1), `${argv.join(' ')}: exit ${r.exitCode} ${r.stderr}`);
  return String(r.stdout);
}

test('piped, docknet prints the pipe form: exactly the pipe goldens', async () => {
  for (const command of ['veth-map', 'nat']) {
    const r = await docknet([command, '--from', 'examples/seed-host']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, golden(`seed-host/${command}.pipe.txt`), `${command} piped`);
  }
});

test('veth-map | cut -f1: the first column of every table, whole', async () => {
  const out = await tool(['cut', '-f1'], golden('seed-host/veth-map.pipe.txt'));
  const firsts = out.split('\n');
  const tables = firsts.slice(firsts.indexOf('CONTAINER'), firsts.indexOf('Notes:'));
  assert.deepEqual(tables, [
    'CONTAINER',
    'tomcat01',
    'tomcat-tml',
    '',
    'HOST VETH',
    'veth1f00e42@if10',
    'vethd4ac7ba@if8',
    '',
    'HOST INTERFACE',
    'lo',
    'ens33',
    'virbr0',
    'virbr0-nic',
    'docker0',
    '',
  ]);
});

test("awk -F'\\t' and grep read one value of one row, long cells whole", async () => {
  const veth = golden('seed-host/veth-map.pipe.txt');
  assert.equal(await tool(['awk', '-F\t', '$1 == "tomcat01" { print $6 }'], veth), 'veth1f00e42 (11)\n');
  assert.equal(await tool(['awk', '-F\t', '$1 == "vethd4ac7ba@if8" { print $4 "," $5 "," $6 }'], veth), 'docker0,-,[3]\n');
  // The role is one field, as long as it is: nothing wraps or is cut in a pipe.
  assert.equal(
    await tool(['awk', '-F\t', '$1 == "ens33" { print $4 }'], veth),
    'probably the uplink (inference: the one other interface with a global IPv4 address; no routes in the data)\n',
  );
  const fromGrep = await tool(['grep', '-P', '^veth1f00e42@if10\t'], veth);
  assert.equal(await tool(['cut', '-f5'], fromGrep), 'tomcat01 eth0\n');

  const nat = golden('lab-snapshot/nat.pipe.txt');
  assert.equal(
    await tool(['awk', '-F\t', '$1 == "0.0.0.0:49154/tcp" { print $2, $3, $7, $8, $10 }'], nat),
    'tomcat-tml 172.17.0.147:8080 DOCKER 6 6 DNAT\n',
  );
  // Every mapping of one container, by its column.
  const ofWeb = await tool(['awk', '-F\t', '$2 == "lab-web" { print $1 }'], nat);
  assert.equal(ofWeb, '0.0.0.0:18080/tcp\n[::]:18080/tcp\n');
});

test("every table of every pipe golden: each row has its header's fields, no padding, no colour", () => {
  const dir = repoPath('test/golden/forms');
  let tables = 0;
  for (const snapshot of readdirSync(dir))
    for (const file of readdirSync(`${dir}/${snapshot}`).filter((f) => f.endsWith('.pipe.txt'))) {
      const lines = golden(`${snapshot}/${file}`).split('\n');
      assert.ok(!lines.some((l) => l.includes('\u001b[')), `${file}: no escape sequence`);
      for (let i = 0; i < lines.length; i++) {
        const header = lines[i] as string;
        if (!/^[A-Z][A-Z ()]*\t/.test(header)) continue;
        tables++;
        const fields = header.split('\t').length;
        for (let j = i + 1; j < lines.length && lines[j] !== ''; j++) {
          const row = lines[j] as string;
          assert.equal(row.split('\t').length, fields, `${snapshot}/${file}:${j + 1}: ${JSON.stringify(row)}`);
          assert.ok(!/ {2}|\t | \t|^ | $/.test(row), `${snapshot}/${file}:${j + 1} is padded: ${JSON.stringify(row)}`);
        }
      }
    }
  assert.ok(tables >= 10, `${tables} tables`);
});

test('DOCKNET_FORCE_TTY gives the terminal form when piped: its width, or 1 with COLUMNS; colour unless NO_COLOR or --no-color', async () => {
  const terminal = golden('seed-host/veth-map.terminal.txt');
  const args = ['veth-map', '--from', 'examples/seed-host'];
  assert.equal((await docknet(args, { DOCKNET_FORCE_TTY: String(GOLDEN_WIDTH), NO_COLOR: '1' })).stdout, terminal);
  assert.equal((await docknet(args, { DOCKNET_FORCE_TTY: '1', COLUMNS: String(GOLDEN_WIDTH), NO_COLOR: '1' })).stdout, terminal);
  assert.equal((await docknet([...args, '--no-color'], { DOCKNET_FORCE_TTY: String(GOLDEN_WIDTH) })).stdout, terminal);
  const coloured = (await docknet(args, { DOCKNET_FORCE_TTY: String(GOLDEN_WIDTH) })).stdout;
  assert.match(coloured, /^\u001b\[1mCONTAINER\u001b\[22m {4}/m);
  assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), terminal);
  // --json is the same in every form.
  const json = await docknet(['veth-map', '--json', '--from', 'examples/seed-host']);
  assert.equal((await docknet(['veth-map', '--json', '--from', 'examples/seed-host'], { DOCKNET_FORCE_TTY: '40' })).stdout, json.stdout);
  assert.equal(JSON.parse(json.stdout).schemaVersion, 3);
});
