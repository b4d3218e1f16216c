// Engine test: docknet never changes the host it inspects. The host's netfilter rules (iptables,
// ip6tables, the legacy backend, nftables), links, addresses, routes, named network namespaces,
// network sysctls, loaded modules, the processes inside every lab container and the containers'
// state are recorded, every docknet command in `docknet --help` is run, and all is recorded again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_WEB_PORT, C, LAB_FILTER, LAB_LABEL } from '../../lab/lab-spec.js';
import { which } from '../../lab/engine.js';
import { lines, must, run } from '../../lab/run.js';
import { runDocknet, withLab } from './harness.js';

type HostState = Map<string, string>;

/** A command's output, or why there is none (a missing tool is a state too, and must stay missing). */
async function output(command: string[]): Promise<string> {
  const r = await run(command);
  if (r.errorCode === 'ENOENT') return `(${command[0]} not installed)`;
  if (r.exitCode !== 0) return `(exit ${r.exitCode}: ${r.stderr.trim()})`;
  return r.stdout;
}

function file(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    return `(${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`;
  }
}

// Traffic moves counters and clocks move lifetimes: those are not changes made by docknet.
const saveRules = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[-]'))
    .join('\n');
const nftRules = (text: string): string => text.replace(/counter packets \d+ bytes \d+/g, 'counter');
const lifetimes = (text: string): string => text.replace(/(valid_lft|preferred_lft) \S+/g, '$1 -');
// A bridge's timers (gc_timer, hello_timer, ...) count down on their own.
const timers = (text: string): string => text.replace(/(\w+_timer)\s+[\d.]+/g, '$1 -');

async function record(labContainers: string[]): Promise<HostState> {
  const s: HostState = new Map();
  s.set('iptables-save', saveRules(await output(['iptables-save'])));
  s.set('ip6tables-save', saveRules(await output(['ip6tables-save'])));
  if (which('iptables-legacy-save')) s.set('iptables-legacy-save', saveRules(await output(['iptables-legacy-save'])));
  s.set('nft list ruleset', nftRules(await output(['nft', '-s', 'list', 'ruleset'])));
  s.set('ip -d link', timers(await output(['ip', '-d', 'link'])));
  s.set('ip addr', lifetimes(await output(['ip', 'addr'])));
  s.set('ip route show table all', await output(['ip', 'route', 'show', 'table', 'all']));
  s.set('ip rule', await output(['ip', 'rule']));
  let netns: string;
  try {
    netns = readdirSync('/var/run/netns').sort().join('\n');
  } catch (err) {
    netns = `(${(err as NodeJS.ErrnoException).code})`;
  }
  s.set('ls /var/run/netns', netns);
  for (const key of [
    'ipv4/ip_forward',
    'ipv4/conf/all/forwarding',
    'ipv6/conf/all/forwarding',
    'bridge/bridge-nf-call-iptables',
    'bridge/bridge-nf-call-ip6tables',
    'ipv4/conf/docker0/route_localnet',
  ]) {
    s.set(`/proc/sys/net/${key}`, file(`/proc/sys/net/${key}`));
  }
  // doctor suggests `modprobe br_netfilter`: docknet itself must never load a module.
  s.set(
    'modules',
    file('/proc/modules')
      .split('\n')
      .map((l) => l.split(' ')[0])
      .sort()
      .join(' '),
  );
  s.set('lab containers', await output(['docker', 'ps', '-a', '--filter', LAB_FILTER, '--format', '{{.ID}} {{.Names}} {{.State}}']));
  s.set('lab networks', await output(['docker', 'network', 'ls', '--filter', LAB_FILTER, '--format', '{{.ID}} {{.Name}} {{.Driver}}']));
  for (const c of labContainers) {
    s.set(
      `docker inspect ${c}`,
      await output([
        'docker',
        'inspect',
        '-f',
        '{{.State.Status}} pid={{.State.Pid}} started={{.State.StartedAt}} restarts={{.RestartCount}} sandbox={{.NetworkSettings.SandboxKey}}',
        c,
      ]),
    );
    // Processes inside the container, by host pid: docknet never execs into a container.
    s.set(
      `docker top ${c}`,
      (await output(['docker', 'top', c, '-eo', 'pid,args'])).replace(
        /^.*\(exit 1: Error response from daemon: Container \S+ is not running\)$/,
        '(not running)',
      ),
    );
  }
  return s;
}

function differences(before: HostState, after: HostState): string[] {
  const out: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key) ?? '(absent)';
    const b = after.get(key) ?? '(absent)';
    if (a === b) continue;
    const la = new Set(a.split('\n'));
    const lb = new Set(b.split('\n'));
    const cut = (l: string): string => (l.length > 160 ? `${l.slice(0, 160)}…` : l);
    const gone = [...la].filter((l) => !lb.has(l)).map((l) => `  - ${cut(l)}`);
    const came = [...lb].filter((l) => !la.has(l)).map((l) => `  + ${cut(l)}`);
    out.push(`${key}:\n${[...gone, ...came].slice(0, 20).join('\n') || '  (order changed)'}`);
  }
  return out;
}

interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
}

async function eventsBetween(since: number, until: number): Promise<DockerEvent[]> {
  const text = await must([
    'docker',
    'events',
    '--since',
    String(Math.floor(since / 1000) - 1),
    '--until',
    String(Math.ceil(until / 1000) + 1),
    '--format',
    '{{json .}}',
  ]);
  return lines(text).map((l) => JSON.parse(l) as DockerEvent);
}

/** The commands `docknet --help` lists (help itself aside). */
function listedCommands(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1] as string).filter((c) => c !== 'help');
}

test('every docknet command leaves the host exactly as it was: rules, links, namespaces, sysctls, modules, container processes and state', async (t) => {
  const lab = await withLab(t);
  if (!lab) return;
  const dir = mkdtempSync(join(tmpdir(), 'docknet-readonly-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const labContainers = lines(await must(['docker', 'ps', '-a', '--filter', LAB_FILTER, '--format', '{{.Names}}'])).sort();
  assert.ok(labContainers.includes(C.tomcat01), 'the lab is up');

  const help = await runDocknet(['--help']);
  assert.equal(help.exitCode, 0);
  const listed = listedCommands(help.stdout);
  const vethJson = JSON.parse((await runDocknet(['veth-map', '--json'])).stdout) as { hostVeths: { name: string }[] };
  const aVeth = vethJson.hostVeths[0]?.name ?? 'veth0';
  const snap = join(dir, 'snap');
  const tgz = join(dir, 'snap.tar.gz');
  const commands: [string[], number[]][] = [
    [['--help'], [0]],
    [['--version'], [0]],
    [['veth-map'], [0]],
    [['veth-map', '--json'], [0]],
    [['veth-map', '--all'], [0]],
    [['veth-map', C.tomcat01, C.multi, aVeth], [0]],
    [['veth-map', '--json', '--all', C.sidecar], [0]],
    ...labContainers.map((c): [string[], number[]] => [['inspect', c], [0]]),
    [['inspect', '--json', C.multi], [0]],
    [['nat'], [0]],
    [['nat', '--json'], [0]],
    [['nat', '--port', '49154'], [0]],
    [['nat', '--port', '5353/udp'], [0]],
    [['nat', '--port', '127.0.0.1:8081'], [0]],
    [['reach', 'outside', 'host:49154'], [0]],
    [['reach', 'host', `${C.web}:8080`, '--json'], [0]],
    [['reach', C.multi, `${C.tomcat01}:8080`], [0]],
    [['reach', '--exposure'], [0]],
    [['doctor'], [0, 1]],
    [
      ['doctor', '--json'],
      [0, 1],
    ],
    [['graph'], [0]],
    [['graph', '--format', 'dot', C.web, C.sidecar], [0]],
    [['graph', '--format', 'mermaid', '--json'], [0]],
    [['graph', '--exposure', '--format', 'dot'], [0]],
    [['graph', '--out', join(dir, 'host.svg')], [0]],
    [
      ['reach', 'outside', `host:${LAB_WEB_PORT}`],
      [0, 1],
    ],
    [['explain'], [0]],
    [['explain', '--json'], [0]],
    [['overlay'], [0, 1]],
    [
      ['overlay', '--json'],
      [0, 1],
    ],
    [['report', '--html', join(dir, 'report.html')], [0]],
    [['snapshot', 'save', snap], [0]],
    [['snapshot', 'save', tgz], [0]],
    [['veth-map', '--from', snap], [0]],
    [['nat', '--from', tgz], [0]],
    [['reach', '--exposure', '--json', '--from', tgz], [0]],
    [['inspect', C.web, '--from', snap], [0]],
    [
      ['doctor', '--from', tgz],
      [0, 1],
    ],
  ];
  const exercised = new Set(commands.map(([args]) => args[0]));
  assert.deepEqual(
    listed.filter((c) => !exercised.has(c)),
    [],
    'every command in --help is run here: add the new one',
  );

  // Another test run on this host may change it at the same moment (its own containers); then the
  // comparison is repeated. docknet itself never makes a Docker event.
  let problems: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    // A veth made a moment ago (the lab, a restart) finishes IPv6 duplicate address detection on its
    // own, which adds a local route: wait for the kernel to settle so that its work is not blamed on docknet.
    for (let i = 0; i < 20 && (await must(['ip', '-6', 'addr', 'show', 'tentative'])).trim() !== ''; i++)
      await new Promise((r) => setTimeout(r, 500));
    const before = await record(labContainers);
    const since = Date.now();
    for (const [args, ok] of commands) {
      const r = await runDocknet(args, { timeoutMs: 120_000 });
      assert.ok(ok.includes(r.exitCode), `docknet ${args.join(' ')}: exit ${r.exitCode}\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /unexpected error/, `docknet ${args.join(' ')}`);
    }
    const until = Date.now();
    const after = await record(labContainers);
    // `docker top` (this test's own recording) is a read, and an event.
    const events = (await eventsBetween(since, until)).filter((e) => e.Action !== 'top');
    const onLab = events.filter(
      (e) => e.Actor.Attributes?.[LAB_LABEL] !== undefined || labContainers.includes(e.Actor.Attributes?.name ?? ''),
    );
    assert.deepEqual(
      onLab.map((e) => `${e.Type} ${e.Action} ${e.Actor.Attributes?.name ?? e.Actor.ID}`),
      [],
      'docknet made no Docker event on the lab (no exec, start, stop, connect)',
    );
    problems = differences(before, after);
    if (problems.length === 0) return;
    const foreign = events.filter((e) => !onLab.includes(e));
    if (foreign.length === 0) break;
    t.diagnostic(
      `attempt ${attempt}: the host changed while others were busy (${foreign.length} Docker events by other containers); comparing again`,
    );
  }
  assert.deepEqual(
    problems,
    [],
    `the host changed while docknet ran (if another test run was changing this host at that moment, run again):\n${problems.join('\n')}`,
  );
});
