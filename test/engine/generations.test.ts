// Engine test, the same on every Docker generation: the routed, nat-unprotected, --internal and
// enable_icc=false networks of the lab, and direct access to container addresses from a client beyond
// the host's uplink. Ground truth is gathered here: the host's own iptables-save, docker inspect, and real
// connections from the lab's client namespace (lab/outside.ts, lab/probe.ts). Where generations differ,
// that truth says how; docknet's inspect, nat, doctor and reach must agree with it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { C, GENERATION, HTTP_PORT, LAB_NAT_UNPROTECTED_PORT, LAB_ROUTED_PORTS, NET, UNPUBLISHED_PORT } from '../../lab/lab-spec.js';
import { outsideUp } from '../../lab/outside.js';
import { probe, udpEcho, type ProbeResult } from '../../lab/probe.js';
import { must } from '../../lab/run.js';
import { requireCapability } from '../capability.js';
import { runDocknet, withLab } from './harness.js';

const OUT = GENERATION.outside;
const CLIENT = `/run/netns/${OUT.netns}`;

// ---- ground truth ----

interface SavedRule {
  table: string;
  chain: string;
  /** Its place in the chain, as iptables -L --line-numbers counts. */
  number: number;
  /** `-A CHAIN ...`, without counters. */
  text: string;
}

/** The filter FORWARD policy iptables-save gives: what a forwarded packet no rule decides meets. */
async function forwardPolicy(): Promise<string> {
  const m = /^:FORWARD (\S+)/m.exec(await must(['iptables-save', '-t', 'filter']));
  if (!m) throw new Error('iptables-save -t filter lists no FORWARD chain');
  return m[1] as string;
}

/** Every rule of the host's iptables-save, with its number in its chain. */
async function savedRules(): Promise<SavedRule[]> {
  const out: SavedRule[] = [];
  const count = new Map<string, number>();
  let table = '';
  for (const raw of (await must(['iptables-save'])).split('\n')) {
    if (raw.startsWith('*')) table = raw.slice(1);
    const m = /^(?:\[\d+:\d+\] )?(-A (\S+) .*)$/.exec(raw);
    if (!m) continue;
    const key = `${table}/${m[2]}`;
    const n = (count.get(key) ?? 0) + 1;
    count.set(key, n);
    out.push({ table, chain: m[2] as string, number: n, text: m[1] as string });
  }
  return out;
}

interface ContainerFacts {
  pid: number;
  ip: string;
}

async function container(name: string, network: string): Promise<ContainerFacts> {
  const [c] = JSON.parse(await must(['docker', 'inspect', '--type', 'container', name])) as {
    State: { Pid: number };
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
  }[];
  const ip = c?.NetworkSettings.Networks[network]?.IPAddress;
  if (!c || !ip) throw new Error(`docker inspect ${name}: no address on ${network}`);
  return { pid: c.State.Pid, ip };
}

/** The network's gateway-mode option as the engine keeps it (every generation keeps what it was given). */
async function networkOptions(name: string): Promise<Record<string, string>> {
  const [n] = JSON.parse(await must(['docker', 'network', 'inspect', name])) as { Options: Record<string, string> }[];
  return n?.Options ?? {};
}

/** Makes sure the client namespace is there: the runner made it; a run in the root namespace may make it here. */
async function clientReady(t: TestContext): Promise<boolean> {
  return requireCapability(t, `the client namespace ${OUT.netns} beyond the uplink`, async () => {
    if (existsSync(CLIENT)) return null;
    if (GENERATION.netns)
      return `${CLIENT} is missing: run the engine tests with npm run test:engine -- --engine ${GENERATION.id}, which makes it`;
    await outsideUp(GENERATION, () => {});
    return existsSync(CLIENT) ? null : `${CLIENT} could not be made`;
  });
}

function from(ip: string, port: number, protocol: 'tcp' | 'udp' = 'tcp'): Promise<ProbeResult> {
  return probe({ from: CLIENT, ip, port, protocol });
}

// ---- docknet ----

async function json<T>(args: string[]): Promise<T> {
  const r = await runDocknet([...args, '--json']);
  assert.equal(r.exitCode, 0, `docknet ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

interface Reach {
  verdict: string;
  expect: string;
  decidedBy: { text: string } | null;
  unknown: string | null;
}

/** docknet's own verdict for the same connection, from the same client address. */
function reach(dst: string): Promise<Reach> {
  return json<Reach>(['reach', `outside:${OUT.clientAddr}`, dst]);
}

interface RuleJson {
  table: string;
  chain: string;
  number: number;
  text: string;
}
interface Mapping {
  hostIp: string;
  hostPort: number;
  protocol: string;
  containerIp: string | null;
  containerPort: number;
  container: string | null;
  via: string;
  rule: RuleJson | null;
  openedBy: RuleJson | null;
  notes: { code: string; text: string }[];
}
interface Inspect {
  mode: { description: string };
  interfaces: { network: string | null; networkBehaviour: { ipv4: { mode: string; basis: string }; rules: { rule: RuleJson }[] } | null }[];
  ports: (Mapping & { exposedOnly: boolean })[];
}

const bare = (t: string) => t.replace(/^\[\d+:\d+\]\s*/, '');
const sameRule = (r: RuleJson | null | undefined, s: SavedRule | undefined) =>
  r && s ? r.table === s.table && r.chain === s.chain && r.number === s.number && bare(r.text) === s.text : false;

// ---- the tests ----

test('direct access to a default-bridge container: timeout where a raw PREROUTING drop stops it, connect where nothing does; docknet reach agrees', async (t) => {
  if (!(await withLab(t)) || !(await clientReady(t))) return;
  const tml = await container(C.tomcatTml, 'bridge');
  const rules = await savedRules();
  const drop = rules.find(
    (r) => r.table === 'raw' && r.chain === 'PREROUTING' && r.text === `-A PREROUTING -d ${tml.ip}/32 ! -i docker0 -j DROP`,
  );
  // Docker 28.0 brought the raw-table drops; before it, a published container port is accepted in filter DOCKER.
  if (GENERATION.id === '28') assert.ok(drop, "Docker 28's raw drop for tomcat-tml's address");
  else assert.equal(drop, undefined, `Docker ${GENERATION.id} writes no raw drop`);
  const accept = rules.find(
    (r) =>
      r.table === 'filter' &&
      r.chain === 'DOCKER' &&
      r.text.startsWith(`-A DOCKER -d ${tml.ip}/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport ${HTTP_PORT} -j ACCEPT`),
  );
  assert.ok(accept, 'the published container port is accepted in filter DOCKER');

  const direct = await from(tml.ip, HTTP_PORT);
  assert.equal(direct, drop ? 'timeout' : 'connect', `${OUT.netns} -> ${tml.ip}:${HTTP_PORT}`);
  const viaHost = await from(OUT.hostAddr, 49154);
  assert.equal(viaHost, 'connect', 'the published host port connects on every generation');

  const r = await reach(`${tml.ip}:${HTTP_PORT}`);
  assert.equal(r.expect, direct, JSON.stringify(r));
  if (drop) assert.equal(bare(r.decidedBy?.text ?? ''), drop.text);

  // inspect and nat --port say the same for the container's own address.
  const ins = await json<{ directAccess: { address: string; expect: string; decidedBy: { text: string } | null }[] | null }>([
    'inspect',
    C.tomcatTml,
  ]);
  const own = ins.directAccess?.find((d) => d.address === `${tml.ip}:${HTTP_PORT}/tcp`);
  assert.equal(own?.expect, direct, JSON.stringify(ins.directAccess));
  assert.equal(bare(own?.decidedBy?.text ?? ''), drop ? drop.text : accept.text);
  const nat = await json<{ directAccess: { address: string; expect: string }[] }>(['nat', '--port', '49154']);
  assert.deepEqual(
    nat.directAccess.map((d) => [d.address, d.expect]),
    [[`${tml.ip}:${HTTP_PORT}/tcp`, direct]],
  );
  const text = await runDocknet(['nat', '--port', '49154']);
  assert.match(
    text.stdout,
    new RegExp(
      `^ {2}${tml.ip.replace(/\./g, '\\.')}:${HTTP_PORT}/tcp: ${drop ? 'dropped: a client times out' : 'delivered: a client connects'} \\(iptables `,
      'm',
    ),
  );
});

test('routed gateway mode: honoured where the engine has it (no DNAT, the address routed, the port opened by a filter ACCEPT), ignored before', async (t) => {
  if (!(await withLab(t)) || !(await clientReady(t))) return;
  assert.equal(
    (await networkOptions(NET.routed.name))['com.docker.network.bridge.gateway_mode_ipv4'],
    'routed',
    'every engine keeps the option',
  );
  const ctr = await container(C.routed, NET.routed.name);
  const br = NET.routed.bridgeName;
  const rules = await savedRules();
  const dnat = rules.find((r) => r.table === 'nat' && r.text.includes(`--dport ${LAB_ROUTED_PORTS.tcp} -j DNAT`));
  const masq = rules.find((r) => r.table === 'nat' && r.text === `-A POSTROUTING -s ${NET.routed.subnet} ! -o ${br} -j MASQUERADE`);
  const accept = rules.find(
    (r) => r.table === 'filter' && r.text === `-A DOCKER -d ${ctr.ip}/32 ! -i ${br} -o ${br} -p tcp -m tcp --dport ${HTTP_PORT} -j ACCEPT`,
  );
  const routed = dnat === undefined;
  // The engine's own rules say whether it honoured the option: no DNAT and no MASQUERADE, or both.
  assert.equal(masq === undefined, routed, 'DNAT and MASQUERADE go together');
  if (GENERATION.id === '28') assert.ok(routed, 'Docker 28 honours gateway_mode_ipv4=routed');
  if (GENERATION.id === '20.10' || GENERATION.id === '26') assert.ok(!routed, `Docker ${GENERATION.id} predates gateway modes`);
  assert.ok(accept, 'the container port is accepted in filter DOCKER');

  // Real connections from beyond the uplink.
  assert.equal(await from(ctr.ip, HTTP_PORT), 'connect', 'the published container port, directly');
  // Routed: filter DOCKER drops what it does not open. Ignored: no rule of Docker's decides, so FORWARD's policy does
  // (DROP on the system's 20.10, ACCEPT in the 26 host's namespace: seen in the lab).
  const policy = await forwardPolicy();
  const unpublished = await from(ctr.ip, UNPUBLISHED_PORT);
  assert.equal(
    unpublished,
    routed || policy === 'DROP' ? 'timeout' : 'connect',
    `an unpublished port of the address (FORWARD policy ${policy})`,
  );
  const hostPort = await from(OUT.hostAddr, LAB_ROUTED_PORTS.tcp);
  if (routed) assert.notEqual(hostPort, 'connect', 'no IPv4 host port on a routed network');
  else assert.equal(hostPort, 'connect');

  // docknet: nat --port, inspect and reach.
  const nat = await json<{ mappings: Mapping[]; anomalies: unknown[] }>(['nat', '--port', String(LAB_ROUTED_PORTS.tcp)]);
  const v4 = nat.mappings.filter((m) => m.container === C.routed && !m.hostIp.includes(':'));
  if (routed) {
    assert.deepEqual(
      v4.map((m) => [m.hostIp, m.hostPort, m.via, m.rule, m.containerIp, m.containerPort]),
      [['0.0.0.0', 0, 'routed', null, ctr.ip, HTTP_PORT]],
    );
    assert.ok(
      sameRule(v4[0]?.openedBy, accept),
      `opened by ${JSON.stringify(v4[0]?.openedBy)}, iptables-save: ${accept.chain} ${accept.number}`,
    );
  } else {
    assert.deepEqual(
      v4.map((m) => [m.hostPort, m.via]),
      [[LAB_ROUTED_PORTS.tcp, 'dnat']],
    );
    assert.ok(sameRule(v4[0]?.rule, dnat), 'the DNAT rule of iptables-save');
  }
  assert.deepEqual(nat.anomalies, []);
  const text = await runDocknet(['nat', '--port', String(LAB_ROUTED_PORTS.tcp)]);
  if (routed) {
    assert.match(text.stdout, new RegExp(`^0\\.0\\.0\\.0:0/tcp \\(no host port: ${NET.routed.name} is routed\\)`, 'm'));
    assert.match(text.stdout, new RegExp(`opened by: DOCKER ${accept.number} of filter`));
  } else assert.doesNotMatch(text.stdout, /0\.0\.0\.0:0\//);

  const ins = await json<Inspect>(['inspect', C.routed]);
  const iface = ins.interfaces.find((i) => i.network === NET.routed.name);
  assert.deepEqual(
    [iface?.networkBehaviour?.ipv4.mode, iface?.networkBehaviour?.ipv4.basis],
    routed ? ['routed', 'option'] : ['nat', 'ignored'],
  );
  if (routed) {
    assert.match(ins.mode.description, /gateway mode routed .*: no NAT; container addresses are routed/);
    assert.doesNotMatch(ins.mode.description, /published ports reach it through NAT/);
    assert.ok(
      ins.ports.some((p) => !p.exposedOnly && p.hostIp === '0.0.0.0' && p.hostPort === 0 && p.via === 'routed'),
      'the IPv4 publication is in inspect',
    );
  } else {
    assert.match(
      ins.mode.description,
      /published ports reach it through NAT \(DNAT\) rules.*gateway_mode_ipv4=routed is set, but Docker \S+ predates gateway modes/,
    );
    assert.ok(ins.ports.some((p) => !p.exposedOnly && p.hostIp === '0.0.0.0' && p.hostPort === LAB_ROUTED_PORTS.tcp));
  }
  assert.equal((await reach(`${ctr.ip}:${HTTP_PORT}`)).expect, 'connect');
  assert.equal((await reach(`${ctr.ip}:${UNPUBLISHED_PORT}`)).expect, unpublished);
});

test('routed gateway mode over UDP: the published UDP port answers at the container address', async (t) => {
  if (!(await withLab(t)) || !(await clientReady(t))) return;
  const ctr = await container(C.routed, NET.routed.name);
  const echo = await udpEcho(`/proc/${ctr.pid}/ns/net`, LAB_ROUTED_PORTS.udp);
  t.after(() => echo.stop());
  const rules = await savedRules();
  const br = NET.routed.bridgeName;
  assert.ok(
    rules.some(
      (r) =>
        r.table === 'filter' &&
        r.text === `-A DOCKER -d ${ctr.ip}/32 ! -i ${br} -o ${br} -p udp -m udp --dport ${LAB_ROUTED_PORTS.udp} -j ACCEPT`,
    ),
    'the UDP port is accepted in filter DOCKER',
  );
  assert.equal(await from(ctr.ip, LAB_ROUTED_PORTS.udp, 'udp'), 'connect');
  assert.equal((await reach(`${ctr.ip}:${LAB_ROUTED_PORTS.udp}/udp`)).expect, 'connect');
});

test('nat-unprotected gateway mode: every port of the address open from beyond the uplink where the engine has it, published ports only before', async (t) => {
  if (!(await withLab(t)) || !(await clientReady(t))) return;
  const ctr = await container(C.natUnprotected, NET.natUnprotected.name);
  const br = NET.natUnprotected.bridgeName;
  const rules = await savedRules();
  const open = rules.find((r) => r.table === 'filter' && r.chain === 'DOCKER' && r.text === `-A DOCKER ! -i ${br} -o ${br} -j ACCEPT`);
  const drop = rules.find((r) => r.table === 'raw' && r.text.startsWith(`-A PREROUTING -d ${ctr.ip}/32 `));
  if (GENERATION.id === '28') assert.ok(open && !drop, 'Docker 28: the open rule, and no raw drop for nat-unprotected');
  else assert.equal(open, undefined, `Docker ${GENERATION.id} predates nat-unprotected`);
  assert.ok(
    rules.some(
      (r) => r.table === 'nat' && r.text.includes(`--dport ${LAB_NAT_UNPROTECTED_PORT} -j DNAT --to-destination ${ctr.ip}:${HTTP_PORT}`),
    ),
    'NAT as in nat',
  );

  assert.equal(await from(ctr.ip, HTTP_PORT), 'connect', 'the published container port, directly');
  const policy = await forwardPolicy();
  const unpublished = await from(ctr.ip, UNPUBLISHED_PORT);
  assert.equal(
    unpublished,
    open || (!drop && policy === 'ACCEPT') ? 'connect' : 'timeout',
    `an unpublished port: open under nat-unprotected, else as FORWARD's policy (${policy}) says`,
  );
  assert.equal(await from(OUT.hostAddr, LAB_NAT_UNPROTECTED_PORT), 'connect', 'the host port, through DNAT');

  const ins = await json<Inspect>(['inspect', C.natUnprotected]);
  const b = ins.interfaces.find((i) => i.network === NET.natUnprotected.name)?.networkBehaviour;
  if (open) {
    assert.equal(b?.ipv4.mode, 'nat-unprotected');
    assert.ok(sameRule(b?.rules[0]?.rule, open), `the rule: ${JSON.stringify(b?.rules)}`);
    assert.match(
      ins.mode.description,
      new RegExp(`nat-unprotected.*every port of the containers' addresses is open.*filter DOCKER ${open.number}:`),
    );
  } else assert.deepEqual([b?.ipv4.mode, b?.ipv4.basis], ['nat', 'ignored']);
  const nat = await json<{ mappings: Mapping[] }>(['nat', '--port', String(LAB_NAT_UNPROTECTED_PORT)]);
  const v4 = nat.mappings.find((m) => m.hostIp === '0.0.0.0');
  assert.equal(v4?.via, 'dnat');
  assert.equal(
    v4?.notes.some((n) => n.code === 'nat-unprotected' && /is nat-unprotected: besides this publication, every port/.test(n.text)),
    Boolean(open),
  );
  assert.equal((await reach(`${ctr.ip}:${UNPUBLISHED_PORT}`)).expect, unpublished);
});

test('--internal network: no way in from beyond the uplink, by the isolation rules docknet names', async (t) => {
  if (!(await withLab(t)) || !(await clientReady(t))) return;
  const ctr = await container(C.internal, NET.internal.name);
  const br = NET.internal.bridgeName;
  const rules = await savedRules();
  const isolation = rules.filter(
    (r) =>
      r.table === 'filter' &&
      (r.text === `-A ${r.chain} ! -s ${NET.internal.subnet} -o ${br} -j DROP` ||
        r.text === `-A ${r.chain} ! -d ${NET.internal.subnet} -i ${br} -j DROP`),
  );
  assert.equal(isolation.length, 2, 'the two isolation drops of an internal network');
  assert.ok(!rules.some((r) => r.table === 'nat' && r.text.includes(br) && /MASQUERADE|DNAT/.test(r.text)), 'no NAT for it');
  assert.equal(await from(ctr.ip, HTTP_PORT), 'timeout');

  const ins = await json<Inspect>(['inspect', C.internal]);
  assert.match(ins.mode.description, /internal network \(--internal\): no gateway out of the host and no NAT/);
  assert.doesNotMatch(ins.mode.description, /published ports reach it through NAT/);
  const named = ins.interfaces.find((i) => i.network === NET.internal.name)?.networkBehaviour?.rules.map((r) => r.rule) ?? [];
  assert.equal(named.length, 2);
  for (const s of isolation)
    assert.ok(
      named.some((r) => sameRule(r, s)),
      `${s.chain} ${s.number}: ${s.text}`,
    );
  const r = await reach(`${ctr.ip}:${HTTP_PORT}`);
  assert.equal(r.expect, 'timeout');
  assert.ok(
    isolation.some((s) => s.text === bare(r.decidedBy?.text ?? '')),
    `decided by ${r.decidedBy?.text}`,
  );
});

test('enable_icc=false: traffic between the two containers on the bridge is dropped, by the rule docknet names', async (t) => {
  if (!(await withLab(t))) return;
  const a = await container(C.noIccA, NET.noIcc.name);
  const b = await container(C.noIccB, NET.noIcc.name);
  const br = NET.noIcc.bridgeName;
  const rules = await savedRules();
  const drop = rules.find((r) => r.table === 'filter' && r.text === `-A ${r.chain} -i ${br} -o ${br} -j DROP`);
  assert.ok(drop, 'the icc drop');
  assert.equal(drop.chain, rules.some((r) => r.table === 'filter' && r.chain === 'DOCKER-FORWARD') ? 'DOCKER-FORWARD' : 'FORWARD');
  const callIptables = (await must(['cat', '/proc/sys/net/bridge/bridge-nf-call-iptables'])).trim();
  assert.equal(callIptables, '1', 'bridged traffic passes iptables here');
  // From inside lab-noicc-a's namespace, to its neighbour on the same bridge.
  assert.equal(await probe({ from: `/proc/${a.pid}/ns/net`, ip: b.ip, port: HTTP_PORT }), 'timeout');

  const ins = await json<Inspect>(['inspect', C.noIccA]);
  assert.match(
    ins.mode.description,
    new RegExp(`enable_icc=false: traffic between its containers is dropped \\(filter ${drop.chain} ${drop.number}: `),
  );
  const named = ins.interfaces.find((i) => i.network === NET.noIcc.name)?.networkBehaviour?.rules.map((r) => r.rule) ?? [];
  assert.ok(named.some((r) => sameRule(r, drop)));
  const doctor = await json<{ findings: { check: string; severity: string }[] }>(['doctor']);
  assert.ok(!doctor.findings.some((f) => f.check === 'br-netfilter'), 'bridge netfilter is on (its sysctl is 1): no warning');
  const r = await json<Reach>(['reach', C.noIccA, `${C.noIccB}:${HTTP_PORT}`]);
  assert.equal(r.expect, 'timeout');
  assert.equal(bare(r.decidedBy?.text ?? ''), drop.text);
});

test('doctor says which Docker generation wrote the rules, and calls none of the layout foreign, missing or stale', async (t) => {
  if (!(await withLab(t))) return;
  const version = (await must(['docker', 'version', '--format', '{{.Server.Version}}'])).trim();
  const rules = await savedRules();
  const forward = rules.some((r) => r.table === 'filter' && r.chain === 'DOCKER-FORWARD');
  const drops = rules.filter(
    (r) => r.table === 'raw' && r.chain === 'PREROUTING' && / ! -i \S+ (-p \S+ -m \S+ --dport \d+ )?-j DROP$/.test(r.text),
  );
  assert.equal(forward, GENERATION.id === '28', 'DOCKER-FORWARD came with 28.0.1');
  const doctor = await json<{ findings: { check: string; kind: string; severity: string; title: string }[] }>(['doctor']);
  const layout = doctor.findings.filter((f) => f.check === 'docker-rules');
  const [major, minor] = version.split('.');
  assert.deepEqual(
    layout.map((f) => [f.kind, f.severity]),
    [['docker-rules', 'info']],
  );
  assert.match(layout[0]?.title ?? '', new RegExp(`^The firewall rules are Docker ${major}\\.${minor}'s: `));
  if (forward) assert.match(layout[0]?.title ?? '', new RegExp(`DOCKER-FORWARD .*and ${drops.length} raw PREROUTING drop\\(s\\)`));
  else assert.match(layout[0]?.title ?? '', /the layout before 28\.0\.1: .*no raw-table drops/);
  const anomalies = (await json<{ anomalies: { kind: string; text: string }[] }>(['nat'])).anomalies;
  assert.deepEqual(
    anomalies.filter((a) => a.kind !== 'ingress'),
    [],
    'no stale, missing or foreign rule on a lab that Docker alone wrote',
  );
});
