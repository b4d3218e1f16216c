// Proves the engine harness: the lab is up as lab-spec says, read back with the docker CLI and the kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { C, CORE_CONTAINERS, LAB_LABEL, LAB_WEB_PORT, NET, TOMCAT_TML_PORTS } from '../../lab/lab-spec.js';
import { lines, must } from '../../lab/run.js';
import { groundTruth, hostLinks, labMade, testContainer, testLeftovers, TEST_RUN_ID, withLab } from './harness.js';
import { requireCapability } from '../capability.js';

async function dockerPort(container: string): Promise<string[]> {
  return lines(await must(['docker', 'port', container]));
}

async function httpGet(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200);
  return res.text();
}

test('the core lab containers are running and labelled', async (t) => {
  if (!(await withLab(t))) return;
  for (const name of CORE_CONTAINERS) {
    const out = await must(['docker', 'inspect', '--format', `{{.State.Running}} {{index .Config.Labels "${LAB_LABEL}"}}`, name]);
    assert.equal(out.trim(), 'true 1', `${name} should be running with ${LAB_LABEL}=1`);
  }
});

test('tomcat-tml publishes 49154, a UDP port, a range and a loopback-bound port', async (t) => {
  if (!(await withLab(t))) return;
  const ports = await dockerPort(C.tomcatTml);
  const [r0, r1] = TOMCAT_TML_PORTS.range;
  assert.ok(ports.includes(`8080/tcp -> 0.0.0.0:${TOMCAT_TML_PORTS.tcp}`), ports.join('\n'));
  assert.ok(ports.includes(`${TOMCAT_TML_PORTS.udp}/udp -> 0.0.0.0:${TOMCAT_TML_PORTS.udp}`), ports.join('\n'));
  assert.ok(ports.includes(`${r0}/tcp -> 0.0.0.0:${r0}`) && ports.includes(`${r1}/tcp -> 0.0.0.0:${r1}`), ports.join('\n'));
  const { hostIp, hostPort } = TOMCAT_TML_PORTS.loopback;
  assert.ok(ports.includes(`8080/tcp -> ${hostIp}:${hostPort}`), ports.join('\n'));
  assert.match(await httpGet(TOMCAT_TML_PORTS.tcp), /tomcat-tml/);
  assert.match(await httpGet(hostPort), /tomcat-tml/);
});

test('tomcat01 got a random host port from -P and serves on it', async (t) => {
  if (!(await withLab(t))) return;
  const line = (await dockerPort(C.tomcat01)).find((p) => p.startsWith('8080/tcp -> 0.0.0.0:'));
  assert.ok(line, 'tomcat01 should publish 8080/tcp on 0.0.0.0');
  assert.match(await httpGet(Number(line.split(':').pop())), /tomcat01/);
  assert.match(await httpGet(LAB_WEB_PORT), /lab-web/);
});

test('namespaces: sidecar shares tomcat01, host shares the host, none has only lo', async (t) => {
  if (!(await withLab(t))) return;
  const host = await hostLinks();
  const tomcat = await groundTruth(C.tomcat01);
  const sidecar = await groundTruth(C.sidecar);
  assert.equal(sidecar.netnsInode, tomcat.netnsInode);
  assert.equal((await groundTruth(C.host)).netnsInode, host.netnsInode);
  assert.notEqual(tomcat.netnsInode, host.netnsInode);
  assert.deepEqual(
    (await groundTruth(C.none)).links.map((l) => l.ifname),
    ['lo'],
  );

  // tomcat01's eth0 is a veth whose peer sits on docker0 in the host namespace.
  const eth0 = tomcat.links.find((l) => l.ifname === 'eth0');
  assert.ok(eth0?.link_index !== undefined && eth0.link_netnsid !== undefined, 'eth0 has a peer in another namespace');
  const peer = host.links.find((l) => l.ifindex === eth0.link_index);
  assert.equal(peer?.kind, 'veth');
  assert.equal(peer?.master, 'docker0');
});

test('lab-multi has one interface per network; dnlab0 is the custom bridge name', async (t) => {
  if (!(await withLab(t))) return;
  const multi = await groundTruth(C.multi);
  const addrs = multi.links.flatMap((l) => l.addr_info.filter((a) => a.family === 'inet').map((a) => a.local));
  assert.ok(
    addrs.some((a) => a.startsWith(NET.front.subnet.replace(/0\/24$/, ''))),
    addrs.join(' '),
  );
  assert.ok(
    addrs.some((a) => a.startsWith(NET.back.subnet.replace(/0\/24$/, ''))),
    addrs.join(' '),
  );
  const bridge = (await hostLinks()).links.find((l) => l.ifname === NET.front.bridgeName);
  assert.equal(bridge?.kind, 'bridge');
});

test(`lab-macvlan sits on a macvlan in ${NET.macvlan.subnet}`, async (t) => {
  const lab = await withLab(t);
  if (!lab) return;
  if (!(await requireCapability(t, 'the lab macvlan', labMade(lab, C.macvlan)))) return;
  const eth0 = (await groundTruth(C.macvlan)).links.find((l) => l.ifname === 'eth0');
  assert.equal(eth0?.kind, 'macvlan');
  assert.ok(eth0?.addr_info.some((a) => a.local.startsWith(NET.macvlan.subnet.replace(/0\/24$/, ''))));
});

test('containers a test makes are labelled and gone when it ends', async (t) => {
  if (!(await withLab(t))) return;
  const name = `dn-${TEST_RUN_ID}`;
  await t.test('make one', async (st) => {
    await testContainer(st, name, ['--network', 'none']);
    const labels = await must(['docker', 'inspect', '--format', '{{json .Config.Labels}}', name]);
    assert.match(labels, new RegExp(`"docknet.test":"${TEST_RUN_ID}"`));
  });
  assert.deepEqual(await testLeftovers(), { containers: [], networks: [] });
});
