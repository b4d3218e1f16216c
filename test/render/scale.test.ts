// Scale: every renderer, in every form (terminal, terminal narrower than the table, pipe, JSON), does
// work in proportion to its rows. The same input at N and 2N rows must cost no more than about twice
// the counted operations (test/property/work-counter.ts: counted, never timed, so exact anywhere).
// Inputs: the generated host (test/property/scale-host.ts) through the real correlation, and rows made
// here where the generated host has none of a kind (a distinct note per row, findings of many kinds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryIO } from '../../src/cli/io.js';
import { correlateInspect } from '../../src/correlate/inspect.js';
import { correlateNat } from '../../src/correlate/nat.js';
import { correlateVethMap, type VethMap } from '../../src/correlate/veth-map.js';
import { known } from '../../src/model/fact.js';
import type { CheckOutcome, Finding, Severity } from '../../src/model/finding.js';
import type { NatReport } from '../../src/model/port-path.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import type { OutputMedium } from '../../src/render/medium.js';
import { doctorJson, renderDoctorText } from '../../src/render/doctor.js';
import { inspectJson, renderInspectText } from '../../src/render/inspect.js';
import { natJson, renderNatPathsText, renderNatText } from '../../src/render/nat.js';
import { BLOCK, renderTable } from '../../src/render/table.js';
import { renderVethMapText, vethMapJson } from '../../src/render/veth-map.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { scaleHost } from '../property/scale-host.js';
import { countWork } from '../property/work-counter.js';

// As for correlation (test/property/scale.test.ts): sorting is n log n; anything quadratic is ×4.
const MAX_RATIO = 2.3;
const MIN_RATIO = 1.5;
// More rows than one cli-table3 block, so that a block's own quadratic layout would show; and 2N
// containers still on one bridge of the generated host (it opens one per 250), so inspect's neighbours
// double too.
const N = 120;

const MEDIA: Record<string, () => OutputMedium> = {
  terminal: () => memoryIO({ isTTY: true, color: true, width: 1000 }),
  'narrow terminal': () => memoryIO({ isTTY: true, color: false, width: 60 }),
  pipe: () => memoryIO(),
};

interface Scaled {
  snapshot: Snapshot;
  vethMap: VethMap;
  nat: NatReport;
  inspect: ReturnType<typeof correlateInspect>;
}

function scaled(n: number): Scaled {
  // Two publications per container: 2n mappings, 2n DNAT and 2n hairpin rules.
  const host = scaleHost(n, 4 * n);
  const model = buildHostModel(host.snapshot);
  const vethMap = correlateVethMap(model);
  const nat = correlateNat(model, vethMap);
  const container = model.containers.all.find((c) => c.name === 'scale-0');
  assert.ok(container);
  const inspect = correlateInspect({ model, vethMap, nat, container, resolv: null, sockets: null, filesErrors: [] });
  return { snapshot: host.snapshot, vethMap, nat, inspect };
}

const small = scaled(N);
const large = scaled(2 * N);

function ratio(name: string, measure: (s: Scaled, n: number) => unknown, inputs: [Scaled, Scaled] = [small, large]): void {
  const a = countWork(() => measure(inputs[0], N)).work.ops;
  const b = countWork(() => measure(inputs[1], 2 * N)).work.ops;
  const r = b / a;
  assert.ok(
    r <= MAX_RATIO,
    `${name}: ${a} operations for ${N} rows, ${b} for ${2 * N}: ×${r.toFixed(2)} (more than ×${MAX_RATIO}: not linear)`,
  );
  assert.ok(r >= MIN_RATIO, `${name}: ×${r.toFixed(2)} for twice the rows: the counter does not see this work`);
}

test('the scaled inputs have the rows they claim: N interfaces and veths, 2N mappings, N-1 neighbours', () => {
  assert.ok(N > BLOCK);
  for (const [s, n] of [
    [small, N],
    [large, 2 * N],
  ] as const) {
    assert.equal(s.vethMap.interfaces.length, n);
    assert.equal(s.vethMap.hostVeths.length, n);
    assert.equal(s.nat.mappings.length, 2 * n);
    assert.equal(s.inspect.neighbours.flatMap((x) => x.containers).length, n - 1);
  }
});

test('veth-map renders in linear work: text in every form, and JSON', () => {
  for (const [form, medium] of Object.entries(MEDIA))
    ratio(`veth-map text (${form})`, (s) => renderVethMapText(medium(), s.vethMap, s.snapshot));
  ratio('veth-map JSON', (s) => JSON.stringify(vethMapJson(s.vethMap, s.snapshot), null, 2));
});

test('veth-map with a distinct note on every row and a role to wrap on every host interface: still linear', () => {
  const noted = (s: Scaled): Scaled => ({
    ...s,
    vethMap: {
      ...s.vethMap,
      interfaces: s.vethMap.interfaces.map((r, i) => ({
        ...r,
        notes: [{ code: 'interfaces-unknown' as const, error: `note ${i}: unread for ${r.container}`, scope: 'container' as const }],
      })),
      hostVeths: s.vethMap.hostVeths.map((v, i) => ({
        ...v,
        note: { code: 'owner-not-in-data' as const, unread: [`c${i}`, `d${i}`], containerListUnknown: null },
      })),
      hostInterfaces: s.vethMap.hostVeths.map((v, i) => ({
        name: `${v.name}-x`,
        ifindex: i,
        kind: null,
        ipv4: null,
        role: { code: 'kind' as const, kind: `something-${i}th-of-this-kind whose role is said in enough words to wrap` },
        listed: true,
      })),
    },
  });
  const inputs: [Scaled, Scaled] = [noted(small), noted(large)];
  for (const [form, medium] of Object.entries(MEDIA))
    ratio(`veth-map text with notes (${form})`, (s) => renderVethMapText(medium(), s.vethMap, s.snapshot), inputs);
});

test('nat renders in linear work: the table in every form, the paths of every mapping, and JSON', () => {
  for (const [form, medium] of Object.entries(MEDIA)) ratio(`nat text (${form})`, (s) => renderNatText(medium(), s.nat, s.snapshot));
  ratio('nat paths text (--port)', (s) => renderNatPathsText(s.nat, s.snapshot));
  ratio('nat JSON', (s) => JSON.stringify(natJson(s.nat, s.snapshot), null, 2));
});

test('nat with a missing-rule anomaly and a distinct note for every mapping: still linear', () => {
  const damaged = (s: Scaled): Scaled => ({
    ...s,
    nat: {
      ...s.nat,
      mappings: s.nat.mappings.map((m, i) => ({ ...m, notes: [{ code: 'internal-network' as const, network: `net${i}` }] })),
      anomalies: s.nat.mappings.map((m) => ({
        kind: 'missing-rule' as const,
        reason: { code: 'missing-rule' as const },
        match: null,
        confirmed: true,
        hostIp: m.hostIp,
        hostPort: m.hostPort,
        protocol: m.protocol,
        containerIp: m.containerIp,
        containerPort: m.containerPort,
        container: m.container,
        network: m.network,
        bridge: m.bridge,
        hostVeth: m.hostVeth,
        rule: null,
        proxy: null,
        proxyServes: true,
      })),
    },
  });
  const inputs: [Scaled, Scaled] = [damaged(small), damaged(large)];
  for (const [form, medium] of Object.entries(MEDIA))
    ratio(`nat text with anomalies (${form})`, (s) => renderNatText(medium(), s.nat, s.snapshot), inputs);
});

test('inspect renders in linear work (its neighbours grow with the host): text in every form, and JSON', () => {
  for (const [form, medium] of Object.entries(MEDIA))
    ratio(`inspect text (${form})`, (s) => renderInspectText(medium(), s.inspect, s.snapshot));
  // Without the container's two ports: their paths (hops, reasons and sentences) are the same size at N and 2N, and
  // would hide the neighbours' growth; nat JSON measures the same path JSON (mappingJson) over 2N mappings.
  ratio('inspect JSON', (s) => JSON.stringify(inspectJson({ ...s.inspect, ports: [] }, s.snapshot), null, 2));
});

test('doctor renders in linear work: N findings of N/4 kinds, with and without --all, and JSON', () => {
  const severities: Severity[] = ['error', 'warning', 'info'];
  const outcomes = (n: number): CheckOutcome[] => {
    const findings: Finding[] = Array.from({ length: n }, (_, i) => ({
      check: 'veths',
      kind: `kind-${i % (n / 4)}`,
      subject: `veth${i}`,
      severity: severities[i % 3] as Severity,
      title: `Host veth veth${i} is on docker0 with no owner`,
      evidence: [{ source: 'host/ip-addr.json', text: `${i}: veth${i}@if${i + 1} master docker0\nsecond line` }],
      why: 'A leftover veth of a removed container.',
      fix: `ip link delete veth${i}`,
      changesHost: true,
      unproven: i % 2 ? null : 'the container list is unknown',
    }));
    return [
      { check: 'veths', title: 'veths and bridges', status: 'ran', partial: null, reason: null, findings },
      ...Array.from({ length: n }, (_, i) => ({
        check: `c${i}`,
        title: `check ${i}`,
        status: i % 2 ? ('ran' as const) : ('skipped' as const),
        partial: i % 2 ? 'part of the facts' : null,
        reason: i % 2 ? null : 'not in the data',
        findings: [],
      })),
    ];
  };
  const engine = known({ version: '20.10.24', apiVersion: '1.41' }, 'docker/version.json');
  for (const [form, medium] of Object.entries(MEDIA))
    for (const all of [false, true])
      ratio(`doctor text (${form}${all ? ', --all' : ''})`, (s, n) => renderDoctorText(medium(), outcomes(n), s.snapshot, engine, all));
  ratio('doctor JSON', (s, n) => JSON.stringify(doctorJson(outcomes(n), s.snapshot, engine), null, 2));
});

test('a bare table in linear work in every form, wrapping or not', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => [`name-${i}`, i, `a sentence of several words for row ${i} to wrap`]);
  const cols = ['NAME', 'N', { header: 'ROLE', wrap: true }];
  for (const [form, medium] of Object.entries(MEDIA)) ratio(`table (${form})`, (_, n) => renderTable(medium(), cols, rows(n)));
});

test('the counter sees a renderer that is quadratic in rows (a table laid out whole by cli-table3)', async () => {
  const { default: Table } = await import('cli-table3');
  const whole = (n: number): number =>
    countWork(() => {
      const t = new Table({ head: ['NAME', 'N'] });
      for (let i = 0; i < n; i++) t.push([`name-${i}`, String(i)]);
      return t.toString();
    }).work.ops;
  const r = whole(2 * N) / whole(N);
  assert.ok(r > MAX_RATIO, `×${r.toFixed(2)}`);
});
