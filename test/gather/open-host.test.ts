// What each --host transport reads without ssh: unix:// is this machine (its host facts as without
// --host), tcp:// the Engine API alone, every host fact unknown with why, never none. The engine is
// the fake Engine API of fake-engine.ts, reached over a real TCP connection to 127.0.0.1 for tcp://.
import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { parseHostUrl } from '../../src/gather/host-url.js';
import { gatherLive } from '../../src/gather/live.js';
import { openHost, TCP_HOST_FACTS } from '../../src/gather/open-host.js';
import { FACT } from '../../src/snapshot/snapshot.js';
import { hostFileName } from '../../src/commands/host-file-name.js';
import { runCli } from '../cli-helper.js';
import { engineRoutes, startFakeEngine } from './fake-engine.js';

test('tcp://: the containers from the Engine API; links, routes, rules, settings and /proc unknown with the reason', async (t) => {
  const engine = await startFakeEngine(t, engineRoutes());
  const proxy = createServer((c) => {
    const u = connect(engine.socket);
    c.pipe(u).pipe(c);
    c.on('error', () => u.destroy());
    u.on('error', () => c.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
  const url = `tcp://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const env = { PATH: process.env.PATH };
  const opened = await openHost(parseHostUrl(url), env);
  const snapshot = await gatherLive(['engine', 'container-net', 'links', 'routes', 'nat', 'settings'], opened.host, { detail: 'list' });
  assert.ok(snapshot.facts.has(FACT.containers));
  for (const path of [FACT.ipAddrJson, FACT.ipRouteJson, FACT.iptablesSave, FACT.hostSettings, FACT.hostNetns, FACT.dockerProxy]) {
    assert.equal(snapshot.facts.has(path), false, path);
    assert.equal(snapshot.missing.find((m) => m.path === path)?.reason, TCP_HOST_FACTS, path);
  }
  // Not this machine's name: the host is elsewhere.
  assert.equal(snapshot.hostname, null);
  const r = await runCli(['veth-map', '--host', url], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^=== host ${url.replace(/[.]/g, '\\.')} ===\n`));
  assert.match(r.stdout, /the Engine API over tcp cannot see the host's kernel/);
});

test("unix://: this machine's host facts, as without --host", async (t) => {
  const engine = await startFakeEngine(t, engineRoutes());
  const opened = await openHost(parseHostUrl(`unix://${engine.socket}`), { PATH: process.env.PATH });
  assert.equal(opened.host.hostFactsUnknown, undefined);
  assert.equal(opened.host.procRoot, '/proc');
  const snapshot = await gatherLive(['engine', 'links'], opened.host, { detail: 'list' });
  assert.ok(snapshot.facts.has(FACT.containers));
  assert.ok(snapshot.facts.has(FACT.ipAddrJson) || snapshot.missing.some((m) => m.path === FACT.ipAddrJson && m.reason !== TCP_HOST_FACTS));
});

test('hostFileName: one file per host, the host before the extension; unchanged for one host', () => {
  assert.equal(hostFileName('report.html', null), 'report.html');
  assert.equal(hostFileName('report.html', 'ssh://root@node-1:2222/run/docker.sock'), 'report.root_node-1_2222_run_docker.sock.html');
  assert.equal(hostFileName('out/graph.svg', 'prod-a'), 'out/graph.prod-a.svg');
  assert.equal(hostFileName('graph', 'prod-a'), 'graph.prod-a');
});
