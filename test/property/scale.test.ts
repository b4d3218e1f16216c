// Scale: parsing and correlation do work in proportion to the host. The same generated host at N and
// 2N containers (and M and 2M nat rules) must cost no more than about twice the counted operations;
// operations are counted (test/property/work-counter.ts), never timed, so the test is exact anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlateNat } from '../../src/correlate/nat.js';
import { correlateVethMap } from '../../src/correlate/veth-map.js';
import { parseContainerNetJson } from '../../src/parse/container-net.js';
import { parseContainersJson, parseNetworksJson } from '../../src/parse/engine-json.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { parseIpLinkJson } from '../../src/parse/ip-link-json.js';
import { parseIptablesNatText } from '../../src/parse/iptables-nat-text.js';
import { parseIptablesSave } from '../../src/parse/iptables-save.js';
import { scaleHost, type ScaleHost } from './scale-host.js';
import { countWork, wrapReads, type Work } from './work-counter.js';

// Doubling may cost a little more than twice: sorting is n log n (2.2 at these sizes).
const MAX_RATIO = 2.3;
// And must cost clearly more than the same: otherwise the counter does not see the work.
const MIN_RATIO = 1.5;
const N = 100;
const M = 2000;

const small = scaleHost(N, M);
const large = scaleHost(2 * N, 2 * M);

function ratio(name: string, measure: (h: ScaleHost) => number): void {
  const a = measure(small);
  const b = measure(large);
  const r = b / a;
  assert.ok(
    r <= MAX_RATIO,
    `${name}: ${a} operations for ${N} containers / ${small.natRules} rules, ${b} for ${2 * N} / ${large.natRules}: ×${r.toFixed(2)} (more than ×${MAX_RATIO}: not linear)`,
  );
  assert.ok(r >= MIN_RATIO, `${name}: ×${r.toFixed(2)} for twice the input: the counter does not see this work`);
}

const ops = (w: Work): number => w.ops;

test('the generated host is what it says: N containers, paired veths, M nat rules parsed without issues', () => {
  assert.ok(small.natRules >= M && large.natRules >= 2 * M, `${small.natRules} / ${large.natRules} rules`);
  const model = buildHostModel(small.snapshot);
  assert.deepEqual(model.fileIssues, []);
  assert.equal(model.containers.all.length, N);
  const map = correlateVethMap(model);
  assert.equal(map.interfaces.length, N);
  assert.ok(
    map.interfaces.every((r) => r.pairedBy === 'both-sides' && r.hostVeth !== null),
    'every container paired to its veth',
  );
  assert.equal(map.hostVeths.filter((v) => v.owner === null).length, 0);
  assert.equal(parseIptablesSave(small.iptablesSave).value[0]?.rules.length, small.natRules);
  assert.equal(parseIptablesNatText(small.iptablesNatText).value.rules.length, small.natRules);
  assert.deepEqual(parseIptablesNatText(small.iptablesNatText).issues, []);
});

test('each parser does linear work (counted operations, N vs 2N)', () => {
  ratio('docker inspect JSON', (h) => ops(countWork(() => parseContainersJson(h.containersJson)).work));
  ratio('network JSON', (h) => ops(countWork(() => parseNetworksJson(h.networksJson)).work));
  ratio('ip -j -d addr', (h) => ops(countWork(() => parseIpLinkJson(h.hostLinksJson)).work));
  ratio('net.json of every container', (h) => ops(countWork(() => [...h.containerNet.values()].map(parseContainerNetJson)).work));
  ratio('iptables-save', (h) => ops(countWork(() => parseIptablesSave(h.iptablesSave)).work));
  ratio('iptables -t nat -vnL', (h) => ops(countWork(() => parseIptablesNatText(h.iptablesNatText)).work));
  ratio('the whole host model (every fact of the snapshot)', (h) => ops(countWork(() => buildHostModel(h.snapshot)).work));
});

test('veth-map correlation does linear work: built-in operations and reads of the model', () => {
  ratio('correlateVethMap operations', (h) => {
    const model = buildHostModel(h.snapshot);
    return ops(countWork(() => correlateVethMap(model)).work);
  });
  ratio('correlateVethMap reads of model arrays', (h) => {
    const counter = { reads: 0 };
    correlateVethMap(wrapReads(buildHostModel(h.snapshot), counter));
    return counter.reads;
  });
});

test('nat correlation does linear work: built-in operations and reads of the model', () => {
  ratio('correlateNat operations', (h) => {
    const model = buildHostModel(h.snapshot);
    const veth = correlateVethMap(model);
    return ops(countWork(() => correlateNat(model, veth)).work);
  });
  ratio('correlateNat reads of model arrays', (h) => {
    const model = buildHostModel(h.snapshot);
    const veth = correlateVethMap(model);
    const counter = { reads: 0 };
    correlateNat(wrapReads(model, counter), veth);
    return counter.reads;
  });
});

test('the counter sees quadratic work: a nested scan costs ×4 for ×2 input', () => {
  const quadratic = (n: number): number =>
    countWork(() => {
      const xs = Array.from({ length: n }, (_, i) => i);
      return xs.filter((x) => xs.some((y) => y === x)).length;
    }).work.ops;
  const r = quadratic(400) / quadratic(200);
  assert.ok(r > 3.5, `×${r.toFixed(2)}`);
});
