// The lab saved on Docker 28.5 (test/fixtures/lab-snapshot-28, see its SOURCE.md), run through the real
// load -> parse -> correlate code. Every expectation is read from the snapshot's own files here
// (ip -j -d addr, the containers' sysfs, iptables-save, /proc/<pid>/ns/net), not from docknet's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { correlateVethMap } from '../../src/correlate/veth-map.js';
import { correlateNat } from '../../src/correlate/nat.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { repoPath } from '../repo-path.js';

const DIR = repoPath('test/fixtures/lab-snapshot-28');
const file = (path: string) => readFileSync(`${DIR}/${path}`, 'utf8');
const json = <T>(path: string) => JSON.parse(file(path)) as T;

interface HostLink {
  ifindex: number;
  ifname: string;
  link_index?: number;
  master?: string;
  linkinfo?: { info_kind?: string };
}
interface ContainerNet {
  interfaces: { name: string; ifindex: number; iflink: number }[];
}
interface Inspect {
  Name: string;
  HostConfig: { NetworkMode: string };
  NetworkSettings: {
    Ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
    Networks: Record<string, { IPAddress: string }>;
  };
}

const hostLinks = json<HostLink[]>('host/ip-addr.json');
const containers = json<Inspect[]>('docker/containers.json').map((c) => ({ ...c, name: c.Name.replace(/^\//, '') }));

async function model() {
  return buildHostModel(await loadSnapshot(DIR));
}

async function cli(args: string[]) {
  const io = memoryIO();
  const code = await main([...args, '--from', DIR], io);
  return { code, out: io.stdout, err: io.stderr };
}

test('lab-snapshot-28: Docker 28.5.2, API 1.51; every file parses', async () => {
  const version = json<{ Version: string; ApiVersion: string }>('docker/version.json');
  assert.match(version.Version, /^28\.5\.2/);
  assert.equal(version.ApiVersion, '1.51');
  assert.deepEqual(
    (await model()).fileIssues.map((f) => f.path),
    [],
  );
});

test('lab-snapshot-28: each container interface pairs with the host veth whose ifindex is its iflink, from both sides', async () => {
  const map = correlateVethMap(await model());
  let pairs = 0;
  for (const c of containers) {
    if (c.HostConfig.NetworkMode.startsWith('container:')) continue;
    const net = json<ContainerNet>(`containers/${c.name}/net.json`);
    for (const i of net.interfaces) {
      const peer = hostLinks.find((l) => l.ifindex === i.iflink && l.link_index === i.ifindex && l.linkinfo?.info_kind === 'veth');
      const row = map.interfaces.find((r) => r.container === c.name && r.interface === i.name);
      if (!peer) {
        // Overlay and macvlan interfaces, and lo: no host veth points back at them.
        assert.equal(row?.hostVeth ?? null, null, `${c.name} ${i.name}`);
        continue;
      }
      pairs += 1;
      assert.equal(row?.hostVeth, peer.ifname, `${c.name} ${i.name}`);
      assert.equal(row?.bridge, peer.master ?? null, `${c.name} ${i.name}`);
      assert.equal(row?.pairedBy, 'both-sides', `${c.name} ${i.name}`);
    }
  }
  // tomcat-tml, tomcat01, lab-web, lab-multi (2), lab-overlay's and the service task's docker_gwbridge legs,
  // lab-internal, lab-noicc-a and -b, lab-routed, lab-natunprot.
  assert.equal(pairs, 12);
  const sidecar = map.interfaces.find((r) => r.container === 'lab-sidecar');
  const owner = map.interfaces.find((r) => r.container === 'tomcat01');
  assert.equal(sidecar?.hostVeth, owner?.hostVeth, 'the sidecar shares tomcat01s veth');
});

test("lab-snapshot-28: every DNAT rule of Docker's is a mapping with its rule number and target", async () => {
  const dnat: { number: number; port: number; proto: string; to: string; bound: string }[] = [];
  let n = 0;
  let table = '';
  for (const line of file('host/iptables-save.txt').split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    if (table !== 'nat' || !/^(\[\d+:\d+\] )?-A DOCKER /.test(line)) continue;
    n += 1;
    const m = /-p (\w+) -m \w+ --dport (\d+) -j DNAT --to-destination (\S+)/.exec(line);
    if (m) dnat.push({ number: n, proto: m[1]!, port: Number(m[2]), to: m[3]!, bound: /-d (\S+?)\/32 /.exec(line)?.[1] ?? '0.0.0.0' });
  }
  // The routed network's publications have none: 8 DNATs, the nat-unprotected one among them.
  assert.equal(dnat.length, 8, 'the saved rules hold eight DNATs');
  const r = correlateNat(await model());
  for (const d of dnat) {
    const m = r.mappings.find((x) => x.hostIp === d.bound && x.hostPort === d.port && x.protocol === d.proto);
    assert.ok(m, `${d.bound}:${d.port}/${d.proto}`);
    assert.equal(`${m.containerIp}:${m.containerPort}`, d.to);
    assert.deepEqual([m.rule?.chain, m.rule?.number], ['DOCKER', d.number]);
  }
  // Each publication the Engine lists is a mapping to that container.
  for (const c of containers) {
    for (const [key, bindings] of Object.entries(c.NetworkSettings.Ports)) {
      for (const b of bindings ?? []) {
        const m = r.mappings.find(
          (x) => x.hostIp === b.HostIp && x.hostPort === Number(b.HostPort) && `${x.containerPort}/${x.protocol}` === key,
        );
        assert.equal(m?.container, c.name, `${c.name} ${b.HostIp}:${b.HostPort} ${key}`);
      }
    }
  }
  assert.deepEqual(r.anomalies, []);
});

test("lab-snapshot-28: the 20.10 engine's docker-proxy processes (another namespace) are left out and counted", async () => {
  const proxies = json<{ pid: number; netns: string | null }[]>('host/docker-proxy.json');
  const host = file('host/netns.txt').trim();
  const mine = proxies.filter((p) => p.netns === host).map((p) => p.pid);
  const theirs = proxies.filter((p) => p.netns !== host);
  assert.ok(mine.length > 0 && theirs.length > 0, 'the snapshot holds both engines’ proxies');
  const m = await model();
  assert.deepEqual(m.portFacts?.dockerProxies?.map((p) => p.pid).sort(), [...mine].sort());
  assert.ok(m.portFacts?.dockerProxies?.every((p) => p.netns === host));
  assert.deepEqual(m.portFacts?.otherNetnsProxies, {
    count: theirs.length,
    namespaces: [...new Set(theirs.map((p) => p.netns as string))].sort(),
  });
  const r = correlateNat(m);
  for (const x of r.mappings) if (x.proxy) assert.ok(mine.includes(x.proxy.pid), `${x.hostIp}:${x.hostPort} docker-proxy ${x.proxy.pid}`);
  const doctor = await cli(['doctor', '--json']);
  const findings = (JSON.parse(doctor.out) as { findings: { title: string; fix: string; severity: string }[] }).findings;
  assert.ok(findings.some((f) => f.title.startsWith(`${theirs.length} docker-proxy process(es) of other network namespaces`)));
  assert.ok(!findings.some((f) => /^kill\b/.test(f.fix)), 'no kill');
});

test("lab-snapshot-28: Docker 28's filter and raw layout is in the data, and doctor calls none of it an error", async () => {
  const save = file('host/iptables-save.txt');
  for (const chain of ['DOCKER-FORWARD', 'DOCKER-BRIDGE', 'DOCKER-CT']) assert.match(save, new RegExp(`^:${chain} - `, 'm'));
  assert.match(save, /^\[\d+:\d+\] -A PREROUTING -d \S+\/32 ! -i \S+ -j DROP$/m, "28's raw-table direct-access drops");
  const doctor = await cli(['doctor', '--json']);
  assert.equal(doctor.code, 0, doctor.err);
  const findings = (JSON.parse(doctor.out) as { findings: { title: string; severity: string }[] }).findings;
  assert.deepEqual(
    findings.filter((f) => f.severity === 'error').map((f) => f.title),
    [],
  );
  // Named only by the finding that says whose they are: Docker 28.5's own layout, not foreign, missing or stale.
  const naming = findings.filter((f) => /DOCKER-(FORWARD|BRIDGE|CT)|raw/.test(f.title));
  assert.deepEqual(
    naming.map((f) => f.severity),
    ['info'],
    naming.map((f) => f.title).join(' | '),
  );
  assert.match(
    naming[0]?.title ?? '',
    /^The firewall rules are Docker 28\.5's: Docker 28\.0\.1\+'s layout: .*DOCKER-FORWARD .*raw PREROUTING drop/,
  );
});
