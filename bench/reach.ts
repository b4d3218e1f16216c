// npm run bench:reach (and the end of npm run bench): one reach query and --exposure on generated hosts
// (the scale generator's real rule and JSON shapes). First after the facts are loaded: time per query,
// and per exposure cell at growing sizes, which must stay flat (linear). Then as a user runs them,
// `docknet reach ... --from` a saved generated host, text and --json, under GNU time. No engine needed.
import { exposure } from '../src/correlate/reach/exposure.js';
import { hostView } from '../src/correlate/reach/host-view.js';
import { reach } from '../src/correlate/reach/reach.js';
import { containerSocketsOf } from '../src/parse/container-sockets.js';
import { buildHostModel } from '../src/parse/host-model.js';
import { hostSettingsFact } from '../src/parse/host-settings.js';
import { FACT, factText, type Snapshot } from '../src/snapshot/snapshot.js';
import { scaleHost } from '../test/property/scale-host.js';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveSnapshot } from '../src/snapshot/save.js';
import { medianRun } from './timed.js';

/** The generator writes links and rules; a walk also needs the routes and the forwarding sysctl. */
function addRoutesAndSettings(snapshot: Snapshot): void {
  const links = JSON.parse(factText(snapshot, FACT.ipAddrJson) ?? '[]') as {
    ifname: string;
    addr_info?: { family: string; local: string; prefixlen: number }[];
  }[];
  const routes: unknown[] = [{ dst: 'default', gateway: '192.0.2.1', dev: 'eth0' }];
  for (const l of links) {
    const a = l.addr_info?.find((x) => x.family === 'inet');
    if (a && l.ifname !== 'lo')
      routes.push({
        dst: `${a.local
          .split('.')
          .slice(0, a.prefixlen / 8)
          .join('.')}${'.0'.repeat(4 - a.prefixlen / 8)}/${a.prefixlen}`,
        dev: l.ifname,
        prefsrc: a.local,
      });
  }
  const put = (path: string, text: string) => snapshot.facts.set(path, { path, text, origin: { kind: 'file', what: 'bench' } });
  put(FACT.ipRouteJson, JSON.stringify(routes));
  put(
    FACT.hostSettings,
    JSON.stringify({ sysctl: { 'net.ipv4.ip_forward': '1', 'net.bridge.bridge-nf-call-iptables': '1' }, modules: {} }),
  );
}

const sizes = (process.env.REACH_SIZES ?? '500,1000,2000').split(',').map(Number);
const rows: string[][] = [['CONTAINERS', 'RULES', 'LOAD (ms)', 'ONE QUERY (ms)', 'EXPOSURE ROWS', 'EXPOSURE (ms)', 'PER ROW (us)']];
for (const n of sizes) {
  const host = scaleHost(n, 20 * n);
  addRoutesAndSettings(host.snapshot);
  const started = performance.now();
  const model = buildHostModel(host.snapshot);
  const view = hostView(model, hostSettingsFact(host.snapshot).fact, containerSocketsOf(host.snapshot, model));
  const load = performance.now() - started;
  // The last publication's DNAT is the deepest in the nat DOCKER chain: the slowest single walk.
  const lastPort = Math.max(
    ...model.containers.all.flatMap((c) => Object.values(c.ports).flatMap((b) => (b ?? []).map((x) => Number(x.hostPort) || 0))),
  );
  const q = performance.now();
  const r = reach(view, { kind: 'outside', ip: null }, { kind: 'host', port: lastPort, protocol: 'tcp' });
  const query = performance.now() - q;
  if (r.verdict === 'unknown') throw new Error(`bench: the query was unknown: ${r.unknown}`);
  const e0 = performance.now();
  const e = exposure(view);
  const exp = performance.now() - e0;
  const cells = e.rows.length * e.sources.length;
  rows.push([
    String(n),
    String(host.natRules),
    load.toFixed(0),
    query.toFixed(1),
    `${e.rows.length} x ${e.sources.length}`,
    exp.toFixed(0),
    ((exp * 1000) / cells).toFixed(1),
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
process.stdout.write('docknet reach: one query and --exposure on generated hosts (facts loaded first)\n\n');
for (const row of rows) process.stdout.write(`${row.map((c, i) => c.padStart(widths[i]!)).join('   ')}\n`);
process.stdout.write('\nPER ROW is per exposure cell (row x source); flat from size to size means linear.\n');

// ---- as a user runs it: the CLI on a saved generated host ----
const CLI_SIZE = Number(process.env.REACH_CLI_SIZE ?? 2000);
const BIN = fileURLToPath(new URL('../../bin/docknet.js', import.meta.url));
if (CLI_SIZE > 0 && existsSync('/usr/bin/time')) {
  const dir = await mkdtemp(join(tmpdir(), 'docknet-bench-reach-'));
  try {
    const host = scaleHost(CLI_SIZE, 20 * CLI_SIZE);
    addRoutesAndSettings(host.snapshot);
    host.snapshot.source = { kind: 'saved', location: dir };
    host.snapshot.hostname = `generated-${CLI_SIZE}`;
    const snap = join(dir, 'host');
    await saveSnapshot(host.snapshot, snap, { force: false, docknetVersion: 'bench', redaction: null });
    const model = buildHostModel(host.snapshot);
    const lastPort = Math.max(
      ...model.containers.all.flatMap((c) => Object.values(c.ports).flatMap((b) => (b ?? []).map((x) => Number(x.hostPort) || 0))),
    );
    const cli: string[][] = [['COMMAND', 'OUTPUT', 'WALL (ms)', 'CPU (ms)', 'PEAK (MiB)']];
    const tty = { DOCKNET_FORCE_TTY: '120' };
    for (const [name, args] of [
      [`reach outside host:${lastPort}`, ['reach', 'outside', `host:${lastPort}`]],
      ['reach --exposure', ['reach', '--exposure']],
    ] as const)
      for (const [output, extra, env] of [
        ['text', [], tty],
        ['--json', ['--json'], {}],
      ] as const) {
        const m = await medianRun(['node', BIN, ...args, ...extra, '--from', snap], env, [0], 3);
        cli.push([name, output, m.wallMs.toFixed(0), m.cpuMs.toFixed(0), m.peakMiB.toFixed(0)]);
      }
    const w = cli[0]!.map((_, i) => Math.max(...cli.map((row) => row[i]!.length)));
    process.stdout.write(
      `\ndocknet reach as a user runs it: --from a saved generated host of ${CLI_SIZE} containers and ${host.natRules} rules (median of 3, GNU time; loading the snapshot included)\n\n`,
    );
    for (const row of cli) process.stdout.write(`${row.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('   ')}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} else if (CLI_SIZE > 0) process.stdout.write('\n(the CLI part needs GNU time, /usr/bin/time: npm run bench installs it)\n');
