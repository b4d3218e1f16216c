// docknet overlay's correlation on saved snapshots of a real three-node swarm (test/fixtures/swarm-28):
// healthy, one node dropping 4789/udp, one node with a lower uplink MTU; and the same facts cut, to
// prove that an unreadable namespace is unknown (never "no peers") and that a missing entry is found.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correlateOverlay, type OverlayReport } from '../../../src/correlate/overlay/overlay.js';
import { guardVni } from '../../../src/correlate/overlay/ports.js';
import { readNodeOverlayFacts } from '../../../src/parse/overlay-facts.js';
import { renderOverlayText } from '../../../src/render/overlay.js';
import { loadSnapshot } from '../../../src/snapshot/load.js';
import { FACT, type Snapshot } from '../../../src/snapshot/snapshot.js';
import { repoPath } from '../../repo-path.js';

const NODES = ['docknet-sw1', 'docknet-sw2', 'docknet-sw3'];
const OVERLAY = 'docknet-sw-overlay';

async function scenario(name: string): Promise<Snapshot[]> {
  return Promise.all(NODES.map((n) => loadSnapshot(repoPath(`test/fixtures/swarm-28/${name}/${n}`))));
}

function report(snaps: Snapshot[], network: string | null = null): OverlayReport {
  return correlateOverlay({ nodes: snaps.map((s, i) => readNodeOverlayFacts(NODES[i]!, s)), unreadable: [], network });
}

function overlayId(s: Snapshot): string {
  const list = JSON.parse(s.facts.get(FACT.overlayNetworks)!.text) as { Id: string; Name: string }[];
  return list.find((n) => n.Name === OVERLAY)!.Id;
}

test('healthy swarm: every node’s fdb names exactly the other nodes, every remote task ok', async () => {
  const r = report(await scenario('healthy'), OVERLAY);
  assert.equal(r.networks.length, 1);
  const net = r.networks[0]!;
  assert.equal(net.vni, 4097);
  assert.deepEqual(
    net.nodes.map((n) => [n.host, n.agreement]),
    NODES.map((n) => [n, 'agree']),
  );
  for (const n of net.nodes) {
    assert.ok('value' in n.kernel && n.kernel.known);
    const k = n.kernel.value;
    assert.equal(k.vxlan?.port, 4789);
    assert.ok(k.remote.length >= 2 && k.remote.every((x) => x.status === 'ok'));
  }
  assert.deepEqual(
    r.findings.filter((f) => f.kind !== 'ipvs-missing').map((f) => f.kind),
    [],
  );
});

test('the encrypted overlay: policies without SAs on the nodes that have it, with the kernel options and Docker’s guard rule', async () => {
  const r = report(await scenario('healthy'), 'docknet-sw-encrypted');
  const f = r.findings.filter((x) => x.kind === 'encrypted-no-sa');
  assert.deepEqual(f.map((x) => x.subject).sort(), ['docknet-sw-encrypted on docknet-sw1', 'docknet-sw-encrypted on docknet-sw2']);
  const ev = f[0]!.evidence.map((e) => e.text).join('\n');
  assert.match(ev, /tmpl src 10\.241\.0\.1\d dst 10\.241\.0\.1\d \| proto esp/);
  assert.match(ev, /CONFIG_INET_ESP: not set/);
  assert.match(ev, /-A INPUT -p udp -m policy --dir in --pol none -m udp --dport 4789 -m bpf --bytecode .* -j DROP/);
});

test('Docker 28’s bpf guard and the older u32 one name their VNI', () => {
  assert.equal(
    guardVni(
      '-A INPUT -p udp -m policy --dir in --pol none -m udp --dport 4789 -m bpf --bytecode "7,32 0 0 4294963252,7 0 0 0,64 0 0 4,116 0 0 8,21 1 0 4098,6 0 0 0,6 0 0 4294967295" -j DROP',
    ),
    4098,
  );
  assert.equal(
    guardVni('-A INPUT -p udp -m udp --dport 4789 -m u32 --u32 "0x0>>0x16&0x3c@0xc&0xffffff00=0x100300" -j DROP'),
    null,
    'another u32 form: not claimed',
  );
  assert.equal(guardVni('-A INPUT -p udp --dport 4789 -m u32 --u32 "0>>22&0x3C@12&0xFFFFFF00=0x100200" -j DROP'), 4098);
  assert.equal(guardVni('-A INPUT -p udp -m udp --dport 4789 -j DROP'), null);
});

test('4789/udp dropped on docknet-sw2: the node, the rule with its counters and the broken pairs', async () => {
  const r = report(await scenario('vxlan-dropped'));
  const f = r.findings.filter((x) => x.kind === 'swarm-port-blocked');
  assert.deepEqual(
    f.map((x) => x.subject),
    ['docknet-sw2: 4789/udp'],
  );
  const ev = f[0]!.evidence;
  assert.match(ev[0]!.text, /^iptables filter INPUT rule 1: -A INPUT -p udp -m udp --dport 4789 -j DROP \[\d+ packets, \d+ bytes\]$/);
  const pairs = ev.filter((e) => e.source === 'broken pair').map((e) => e.text);
  assert.ok(pairs.includes('docknet-sw1 <-> docknet-sw2 on docknet-sw-overlay'), pairs.join('\n'));
  assert.ok(pairs.includes('docknet-sw3 <-> docknet-sw2 on docknet-sw-overlay'), pairs.join('\n'));
  assert.ok(!pairs.some((p) => p.includes('docknet-sw-encrypted')), 'the encrypted overlay travels as ESP, not VXLAN');
  // The control plane still agrees: the rule is what users cannot see.
  assert.ok(r.networks.find((n) => n.name === OVERLAY)!.nodes.every((n) => n.agreement === 'agree'));
});

test('4789/udp dropped in the sender’s OUTPUT (docknet-sw1): blocked between two nodes by a rule on the sending side', async () => {
  const snaps = await scenario('healthy');
  const f = snaps[0]!.facts.get(FACT.iptablesSave)!;
  const text = f.text.replace(/(\*filter\n(?:.*\n)*?)COMMIT/, '$1-A OUTPUT -p udp -m udp --dport 4789 -j DROP\nCOMMIT');
  assert.notEqual(text, f.text);
  snaps[0]!.facts.set(FACT.iptablesSave, { ...f, text });
  const blocked = report(snaps).findings.filter((x) => x.kind === 'swarm-port-blocked');
  assert.deepEqual(
    blocked.map((x) => x.subject),
    ['docknet-sw1: 4789/udp out'],
  );
  assert.match(blocked[0]!.title, /^docknet-sw1 drops 4789\/udp \(VXLAN \(overlay data\)\) it sends to docknet-sw2, docknet-sw3$/);
  assert.match(blocked[0]!.evidence[0]!.text, /^iptables filter OUTPUT rule 1: -A OUTPUT -p udp -m udp --dport 4789 -j DROP/);
  assert.match(blocked[0]!.fix ?? '', /iptables -t filter -L OUTPUT 1 -v -n {3}# on docknet-sw1/);
});

test('a lower uplink MTU on docknet-sw3 is reported for that node only', async () => {
  const r = report(await scenario('low-mtu'), OVERLAY);
  const f = r.findings.filter((x) => x.kind === 'overlay-mtu');
  assert.deepEqual(
    f.map((x) => x.subject),
    [`${OVERLAY} on docknet-sw3`],
  );
  assert.match(f[0]!.title, /MTU 1450 .* uplink eth0 has MTU 1400 \(at most 1350 fits\)/);
});

test('IPVS missing: the VIP and ingress service is said so, dnsrr and host-mode services are not', async () => {
  const r = report(await scenario('healthy'));
  assert.deepEqual(
    r.findings.filter((x) => x.kind === 'ipvs-missing').map((x) => x.subject),
    ['service sw-vip'],
  );
});

test('an overlay namespace that could not be read is unknown with its reason, never "no peers"', async () => {
  const snaps = await scenario('healthy');
  const s2 = snaps[1]!;
  const id = overlayId(s2);
  s2.facts.delete(FACT.overlayFdb(id));
  s2.missing.push({
    path: FACT.overlayFdb(id),
    what: 'nsenter ... bridge -j fdb show',
    reason: 'nsenter needs root (Operation not permitted): run with sudo',
    cause: 'needs-root',
  });
  const r = report(snaps, OVERLAY);
  const n2 = r.networks[0]!.nodes.find((n) => n.host === 'docknet-sw2')!;
  assert.equal(n2.agreement, 'unknown');
  assert.ok(!n2.kernel.known && 'reason' in n2.kernel);
  assert.match(n2.kernel.reason, /needs root/);
  assert.ok(!r.findings.some((f) => f.subject.includes('docknet-sw2') && f.kind === 'peer-not-in-kernel'));
  assert.ok(r.unknowns.some((u) => u.subject === `${OVERLAY} on docknet-sw2` && /needs root/.test(u.reason)));
  const text = renderOverlayText({ isTTY: true, color: false, width: 120 }, r);
  assert.match(text, /kernel\s+unknown: nsenter needs root/);
  assert.doesNotMatch(text.split('node docknet-sw2')[1]!.split('node docknet-sw3')[0]!, /peers/);
});

test('a peer whose fdb entries are gone from one node: named, with the tasks that node can no longer reach', async () => {
  const snaps = await scenario('healthy');
  const s1 = snaps[0]!;
  const id = overlayId(s1);
  const fdb = s1.facts.get(FACT.overlayFdb(id))!;
  const cut = (JSON.parse(fdb.text) as { dst?: string }[]).filter((e) => e.dst !== '10.241.0.13');
  s1.facts.set(FACT.overlayFdb(id), { ...fdb, text: JSON.stringify(cut) });
  const r = report(snaps, OVERLAY);
  const n1 = r.networks[0]!.nodes.find((n) => n.host === 'docknet-sw1')!;
  assert.equal(n1.agreement, 'differ');
  assert.deepEqual(n1.missingInKernel, ['10.241.0.13']);
  const kinds = r.findings.filter((f) => f.subject.includes('docknet-sw1')).map((f) => `${f.kind} ${f.subject}`);
  assert.ok(kinds.includes(`peer-not-in-kernel ${OVERLAY} on docknet-sw1: peer 10.241.0.13`), kinds.join('\n'));
  assert.ok(kinds.includes(`task-entry-missing ${OVERLAY} on docknet-sw1: swc-3`), kinds.join('\n'));
});

test('the piped form is tab-separated', async () => {
  const text = renderOverlayText({ isTTY: false, color: false, width: null }, report(await scenario('healthy'), OVERLAY));
  assert.match(text, /^ {4}vxlan\tvxlan0\tVNI 4097\tudp 4789\t/m);
  assert.match(text, /^ {4}remote\tswc-2\t10\.246\.1\.\d+\t02:42:0a:f6:01:\w\w\tvia 10\.241\.0\.12\tok$/m);
});
