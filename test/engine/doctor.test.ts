// Engine test: doctor on the lab reports no errors when healthy, and reports each problem the test
// causes on purpose (then undoes): forwarding off, a stale DNAT rule, an MTU above the uplink's, a
// host listener on a published port. Everything is labelled and restored in finally blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { execa } from 'execa';
import { LAB_IMAGE, NET, TEST_LABEL } from '../../lab/lab-spec.js';
import { defaultBridge, re, runDocknet, widened, withLab, TEST_RUN_ID } from './harness.js';
import { cCompiler, requireCapability } from '../capability.js';

interface Finding {
  check: string;
  severity: string;
  title: string;
  evidence: { source: string; text: string }[];
}
interface DoctorJson {
  summary: { error: number };
  findings: Finding[];
  checks: { check: string; status: string; reason: string | null }[];
}

async function doctor(): Promise<{ code: number; json: DoctorJson }> {
  const r = await runDocknet(['doctor', '--json']);
  assert.ok(r.exitCode === 0 || r.exitCode === 1, r.stderr);
  return { code: r.exitCode, json: JSON.parse(r.stdout) as DoctorJson };
}

const FORWARD = '/proc/sys/net/ipv4/ip_forward';
const label = `${TEST_LABEL}=${TEST_RUN_ID}`;

test('doctor on the lab', async (t) => {
  if (!(await withLab(t))) return;

  await t.test('a healthy lab has no error-level finding and exit 0', async () => {
    const { code, json } = await doctor();
    assert.deepEqual(
      json.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.equal(code, 0);
    for (const c of json.checks) assert.ok(c.status === 'ran' || c.reason, `${c.check} skipped without a reason`);
    // The lab's tomcat01 and tomcat-tml share the default bridge, as on the seed host.
    const dns = json.findings.find((f) => f.check === 'default-bridge-dns');
    assert.equal(dns?.severity, 'info');
    assert.match(dns?.evidence[0]?.text ?? '', /tomcat01/);
    assert.match(dns?.evidence[0]?.text ?? '', /tomcat-tml/);
  });

  await t.test('forwarding turned off is an error with the sysctl as evidence; exit 1', async () => {
    const before = readFileSync(FORWARD, 'utf8').trim();
    try {
      writeFileSync(FORWARD, '0');
      const { code, json } = await doctor();
      const f = json.findings.find((x) => x.check === 'forwarding');
      assert.equal(f?.severity, 'error');
      assert.deepEqual(f?.evidence[0], { source: FORWARD, text: 'net.ipv4.ip_forward = 0' });
      assert.equal(code, 1);
    } finally {
      writeFileSync(FORWARD, before);
    }
  });

  await t.test('a stale DNAT rule is reported with its rule text', async () => {
    const target = (await defaultBridge()).unused;
    const rule = [
      '-t',
      'nat',
      '-A',
      'DOCKER',
      '-p',
      'tcp',
      '--dport',
      '47999',
      '-m',
      'comment',
      '--comment',
      'docknet-test',
      '-j',
      'DNAT',
      '--to-destination',
      `${target}:80`,
    ];
    await execa('iptables', rule);
    try {
      const { json } = await doctor();
      const f = json.findings.find((x) => x.check === 'nat' && x.title.includes(target));
      assert.ok(f, JSON.stringify(json.findings.map((x) => x.title)));
      assert.match(f.evidence[0]?.text ?? '', new RegExp(`--dport 47999 .*--to-destination ${re(target)}:80`));
    } finally {
      await execa(
        'iptables',
        rule.map((a) => (a === '-A' ? '-D' : a)),
      );
    }
  });

  await t.test("a bridge MTU above the uplink's, and a host listener on a published port", async () => {
    const netName = `docknet-test-mtu-${process.pid}`;
    const cname = `docknet-test-doctor-${process.pid}`;
    const port = 47998;
    const server = net.createServer();
    await execa('docker', [
      'network',
      'create',
      '--label',
      label,
      '-o',
      'com.docker.network.driver.mtu=9000',
      '-o',
      'com.docker.network.bridge.name=dntest-mtu0',
      netName,
    ]);
    try {
      await execa('docker', [
        'run',
        '-d',
        '--name',
        cname,
        '--label',
        label,
        '--network',
        netName,
        '-p',
        `127.0.0.2:${port}:8080`,
        LAB_IMAGE,
        'sleep',
        '600',
      ]);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
      const { json } = await doctor();
      const mtu = json.findings.find((x) => x.check === 'mtu');
      assert.match(mtu?.title ?? '', /dntest-mtu0 9000/);
      const clash = json.findings.find((x) => x.check === 'port-clash' && x.title.includes(`127.0.0.1:${port}/tcp`));
      assert.ok(clash, JSON.stringify(json.findings.map((x) => x.title)));
    } finally {
      server.close();
      await execa('docker', ['rm', '-f', cname], { reject: false });
      await execa('docker', ['network', 'rm', netName], { reject: false });
    }
  });

  await t.test('an orphan veth on docker0, a host route overlapping a Docker subnet, rules in the other iptables backend', async () => {
    const ns = `docknet-test-doctor-${process.pid}`;
    const [va, vb, br] = ['dntest-va', 'dntest-vb', 'dntest-br0'];
    const chain = 'DOCKNET-TEST';
    const route = widened(NET.front.subnet);
    try {
      await execa('ip', ['netns', 'add', ns]);
      await execa('ip', ['link', 'add', va, 'type', 'veth', 'peer', 'name', vb]);
      await execa('ip', ['link', 'set', vb, 'netns', ns]);
      await execa('ip', ['link', 'set', va, 'master', 'docker0']);
      // A bridge of nobody's with a route over the lab network's subnet: the classic "corporate route" clash.
      await execa('ip', ['link', 'add', br, 'type', 'bridge']);
      await execa('ip', ['link', 'set', br, 'up']);
      await execa('ip', ['route', 'add', route, 'dev', br]);
      await execa('iptables-legacy', ['-t', 'filter', '-N', chain]);
      await execa('iptables-legacy', ['-t', 'filter', '-A', chain, '-j', 'RETURN']);
      const { json } = await doctor();
      const titles = json.findings.map((x) => x.title);
      assert.ok(
        titles.some((x) => x.includes(`Host veth ${va} on Docker bridge docker0 belongs to no container`)),
        JSON.stringify(titles),
      );
      assert.ok(
        titles.some((x) =>
          new RegExp(`${NET.front.name} \\(${re(NET.front.subnet)}\\) overlaps the host route ${re(route)} via dntest-br0`).test(x),
        ),
        JSON.stringify(titles),
      );
      const backends = json.findings.find((x) => x.check === 'iptables-backends');
      assert.match(backends?.title ?? '', /Docker's rules are in the nf_tables backend, while the legacy backend also holds \d+ rule/);
      assert.ok(backends?.evidence.some((e) => e.text.includes(`-A ${chain} -j RETURN`)));
    } finally {
      await execa('iptables-legacy', ['-t', 'filter', '-F', chain], { reject: false });
      await execa('iptables-legacy', ['-t', 'filter', '-X', chain], { reject: false });
      await execa('ip', ['route', 'del', route, 'dev', br], { reject: false });
      await execa('ip', ['link', 'del', br], { reject: false });
      await execa('ip', ['link', 'del', va], { reject: false });
      await execa('ip', ['netns', 'del', ns], { reject: false });
    }
  });

  await t.test('a docker-proxy left for a container that is gone', async (st) => {
    // A C compiler builds the stand-in docker-proxy process.
    if (!(await requireCapability(st, 'a C compiler (cc)', cCompiler))) return;
    const dir = mkdtempSync(join(tmpdir(), 'docknet-proxy-'));
    const bin = join(dir, 'docker-proxy');
    writeFileSync(join(dir, 'p.c'), '#include <unistd.h>\nint main(void) { pause(); return 0; }\n');
    await execa('cc', ['-o', bin, join(dir, 'p.c')]);
    // Named and argued like moby's docker-proxy; it listens on nothing and forwards nowhere.
    const proxy = execa(
      bin,
      ['-proto', 'tcp', '-host-ip', '127.0.0.1', '-host-port', '47996', '-container-ip', '172.17.254.253', '-container-port', '80'],
      { reject: false },
    );
    try {
      await new Promise((r) => setTimeout(r, 200));
      const { json } = await doctor();
      const f = json.findings.find((x) => x.check === 'nat' && x.title.includes(`docker-proxy pid ${proxy.pid}`));
      assert.ok(f, JSON.stringify(json.findings.map((x) => x.title)));
      assert.match(f.title, /forwards 127\.0\.0\.1:47996\/tcp to 172\.17\.254\.253:80, which no container has/);
      assert.equal(f.evidence[0]?.source, `/proc/${proxy.pid}/cmdline`);
    } finally {
      proxy.kill('SIGKILL');
      await proxy;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
