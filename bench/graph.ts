// npm run bench:graph: `docknet graph --format svg` of a generated host of 300 containers (real shapes,
// test/property/scale-host.ts, saved as a snapshot), wall time including Node's start and the WebAssembly
// Graphviz's, grouped (the default) and --no-group; beside it the start-up of commands that never load it.
// No engine needed. Sizes: --containers N (default 300), --runs R (default 5).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveSnapshot } from '../src/snapshot/save.js';
import { scaleHost } from '../test/property/scale-host.js';

const BIN = fileURLToPath(new URL('../../bin/docknet.js', import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name}: a whole number from 1 up`);
  return n;
}

const containers = arg('containers', 300);
const runs = arg('runs', 5);
const dir = mkdtempSync(join(tmpdir(), 'docknet-bench-graph-'));
try {
  const snap = join(dir, 'host');
  await saveSnapshot(scaleHost(containers, containers * 4).snapshot, snap, { force: false, docknetVersion: 'bench', redaction: null });
  const cases: [string, string[]][] = [
    ['docknet --version (start-up alone)', ['--version']],
    ['docknet veth-map --from (no Graphviz)', ['veth-map', '--from', snap]],
    ['docknet graph --format dot --from (no Graphviz)', ['graph', '--format', 'dot', '--from', snap]],
    ['docknet graph --format svg --from (grouped: the default)', ['graph', '--format', 'svg', '--from', snap]],
    ['docknet graph --format svg --no-group --from', ['graph', '--format', 'svg', '--no-group', '--from', snap]],
  ];
  const rows: string[][] = [['COMMAND', `MEDIAN ms (${runs} runs)`, 'MAX ms']];
  for (const [name, args] of cases) {
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      execFileSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push([name, (times[Math.floor(times.length / 2)] as number).toFixed(0), (times.at(-1) as number).toFixed(0)]);
  }
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((row) => (row[i] as string).length)));
  process.stdout.write(
    `docknet graph: a generated host of ${containers} containers (one veth pair each, published ports), from a saved snapshot\n\n`,
  );
  for (const row of rows)
    process.stdout.write(`${row.map((c, i) => (i ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('   ')}\n`);
  process.stdout.write(
    '\nTarget (issue 13): graph --format svg for 300 containers under 3 s including the WebAssembly start; other commands unchanged.\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
