// reach across nodes on saved snapshots of a real three-node swarm (test/fixtures/swarm-28): a task on
// one node to a task on another, through both nodes' overlay namespaces and rules. Ground truth of the
// scenarios is in the fixtures' SOURCE.md (ping across nodes works when healthy; swc-1 -> swc-2 fails
// with 4789/udp dropped on docknet-sw2, swc-1 -> swc-3 still works; the encrypted overlay carries nothing).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AcrossNode, EndRef } from '../../../src/correlate/overlay/across-ends.js';
import { type AcrossResult, reachAcross } from '../../../src/correlate/overlay/reach-across.js';
import { walkSwarmPort, VXLAN_PORT } from '../../../src/correlate/overlay/ports.js';
import { DocknetError, UsageError } from '../../../src/model/errors.js';
import { containerSocketsOf } from '../../../src/parse/container-sockets.js';
import { readNodeOverlayFacts } from '../../../src/parse/overlay-facts.js';
import { reachAcrossJson, renderReachAcrossText } from '../../../src/render/reach-across.js';
import { loadSnapshot } from '../../../src/snapshot/load.js';
import { FACT, type Snapshot } from '../../../src/snapshot/snapshot.js';
import { repoPath } from '../../repo-path.js';

const NODES = ['docknet-sw1', 'docknet-sw2', 'docknet-sw3'];
const DROP_4789 = '-A INPUT -p udp -m udp --dport 4789 -j DROP';

async function scenario(name: string): Promise<Snapshot[]> {
  return Promise.all(NODES.map((n) => loadSnapshot(repoPath(`test/fixtures/swarm-28/${name}/${n}`))));
}

function nodesOf(snaps: Snapshot[]): AcrossNode[] {
  return snaps.map((s, i) => {
    const facts = readNodeOverlayFacts(NODES[i]!, s);
    return { facts, sockets: containerSocketsOf(s, facts.model) };
  });
}

function across(snaps: Snapshot[], source: string, destination: string, port = 8080): AcrossResult {
  const ref = (t: string): EndRef => (t.includes('/') ? { node: t.split('/')[0]!, name: t.split('/')[1]! } : { node: null, name: t });
  return reachAcross({
    nodes: nodesOf(snaps),
    unreadable: [],
    source: ref(source),
    destination: { ...ref(destination), port, protocol: 'tcp' },
  });
}

/** Rewrites one node's iptables-save text (the rules its model is built from). */
function editRules(s: Snapshot, edit: (text: string) => string): void {
  const f = s.facts.get(FACT.iptablesSave)!;
  const text = edit(f.text);
  assert.notEqual(text, f.text, 'the edit changed the rules');
  s.facts.set(FACT.iptablesSave, { ...f, text });
}

test('healthy: swc-1 on node 1 connects to swc-2:8080 on node 2, through both nodes, and the reply comes back', async () => {
  const r = across(await scenario('healthy'), 'swc-1', 'swc-2');
  assert.equal(r.verdict, 'delivered');
  assert.equal(r.expect, 'connect');
  assert.deepEqual(
    [r.source.node, r.source.ip, r.destination.node, r.destination.ip],
    ['docknet-sw1', '10.246.1.2', 'docknet-sw2', '10.246.1.4'],
  );
  assert.equal(r.network.name, 'docknet-sw-overlay');
  assert.equal(r.network.vni, 4097);
  const out = r.hops.find((h) => h.kind === 'overlay-out');
  assert.ok(out && out.kind === 'overlay-out');
  assert.deepEqual(out.fdb, { mac: '02:42:0a:f6:01:04', vtep: '10.241.0.12' }, 'the fdb sends swc-2’s MAC to node 2');
  const hooks = r.hops.flatMap((h) => (h.kind === 'hook' ? [`${h.node} ${h.hook}`] : []));
  assert.deepEqual(hooks, ['docknet-sw1 output', 'docknet-sw1 postrouting', 'docknet-sw2 prerouting', 'docknet-sw2 input']);
  assert.equal(r.decidedBy?.node, 'docknet-sw2');
  assert.equal(r.decidedBy?.rule?.chain, 'INPUT');
  assert.ok(r.reply, 'the reply is walked');
  assert.equal(r.reply.verdict, 'delivered');
  assert.deepEqual(
    r.reply.hops.flatMap((h) => (h.kind === 'hook' ? [`${h.node} ${h.hook}`] : [])),
    ['docknet-sw2 output', 'docknet-sw2 postrouting', 'docknet-sw1 prerouting', 'docknet-sw1 input'],
  );
  const text = renderReachAcrossText(r);
  assert.match(text, /^reach docknet-sw1\/swc-1 -> docknet-sw2\/swc-2:8080\/tcp \(10\.246\.1\.4:8080\/tcp\)/);
  assert.match(text, /02:42:0a:f6:01:04 dst 10\.241\.0\.12 \(bridge fdb, vxlan0 VNI 4097\)/);
  assert.match(
    text,
    /vxlan0 encapsulates \(VNI 4097\): 10\.241\.0\.11:32768 -> 10\.241\.0\.12:4789\/udp by route 10\.241\.0\.0\/24 dev eth0/,
  );
  assert.match(text, /delivered to swc-2 at 10\.246\.1\.4:8080: a socket listens/);
  assert.match(text, /verdict: delivered: a client connects/);
  const j = reachAcrossJson(r);
  assert.equal(j.schemaVersion, 1);
  assert.equal(j.kind, 'across-nodes');
});

test('vxlan-dropped: node 2’s INPUT rule drops swc-1 -> swc-2, named with its node; swc-1 -> swc-3 still connects', async () => {
  const snaps = await scenario('vxlan-dropped');
  const r = across(snaps, 'swc-1', 'swc-2');
  assert.equal(r.verdict, 'dropped');
  assert.equal(r.expect, 'timeout');
  assert.equal(r.decidedBy?.node, 'docknet-sw2');
  assert.deepEqual([r.decidedBy?.rule?.table, r.decidedBy?.rule?.chain, r.decidedBy?.rule?.number], ['filter', 'INPUT', 1]);
  assert.match(r.decidedBy?.rule?.text ?? '', /-A INPUT -p udp -m udp --dport 4789 -j DROP/);
  assert.equal(r.reply, null, 'nothing came back to walk');
  assert.match(
    renderReachAcrossText(r),
    /decided by: docknet-sw2: iptables filter INPUT rule 1: -A INPUT -p udp -m udp --dport 4789 -j DROP \[1 packets, 134 bytes\]/,
  );
  assert.equal(across(snaps, 'swc-1', 'swc-3').verdict, 'delivered');
});

test('vxlan-dropped, the other way: swc-2 -> swc-1 gets there, and its reply is what node 2 drops', async () => {
  const r = across(await scenario('vxlan-dropped'), 'swc-2', 'swc-1');
  assert.equal(r.verdict, 'dropped');
  assert.equal(r.decidedOnReply, true);
  assert.equal(r.decidedBy?.node, 'docknet-sw2');
  assert.equal(r.decidedBy?.rule?.chain, 'INPUT');
  assert.match(renderReachAcrossText(r), /verdict: dropped on the way back \(the request got through\)/);
});

test('a rule on the sending node: an OUTPUT drop of 4789/udp on node 1 decides, named with node 1', async () => {
  const snaps = await scenario('healthy');
  editRules(snaps[0]!, (t) => t.replace(/(\*filter\n(?:.*\n)*?)COMMIT/, `$1-A OUTPUT -p udp -m udp --dport 4789 -j DROP\nCOMMIT`));
  const r = across(snaps, 'swc-1', 'swc-2');
  assert.equal(r.verdict, 'dropped');
  assert.equal(r.decidedBy?.node, 'docknet-sw1');
  assert.deepEqual([r.decidedBy?.rule?.table, r.decidedBy?.rule?.chain], ['filter', 'OUTPUT']);
});

test('a match docknet does not model on the receiver: unknown, naming the rule that would decide', async () => {
  const snaps = await scenario('vxlan-dropped');
  editRules(snaps[1]!, (t) => t.replace(DROP_4789, '-A INPUT -p udp -m udp --dport 4789 -m physdev --physdev-in eth0 -j DROP'));
  const r = across(snaps, 'swc-1', 'swc-2');
  assert.equal(r.verdict, 'unknown');
  assert.equal(r.expect, 'unknown');
  assert.match(r.unknown ?? '', /it depends on what the data does not hold: .*filter INPUT rule 1 .*physdev/);
  assert.ok(r.questions.some((q) => q.matters && /physdev/.test(q.why)));
});

test('the same rule is unknown to the overlay port walk too (one walk for both)', async () => {
  const snaps = await scenario('vxlan-dropped');
  editRules(snaps[1]!, (t) => t.replace(DROP_4789, '-A INPUT -p udp -m udp --dport 4789 -m physdev --physdev-in eth0 -j DROP'));
  const n2 = readNodeOverlayFacts(NODES[1]!, snaps[1]!);
  assert.ok(n2.model.firewall.ipv4.known);
  const w = walkSwarmPort(n2.model.firewall.ipv4.value, VXLAN_PORT, '10.241.0.11', '10.241.0.12', 'eth0', 4097);
  assert.equal(w.verdict, 'unknown');
});

test('encrypted overlay without SAs: dropped, the missing ESP SA named', async () => {
  const r = across(await scenario('healthy'), 'swe-1', 'swe-2');
  assert.equal(r.network.encrypted, true);
  assert.equal(r.verdict, 'dropped');
  assert.equal(r.decidedBy?.rule, null);
  assert.match(
    r.decidedBy?.fact ?? '',
    /docknet-sw-encrypted is encrypted and docknet-sw1 has no ESP SA from 10\.241\.0\.11 to 10\.241\.0\.12/,
  );
});

test('nothing listening on the task: no-listener, from its socket table', async () => {
  const r = across(await scenario('healthy'), 'swc-1', 'swc-2', 9999);
  assert.equal(r.verdict, 'no-listener');
  assert.equal(r.expect, 'refused');
  assert.match(r.decidedBy?.fact ?? '', /nothing listens on 10\.246\.1\.4:9999\/tcp in swc-2 on docknet-sw2/);
});

test('a node’s fdb without the destination’s MAC: dropped on the sender, naming that node and the entry', async () => {
  const snaps = await scenario('healthy');
  const id = (JSON.parse(snaps[0]!.facts.get(FACT.overlayNetworks)!.text) as { Id: string; Name: string }[]).find(
    (n) => n.Name === 'docknet-sw-overlay',
  )!.Id;
  const fdb = snaps[0]!.facts.get(FACT.overlayFdb(id))!;
  const cut = (JSON.parse(fdb.text) as { mac: string; dst?: string }[]).filter((e) => !(e.mac === '02:42:0a:f6:01:04' && e.dst));
  snaps[0]!.facts.set(FACT.overlayFdb(id), { ...fdb, text: JSON.stringify(cut) });
  const r = across(snaps, 'swc-1', 'swc-2');
  assert.equal(r.verdict, 'dropped');
  assert.equal(r.decidedBy?.node, 'docknet-sw1');
  assert.match(r.decidedBy?.fact ?? '', /no fdb entry for 02:42:0a:f6:01:04 on vxlan0/);
  // The namespace's fdb not in the data at all: unknown with why, never a verdict.
  snaps[0]!.facts.delete(FACT.overlayFdb(id));
  const u = across(snaps, 'swc-1', 'swc-2');
  assert.equal(u.verdict, 'unknown');
  assert.match(u.unknown ?? '', /the fdb of docknet-sw1's overlay namespace/);
});

test('naming the ends: service.slot, node/name, and clear errors for a name on two nodes or nowhere', async () => {
  const snaps = await scenario('healthy');
  const r = across(snaps, 'sw-dnsrr.1', 'docknet-sw1/swc-1', 9999);
  assert.equal(r.source.node, 'docknet-sw2');
  assert.match(r.source.task, /^sw-dnsrr\.1\./);
  assert.throws(
    () => across(snaps, 'sw-dnsrr', 'swc-1'),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /'sw-dnsrr' names containers on 2 nodes .*: say which, as docknet-sw1\/sw-dnsrr or docknet-sw2\/sw-dnsrr/);
      return true;
    },
  );
  assert.throws(
    () => across(snaps, 'nosuch', 'swc-1'),
    (e: unknown) => e instanceof DocknetError && /no task or container 'nosuch' on any node/.test(e.message),
  );
  assert.throws(
    () => across(snaps, 'docknet-sw9/swc-1', 'swc-2'),
    (e: unknown) => e instanceof DocknetError && /no node 'docknet-sw9'/.test(e.message),
  );
  assert.throws(
    () => across(snaps, 'docknet-sw2/swc-1', 'swc-2'),
    (e: unknown) => e instanceof DocknetError && /on docknet-sw2/.test(e.message),
  );
});

test('both tasks on one node: the overlay namespace’s bridge switches it, no VXLAN and no host rules', async () => {
  const r = across(await scenario('healthy'), 'sw-vip.1', 'swc-3');
  assert.equal(r.verdict, 'delivered');
  assert.ok(r.hops.some((h) => h.kind === 'same-node'));
  assert.ok(!r.hops.some((h) => h.kind === 'hook'));
});
