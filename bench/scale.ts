// npm run bench:scale: parse and correlate a generated host (default 1,000 containers and 20,000 nat
// rules, real rule and JSON shapes) and print the time and heap of each phase. No engine needed.
// Sizes: --containers N --rules M (or SCALE_CONTAINERS / SCALE_RULES). Run with --expose-gc for
// exact heap figures (the npm script does).
import { correlateNat } from '../src/correlate/nat.js';
import { correlateVethMap, type VethMap } from '../src/correlate/veth-map.js';
import { parseContainerNetJson } from '../src/parse/container-net.js';
import { parseContainersJson, parseNetworksJson } from '../src/parse/engine-json.js';
import { buildHostModel, type HostModel } from '../src/parse/host-model.js';
import { parseIpLinkJson } from '../src/parse/ip-link-json.js';
import { parseIptablesNatText } from '../src/parse/iptables-nat-text.js';
import { parseIptablesSave } from '../src/parse/iptables-save.js';
import { scaleHost } from '../test/property/scale-host.js';

function arg(name: string, env: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : process.env[env];
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} ${v}: a whole number from 1 up`);
  return n;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

interface Row {
  phase: string;
  input: string;
  ms: number;
  /** Heap held after the phase and a GC (its result), MiB. */
  keptMiB: number;
  /** Heap growth at the end of the phase before any GC: at least what it allocated and had not freed, MiB. */
  grewMiB: number;
}

const rows: Row[] = [];

function phase<T>(name: string, input: string, fn: () => T): T {
  const before = heapMiB();
  const started = performance.now();
  const result = fn();
  const ms = performance.now() - started;
  const grew = process.memoryUsage().heapUsed / 2 ** 20 - before;
  rows.push({ phase: name, input, ms, keptMiB: heapMiB() - before, grewMiB: grew });
  return result;
}

const containers = arg('containers', 'SCALE_CONTAINERS', 1000);
const rules = arg('rules', 'SCALE_RULES', 20_000);
const host = scaleHost(containers, rules);
const mib = (s: string): string => `${(Buffer.byteLength(s) / 2 ** 20).toFixed(1)} MiB`;

phase('parse docker inspect JSON', mib(host.containersJson), () => parseContainersJson(host.containersJson));
phase('parse network JSON', mib(host.networksJson), () => parseNetworksJson(host.networksJson));
phase('parse ip -j -d addr', mib(host.hostLinksJson), () => parseIpLinkJson(host.hostLinksJson));
phase('parse net.json x containers', `${host.containerNet.size} files`, () => [...host.containerNet.values()].map(parseContainerNetJson));
phase('parse iptables-save', `${host.natRules} rules, ${mib(host.iptablesSave)}`, () => parseIptablesSave(host.iptablesSave));
phase('parse iptables -t nat -vnL', `${host.natRules} rules, ${mib(host.iptablesNatText)}`, () =>
  parseIptablesNatText(host.iptablesNatText),
);
const model: HostModel = phase('host model (every fact parsed)', `${host.snapshot.facts.size} facts`, () => buildHostModel(host.snapshot));
const veth: VethMap = phase('correlate veth-map', `${containers} containers`, () => correlateVethMap(model));
phase('correlate nat', `${host.natRules} rules`, () => correlateNat(model, veth));

const table = [
  ['PHASE', 'INPUT', 'TIME (ms)', 'HEAP GREW (MiB)', 'HEAP KEPT (MiB)'],
  ...rows.map((r) => [r.phase, r.input, r.ms.toFixed(0), r.grewMiB.toFixed(1), r.keptMiB.toFixed(1)]),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
process.stdout.write(`docknet scale: ${containers} containers, ${host.natRules} nat rules (generated from real shapes)\n\n`);
for (const row of table)
  process.stdout.write(
    `${row
      .map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd()}\n`,
  );
const total = rows.filter((r) => !r.phase.startsWith('parse ')).reduce((s, r) => s + r.ms, 0);
process.stdout.write(
  `\nhost model + correlation: ${total.toFixed(0)} ms; heap in use at the end: ${heapMiB().toFixed(0)} MiB${gc ? '' : ' (run with --expose-gc for exact heap figures)'}\n`,
);
