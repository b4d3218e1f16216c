// Engine test: `docknet veth-map --json` on the lab agrees with what the kernel says, read
// independently here (nsenter + `ip -j -d addr` inside each container, `ip -j -d addr` on the host).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { C, NET, IFACE, SERVICE } from '../../lab/lab-spec.js';
import { groundTruth, hostLinks, labMade, labService, runDocknet, withLab, type ContainerTruth, type KernelLink } from './harness.js';
import { requireCapability } from '../capability.js';

interface Row {
  container: string;
  mode: string;
  interface: string | null;
  ifindex: number | null;
  peerIfindex: number | null;
  hostVeth: string | null;
  hostIfindex: number | null;
  bridge: string | null;
  network: string | null;
  ipv4: string | null;
  mac: string | null;
  parent: string | null;
  sharesNetnsWith: string | null;
  note: string | null;
}
interface HostVeth {
  name: string;
  ifindex: number;
  bridge: string | null;
  owner: string | null;
  ownerKind: string | null;
}
interface VethMapJson {
  schemaVersion: number;
  interfaces: Row[];
  hostVeths: HostVeth[];
}

async function vethMap(): Promise<VethMapJson> {
  const r = await runDocknet(['veth-map', '--json', '--all']);
  assert.equal(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout) as VethMapJson;
}

/** The kernel's answer for one container interface: the host link that points back at it, if any. */
function hostPeerOf(inside: KernelLink, host: KernelLink[]): KernelLink | undefined {
  const h = host.find((l) => l.ifindex === inside.link_index);
  return h && h.kind === 'veth' && h.link_index === inside.ifindex ? h : undefined;
}

function realInterfaces(t: ContainerTruth): KernelLink[] {
  return t.links.filter((l) => l.ifname !== 'lo' && l.link_index !== undefined && l.link_index !== l.ifindex);
}

function rowsOf(map: VethMapJson, name: string): Row[] {
  return map.interfaces.filter((r) => r.container === name);
}

test('veth-map agrees with the kernel for every lab container and every host veth', async (t) => {
  const lab = await withLab(t);
  if (!lab) return;
  const [map, host] = await Promise.all([vethMap(), hostLinks()]);
  assert.equal(map.schemaVersion, 3);

  await t.test('bridge containers: each interface paired with the host veth that points back at it', async () => {
    for (const name of [C.tomcat01, C.tomcatTml, C.web, C.multi]) {
      const truth = await groundTruth(name);
      const expected = realInterfaces(truth)
        .map((l) => ({
          interface: l.ifname,
          ifindex: l.ifindex,
          hostVeth: hostPeerOf(l, host.links)?.ifname ?? null,
          mac: l.address ?? null,
        }))
        .sort((a, b) => a.interface.localeCompare(b.interface));
      const got = rowsOf(map, name).map((r) => ({ interface: r.interface, ifindex: r.ifindex, hostVeth: r.hostVeth, mac: r.mac }));
      assert.deepEqual(got, expected, name);
      for (const row of rowsOf(map, name)) {
        const veth = host.links.find((l) => l.ifname === row.hostVeth);
        assert.ok(veth, `${name}: host veth ${row.hostVeth} exists`);
        assert.equal(row.hostIfindex, veth.ifindex);
        assert.equal(row.bridge, veth.master ?? null, `${name}: bridge of ${row.hostVeth}`);
        assert.equal(row.mode, 'bridge');
      }
    }
  });

  await t.test('custom and default bridge names are the real Linux bridges', () => {
    const web = rowsOf(map, C.web)[0];
    assert.equal(web?.bridge, NET.front.bridgeName);
    const back = rowsOf(map, C.multi).find((r) => r.network === NET.back.name);
    assert.match(back?.bridge ?? '', /^br-[0-9a-f]{12}$/);
    assert.equal(rowsOf(map, C.tomcat01)[0]?.bridge, 'docker0');
    assert.equal(rowsOf(map, C.multi).length, 2, 'one row per interface of a container on two networks');
  });

  await t.test('host and none modes are said in words, with no veth', () => {
    const [hostRow, ...moreHost] = rowsOf(map, C.host);
    assert.equal(moreHost.length, 0);
    assert.equal(hostRow?.mode, 'host');
    assert.equal(hostRow?.interface, null);
    assert.equal(hostRow?.hostVeth, null);
    assert.match(hostRow?.note ?? '', /host network namespace: no veth/);
    const [noneRow, ...moreNone] = rowsOf(map, C.none);
    assert.equal(moreNone.length, 0);
    assert.equal(noneRow?.mode, 'none');
    assert.equal(noneRow?.interface, null);
    assert.match(noneRow?.note ?? '', /loopback only/);
  });

  await t.test('container: mode resolves to the owner and shows its interfaces', async () => {
    const owner = await groundTruth(C.tomcat01);
    const sidecar = await groundTruth(C.sidecar);
    assert.equal(sidecar.netns, owner.netns, 'ground truth: the sidecar really shares the namespace');
    const rows = rowsOf(map, C.sidecar);
    assert.ok(rows.length > 0);
    for (const r of rows) {
      assert.equal(r.mode, 'container');
      assert.equal(r.sharesNetnsWith, C.tomcat01);
      assert.match(r.note ?? '', new RegExp(`shares ${C.tomcat01}'s network namespace`));
    }
    assert.deepEqual(
      rows.map((r) => [r.interface, r.hostVeth]),
      rowsOf(map, C.tomcat01).map((r) => [r.interface, r.hostVeth]),
    );
  });

  await t.test('macvlan: the parent interface, not a veth', async (st) => {
    if (!(await requireCapability(st, 'the lab macvlan', labMade(lab, C.macvlan)))) return;
    const truth = await groundTruth(C.macvlan);
    const [inside] = realInterfaces(truth);
    const parent = host.links.find((l) => l.ifindex === inside?.link_index);
    assert.equal(parent?.ifname, IFACE.macvlanParent);
    const [row] = rowsOf(map, C.macvlan);
    assert.equal(row?.mode, 'macvlan');
    assert.equal(row?.hostVeth, null);
    assert.equal(row?.parent, IFACE.macvlanParent);
    assert.equal(row?.interface, inside?.ifname);
  });

  await t.test('overlay: eth0 peers into the overlay namespace, eth1 is a veth on docker_gwbridge', async (st) => {
    if (!(await requireCapability(st, 'the lab overlay', labMade(lab, C.overlay)))) return;
    const truth = await groundTruth(C.overlay);
    const rows = rowsOf(map, C.overlay);
    assert.equal(rows.length, realInterfaces(truth).length);
    const overlayRow = rows.find((r) => r.network === NET.overlay.name);
    assert.equal(overlayRow?.mode, 'overlay');
    assert.equal(overlayRow?.hostVeth, null);
    assert.match(overlayRow?.note ?? '', /overlay network namespace/);
    const gw = rows.find((r) => r.network === 'docker_gwbridge');
    const gwTruth = realInterfaces(truth).find((l) => l.ifname === gw?.interface);
    assert.ok(gwTruth);
    assert.equal(gw?.hostVeth, hostPeerOf(gwTruth, host.links)?.ifname);
    assert.equal(gw?.bridge, 'docker_gwbridge');
  });

  await t.test('every host veth is listed once, with its bridge, and its owner where the kernel shows one', async () => {
    const kernelVeths = host.links.filter((l) => l.kind === 'veth');
    assert.deepEqual(map.hostVeths.map((v) => v.name).sort(), kernelVeths.map((l) => l.ifname).sort());
    const owners = new Map<number, string>();
    for (const r of map.interfaces) if (r.hostIfindex !== null && r.mode !== 'container') owners.set(r.hostIfindex, r.container);
    for (const v of map.hostVeths) {
      const k = kernelVeths.find((l) => l.ifname === v.name);
      assert.equal(v.ifindex, k?.ifindex);
      assert.equal(v.bridge, k?.master ?? null);
      if (v.ownerKind === 'container') assert.equal(v.owner, owners.get(v.ifindex));
    }
    // Every running container's veth is owned: check against the kernel, container by container.
    const running = map.interfaces.filter((r) => r.hostVeth && r.mode !== 'container');
    for (const r of running) assert.equal(map.hostVeths.find((v) => v.name === r.hostVeth)?.owner, r.container);
  });

  await t.test('swarm: the ingress sandbox owns its docker_gwbridge veth', async (st) => {
    if (!(await requireCapability(st, 'the lab swarm service', labService(lab, SERVICE.name)))) return;
    const sbox = map.hostVeths.filter((v) => v.ownerKind === 'ingress-sbox');
    assert.equal(sbox.length, 1);
    assert.equal(sbox[0]?.bridge, 'docker_gwbridge');
  });

  await t.test('filters: a container name, an id prefix and a host veth name', async () => {
    const tomcat = rowsOf(map, C.tomcat01)[0];
    assert.ok(tomcat?.hostVeth);
    const byVeth = await runDocknet(['veth-map', '--json', tomcat.hostVeth]);
    assert.equal(byVeth.exitCode, 0, byVeth.stderr);
    const j = JSON.parse(byVeth.stdout) as VethMapJson;
    assert.deepEqual([...new Set(j.interfaces.map((r) => r.container))].sort(), [C.sidecar, C.tomcat01].sort());
    assert.deepEqual(
      j.hostVeths.map((v) => v.name),
      [tomcat.hostVeth],
    );
    const truth = await groundTruth(C.web);
    const byId = await runDocknet(['veth-map', '--json', truth.id.slice(0, 10)]);
    assert.equal(byId.exitCode, 0, byId.stderr);
    assert.deepEqual([...new Set((JSON.parse(byId.stdout) as VethMapJson).interfaces.map((r) => r.container))], [C.web]);
  });
});
