// Engine test: `docknet nat --json` on the lab agrees with the kernel and the engine, read here
// independently (iptables-save -c, docker inspect, /proc/<pid>/cmdline and /proc/net/tcp); real
// traffic from a client namespace this test creates moves the DNAT counter, loopback traffic does
// not and lands on docker-proxy; a stale rule and a missing rule made on purpose are reported.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { C, LAB_IMAGE, SERVICE, TEST_LABEL } from '../../lab/lab-spec.js';
import { must, run } from '../../lab/run.js';
import { DOCKNET_BIN, defaultBridge, labService, runDocknet, withLab } from './harness.js';
import { dockerGid, dockerGroup, requireCapability, requireKernelFeature } from '../capability.js';

// ---- ground truth, read without docknet ----

interface TruthRule {
  chain: string;
  number: number;
  packets: number;
  bytes: number;
  spec: string;
}

async function natRules(): Promise<TruthRule[]> {
  const out = await must(['iptables-save', '-t', 'nat', '-c']);
  const counts = new Map<string, number>();
  const rules: TruthRule[] = [];
  for (const line of out.split('\n')) {
    const m = /^\[(\d+):(\d+)\] -A (\S+) (.*)$/.exec(line);
    if (!m) continue;
    const chain = m[3] as string;
    const n = (counts.get(chain) ?? 0) + 1;
    counts.set(chain, n);
    rules.push({ chain, number: n, packets: Number(m[1]), bytes: Number(m[2]), spec: m[4] as string });
  }
  return rules;
}

/** Docker's DNAT rule for a binding: `-A DOCKER [-d IP/32] ! -i BR -p P -m P --dport N -j DNAT --to-destination IP:PORT`. */
function dockerRule(rules: TruthRule[], hostIp: string, port: number, proto: string): (TruthRule & { to: string }) | undefined {
  for (const r of rules) {
    if (r.chain !== 'DOCKER') continue;
    const m = new RegExp(`-p ${proto} -m ${proto} --dport ${port} -j DNAT --to-destination (\\S+)$`).exec(r.spec);
    if (!m) continue;
    const bound = /(?:^| )-d (\S+?)\/32 /.exec(r.spec)?.[1] ?? '0.0.0.0';
    if (bound === hostIp) return { ...r, to: m[1] as string };
  }
  return undefined;
}

interface TruthProxy {
  pid: number;
  proto: string;
  hostIp: string;
  hostPort: number;
}

/** This host's docker-proxy processes: those in this process's network namespace (another engine's are not). */
function proxies(): TruthProxy[] {
  const out: TruthProxy[] = [];
  const self = readlinkSync('/proc/self/ns/net');
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!argv[0]?.endsWith('docker-proxy') || readlinkSync(`/proc/${entry}/ns/net`) !== self) continue;
    } catch {
      continue;
    }
    const arg = (flag: string) => argv[argv.indexOf(flag) + 1] ?? '';
    out.push({ pid: Number(entry), proto: arg('-proto'), hostIp: arg('-host-ip'), hostPort: Number(arg('-host-port')) });
  }
  return out;
}

interface Inspect {
  Name: string;
  NetworkSettings: {
    Ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
    Networks: Record<string, { IPAddress: string }>;
  };
}

async function inspect(name: string): Promise<Inspect> {
  const [info] = JSON.parse(await must(['docker', 'inspect', '--type', 'container', name])) as Inspect[];
  if (!info) throw new Error(`no container ${name}`);
  return info;
}

// ---- docknet's answer ----

interface Rule {
  table: string;
  chain: string;
  number: number;
  packets: number | null;
  bytes: number | null;
  text: string;
}
interface Mapping {
  hostIp: string;
  hostPort: number;
  protocol: string;
  containerIp: string | null;
  containerPort: number;
  container: string | null;
  network: string | null;
  bridge: string | null;
  hostVeth: string | null;
  rule: Rule | null;
  proxy: { pid: number; hostIp: string; hostPort: number } | null;
  via: string;
  followers: string[];
  paths: {
    address: string;
    via: string;
    text: string;
    hops: { kind: string; pid?: number; name?: string | null }[];
    reason: { code: string } | null;
  }[];
}
interface Anomaly {
  kind: string;
  text: string;
  hostPort: number | null;
  container: string | null;
  containerIp: string | null;
  rule: Rule | null;
  proxy: { pid: number } | null;
  proxyServes: boolean | null;
}
interface NatJson {
  schemaVersion: number;
  available: boolean;
  mappings: Mapping[];
  anomalies: Anomaly[];
}

async function nat(args: string[] = []): Promise<NatJson> {
  const r = await runDocknet(['nat', '--json', ...args]);
  assert.equal(r.exitCode, 0, `docknet nat ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as NatJson;
}

// ---- things the test makes ----

async function cleanup(t: TestContext, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    t.diagnostic(`cleanup of ${what} failed: ${(err as Error).message}`);
    throw err;
  }
}

/** Opens a TCP connection and keeps it until closed; resolves once connected. */
function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port }, () => resolve(s));
    s.once('error', reject);
    s.setTimeout(5000, () => reject(new Error(`connect ${host}:${port} timed out`)));
  });
}

/** The inode of the server side of a loopback connection, from /proc/net/tcp (local 127.0.0.1:server, remote :client). */
function serverSocketInode(serverPort: number, clientPort: number): number | null {
  const hex = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === `0100007F:${hex(serverPort)}` && f[2] === `0100007F:${hex(clientPort)}`) return Number(f[9]);
  }
  return null;
}

function holdsSocket(pid: number, inode: number): boolean {
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return true;
    } catch {
      // fd closed meanwhile
    }
  }
  return false;
}

test('docknet nat on the lab: every published port, real traffic, stale and missing rules', async (t) => {
  const lab = await withLab(t);
  if (!lab) return;
  const made = { ports: [] as number[], containers: [] as string[], links: [] as string[] };

  await t.test('every published lab port: container, address, port, the DNAT rule and its counters, docker-proxy', async () => {
    const truthProxies = proxies();
    for (const name of [C.tomcatTml, C.tomcat01, C.web]) {
      const info = await inspect(name);
      const networks = Object.values(info.NetworkSettings.Networks);
      assert.equal(networks.length, 1, `${name} is on one network`);
      const containerIp = networks[0]?.IPAddress;
      for (const [key, bindings] of Object.entries(info.NetworkSettings.Ports)) {
        const [cport, proto] = key.split('/') as [string, string];
        const ports = new Set((bindings ?? []).map((b) => b.HostPort));
        for (const hostPort of ports) {
          const loopback = (bindings ?? []).some((b) => b.HostPort === hostPort && b.HostIp === '127.0.0.1');
          const before = await natRules();
          const j = await nat(['--port', `${loopback ? '127.0.0.1:' : ''}${hostPort}/${proto}`]);
          const after = await natRules();
          for (const b of (bindings ?? []).filter((x) => x.HostPort === hostPort)) {
            const what = `${name} ${b.HostIp}:${hostPort}/${proto}`;
            const m = j.mappings.find((x) => x.hostIp === b.HostIp && x.hostPort === Number(hostPort));
            assert.ok(m, `${what}: a mapping`);
            assert.equal(m.container, name, what);
            assert.equal(m.protocol, proto, what);
            assert.equal(m.containerIp, containerIp, what);
            assert.equal(m.containerPort, Number(cport), what);
            const proxy = truthProxies.find((p) => p.hostIp === b.HostIp && p.hostPort === Number(hostPort) && p.proto === proto);
            assert.equal(m.proxy?.pid ?? null, proxy?.pid ?? null, `${what}: docker-proxy`);
            if (b.HostIp === '::') {
              // No ip6tables NAT in the lab: docker-proxy is the way in.
              assert.equal(m.rule, null, what);
              assert.equal(m.via, 'docker-proxy', what);
              continue;
            }
            const truthBefore = dockerRule(before, b.HostIp, Number(hostPort), proto);
            const truthAfter = dockerRule(after, b.HostIp, Number(hostPort), proto);
            assert.ok(truthBefore && truthAfter, `${what}: iptables has Docker's rule`);
            assert.equal(truthBefore.to, `${containerIp}:${cport}`);
            assert.deepEqual([m.rule?.table, m.rule?.chain, m.rule?.number], ['nat', 'DOCKER', truthBefore.number], `${what}: the rule`);
            assert.ok(
              (m.rule?.packets ?? -1) >= truthBefore.packets && (m.rule?.packets ?? Infinity) <= truthAfter.packets,
              `${what}: packets`,
            );
            assert.ok((m.rule?.bytes ?? -1) >= truthBefore.bytes && (m.rule?.bytes ?? Infinity) <= truthAfter.bytes, `${what}: bytes`);
            assert.equal(m.via, b.HostIp === '127.0.0.1' ? 'docker-proxy' : 'dnat', `${what}: how it is reached`);
          }
        }
      }
    }
  });

  await t.test("a container: follower is served by its owner's ports", async () => {
    const j = await nat();
    const m = j.mappings.find((x) => x.container === C.tomcat01 && x.hostIp === '0.0.0.0');
    assert.ok(m);
    assert.deepEqual(m.followers, [C.sidecar]);
  });

  await t.test(
    'swarm ingress DNAT is labelled as the ingress sandbox, not a container (needs a kernel with IPVS: skipped where it is built without)',
    async (st) => {
      const ingressRules = async () =>
        (await natRules()).filter((r) => r.chain === 'DOCKER-INGRESS' && r.spec.includes(`--dport ${SERVICE.publishedPort} `));
      const ready = await requireKernelFeature(st, 'the swarm routing mesh (IPVS)', 'CONFIG_IP_VS', async () => {
        const noService = await labService(lab, SERVICE.name)();
        if (noService) return noService;
        return (await ingressRules()).length
          ? null
          : `no DOCKER-INGRESS DNAT for port ${SERVICE.publishedPort} (the routing mesh needs IPVS loaded)`;
      });
      if (!ready) return;
      const j = await nat();
      const a = j.anomalies.find((x) => x.kind === 'ingress' && x.hostPort === SERVICE.publishedPort);
      assert.ok(a, 'an ingress anomaly for the service port');
      assert.equal(a.container, null);
    },
  );

  await t.test("traffic from a client namespace grows the DNAT counter; 127.0.0.1 does not and is docker-proxy's", async () => {
    const port = 49154;
    const ns = `docknet-test-client-${process.pid}`;
    const hostEnd = `dnt${process.pid % 10_000_000}h`;
    const nsEnd = `dnt${process.pid % 10_000_000}n`;
    const used = await must(['ip', '-o', 'addr']);
    let x = (process.pid % 250) + 1;
    while (used.includes(`10.218.${x}.`)) x = (x % 250) + 1;
    const hostAddr = `10.218.${x}.1`;
    made.links.push(hostEnd);
    try {
      await must(['ip', 'netns', 'add', ns]);
      await must(['ip', 'link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nsEnd]);
      await must(['ip', 'link', 'set', nsEnd, 'netns', ns]);
      await must(['ip', 'addr', 'add', `${hostAddr}/30`, 'dev', hostEnd]);
      await must(['ip', 'link', 'set', hostEnd, 'up']);
      await must(['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `10.218.${x}.2/30`, 'dev', nsEnd]);
      await must(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', nsEnd, 'up']);
      await must(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);

      const before = dockerRule(await natRules(), '0.0.0.0', port, 'tcp');
      assert.ok(before);
      // From inside the namespace to the host end of its veth: enters through PREROUTING like outside traffic.
      const client =
        `const s=require('net').connect(${port},'${hostAddr}',()=>{s.write('GET / HTTP/1.0\\r\\n\\r\\n')});` +
        `s.on('data',d=>{process.stdout.write(String(d).split('\\n')[0]);s.destroy()});s.on('error',e=>{console.error(e.message);process.exit(1)});` +
        `setTimeout(()=>{console.error('timeout');process.exit(2)},5000).unref()`;
      const reply = await must(['ip', 'netns', 'exec', ns, process.execPath, '-e', client]);
      assert.match(reply, /^HTTP\/1\.[01] 200/, 'the container answered through the DNAT');
      const afterNs = dockerRule(await natRules(), '0.0.0.0', port, 'tcp');
      assert.ok(afterNs && afterNs.packets >= before.packets + 1, `DNAT packets ${before.packets} -> ${afterNs?.packets}`);
      const seen = (await nat(['--port', String(port)])).mappings.find((m) => m.hostIp === '0.0.0.0');
      assert.ok((seen?.rule?.packets ?? 0) >= before.packets + 1, 'docknet reports the grown counter');

      // From the host to 127.0.0.1: nat OUTPUT skips loopback, so the rule stays still and docker-proxy answers.
      const sock = await open('127.0.0.1', port);
      try {
        const afterLoop = dockerRule(await natRules(), '0.0.0.0', port, 'tcp');
        assert.equal(afterLoop?.packets, afterNs.packets, 'a loopback connection does not pass the DNAT rule');
        const j = await nat(['--port', String(port)]);
        const m = j.mappings.find((x) => x.hostIp === '0.0.0.0');
        const path = m?.paths.find((p) => p.address === `127.0.0.1:${port}/tcp`);
        assert.equal(path?.via, 'docker-proxy');
        const pid = m?.proxy?.pid;
        assert.ok(pid && path?.text.includes(`docker-proxy pid ${pid}`), path?.text);
        // The same path as structure: docker-proxy first, the container last, and why it is not the DNAT rule.
        assert.deepEqual(path?.hops[0], { kind: 'docker-proxy', pid, hostIp: m?.proxy?.hostIp, hostPort: m?.proxy?.hostPort });
        assert.equal(path?.hops.at(-1)?.kind, 'container');
        assert.equal(path?.reason?.code, 'bypasses-dnat');
        const inode = serverSocketInode(port, sock.localPort ?? 0);
        assert.ok(inode, 'the accepted socket is in /proc/net/tcp');
        assert.ok(holdsSocket(pid, inode), `docker-proxy pid ${pid} holds the accepted socket`);
      } finally {
        sock.destroy();
      }
    } finally {
      await run(['ip', 'netns', 'del', ns]);
      await run(['ip', 'link', 'del', hostEnd]);
      const left = await run(['ip', 'netns', 'list']);
      assert.ok(!left.stdout.includes(ns), `namespace ${ns} removed`);
    }
  });

  await t.test('a stale rule (DNAT to an address no container has) is reported', async (t2) => {
    const bridge = JSON.parse(await must(['docker', 'network', 'inspect', 'bridge'])) as {
      Containers: Record<string, { IPv4Address: string }>;
    }[];
    const taken = new Set(Object.values(bridge[0]?.Containers ?? {}).map((c) => c.IPv4Address.replace(/\/\d+$/, '')));
    const target = (await defaultBridge()).unused;
    assert.ok(!taken.has(target));
    const rules = await natRules();
    let port = 40_000 + (process.pid % 5000);
    while (rules.some((r) => r.spec.includes(`--dport ${port} `))) port += 1;
    made.ports.push(port);
    const spec = [
      '-p',
      'tcp',
      '-m',
      'tcp',
      '--dport',
      String(port),
      '-m',
      'comment',
      '--comment',
      'docknet-test',
      '-j',
      'DNAT',
      '--to-destination',
      `${target}:8080`,
    ];
    await must(['iptables', '-t', 'nat', '-A', 'DOCKER', ...spec]);
    try {
      const j = await nat();
      const a = j.anomalies.find((x) => x.kind === 'stale-rule' && x.hostPort === port);
      assert.ok(a, `a stale-rule anomaly for ${port}`);
      assert.equal(a.containerIp, target);
      assert.equal(a.rule?.chain, 'DOCKER');
      assert.match(a.rule?.text ?? '', /docknet-test/);
      assert.match(a.text, new RegExp(`no container has ${target.replace(/\./g, '\\.')}`));
      const one = await runDocknet(['nat', '--port', String(port)]);
      assert.equal(one.exitCode, 1);
      assert.match(one.stderr, new RegExp(`no container publishes ${port}/tcp`));
      assert.match(one.stderr, /stale-rule: /);
    } finally {
      await cleanup(t2, 'the stale rule', async () => {
        while ((await run(['iptables', '-t', 'nat', '-C', 'DOCKER', ...spec])).exitCode === 0)
          await must(['iptables', '-t', 'nat', '-D', 'DOCKER', ...spec]);
      });
    }
  });

  await t.test('a published port whose DNAT rule is gone is reported missing, with the docker-proxy still serving it', async (t2) => {
    const name = `docknet-nat-missing-${process.pid}`;
    let spec: string[] | null = null;
    made.containers.push(name);
    try {
      await must(['docker', 'run', '-d', '--name', name, '--label', `${TEST_LABEL}=nat`, '-p', '8080', LAB_IMAGE, 'sleep', '2147483647']);
      const info = await inspect(name);
      const ip = info.NetworkSettings.Networks.bridge?.IPAddress;
      const hostPort = Number(info.NetworkSettings.Ports['8080/tcp']?.find((b) => b.HostIp === '0.0.0.0')?.HostPort);
      assert.ok(ip && hostPort > 0);
      const rule = dockerRule(await natRules(), '0.0.0.0', hostPort, 'tcp');
      assert.ok(rule, "Docker wrote the container's rule");
      spec = rule.spec.split(' ');
      await must(['iptables', '-t', 'nat', '-D', 'DOCKER', ...spec]);
      const j = await nat();
      const a = j.anomalies.find((x) => x.kind === 'missing-rule' && x.hostPort === hostPort);
      assert.ok(a, `a missing-rule anomaly for ${hostPort}`);
      assert.equal(a.container, name);
      assert.equal(a.containerIp, ip);
      assert.equal(a.proxyServes, true);
      assert.equal(a.proxy?.pid, proxies().find((p) => p.hostIp === '0.0.0.0' && p.hostPort === hostPort)?.pid);
      const m = j.mappings.find((x) => x.container === name && x.hostIp === '0.0.0.0');
      assert.equal(m?.rule, null);
      assert.equal(m?.via, 'docker-proxy');
    } finally {
      await cleanup(t2, `container ${name} and its rule`, async () => {
        const exists = (await run(['docker', 'inspect', '--type', 'container', name])).exitCode === 0;
        // Put Docker's rule back so that removing the container removes it the usual way.
        if (spec && exists && (await run(['iptables', '-t', 'nat', '-C', 'DOCKER', ...spec])).exitCode !== 0)
          await must(['iptables', '-t', 'nat', '-A', 'DOCKER', ...spec]);
        if (exists) await must(['docker', 'rm', '-f', '-v', name]);
        while (spec && (await run(['iptables', '-t', 'nat', '-C', 'DOCKER', ...spec])).exitCode === 0)
          await must(['iptables', '-t', 'nat', '-D', 'DOCKER', ...spec]);
      });
    }
  });

  await t.test('nothing of this test is left: its rules, container, namespace and veth', async () => {
    // Only what this process made: another test run may be making its own at the same moment.
    const rules = await natRules();
    assert.deepEqual(
      rules.filter((r) => made.ports.some((p) => r.spec.includes(`--dport ${p} `) && r.spec.includes('docknet-test'))).map((r) => r.spec),
      [],
    );
    for (const name of made.containers)
      assert.notEqual((await run(['docker', 'inspect', '--type', 'container', name])).exitCode, 0, `${name} removed`);
    assert.doesNotMatch(await must(['ip', 'netns', 'list']), new RegExp(`docknet-test-client-${process.pid}\\b`));
    for (const link of made.links) assert.notEqual((await run(['ip', 'link', 'show', link])).exitCode, 0, `${link} removed`);
  });
});

test('not root (docker group only): the Engine view is printed, and NAT rules are said to be unavailable', async (t) => {
  if (!(await withLab(t))) return;
  if (!(await requireCapability(t, 'the docker group', dockerGroup))) return;
  const gid = await dockerGid();
  const nobody = (args: string[]) =>
    run(['setpriv', '--reuid=65534', '--regid=65534', `--groups=${gid}`, process.execPath, DOCKNET_BIN, ...args], {
      env: { NO_COLOR: '1' },
    });
  const j = await nobody(['nat', '--json', '--port', '49154']);
  assert.equal(j.exitCode, 0, j.stderr);
  const json = JSON.parse(j.stdout) as NatJson & { reason: string | null };
  assert.equal(json.available, false);
  assert.equal(json.reason, 'iptables needs root (run with sudo)');
  const m = json.mappings.find((x) => x.hostIp === '0.0.0.0');
  assert.equal(m?.container, C.tomcatTml);
  assert.equal(m?.containerIp, (await inspect(C.tomcatTml)).NetworkSettings.Networks.bridge?.IPAddress);
  assert.equal(m?.rule, null);
  const text = await nobody(['nat']);
  assert.equal(text.exitCode, 0, text.stderr);
  assert.match(text.stdout, /^NAT rules unavailable: iptables needs root \(run with sudo\)$/m);
  assert.match(text.stdout, /^0\.0\.0\.0:49154\/tcp\s+tomcat-tml\s/m);
});
