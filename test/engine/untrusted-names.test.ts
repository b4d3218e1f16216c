// Engine test: names and labels that carry shell code, quotes, newlines and ANSI escapes reach every
// command (network names, a Linux bridge name, label keys and values, iptables rules that name that
// bridge), and nothing is executed, no raw control character reaches the terminal, and --json keeps
// every string exactly as the engine and the kernel hold it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeText } from '../../src/render/escape.js';
import { LAB_IMAGE, TEST_LABEL } from '../../lab/lab-spec.js';
import { must, run } from '../../lab/run.js';
import { REPO_ROOT, TEST_RUN_ID, runDocknet, withLab, type CliResult } from './harness.js';
import { parseGraphvizSvg } from '../svg-graph.js';

const RID = randomBytes(3).toString('hex');
const PWNED = `/tmp/pwned-${RID}`;
// Interface names cannot hold '/' or blanks, so the bridge's shell code makes a file in the shell's cwd.
const PWNED_REL = `pw${RID}`;
const TOUCH = `$(touch ${PWNED})`;
const BACKTICKS = `\`touch ${PWNED}\``;

// Docker 20.10 takes any network name; the Linux bridge name is checked only by the kernel (no '/', no blanks, 15 bytes).
const NET_SHELL = `dn-${TOUCH}${BACKTICKS};'"x-${RID}`;
const NET_ANSI = `dn-\u001b[31mred\u001b[0m\nsecond line\u0007-${RID}`;
const BRIDGE = `$(>${PWNED_REL})`;
const CONTAINER_SHELL = `a.b-c_d-${RID}`;
const CONTAINER_ANSI = `x-${RID}.y`;
const LABELS: Record<string, string> = {
  evil: TOUCH,
  tick: BACKTICKS,
  quotes: `'"\\`,
  newline: 'line1\nline2\r\nline3',
  ansi: '\u001b[31mRED\u001b[0m\u0007\u001b]0;title\u0007',
  // Label keys may not hold blanks: ${IFS} is one to a shell.
  [`k$(touch\${IFS}${PWNED})`]: 'key with shell code',
};

/** Every C0 control character but the newline, DEL, and the C1 range: none may reach a terminal raw. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function assertPrintable(what: string, text: string): void {
  const m = RAW_CONTROL.exec(text);
  assert.equal(
    m,
    null,
    `${what}: raw control character U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`,
  );
}

/** Every string value in a JSON document. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(k), strings(x, out);
  return out;
}

function nothingExecuted(): void {
  const places = [PWNED, ...[REPO_ROOT, '/', tmpdir(), '/tmp', homedir(), process.cwd()].map((d) => join(d, PWNED_REL))];
  for (const p of places) assert.equal(existsSync(p), false, `${p} exists: a name was run by a shell`);
}

test('names, labels and a bridge name with shell code, quotes, newlines and ANSI escapes: escaped, exact in JSON, never run', async (t) => {
  if (!(await withLab(t))) return;
  const label = ['--label', `${TEST_LABEL}=${TEST_RUN_ID}`];
  const snapDir = mkdtempSync(join(tmpdir(), 'docknet-untrusted-'));
  const networks: string[] = [];
  t.after(async () => {
    await run(['docker', 'rm', '-f', '-v', CONTAINER_SHELL, CONTAINER_ANSI]);
    for (const id of networks) await run(['docker', 'network', 'rm', id]);
    rmSync(snapDir, { recursive: true, force: true });
  });

  networks.push(
    (await must(['docker', 'network', 'create', ...label, '-o', `com.docker.network.bridge.name=${BRIDGE}`, NET_SHELL])).trim(),
  );
  networks.push((await must(['docker', 'network', 'create', ...label, NET_ANSI])).trim());
  const labelFlags = Object.entries(LABELS).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await must([
    'docker',
    'run',
    '-d',
    '--name',
    CONTAINER_SHELL,
    ...label,
    ...labelFlags,
    '--network',
    networks[0]!,
    '-p',
    '127.0.0.1::8080',
    LAB_IMAGE,
    'sleep',
    '2147483647',
  ]);
  await must([
    'docker',
    'run',
    '-d',
    '--name',
    CONTAINER_ANSI,
    ...label,
    ...labelFlags,
    '--network',
    networks[1]!,
    LAB_IMAGE,
    'sleep',
    '2147483647',
  ]);
  // The kernel holds the bridge under the name given, shell code and all.
  const links = JSON.parse(await must(['ip', '-j', 'link', 'show', 'dev', BRIDGE])) as { ifname: string }[];
  assert.equal(links[0]?.ifname, BRIDGE);

  const runs: [string[], CliResult][] = [];
  const docknet = async (args: string[], ok: number[] = [0]): Promise<CliResult> => {
    const r = await runDocknet(args);
    runs.push([args, r]);
    assert.ok(ok.includes(r.exitCode), `docknet ${args.join(' ')}: exit ${r.exitCode}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /unexpected error/, `docknet ${args.join(' ')}`);
    return r;
  };

  // veth-map: the network names and the bridge name are printed, escaped.
  const text = await docknet(['veth-map']);
  for (const name of [NET_SHELL, NET_ANSI, BRIDGE, CONTAINER_SHELL, CONTAINER_ANSI]) {
    assert.ok(text.stdout.includes(escapeText(name)), `veth-map shows ${JSON.stringify(escapeText(name))}`);
  }
  const json = JSON.parse((await docknet(['veth-map', '--json'])).stdout) as {
    interfaces: { container: string; network: string | null; bridge: string | null; hostVeth: string | null }[];
  };
  const rowShell = json.interfaces.find((r) => r.container === CONTAINER_SHELL);
  const rowAnsi = json.interfaces.find((r) => r.container === CONTAINER_ANSI);
  assert.equal(rowShell?.network, NET_SHELL, 'the exact network name in JSON');
  assert.equal(rowShell?.bridge, BRIDGE, 'the exact bridge name in JSON');
  assert.notEqual(rowShell?.hostVeth, null, 'paired through the oddly named bridge');
  assert.equal(rowAnsi?.network, NET_ANSI, 'newline, ESC and BEL kept in JSON');

  for (const name of [CONTAINER_SHELL, CONTAINER_ANSI]) {
    await docknet(['veth-map', name]);
    await docknet(['veth-map', '--json', name]);
    await docknet(['inspect', name]);
    await docknet(['inspect', '--json', name]);
  }
  await docknet(['veth-map', '--all']);
  await docknet(['veth-map', '--json', rowShell!.hostVeth!]);
  const nat = await docknet(['nat']);
  assert.ok(nat.stdout.includes(escapeText(BRIDGE)), 'nat shows the bridge of the published port, escaped');
  await docknet(['nat', '--json']);
  await docknet(['doctor'], [0, 1]);
  await docknet(['doctor', '--json'], [0, 1]);
  await docknet(['snapshot', 'save', join(snapDir, 'snap')]);
  await docknet(['snapshot', 'save', join(snapDir, 'snap.tar.gz')]);
  await docknet(['veth-map', '--from', join(snapDir, 'snap')]);
  const fromJson = JSON.parse((await docknet(['veth-map', '--json', '--from', join(snapDir, 'snap.tar.gz')])).stdout) as typeof json;
  assert.equal(fromJson.interfaces.find((r) => r.container === CONTAINER_ANSI)?.network, NET_ANSI, 'a saved snapshot keeps the exact name');
  await docknet(['nat', '--from', join(snapDir, 'snap')]);
  await docknet(['doctor', '--from', join(snapDir, 'snap.tar.gz')], [0, 1]);
  // The picture, the notebook and the report carry the same names: escaped for DOT, Mermaid, SVG and HTML.
  await docknet(['graph', '--format', 'dot']);
  await docknet(['graph', '--format', 'mermaid']);
  await docknet(['graph', '--json']);
  const svg = await docknet(['graph']);
  assert.ok(
    parseGraphvizSvg(svg.stdout).nodes.some((n) => n.texts.some((t) => t.startsWith(escapeText(BRIDGE)))),
    'the SVG names the bridge, as text',
  );
  await docknet(['explain']);
  await docknet(['explain', '--json']);
  await docknet(['report', '--html', join(snapDir, 'report.html')]);
  assertPrintable('report.html', readFileSync(join(snapDir, 'report.html'), 'utf8'));

  const exact = new Set([NET_SHELL, NET_ANSI, BRIDGE, ...Object.keys(LABELS), ...Object.values(LABELS)]);
  for (const [args, r] of runs) {
    const what = `docknet ${args.map((a) => JSON.stringify(a)).join(' ')}`;
    assertPrintable(`${what} stderr`, r.stderr);
    if (!args.includes('--json')) {
      assertPrintable(`${what} stdout`, r.stdout);
      continue;
    }
    // JSON may carry any character, escaped by JSON itself; each odd string must be exact, not mangled.
    assertPrintable(`${what} stdout (JSON text)`, r.stdout);
    for (const s of strings(JSON.parse(r.stdout))) {
      if (s.includes(RID) && (s.includes('$(') || s.includes('\u001b'))) {
        assert.ok(
          exact.has(s) || [...exact].some((e) => s.includes(e)),
          `${what}: ${JSON.stringify(s)} is a mangled copy of an input string`,
        );
      }
    }
  }
  nothingExecuted();
});
