// docknet overlay against a real three-node swarm of Docker 28.5 (lab/swarm.ts; npm run test:engine --
// --engine 28 brings it up before this file and removes it after). Ground truth is real traffic between
// containers on different nodes, and the nodes' own iptables, ip and /proc, read here directly.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { execa } from 'execa';
import { GENERATION } from '../../lab/lab-spec.js';
import { run } from '../../lab/run.js';
import {
  SWARM_ENCRYPTED_CONTAINERS,
  SWARM_HTTP_PORT,
  SWARM_NET,
  SWARM_NODES,
  SWARM_OVERLAY_CONTAINERS,
  SWARM_SERVICE,
} from '../../lab/swarm-spec.js';
import { inNode, nodeEnv, readSwarmState } from '../../lab/swarm.js';
import { probe } from '../../lab/probe.js';
import { requireCapability } from '../capability.js';
import { DOCKNET_BIN, REPO_ROOT } from './harness.js';

interface Finding {
  kind: string;
  subject: string;
  severity: string;
  title: string;
  evidence: { source: string; text: string }[];
}
interface OverlayJson {
  schemaVersion: number;
  networks: {
    name: string;
    encrypted: boolean;
    nodes: { host: string; agreement: string; kernel: { known: boolean; value?: { vteps: string[] } }; missingInKernel: string[] }[];
  }[];
  findings: Finding[];
  unknowns: { subject: string; reason: string }[];
}

const [N1, N2, N3] = SWARM_NODES;
const dir = mkdtempSync(path.join(tmpdir(), 'docknet-swarm-'));
const snap = (node: (typeof SWARM_NODES)[number]) => path.join(dir, node.name);

async function swarmReady(): Promise<string | null> {
  if (GENERATION.id !== '28') return `the swarm tests run on Docker 28 only (this is ${GENERATION.id})`;
  if (!readSwarmState()) return 'the swarm lab is not up (npm run test:engine -- --engine 28 brings it up; or npm run lab -- up --swarm 3)';
  for (const n of SWARM_NODES) {
    const r = await run(['docker', 'info', '--format', '{{.Swarm.LocalNodeState}}'], { env: nodeEnv(n) });
    if (r.stdout.trim() !== 'active') return `${n.name} is not in the swarm: ${r.stderr.trim() || r.stdout.trim()}`;
  }
  return null;
}

async function need(t: TestContext): Promise<boolean> {
  return requireCapability(t, 'the three-node swarm lab', swarmReady);
}

/** Runs a command inside a node's network namespace (as root, from the test's own). */
async function inside(node: (typeof SWARM_NODES)[number], argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const r = await execa(inNode(node, argv)[0]!, inNode(node, argv).slice(1), { reject: false, timeout: 30_000, env: nodeEnv(node) });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** docknet snapshot save, run inside the node (its namespace, its engine): what a user on that node would run. */
async function save(node: (typeof SWARM_NODES)[number]): Promise<void> {
  rmSync(snap(node), { recursive: true, force: true });
  const r = await inside(node, [process.execPath, DOCKNET_BIN, 'snapshot', 'save', snap(node)]);
  assert.equal(r.exitCode, 0, `snapshot save on ${node.name}: ${r.stderr}`);
}

/** DOCKNET_SWARM_SNAPSHOTS=<dir> keeps each scenario's snapshots there (how the unit tests' fixtures were captured). */
function keep(scenario: string): void {
  const to = process.env.DOCKNET_SWARM_SNAPSHOTS;
  if (to) cpSync(dir, path.join(to, scenario), { recursive: true });
}

async function overlay(args: string[] = []): Promise<{ exitCode: number; json: OverlayJson; text: string }> {
  const from = SWARM_NODES.flatMap((n) => ['--from', snap(n)]);
  const j = await execa(process.execPath, [DOCKNET_BIN, 'overlay', ...args, ...from, '--json'], {
    cwd: REPO_ROOT,
    reject: false,
    timeout: 60_000,
  });
  const t = await execa(process.execPath, [DOCKNET_BIN, 'overlay', ...args, ...from], {
    cwd: REPO_ROOT,
    reject: false,
    timeout: 60_000,
    env: { NO_COLOR: '1', DOCKNET_FORCE_TTY: '1000' },
  });
  assert.ok(j.stdout.startsWith('{'), `overlay --json printed: ${j.stdout.slice(0, 300)} ${j.stderr}`);
  return { exitCode: j.exitCode ?? 1, json: JSON.parse(String(j.stdout)) as OverlayJson, text: String(t.stdout) };
}

/** The node a lab container runs on: swc-N and swe-N on node N. */
function nodeOf(container: string): (typeof SWARM_NODES)[number] {
  return SWARM_NODES[Number(container.split('-')[1]) - 1]!;
}

/**
 * Real traffic from a container on one node to a container on another, at its overlay address (read from
 * the server's own node): ping, since the lab's static busybox wget crashes (exit 139) on this machine.
 */
async function http(from: (typeof SWARM_NODES)[number], client: string, server: string): Promise<boolean> {
  const net = server.startsWith('swe-') ? SWARM_NET.encrypted.name : SWARM_NET.overlay.name;
  const ip = (
    await run(['docker', 'inspect', '--format', `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, server], {
      env: nodeEnv(nodeOf(server)),
    })
  ).stdout.trim();
  assert.match(ip, /^10\.246\.\d+\.\d+$/, `${server}'s address on ${net}`);
  const r = await run(['docker', 'exec', client, 'ping', '-c', '1', '-W', '2', ip], { env: nodeEnv(from), timeoutMs: 20_000 });
  if (r.exitCode !== 0)
    process.stderr.write(`# ping ${client} -> ${server} (${ip}): exit ${r.exitCode}: ${r.stdout.trim().split('\n').pop()}\n`);
  return r.exitCode === 0 && / 0% packet loss/.test(r.stdout);
}

/** A freshly made swarm takes a few seconds of gossip before every node knows every task: wait for it. */
async function eventually(from: (typeof SWARM_NODES)[number], client: string, server: string): Promise<boolean> {
  const deadline = Date.now() + 40_000;
  while (Date.now() < deadline) {
    if (await http(from, client, server)) return true;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return false;
}

test('traffic across nodes works and every node’s kernel agrees with the control plane', { timeout: 180_000 }, async (t) => {
  if (!(await need(t))) return;
  assert.ok(await eventually(N1!, SWARM_OVERLAY_CONTAINERS[0]!, SWARM_OVERLAY_CONTAINERS[1]!), 'swc-1 on node 1 reaches swc-2 on node 2');
  assert.ok(await eventually(N3!, SWARM_OVERLAY_CONTAINERS[2]!, SWARM_OVERLAY_CONTAINERS[0]!), 'swc-3 on node 3 reaches swc-1 on node 1');
  assert.ok(await eventually(N2!, SWARM_OVERLAY_CONTAINERS[1]!, SWARM_OVERLAY_CONTAINERS[2]!), 'swc-2 on node 2 reaches swc-3 on node 3');
  for (const n of SWARM_NODES) await save(n);
  keep('healthy');
  const { json, text } = await overlay([SWARM_NET.overlay.name]);
  assert.equal(json.schemaVersion, 1);
  const net = json.networks.find((x) => x.name === SWARM_NET.overlay.name);
  assert.ok(net, text);
  assert.equal(net.nodes.length, 3);
  for (const n of net.nodes) {
    assert.equal(n.agreement, 'agree', `${n.host}: ${text}`);
    const others = SWARM_NODES.filter((x) => x.name !== n.host).map((x) => x.addr);
    assert.deepEqual(n.kernel.value?.vteps, others, `${n.host}'s fdb names exactly the other nodes`);
  }
  assert.ok(
    !json.findings.some((f) => f.kind === 'peer-not-in-kernel' || f.kind === 'swarm-port-blocked'),
    JSON.stringify(json.findings, null, 2),
  );
  assert.match(text, /kernel agrees with the control plane/);
  assert.match(text, /vxlan\s+vxlan\S*\s+VNI \d+\s+udp 4789/);
});

test('a rule dropping 4789/udp on one node cuts the traffic, and overlay names the node, the rule and the pairs', {
  timeout: 180_000,
}, async (t) => {
  if (!(await need(t))) return;
  const rule = ['INPUT', '-p', 'udp', '--dport', '4789', '-j', 'DROP'];
  t.after(async () => {
    await inside(N2!, ['iptables', '-D', ...rule]);
  });
  const ins = await inside(N2!, ['iptables', '-I', ...rule]);
  assert.equal(ins.exitCode, 0, ins.stderr);
  assert.equal(await http(N1!, SWARM_OVERLAY_CONTAINERS[0]!, SWARM_OVERLAY_CONTAINERS[1]!), false, 'node 1 -> node 2 fails with the rule');
  assert.ok(await eventually(N1!, SWARM_OVERLAY_CONTAINERS[0]!, SWARM_OVERLAY_CONTAINERS[2]!), 'node 1 -> node 3 still works');
  for (const n of SWARM_NODES) await save(n);
  keep('vxlan-dropped');
  const { exitCode, json, text } = await overlay();
  assert.equal(exitCode, 1, 'an error finding: exit 1');
  const blocked = json.findings.filter((f) => f.kind === 'swarm-port-blocked' && f.subject === `${N2!.name}: 4789/udp`);
  assert.equal(blocked.length, 1, JSON.stringify(json.findings, null, 2));
  const f = blocked[0]!;
  assert.match(f.evidence[0]!.text, /filter INPUT rule 1: (\[\d+:\d+\] )?-A INPUT -p udp -m udp --dport 4789 -j DROP/);
  const pairs = f.evidence.filter((e) => e.source === 'broken pair').map((e) => e.text);
  assert.ok(pairs.includes(`${N1!.name} <-> ${N2!.name} on ${SWARM_NET.overlay.name}`), pairs.join('; '));
  assert.ok(pairs.includes(`${N3!.name} <-> ${N2!.name} on ${SWARM_NET.overlay.name}`), pairs.join('; '));
  // Only node 2 drops it.
  assert.ok(!json.findings.some((x) => x.kind === 'swarm-port-blocked' && x.subject.startsWith(`${N1!.name}:`)));
  assert.match(text, new RegExp(`${N2!.name} drops 4789/udp`));
});

test('the encrypted overlay is configured but cannot carry traffic, with the evidence', { timeout: 120_000 }, async (t) => {
  if (!(await need(t))) return;
  const works = await http(N1!, SWARM_ENCRYPTED_CONTAINERS[0]!, SWARM_ENCRYPTED_CONTAINERS[1]!);
  const config = await execa('sh', ['-c', 'zcat /proc/config.gz 2>/dev/null | grep -E "CONFIG_INET_ESP[= ]"'], { reject: false });
  for (const n of SWARM_NODES) await save(n);
  const { json } = await overlay([SWARM_NET.encrypted.name]);
  const found = json.findings.filter((f) => f.kind === 'encrypted-no-sa');
  if (works) {
    assert.equal(found.length, 0, 'traffic works: no IPsec finding');
    return;
  }
  // Ground truth: the traffic fails; the nodes holding its containers must be said to lack the SAs.
  const subjects = found.map((f) => f.subject).sort();
  assert.deepEqual(subjects, [`${SWARM_NET.encrypted.name} on ${N1!.name}`, `${SWARM_NET.encrypted.name} on ${N2!.name}`]);
  const ev = found[0]!.evidence.map((e) => `${e.source}: ${e.text}`).join('\n');
  assert.match(ev, /ip xfrm state \(.*\): no ESP SA pair between/);
  if (/not set/.test(String(config.stdout))) assert.match(ev, /CONFIG_INET_ESP: not set/);
});

test('a node with a lower uplink MTU is reported', { timeout: 120_000 }, async (t) => {
  if (!(await need(t))) return;
  t.after(async () => {
    await inside(N3!, ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1500']);
  });
  const set = await inside(N3!, ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1400']);
  assert.equal(set.exitCode, 0, set.stderr);
  for (const n of SWARM_NODES) await save(n);
  keep('low-mtu');
  const { json } = await overlay([SWARM_NET.overlay.name]);
  const mtu = json.findings.filter((f) => f.kind === 'overlay-mtu');
  assert.deepEqual(
    mtu.map((f) => f.subject),
    [`${SWARM_NET.overlay.name} on ${N3!.name}`],
  );
  assert.match(mtu[0]!.title, /uplink eth0 has MTU 1400 \(at most 1350 fits\)/);
});

test('services whose VIP or ingress needs IPVS are said so; dnsrr and host-mode ones are not', { timeout: 120_000 }, async (t) => {
  if (!(await need(t))) return;
  const ipvs = await inside(N1!, ['test', '-e', '/proc/net/ip_vs']);
  for (const n of SWARM_NODES) await save(n);
  const { json } = await overlay();
  const subjects = json.findings.filter((f) => f.kind === 'ipvs-missing').map((f) => f.subject);
  if (ipvs.exitCode === 0) {
    assert.deepEqual(subjects, [], 'IPVS present: nothing to say');
    return;
  }
  assert.deepEqual(subjects, [`service ${SWARM_SERVICE.vip.name}`]);
});

interface ReachAcrossJson {
  schemaVersion: number;
  kind: string;
  verdict: string;
  expect: string;
  decidedBy: { node: string; rule: { table: string; chain: string; number: number; text: string } | null; fact: string | null } | null;
  hops: { kind: string; node: string }[];
}

/** docknet reach across the three nodes' snapshots, JSON and text. */
async function reachAcross(source: string, destination: string): Promise<{ json: ReachAcrossJson; text: string }> {
  const from = SWARM_NODES.flatMap((n) => ['--from', snap(n)]);
  const j = await execa(process.execPath, [DOCKNET_BIN, 'reach', ...from, source, destination, '--json'], {
    cwd: REPO_ROOT,
    reject: false,
    timeout: 60_000,
  });
  assert.equal(j.exitCode, 0, `reach --json: ${j.stderr}`);
  const t = await execa(process.execPath, [DOCKNET_BIN, 'reach', ...from, source, destination], {
    cwd: REPO_ROOT,
    reject: false,
    timeout: 60_000,
    env: { NO_COLOR: '1', DOCKNET_FORCE_TTY: '1000' },
  });
  return { json: JSON.parse(String(j.stdout)) as ReachAcrossJson, text: String(t.stdout) };
}

/** A real TCP connection from a container's namespace to another container's overlay address (lab/probe.ts). */
async function connect(client: string, server: string): Promise<string> {
  const pid = (await run(['docker', 'inspect', '--format', '{{.State.Pid}}', client], { env: nodeEnv(nodeOf(client)) })).stdout.trim();
  assert.match(pid, /^[1-9]\d*$/, `${client}'s pid`);
  const ip = (
    await run(['docker', 'inspect', '--format', `{{(index .NetworkSettings.Networks "${SWARM_NET.overlay.name}").IPAddress}}`, server], {
      env: nodeEnv(nodeOf(server)),
    })
  ).stdout.trim();
  return probe({ from: `/proc/${pid}/ns/net`, ip, port: SWARM_HTTP_PORT, timeoutMs: 3000 });
}

test('reach across nodes: a task on one node connects to a task on another, and reach says delivered', { timeout: 180_000 }, async (t) => {
  if (!(await need(t))) return;
  const [c1, c2] = SWARM_OVERLAY_CONTAINERS;
  assert.ok(await eventually(N1!, c1!, c2!), 'the overlay carries traffic from node 1 to node 2');
  assert.equal(await connect(c1!, c2!), 'connect', `${c1} connects to ${c2}:${SWARM_HTTP_PORT}`);
  for (const n of SWARM_NODES) await save(n);
  const { json, text } = await reachAcross(c1!, `${c2}:${SWARM_HTTP_PORT}`);
  assert.equal(json.kind, 'across-nodes');
  assert.equal(json.verdict, 'delivered', text);
  assert.equal(json.expect, 'connect', text);
  assert.ok(
    json.hops.some((h) => h.kind === 'hook' && h.node === N1!.name),
    'the sender node’s hooks are walked',
  );
  assert.ok(
    json.hops.some((h) => h.kind === 'hook' && h.node === N2!.name),
    'the receiver node’s hooks are walked',
  );
  assert.match(text, new RegExp(`dst ${N2!.addr.replace(/\./g, '\\.')} \\(bridge fdb`));
});

test('reach across nodes: a rule dropping 4789/udp on the receiver cuts the connection, and reach names that node and rule', {
  timeout: 180_000,
}, async (t) => {
  if (!(await need(t))) return;
  const [c1, c2] = SWARM_OVERLAY_CONTAINERS;
  const rule = ['INPUT', '-p', 'udp', '--dport', '4789', '-j', 'DROP'];
  t.after(async () => {
    await inside(N2!, ['iptables', '-D', ...rule]);
  });
  const ins = await inside(N2!, ['iptables', '-I', ...rule]);
  assert.equal(ins.exitCode, 0, ins.stderr);
  assert.equal(await connect(c1!, c2!), 'timeout', `${c1} -> ${c2} times out with the rule`);
  for (const n of SWARM_NODES) await save(n);
  const { json, text } = await reachAcross(c1!, `${c2}:${SWARM_HTTP_PORT}`);
  assert.equal(json.verdict, 'dropped', text);
  assert.equal(json.expect, 'timeout', text);
  assert.equal(json.decidedBy?.node, N2!.name, text);
  assert.equal(json.decidedBy?.rule?.chain, 'INPUT', text);
  assert.equal(json.decidedBy?.rule?.number, 1, text);
  assert.match(json.decidedBy?.rule?.text ?? '', /-A INPUT -p udp -m udp --dport 4789 -j DROP/);
  assert.match(text, new RegExp(`decided by: ${N2!.name}: iptables filter INPUT rule 1: -A INPUT -p udp -m udp --dport 4789 -j DROP`));
});

test('a rule dropping 4789/udp in the sending node’s OUTPUT: overlay and reach name that node and rule', {
  timeout: 180_000,
}, async (t) => {
  if (!(await need(t))) return;
  const [c1, c2] = SWARM_OVERLAY_CONTAINERS;
  const rule = ['OUTPUT', '-p', 'udp', '--dport', '4789', '-j', 'DROP'];
  t.after(async () => {
    await inside(N1!, ['iptables', '-D', ...rule]);
  });
  const ins = await inside(N1!, ['iptables', '-I', ...rule]);
  assert.equal(ins.exitCode, 0, ins.stderr);
  assert.equal(await connect(c1!, c2!), 'timeout', `${c1} -> ${c2} times out with the rule on node 1`);
  for (const n of SWARM_NODES) await save(n);
  const { json: o } = await overlay([SWARM_NET.overlay.name]);
  const out = o.findings.filter((f) => f.kind === 'swarm-port-blocked' && f.subject === `${N1!.name}: 4789/udp out`);
  assert.equal(out.length, 1, JSON.stringify(o.findings, null, 2));
  assert.match(out[0]!.evidence[0]!.text, /filter OUTPUT rule 1: (\[\d+:\d+\] )?-A OUTPUT -p udp -m udp --dport 4789 -j DROP/);
  const { json, text } = await reachAcross(c1!, `${c2}:${SWARM_HTTP_PORT}`);
  assert.equal(json.verdict, 'dropped', text);
  assert.equal(json.decidedBy?.node, N1!.name, text);
  assert.deepEqual([json.decidedBy?.rule?.chain, json.decidedBy?.rule?.number], ['OUTPUT', 1], text);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
