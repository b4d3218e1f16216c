// Engine test: `docknet inspect --json` for one lab container of each mode, against truth gathered
// here independently (docker inspect, nsenter + ip inside, ip on the host, iptables-save).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { C, IFACE, NET } from '../../lab/lab-spec.js';
import { groundTruth, hostLinks, labMade, runDocknet, withLab, type KernelLink } from './harness.js';
import { requireCapability } from '../capability.js';

interface Iface {
  interface: string | null;
  ifindex: number | null;
  hostVeth: string | null;
  bridge: string | null;
  network: string | null;
  ipv4: string | null;
  mtu: number | null;
  gateway: string | null;
  parent: string | null;
}
interface Port {
  exposedOnly: boolean;
  hostIp: string | null;
  hostPort: number | null;
  protocol: string;
  containerIp?: string | null;
  containerPort: number;
  rule?: { chain: string; number: number; packets: number | null } | null;
}
interface Report {
  schemaVersion: number;
  container: { name: string; id: string; pid: number | null; netns: string | null };
  mode: { kind: string; owner: string | null; description: string };
  interfaces: Iface[];
  ports: Port[];
  sharedWith: string[];
  dns: { nameservers: string[]; embedded: boolean } | null;
}

async function inspect(name: string): Promise<Report> {
  const r = await runDocknet(['inspect', name, '--json']);
  assert.equal(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

function peerOf(inside: KernelLink, host: KernelLink[]): KernelLink | undefined {
  const h = host.find((l) => l.ifindex === inside.link_index);
  return h && h.kind === 'veth' && h.link_index === inside.ifindex ? h : undefined;
}

test('inspect agrees with independently gathered truth for one container of each mode', async (t) => {
  const lab = await withLab(t);
  if (!lab) return;
  const host = await hostLinks();

  await t.test('bridge (tomcat-tml): interfaces, host peer, bridge, and every published port with its DNAT rule', async () => {
    const [r, truth] = await Promise.all([inspect(C.tomcatTml), groundTruth(C.tomcatTml)]);
    assert.equal(r.schemaVersion, 3);
    assert.equal(r.mode.kind, 'bridge');
    assert.equal(r.container.id, truth.id);
    assert.equal(r.container.netns, truth.netns);
    const eth0 = truth.links.find((l) => l.ifname === 'eth0');
    assert.ok(eth0);
    const [i] = r.interfaces;
    assert.equal(i?.ifindex, eth0.ifindex);
    assert.equal(i?.hostVeth, peerOf(eth0, host.links)?.ifname);
    assert.equal(i?.bridge, 'docker0');
    assert.equal(i?.ipv4, `${eth0.addr_info.find((a) => a.family === 'inet')?.local}/16`);
    const save = (await execa('iptables-save', ['-t', 'nat'])).stdout;
    const published = r.ports.filter((p) => !p.exposedOnly && p.hostIp === '0.0.0.0');
    assert.ok(published.length >= 4, 'tcp, udp and the two range ports');
    for (const p of published) {
      const ip: string | undefined = eth0.addr_info.find((a) => a.family === 'inet')?.local;
      assert.equal(p.containerIp, ip);
      assert.ok(
        save.includes(`--dport ${p.hostPort} -j DNAT --to-destination ${ip}:${p.containerPort}`),
        `iptables-save holds the DNAT for ${p.hostPort}/${p.protocol}`,
      );
      assert.equal(p.rule?.chain, 'DOCKER');
    }
    assert.ok(r.ports.some((p) => p.hostIp === '127.0.0.1' && p.hostPort === 8081));
    assert.deepEqual(r.dns?.embedded, false);
  });

  await t.test('container: mode (lab-sidecar): the owner, its interfaces, its ports; the owner lists its follower', async () => {
    const [side, owner] = await Promise.all([inspect(C.sidecar), inspect(C.tomcat01)]);
    assert.equal(side.mode.kind, 'container');
    assert.equal(side.mode.owner, C.tomcat01);
    assert.deepEqual(
      side.interfaces.map((i) => i.hostVeth),
      owner.interfaces.map((i) => i.hostVeth),
    );
    assert.deepEqual(
      side.ports.map((p) => p.hostPort),
      owner.ports.map((p) => p.hostPort),
    );
    assert.deepEqual(owner.sharedWith, [C.sidecar]);
  });

  await t.test('host and none modes', async () => {
    const [h, n] = await Promise.all([inspect(C.host), inspect(C.none)]);
    assert.equal(h.mode.kind, 'host');
    assert.match(h.mode.description, /host's network namespace/);
    assert.equal(n.mode.kind, 'none');
    assert.match(n.mode.description, /loopback only/);
    assert.deepEqual(n.ports, []);
  });

  await t.test('user-defined bridge (lab-web): custom bridge name, embedded DNS', async () => {
    const r = await inspect(C.web);
    assert.equal(r.mode.kind, 'bridge');
    assert.equal(r.interfaces[0]?.bridge, NET.front.bridgeName);
    assert.equal(r.interfaces[0]?.gateway, NET.front.gateway);
    assert.deepEqual(r.dns?.nameservers, ['127.0.0.11']);
    assert.equal(r.dns?.embedded, true);
  });

  await t.test('macvlan: parent, no veth', async (st) => {
    if (!(await requireCapability(st, 'the lab macvlan', labMade(lab, C.macvlan)))) return;
    const r = await inspect(C.macvlan);
    assert.equal(r.mode.kind, 'macvlan');
    assert.equal(r.interfaces[0]?.parent, IFACE.macvlanParent);
    assert.equal(r.interfaces[0]?.hostVeth, null);
    assert.match(r.mode.description, /cannot reach it through/);
  });

  await t.test('overlay: eth0 not on the host, eth1 on docker_gwbridge', async (st) => {
    if (!(await requireCapability(st, 'the lab overlay', labMade(lab, C.overlay)))) return;
    const r = await inspect(C.overlay);
    assert.equal(r.mode.kind, 'overlay');
    const gw = r.interfaces.find((i) => i.network === 'docker_gwbridge');
    assert.equal(gw?.bridge, 'docker_gwbridge');
    assert.ok(gw?.hostVeth);
    assert.equal(r.interfaces.find((i) => i.network === NET.overlay.name)?.hostVeth, null);
  });

  await t.test('an unknown container exits 1 with the closest names; an ambiguous prefix lists the matches', async () => {
    const r = await runDocknet(['inspect', 'tomcat1']);
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /no container matches 'tomcat1'/);
    assert.match(r.stderr, /closest names: tomcat01/);
    const none = await runDocknet(['inspect']);
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /missing required argument 'container'/);
  });
});
