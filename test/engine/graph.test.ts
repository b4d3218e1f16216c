// Engine test: `docknet graph --format svg` of the live lab (every mode), read back from the SVG itself:
// every lab container, bridge, host veth, macvlan parent and published port is a labelled box or arrow,
// no two boxes overlap, and each veth pair joins the container veth-map names to the bridge it names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { C } from '../../lab/lab-spec.js';
import { runDocknet, withLab } from './harness.js';
import { overlaps, parseGraphvizSvg } from '../svg-graph.js';

interface Row {
  container: string;
  running: boolean;
  interface: string | null;
  hostVeth: string | null;
  bridge: string | null;
  ipv4: string | null;
  parent: string | null;
  sharesNetnsWith: string | null;
}

const LAB = new Set<string>(Object.values(C));

test('graph --format svg of the lab: every container, bridge, veth, parent and port labelled; no overlap; veth pairs as veth-map says', async (t) => {
  const lab = await withLab(t);
  if (!lab) return;
  const dir = mkdtempSync(join(tmpdir(), 'docknet-graph-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'lab.svg');
  // --no-group: other test runs on this engine may add containers past the grouping threshold.
  const started = Date.now();
  const r = await runDocknet(['graph', '--no-group', '--out', out], { timeoutMs: 120_000 });
  assert.equal(r.exitCode, 0, r.stderr);
  t.diagnostic(`graph --format svg took ${Date.now() - started} ms`);
  const svg = parseGraphvizSvg(readFileSync(out, 'utf8'));
  const map = JSON.parse((await runDocknet(['veth-map', '--json'])).stdout) as {
    interfaces: Row[];
    hostVeths: { name: string; bridge: string | null; owner: string | null }[];
  };
  const nat = JSON.parse((await runDocknet(['nat', '--json'])).stdout) as {
    mappings: { hostIp: string; hostPort: number; protocol: string; container: string | null }[];
  };

  const allText = [...svg.nodes.flatMap((n) => n.texts), ...svg.clusters.flatMap((c) => c.texts), ...svg.edges.flatMap((e) => e.texts)];
  const nodeById = new Map(svg.nodes.map((n) => [n.id, n]));
  const rows = map.interfaces.filter((x) => x.running && LAB.has(x.container));
  assert.ok(
    rows.some((x) => x.container === C.tomcat01),
    'the lab is in veth-map',
  );

  for (const name of new Set(rows.map((x) => x.container)))
    assert.ok(
      allText.some((x) => x.includes(name)),
      `container ${name} is labelled`,
    );
  for (const x of rows) {
    if (x.bridge) assert.ok(nodeById.get(`bridge:${x.bridge}`)?.texts[0]?.startsWith(x.bridge), `bridge ${x.bridge} is a labelled box`);
    if (x.parent) {
      const parent = nodeById.get(`bridge:${x.parent}`) ?? nodeById.get(`if:${x.parent}`);
      assert.ok(parent?.texts[0]?.startsWith(x.parent), `macvlan parent ${x.parent} is a labelled box`);
    }
    if (!x.hostVeth || !x.interface || x.sharesNetnsWith) continue;
    const veth = nodeById.get(`veth:${x.hostVeth}`);
    assert.ok(veth?.texts[0]?.startsWith(x.hostVeth), `host veth ${x.hostVeth} is a labelled box`);
    const iface = nodeById.get(`if:${x.container}/${x.interface}`);
    assert.ok(iface, `${x.container} ${x.interface} is a box`);
    if (x.ipv4) assert.ok(iface.texts.includes(x.ipv4), `${x.container} ${x.interface} shows ${x.ipv4}`);
    // graph-dot.ts writes pair and port edges host side first (tail), so the layout runs bridge -> veth -> container.
    const pair = svg.edges.filter((e) => e.classes.includes('veth-pair') && e.tail === `veth:${x.hostVeth}`);
    assert.deepEqual(
      pair.map((e) => e.head),
      [`if:${x.container}/${x.interface}`],
      `${x.hostVeth} joins ${x.container} ${x.interface}`,
    );
    const port = svg.edges.filter((e) => e.classes.includes('bridge-port') && e.head === `veth:${x.hostVeth}`);
    assert.deepEqual(
      port.map((e) => e.tail),
      [`bridge:${x.bridge}`],
      `${x.hostVeth} is a port of ${x.bridge}`,
    );
  }
  const sidecar = rows.find((x) => x.container === C.sidecar);
  if (sidecar) assert.ok(nodeById.get(`container:${C.sidecar}`), 'the container: follower is its own box in its owner’s namespace');
  for (const v of map.hostVeths) if (v.owner && LAB.has(v.owner)) assert.ok(nodeById.has(`veth:${v.name}`), v.name);

  const portTexts = svg.nodes.filter((n) => n.classes.includes('port')).flatMap((n) => n.texts);
  for (const m of nat.mappings.filter((x) => x.container && LAB.has(x.container))) {
    const address = `${m.hostIp.includes(':') ? `[${m.hostIp}]` : m.hostIp}:${m.hostPort}/${m.protocol}`;
    assert.ok(
      portTexts.some((x) => x === address || x.startsWith(`${address} `)),
      `published ${address} (${m.container}) is labelled`,
    );
  }
  assert.ok(
    svg.edges.some((e) => e.classes.includes('dnat') && e.texts.some((x) => /DNAT DOCKER \d+, \d+ pkts/.test(x))),
    'a DNAT arrow with its counters',
  );
  assert.deepEqual(overlaps(svg.nodes), [], 'no two boxes overlap');
});
