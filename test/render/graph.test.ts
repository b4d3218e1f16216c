// DOT, Mermaid and SVG of the host graph: escaping of untrusted names, and the SVG Graphviz lays out in-process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../../src/correlate/graph-builder.js';
import { renderGraphDot } from '../../src/render/graph-dot.js';
import { renderGraphMermaid } from '../../src/render/graph-mermaid.js';
import { renderGraphSvg } from '../../src/render/graph-svg.js';
import { runCli } from '../cli-helper.js';
import { repoPath } from '../repo-path.js';
import { overlaps, parseGraphvizSvg } from '../svg-graph.js';

const NASTY = 'we"b\\n$(touch x)<b>#1`\u001b[31m\nnext';

function nastyGraph() {
  const g = new GraphBuilder();
  g.cluster({ id: 'host', kind: 'host', label: ['host'], containers: [] });
  g.cluster({ id: `netns:${NASTY}`, kind: 'netns', label: [NASTY], containers: [NASTY] });
  g.node({ id: 'bridge:docker0', kind: 'bridge', label: ['docker0'] });
  g.node({ id: `if:${NASTY}/eth0`, kind: 'interface', label: [NASTY, 'eth0'], cluster: `netns:${NASTY}`, container: NASTY });
  g.edge({ kind: 'veth-pair', from: 'bridge:docker0', to: `if:${NASTY}/eth0`, label: [NASTY] });
  return g.build(null);
}

test('DOT: quotes, backslashes and control characters in names cannot break out of a string', () => {
  const dot = renderGraphDot(nastyGraph());
  assert.doesNotMatch(dot, /[\u0000-\u0009\u000b-\u001f]/, 'no raw control character');
  assert.ok(dot.includes('we\\"b\\\\n$(touch x)<b>#1`\\\\x1b[31m\\\\nnext'), dot);
  // Every line is one statement or a brace: a name never splits a statement.
  for (const line of dot.split('\n').filter(Boolean))
    assert.match(line, /^(digraph|\s+(graph|node|edge|subgraph|id=|label=|style=|color=|"|})|})/, line);
});

test('Mermaid: the characters its syntax uses are entity codes', () => {
  const mmd = renderGraphMermaid(nastyGraph());
  assert.ok(mmd.startsWith('flowchart LR\n'));
  assert.ok(mmd.includes('we#quot;b\\n$(touch x)#lt;b#gt;#35;1#96;\\x1b[31m\\nnext'), mmd);
  assert.doesNotMatch(mmd, /[\u0000-\u0009\u000b-\u001f]/);
  assert.match(mmd, /n\d+ ---\|".*"\| n\d+/);
});

test('SVG: Graphviz (WebAssembly) lays out the seed host; every node is labelled, none overlaps another', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-graph-'));
  try {
    const r = await runCli(['graph', '--from', repoPath('examples/seed-host'), '--out', 'seed.svg'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Wrote seed\.svg \(svg: \d+ nodes, \d+ edges\)\.\n$/);
    const svg = readFileSync(join(dir, 'seed.svg'), 'utf8');
    assert.match(svg, /^<\?xml/);
    const parsed = parseGraphvizSvg(svg);
    const json = (await runCli(['graph', '--json', '--from', repoPath('examples/seed-host')])).json();
    assert.equal(json.schemaVersion, 1);
    assert.deepEqual(parsed.nodes.map((n) => n.id).sort(), json.nodes.map((n: { id: string }) => n.id).sort());
    assert.equal(parsed.edges.length, json.edges.length);
    for (const n of parsed.nodes) assert.ok(n.texts.length > 0 && n.texts[0] !== '', n.id);
    assert.deepEqual(overlaps(parsed.nodes), []);
    const veth = parsed.nodes.find((n) => n.id === 'veth:vethd4ac7ba');
    assert.deepEqual(veth?.classes, ['host-veth']);
    assert.ok(veth?.texts.includes('owner: unknown'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SVG: names that are markup stay text', async () => {
  const svg = await renderGraphSvg(nastyGraph());
  assert.doesNotMatch(svg, /<b>/);
  assert.ok(parseGraphvizSvg(svg).nodes.some((n) => n.texts.includes('we"b\\n$(touch x)<b>#1`\\x1b[31m\\nnext')));
});

test('graph CLI: --format is checked before anything is read; the format follows --out; unknown containers are named', async () => {
  const bad = await runCli(['graph', '--format', 'png', '--from', '/nonexistent']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid --format 'png': graph draws svg, dot, mermaid/);
  const dot = await runCli(['graph', '--format', 'dot', '--from', repoPath('examples/seed-host')]);
  assert.equal(dot.code, 0);
  assert.match(dot.stdout, /^digraph docknet \{/);
  const mmd = await runCli(['graph', '--format', 'mermaid', '--from', repoPath('examples/seed-host')]);
  assert.match(mmd.stdout, /^flowchart LR/);
  const dir = mkdtempSync(join(tmpdir(), 'docknet-graph-'));
  try {
    const r = await runCli(['graph', 'tomcat01', '--out', 'host.mmd', '--from', repoPath('examples/seed-host')], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(dir, 'host.mmd'), 'utf8'), /^flowchart LR/);
    const missing = await runCli(['graph', '--out', 'no/such/dir/x.svg', '--from', repoPath('examples/seed-host')], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot write 'no\/such\/dir\/x\.svg': its directory does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const nobody = await runCli(['graph', 'tomcat02', '--from', repoPath('examples/seed-host')]);
  assert.equal(nobody.code, 1);
  // As inspect and reach say it (correlate/find-container.ts): the seed's container list is not the whole list, so
  // a name it lacks is not said to be no container.
  assert.match(nobody.stderr, /'tomcat02' is not among the containers the data names, and the container list itself is unknown/);
  assert.match(nobody.stderr, /\ncontainers the data names: tomcat01, tomcat-tml\n/);
  const none = await runCli(['graph', 'tomcat02', '--from', repoPath('test/fixtures/lab-snapshot')]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no container matches 'tomcat02'\nclosest names: tomcat01/);
});

test('300 containers: SVG (WebAssembly start included) in under 3 s of CPU, grouped and with --no-group', async () => {
  const { scaleHost } = await import('../property/scale-host.js');
  const { buildHostModel } = await import('../../src/parse/host-model.js');
  const { correlateVethMap } = await import('../../src/correlate/veth-map.js');
  const { correlateNat } = await import('../../src/correlate/nat.js');
  const { buildHostGraph } = await import('../../src/correlate/graph.js');
  const { natWords } = await import('../../src/render/nat-words.js');
  const { vethWords } = await import('../../src/render/veth-words.js');
  const model = buildHostModel(scaleHost(300, 1200).snapshot);
  const map = correlateVethMap(model);
  const nat = correlateNat(model, map);
  for (const group of [true, false]) {
    // CPU time, not wall time: the machine is shared, and a loaded one stretches the wall clock.
    const start = process.cpuUsage();
    const svg = await renderGraphSvg(buildHostGraph(model, map, nat, { containers: [], group, natWords, vethWords }));
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
    assert.ok(parseGraphvizSvg(svg).nodes.length > (group ? 5 : 600));
    assert.ok(seconds < 3, `group=${group}: ${seconds.toFixed(2)} s of CPU`);
  }
});

test('graph --exposure: published ports and container addresses coloured by who reaches them, as reach --exposure walks them', async () => {
  const r = await runCli(['graph', '--exposure', '--json', '--from', repoPath('test/fixtures/lab-snapshot')]);
  assert.equal(r.code, 0, r.stderr);
  const nodes = r.json().nodes as { id: string; exposure: string | null; label: string[] }[];
  const port = (p: string) => nodes.find((n) => n.id.startsWith(`port:${p}>`));
  assert.equal(port('49154/tcp')?.exposure, 'outside');
  assert.ok(port('49154/tcp')?.label.some((l) => /^0\.0\.0\.0:49154: from outside yes, from the host yes/.test(l)));
  assert.equal(port('5353/udp')?.exposure, 'local', 'nothing listens on it for outside and the host: only containers get an answer');
  assert.equal(nodes.find((n) => n.id === 'if:lab-svc.1.ysknvk2qv21632a0m0aw8kpi8/eth0')?.exposure, 'local');
  assert.ok(nodes.filter((n) => n.exposure === null).length > 10, 'other boxes are not coloured');
  const dot = await runCli(['graph', '--exposure', '--format', 'dot', '--from', repoPath('test/fixtures/lab-snapshot')]);
  assert.match(dot.stdout, /"port:49154\/tcp>if:tomcat-tml\/eth0" \[.*fillcolor="#ff9c9c"/);
  const plain = await runCli(['graph', '--json', '--from', repoPath('test/fixtures/lab-snapshot')]);
  assert.ok((plain.json().nodes as { exposure: string | null }[]).every((n) => n.exposure === null));
});
