// The host graph from real snapshots: the seed host (examples/seed-host) and the saved lab (every mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHostGraph, type HostGraph } from '../../src/correlate/graph.js';
import { correlateNat } from '../../src/correlate/nat.js';
import { correlateVethMap } from '../../src/correlate/veth-map.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { loadSnapshotDir } from '../../src/snapshot/load.js';
import { scaleHost } from '../property/scale-host.js';
import { repoPath } from '../repo-path.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { natWords } from '../../src/render/nat-words.js';
import { vethWords } from '../../src/render/veth-words.js';

function graphOf(snapshot: Snapshot, containers: string[] = [], group = true) {
  const model = buildHostModel(snapshot);
  const map = correlateVethMap(model);
  const nat = correlateNat(model, map);
  return { graph: buildHostGraph(model, map, nat, { containers, group, natWords, vethWords }), map, nat };
}

const node = (g: HostGraph, id: string) => g.nodes.find((n) => n.id === id);
const edgesOf = (g: HostGraph, kind: string) => g.edges.filter((e) => e.kind === kind);

test("seed: both veth pairs on docker0, one owner unknown and drawn so; virbr0 as libvirt's; the 49154 and 49155 DNAT arrows", async () => {
  const { graph } = graphOf(await loadSnapshotDir(repoPath('examples/seed-host')));
  assert.equal(node(graph, 'bridge:docker0')?.kind, 'bridge');
  const virbr0 = node(graph, 'bridge:virbr0');
  assert.match(virbr0?.label.join(' ') ?? '', /libvirt.*not Docker's/);
  assert.ok(graph.edges.some((e) => e.kind === 'bridge-port' && e.from === 'if:virbr0-nic' && e.to === 'bridge:virbr0'));

  const known = node(graph, 'veth:veth1f00e42');
  assert.equal(known?.unknown, false);
  assert.ok(graph.edges.some((e) => e.kind === 'veth-pair' && e.from === 'if:tomcat01/eth0' && e.to === 'veth:veth1f00e42'));
  const unowned = node(graph, 'veth:vethd4ac7ba');
  assert.equal(unowned?.unknown, true, 'the veth whose owner is not in the data is drawn as unknown');
  assert.ok(unowned?.label.includes('owner: unknown'));
  assert.ok(!graph.edges.some((e) => e.kind === 'veth-pair' && e.to === 'veth:vethd4ac7ba'), 'no pair is claimed for it');
  const probable = graph.edges.find((e) => e.kind === 'probable' && e.to === 'veth:vethd4ac7ba');
  assert.equal(probable?.from, 'container:tomcat-tml');
  assert.equal(probable?.inferred, true);
  assert.match(probable?.label.join(' ') ?? '', /inference, not confirmed/);
  for (const veth of ['veth:veth1f00e42', 'veth:vethd4ac7ba'])
    assert.ok(
      graph.edges.some((e) => e.kind === 'bridge-port' && e.from === veth && e.to === 'bridge:docker0'),
      veth,
    );
  assert.equal(node(graph, 'container:tomcat-tml')?.unknown, true, "tomcat-tml's interfaces are unknown");

  const dnat = edgesOf(graph, 'dnat');
  const d49154 = dnat.find((e) => e.from.startsWith('port:49154/tcp'));
  assert.equal(d49154?.to, 'container:tomcat-tml');
  assert.match(d49154?.label.join('\n') ?? '', /0\.0\.0\.0: DNAT DOCKER 2, 6 pkts 312 bytes\nto 172\.17\.0\.3:8080/);
  const d49155 = dnat.find((e) => e.from.startsWith('port:49155/tcp'));
  assert.equal(d49155?.to, 'if:tomcat01/eth0');
  assert.match(d49155?.label.join('\n') ?? '', /DNAT DOCKER 3, 0 pkts 0 bytes/);
  // docker-proxy was not read: the 127.0.0.1 and [::] ways are unknown, drawn dashed, not left out.
  const unknownWays = graph.edges.filter((e) => e.kind === 'no-path' && e.unknown);
  assert.ok(unknownWays.some((e) => e.label.some((l) => l.startsWith('127.0.0.1 (from this host): path unknown'))));
  assert.ok(unknownWays.some((e) => e.label.some((l) => l.startsWith('[::]: path unknown'))));
  assert.ok(graph.edges.some((e) => e.kind === 'masquerade' && e.from === 'bridge:docker0' && e.to === 'if:ens33'));
});

test('lab snapshot: every running container, bridge, host veth, macvlan parent and published port is in the graph', async () => {
  const { graph, map, nat } = graphOf(await loadSnapshotDir(repoPath('test/fixtures/lab-snapshot')));
  const containers = new Set(graph.nodes.map((n) => n.container).filter(Boolean));
  const clusterContainers = new Set(graph.clusters.flatMap((c) => c.containers));
  for (const r of map.interfaces.filter((x) => x.running)) {
    assert.ok(containers.has(r.container) || clusterContainers.has(r.container), r.container);
    if (r.bridge) assert.ok(node(graph, `bridge:${r.bridge}`), r.bridge);
    if (r.parent) assert.ok(node(graph, `bridge:${r.parent}`) ?? node(graph, `if:${r.parent}`), r.parent);
    if (r.hostVeth && r.interface && !r.sharesNetnsWith) {
      const pair = graph.edges.find((e) => e.kind === 'veth-pair' && e.to === `veth:${r.hostVeth}`);
      assert.equal(pair?.from, `if:${r.container}/${r.interface}`, r.hostVeth);
      const port = graph.edges.find((e) => e.kind === 'bridge-port' && e.from === `veth:${r.hostVeth}`);
      assert.equal(port?.to, `bridge:${r.bridge}`, r.hostVeth);
    }
  }
  for (const v of map.hostVeths) assert.ok(node(graph, `veth:${v.name}`), v.name);
  assert.ok(
    graph.edges.some((e) => e.kind === 'veth-pair' && e.from === 'sandbox:ingress-sbox'),
    'the ingress sandbox owns its veth',
  );
  assert.ok(graph.edges.some((e) => e.kind === 'parent' && e.from === 'if:lab-macvlan/eth0'));
  assert.ok(graph.edges.some((e) => e.kind === 'overlay' && e.to === 'overlay:docknet-lab-overlay'));
  assert.ok(graph.edges.some((e) => e.kind === 'shares-netns' && e.to === 'container:lab-sidecar'));
  assert.equal(node(graph, 'container:lab-sidecar')?.cluster, 'netns:tomcat01', "the follower is drawn inside its owner's namespace");
  assert.equal(node(graph, 'container:lab-host')?.cluster, 'host');
  const ports = graph.nodes.filter((n) => n.kind === 'port').flatMap((n) => n.label);
  for (const m of nat.mappings) {
    const addr = `${m.hostIp.includes(':') ? `[${m.hostIp}]` : m.hostIp}:${m.hostPort}/${m.protocol}`;
    assert.ok(
      ports.some((l) => l === addr || l.startsWith(`${addr} `)),
      addr,
    );
  }
  const proxy = graph.edges.find((e) => e.kind === 'docker-proxy' && e.from.startsWith('port:49154/tcp'));
  assert.match(proxy?.label.join('\n') ?? '', /127\.0\.0\.1 \(from this host\): docker-proxy pid 25922, bypasses DNAT/);
  assert.match(proxy?.label.join('\n') ?? '', /\[::\]: docker-proxy pid 25927, no DNAT rule/);
  assert.equal(graph.grouping, null);
});

test('named containers: only they and what connects them; a follower brings its owner', async () => {
  const snap = await loadSnapshotDir(repoPath('test/fixtures/lab-snapshot'));
  const { graph } = graphOf(snap, ['lab-web']);
  assert.deepEqual(
    graph.nodes.filter((n) => n.kind === 'interface').map((n) => n.id),
    ['if:lab-web/eth0'],
  );
  assert.deepEqual(
    graph.nodes.filter((n) => n.kind === 'host-veth').map((n) => n.id),
    ['veth:veth48f34d9'],
  );
  assert.ok(node(graph, 'bridge:dnlab0'));
  assert.ok(!node(graph, 'bridge:docker0'), 'bridges of other containers are left out');
  assert.deepEqual(
    graph.nodes.filter((n) => n.kind === 'port').map((n) => n.label[0]),
    ['18080/tcp'],
  );
  const sidecar = graphOf(snap, ['lab-sidecar']).graph;
  assert.ok(node(sidecar, 'if:tomcat01/eth0'), "the owner's interface is drawn");
  assert.ok(node(sidecar, 'container:lab-sidecar'));
});

test('past 40 containers: grouped per network with counts, and the way to expand said', () => {
  const host = scaleHost(60, 200);
  const { graph } = graphOf(host.snapshot);
  assert.ok(graph.grouping);
  assert.equal(graph.grouping.containers, 60);
  const groups = graph.nodes.filter((n) => n.kind === 'group');
  assert.ok(groups.length >= 1);
  const total = groups.reduce((s, n) => s + Number(/^(\d+) containers/.exec(n.label[0] ?? '')?.[1] ?? 0), 0);
  assert.equal(total, 60);
  assert.equal(graph.nodes.filter((n) => n.kind === 'interface').length, 0);
  assert.ok(graph.edges.some((e) => e.kind === 'veth-pair' && /^\d+ veth pairs$/.test(e.label[0] ?? '')));
  assert.match(graph.grouping.hint, /docknet graph NAME/);
  assert.ok(graph.notes.includes(graph.grouping.hint));
  const ungrouped = graphOf(host.snapshot, [], false).graph;
  assert.equal(ungrouped.grouping, null);
  assert.ok(ungrouped.nodes.filter((n) => n.kind === 'interface').length >= 60);
});
