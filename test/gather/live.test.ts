// gather/ without an engine or root: the saved lab played back as a host (test/gather/replay-host.ts).
// Gathering it again must give back the snapshot it was saved as, with the same fixed set of host
// commands; and the races of a live host (a container removed, stopped or restarted between two
// reads) are forced here, deterministically, rather than hoped for.
import { test } from 'node:test';
import { hostVethNoteText, interfaceNotesText } from '../../src/render/veth-words.js';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatherAll } from '../../src/gather/all.js';
import { EngineUnreachableError } from '../../src/gather/engine-api.js';
import { gatherLive } from '../../src/gather/live.js';
import { correlateVethMap } from '../../src/correlate/veth-map.js';
import type { ContainerNetFacts } from '../../src/model/container-net.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { loadSnapshotDir } from '../../src/snapshot/load.js';
import { FACT, isOverlayFact } from '../../src/snapshot/snapshot.js';
import { repoPath } from '../repo-path.js';
import { commandResult, replayHost } from './replay-host.js';

const LAB = repoPath('test/fixtures/lab-snapshot');

// What `snapshot save` runs on any host, whatever the number of containers: one process per fact.
const SAVE_COMMANDS = [
  'brctl show',
  'ip -d link show',
  'ip -j -d addr show',
  'ip -j -d link show',
  'ip -j route show table main',
  'ip addr show',
  'ip6tables-save -c',
  'iptables -t nat -vnxL --line-numbers',
  'iptables-legacy-save',
  'iptables-nft-save',
  'iptables-save -c',
  'nft -j list ruleset',
  // Run because iptables-save said legacy tables are present.
  'iptables-legacy-save -c',
];

/**
 * Facts newer than the saved lab, set aside here: the overlay facts (gather/overlay.ts; test/correlate/overlay
 * reads real ones) and the IPv6 routes (test/correlate/reach/host-view-routes.test.ts reads real ones).
 */
const overlayOnly = (p: string) => isOverlayFact(p) || p === FACT.ip6RouteJson;

test('gathering the saved lab again gives back every fact it was saved with, from the same commands', async (t) => {
  const replay = await replayHost(t, LAB);
  const saved = await loadSnapshotDir(LAB);
  const { snapshot, engineError } = await gatherAll(replay.host);
  assert.equal(engineError, null);
  assert.deepEqual([...snapshot.facts.keys()].filter((p) => !overlayOnly(p)).sort(), [...saved.facts.keys()].sort());
  for (const [path, fact] of saved.facts) {
    const got = snapshot.facts.get(path);
    assert.ok(got, path);
    assert.equal(got.text, fact.text, `${path}: the text differs from the saved one`);
    // Where each fact came from, with the /proc and /sys of the played-back host named as the real ones.
    const what = got.origin.what
      .replaceAll(replay.procRoot, '/proc')
      .replaceAll(replay.host.sysRoot, '/sys')
      // The lab was saved before docker-proxy's network namespace was read too.
      .replace('/proc/<pid>/cmdline, /proc/<pid>/ns/net of every docker-proxy', '/proc/<pid>/cmdline of every docker-proxy');
    assert.equal(what, fact.origin.what, `${path}: origin`);
    assert.equal(got.origin.kind, fact.origin.kind, `${path}: origin kind`);
  }
  assert.deepEqual(
    [...replay.commands]
      .filter((c) => !c.startsWith('ip xfrm ') && !c.startsWith('nsenter --net=') && !c.startsWith('ip -j -6 route'))
      .sort(),
    [...SAVE_COMMANDS].sort(),
  );
  // The lab's host ran iptables-legacy-save without -c too, but only its -c output was kept: here it is "not installed".
  assert.deepEqual(
    snapshot.missing.filter((m) => !overlayOnly(m.path)),
    [
      {
        path: FACT.iptablesLegacySave,
        what: 'iptables-legacy-save',
        reason: 'iptables-legacy-save is not installed (command not found: iptables-legacy-save)',
        cause: 'tool-missing',
      },
    ],
  );
  // Full inspects: one per container and one per network, besides the lists, /info and /version.
  const inspects = replay.requests.filter((r) => /^GET \/containers\/[0-9a-f]{64}\/json$/.test(r));
  // The overlay gatherer may inspect one of them again for its SandboxKey (the exec root).
  assert.equal(new Set(inspects).size, 10);
});

test('the list detail reads pids from the runtime state files and inspects only the containers without one', async (t) => {
  const replay = await replayHost(t, LAB);
  const containers = JSON.parse(replay.file('docker/containers.json')) as { Id: string; Name: string; State: { Pid: number } }[];
  const [first, second] = containers;
  assert.ok(first && second);
  for (const c of [first, second]) {
    const dir = join(replay.host.runtimeRoots[0] ?? '', c.Id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ id: c.Id, init_process_pid: c.State.Pid }));
  }
  const snapshot = await gatherLive(['engine', 'container-net'], replay.host, { detail: 'list' });
  const inspected = replay.requests.flatMap((r) => /^GET \/containers\/([0-9a-f]{64})\/json$/.exec(r)?.[1] ?? []);
  assert.equal(inspected.length, containers.length - 2);
  assert.ok(!inspected.includes(first.Id) && !inspected.includes(second.Id));
  const pids = JSON.parse(snapshot.facts.get(FACT.containerPids)?.text ?? 'null') as Record<string, { pid: number }>;
  assert.deepEqual(Object.keys(pids).sort(), [first.Id, second.Id].sort());
  // Their interfaces are read through the pid from the state file, as through an inspect's.
  const name = first.Name.replace(/^\//, '');
  assert.equal(snapshot.facts.get(FACT.containerNet(name))?.text, replay.file(`containers/${name}/net.json`));
});

test('a container removed between the list and its inspect: said as missing, the others read', async (t) => {
  const replay = await replayHost(t, LAB);
  const containers = JSON.parse(replay.file('docker/containers.json')) as { Id: string; Name: string }[];
  const gone = containers.find((c) => c.Name === '/tomcat01');
  assert.ok(gone);
  replay.removed.add(gone.Id);
  const snapshot = await gatherLive(['engine', 'container-net', 'links'], replay.host, { detail: 'inspect' });
  // The race happened: the list named it, its inspect got a 404.
  assert.ok(replay.requests.includes(`GET /containers/${gone.Id}/json`));
  assert.deepEqual(snapshot.missing, [
    {
      path: FACT.containers,
      what: `GET /containers/${gone.Id.slice(0, 12)}/json`,
      reason: `container ${gone.Id.slice(0, 12)} was removed while docknet was listing containers`,
      cause: 'failed',
    },
  ]);
  const read = (JSON.parse(snapshot.facts.get(FACT.containers)?.text ?? '[]') as { Name: string }[]).map((c) => c.Name);
  assert.equal(read.length, containers.length - 1);
  assert.ok(!read.includes('/tomcat01'));
  assert.equal(snapshot.facts.get(FACT.containerNet('tomcat01')), undefined);
  const map = correlateVethMap(buildHostModel(snapshot));
  assert.ok(!map.interfaces.some((r) => r.container === 'tomcat01'));
  // Its veth is still on the host, and the network still lists its endpoint: that endpoint owns it, said as an inference.
  const veth = map.hostVeths.find((v) => v.ifindex === 1614);
  assert.ok(veth, 'the veth of tomcat01 (ifindex 1614) is in the host listing');
  assert.equal(veth.owner, gone.Id);
  assert.match(veth.note ? hostVethNoteText(veth.note) : '', /^attributed by elimination: /);
  // The container that shared its namespace says whose it was, not a pair.
  const sidecar = map.interfaces.find((r) => r.container === 'lab-sidecar');
  assert.equal(sidecar?.hostVeth, null);
  assert.deepEqual(sidecar?.notes, [{ code: 'owner-gone', ownerRef: gone.Id }]);
  assert.equal(
    interfaceNotesText(sidecar?.notes ?? []),
    `shares the network namespace of container ${gone.Id.slice(0, 12)}, which the engine no longer lists`,
  );
});

test('a container that stops while its /proc is read: its interfaces are unknown, said why, and no pair is claimed', async (t) => {
  const replay = await replayHost(t, LAB);
  const net = JSON.parse(replay.file('containers/tomcat-tml/net.json')) as ContainerNetFacts;
  replay.removeProcess(net.pid);
  const snapshot = await gatherLive(['engine', 'container-net', 'links'], replay.host, { detail: 'inspect' });
  const facts = JSON.parse(snapshot.facts.get(FACT.containerNet('tomcat-tml'))?.text ?? 'null') as ContainerNetFacts;
  assert.deepEqual(facts, {
    pid: net.pid,
    netns: null,
    via: null,
    interfaces: [],
    error: `${replay.procRoot}/${net.pid}/ns/net is gone: the container stopped while docknet was reading it`,
    errorCause: 'failed',
  });
  const rows = correlateVethMap(buildHostModel(snapshot)).interfaces.filter((r) => r.container === 'tomcat-tml');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.hostVeth, null);
  assert.match(
    interfaceNotesText(rows[0]?.notes ?? []) ?? '',
    /^interfaces inside unknown: .*\/ns\/net is gone: the container stopped while docknet was reading it$/,
  );
});

test('a container restarted right after the host links were read: the two reads disagree, and no pair is claimed', async (t) => {
  const replay = await replayHost(t, LAB);
  const before = JSON.parse(replay.file('containers/tomcat01/net.json')) as ContainerNetFacts;
  const oldEth0 = before.interfaces[0];
  assert.ok(oldEth0);
  // The restart: a new namespace whose eth0 got the same ifindex (1613) and a new host veth (1700) that
  // the host listing, read just before, does not hold. The old veth 1614 still points at ifindex 1613.
  const after: ContainerNetFacts = {
    ...before,
    netns: 'net:[4026549999]',
    interfaces: [{ ...oldEth0, iflink: 1700, mac: '02:42:ac:11:00:a1' }],
  };
  replay.onCommand = (command) => {
    if (command !== 'ip -j -d addr show') return;
    replay.removeProcess(before.pid);
    replay.writeContainer(after);
  };
  const snapshot = await gatherLive(['engine', 'container-net', 'links'], replay.host, { detail: 'inspect' });
  // The race happened: the links are the ones of before the restart, the container's facts of after it.
  assert.equal(snapshot.facts.get(FACT.ipAddrJson)?.text, replay.file('host/ip-addr.json'));
  const read = JSON.parse(snapshot.facts.get(FACT.containerNet('tomcat01'))?.text ?? 'null') as ContainerNetFacts;
  assert.equal(read.netns, 'net:[4026549999]');
  assert.equal(read.interfaces[0]?.iflink, 1700);

  const map = correlateVethMap(buildHostModel(snapshot));
  const row = map.interfaces.find((r) => r.container === 'tomcat01');
  assert.ok(row);
  assert.equal(row.hostVeth, null, `no pair claimed (note: ${interfaceNotesText(row.notes)})`);
  assert.match(interfaceNotesText(row.notes) ?? '', /not a host veth pointing back|no host veth points at/);
  const old = map.hostVeths.find((v) => v.ifindex === 1614);
  assert.ok(old, 'the old veth is still in the (stale) host listing');
  assert.notEqual(old.owner, 'tomcat01');
});

test('an engine that cannot be reached: snapshot save keeps the host facts and names what is missing', async (t) => {
  const replay = await replayHost(t, LAB);
  const host = { ...replay.host, env: { DOCKER_HOST: `unix://${replay.procRoot}/no-such.sock` } };
  const { snapshot, engineError } = await gatherAll(host);
  assert.ok(engineError instanceof EngineUnreachableError);
  assert.equal(
    engineError.message,
    `cannot reach the Docker engine at DOCKER_HOST=${host.env.DOCKER_HOST}: no such socket (is dockerd running?)`,
  );
  assert.equal(snapshot.facts.get(FACT.ipAddrJson)?.text, replay.file('host/ip-addr.json'));
  assert.equal(snapshot.facts.get(FACT.containers), undefined);
  assert.deepEqual(
    snapshot.missing.filter((m) => m.path.startsWith('docker/')).map((m) => [m.path, m.reason]),
    [FACT.containers, FACT.networks, FACT.engineInfo, FACT.engineVersion].map((p) => [p, engineError.message]),
  );
  assert.deepEqual(replay.requests, []);
});

test('host commands that fail: each is missing with a reason a user can act on, the rest still read', async (t) => {
  const replay = await replayHost(t, LAB);
  const run = replay.host.run;
  const host = {
    ...replay.host,
    run: async (command: string[]) => {
      const what = command.join(' ');
      if (what === 'iptables-save -c')
        return commandResult(command, '', {
          exitCode: 4,
          stderr: 'iptables-save v1.8.9 (nf_tables): Permission denied (you must be root)\n',
        });
      if (what === 'iptables -t nat -vnxL --line-numbers') return commandResult(command, '', { exitCode: null, timedOut: true });
      if (what === 'brctl show') return commandResult(command, '', { exitCode: null, errorCode: 'ENOENT' });
      return run(command);
    },
  };
  const snapshot = await gatherLive(['links', 'brctl', 'nat'], host);
  assert.deepEqual(
    snapshot.missing.map((m) => [m.path, m.reason]).sort(),
    [
      [FACT.brctlShow, 'brctl (bridge-utils) is not installed (command not found: brctl)'],
      [FACT.iptablesNat, 'iptables -t nat -vnxL --line-numbers did not answer within the timeout and was stopped'],
      [
        FACT.iptablesSave,
        'iptables-save needs root (iptables-save v1.8.9 (nf_tables): Permission denied (you must be root)): run with sudo',
      ],
    ].sort(),
  );
  for (const path of [FACT.ipAddrJson, FACT.nftRulesetJson, FACT.dockerProxy, FACT.hostSockets('tcp')])
    assert.equal(snapshot.facts.get(path)?.text, replay.file(path), path);
  // Without iptables-save's text, nothing says legacy tables exist: iptables-legacy-save is not run.
  assert.ok(!replay.commands.includes('iptables-legacy-save -c'));
});

test('kernel settings are read from the /proc and /sys roots given', async (t) => {
  const replay = await replayHost(t, LAB);
  mkdirSync(join(replay.host.sysRoot, 'module/br_netfilter'), { recursive: true });
  writeFileSync(join(replay.procRoot, 'sys/net/ipv4/ip_forward'), '0\n');
  const snapshot = await gatherLive(['settings'], replay.host);
  assert.deepEqual(JSON.parse(snapshot.facts.get(FACT.hostSettings)?.text ?? 'null'), {
    sysctl: {
      'net.ipv4.ip_forward': '0',
      'net.ipv6.conf.all.forwarding': '0',
      'net.bridge.bridge-nf-call-iptables': '1',
      'net.bridge.bridge-nf-call-ip6tables': '1',
    },
    modules: { br_netfilter: true },
  });
  assert.deepEqual(replay.commands, []);
});
