// npm run bench:reach: one reach query and --exposure on generated hosts (the scale generator's real
// rule and JSON shapes), after the facts are loaded: time per query, and per exposure row at growing
// sizes, which must stay flat (linear). No engine needed.
import { exposure } from '../src/correlate/reach/exposure.js';
import { hostView } from '../src/correlate/reach/host-view.js';
import { reach } from '../src/correlate/reach/reach.js';
import { containerSocketsOf } from '../src/parse/container-sockets.js';
import { buildHostModel } from '../src/parse/host-model.js';
import { hostSettingsFact } from '../src/parse/host-settings.js';
import { FACT, factText, type Snapshot } from '../src/snapshot/snapshot.js';
import { scaleHost } from '../test/property/scale-host.js';

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
