// Each doctor check on inputs that trigger it and on inputs that do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKS, runChecks, type DoctorInputs, type HostSettings } from '../../src/correlate/doctor/checks.js';
import { known, unknown } from '../../src/model/fact.js';
import type { DockerProxy, ListeningSocket, NatReport } from '../../src/model/port-path.js';
import type { Route } from '../../src/model/route.js';
import { emptyPortFacts } from '../../src/parse/nat-facts.js';
import { hostModel, type ModelParts } from '../model-helpers.js';
import type { ContainerInfo, NetworkInfo } from '../../src/model/engine.js';
import type { Link } from '../../src/model/link.js';
import { prefixesOverlap } from '../../src/util/address.js';
import { natWords } from '../../src/render/nat-words.js';
import { vethWords } from '../../src/render/veth-words.js';

const link = (ifindex: number, name: string, extra: Partial<Link> = {}): Link => ({
  ifindex,
  name,
  peerIfindex: null,
  peerName: null,
  linkNetnsId: null,
  master: null,
  kind: null,
  mac: null,
  mtu: 1500,
  state: 'UP',
  flags: [],
  addresses: [],
  ...extra,
});
const network = (name: string, bridgeName: string | null, subnet: string, extra: Partial<NetworkInfo> = {}): NetworkInfo => ({
  id: `${name}-id`,
  name,
  driver: 'bridge',
  scope: 'local',
  internal: false,
  ingress: false,
  bridgeName,
  parent: null,
  subnets: [{ subnet, gateway: null }],
  options: {},
  members: [],
  ...extra,
});
const container = (name: string, extra: Partial<ContainerInfo> = {}): ContainerInfo => ({
  id: `${name}000000000000`,
  name,
  image: 'img',
  state: 'running',
  running: true,
  pid: 10,
  created: null,
  startedAt: null,
  networkMode: 'bridge',
  sandboxKey: null,
  endpoints: [
    {
      network: 'bridge',
      networkId: 'bridge-id',
      endpointId: null,
      ipv4: '172.17.0.2/16',
      ipv6: null,
      mac: null,
      gateway: '172.17.0.1',
      aliases: [],
    },
  ],
  ports: {},
  portBindings: {},
  exposedPorts: [],
  labels: {},
  ...extra,
});

interface Over extends Partial<Omit<DoctorInputs, 'settings' | 'engineInfo'>> {
  settings?: (Omit<HostSettings, 'unreadable'> & Partial<Pick<HostSettings, 'unreadable'>>) | null;
  engineInfo?: Record<string, unknown> | null;
  routes?: Route[] | null;
  hostListeners?: ListeningSocket[];
  proxies?: DockerProxy[];
}

function inputs(over: Over = {}, parts: ModelParts = {}): DoctorInputs {
  const { settings, engineInfo, routes, hostListeners, proxies, ...rest } = over;
  const portFacts = emptyPortFacts();
  portFacts.listening = hostListeners ?? [];
  portFacts.dockerProxies = proxies ?? [];
  const model = hostModel({
    containers: [],
    networks: [network('bridge', 'docker0', '172.17.0.0/16')],
    hostLinks: [link(2, 'eth0', { mtu: 1500 }), link(5, 'docker0', { kind: 'bridge', mtu: 1500 })],
    routes: routes === null ? undefined : (routes ?? [{ dst: 'default', dev: 'eth0', gateway: '192.0.2.1' }]),
    portFacts,
    ...parts,
  });
  const given = <T>(v: T | null | undefined, fallback: T) =>
    v === null ? unknown('not-in-data', 'not in the test data') : known(v ?? fallback, 'test');
  return {
    model,
    natWords,
    vethWords,
    vethMap: {
      interfaces: [],
      hostVeths: [],
      hostLinksKnown: true,
      hostVethsComplete: true,
      hostVethsIncomplete: null,
      hostInterfaces: [],
      notes: [],
    },
    nat: null,
    settings: given(settings && { unreadable: {}, ...settings }, {
      unreadable: {},
      sysctl: { 'net.ipv4.ip_forward': '1', 'net.ipv6.conf.all.forwarding': '0', 'net.bridge.bridge-nf-call-iptables': '1' },
      modules: { br_netfilter: true },
    }),
    engineInfo: given(engineInfo, { SecurityOptions: ['name=seccomp'], OperatingSystem: 'Debian GNU/Linux 12' }),
    backends: { legacy: [], nft: [{ chain: 'DOCKER', line: '-A DOCKER ! -i docker0 -p tcp -j DNAT --to-destination 172.17.0.2:80' }] },
    warnings: [],
    ...rest,
  };
}

function findings(id: string, i: DoctorInputs) {
  const check = CHECKS.find((c) => c.id === id);
  assert.ok(check, id);
  return runChecks(i, [check])[0]!;
}

test('a healthy host has no findings but informational ones', () => {
  const all = runChecks(inputs()).flatMap((o) => o.findings);
  assert.deepEqual(
    all.filter((f) => f.severity !== 'info'),
    [],
  );
});

test('forwarding off is an error with the sysctl as evidence', () => {
  const i = inputs({ settings: { sysctl: { 'net.ipv4.ip_forward': '0' }, modules: { br_netfilter: true } } });
  const [f] = findings('forwarding', i).findings;
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.evidence, [{ source: '/proc/sys/net/ipv4/ip_forward', text: 'net.ipv4.ip_forward = 0' }]);
  assert.equal(findings('forwarding', inputs({ settings: null })).status, 'skipped');
  const warned = findings(
    'forwarding',
    inputs({
      settings: null,
      warnings: [{ source: 'docker/warnings.txt', text: 'WARNING: IPv4 forwarding is disabled. Networking will not work.' }],
    }),
  );
  assert.equal(warned.findings[0]?.severity, 'error');
  assert.match(warned.findings[0]?.title ?? '', /the engine said so/);
});

test('br_netfilter missing or bridge-nf-call-iptables off is a warning', () => {
  assert.match(
    findings('br-netfilter', inputs({ settings: { sysctl: {}, modules: { br_netfilter: false } } })).findings[0]?.title ?? '',
    /br_netfilter module is not loaded/,
  );
  assert.match(
    findings(
      'br-netfilter',
      inputs({ settings: { sysctl: { 'net.bridge.bridge-nf-call-iptables': '0' }, modules: { br_netfilter: true } } }),
    ).findings[0]?.title ?? '',
    /bridge-nf-call-iptables is 0/,
  );
  assert.deepEqual(findings('br-netfilter', inputs()).findings, []);
  // Built into the kernel (CONFIG_BRIDGE_NETFILTER=y, as on the lab's Firecracker kernel): no /sys/module entry, its sysctls there.
  assert.deepEqual(
    findings(
      'br-netfilter',
      inputs({ settings: { sysctl: { 'net.bridge.bridge-nf-call-iptables': '1' }, modules: { br_netfilter: false } } }),
    ).findings,
    [],
  );
});

test('rules in both iptables backends', () => {
  const i = inputs({
    backends: {
      legacy: [{ chain: 'INPUT', line: '-A INPUT -j DROP' }],
      nft: [{ chain: 'DOCKER', line: '-A DOCKER ! -i docker0 -p tcp -j DNAT --to-destination 172.17.0.2:80' }],
    },
  });
  const [f] = findings('iptables-backends', i).findings;
  assert.match(f?.title ?? '', /Docker's rules are in the nf_tables backend, while the legacy backend also holds 1 rule/);
  assert.deepEqual(findings('iptables-backends', inputs()).findings, []);
});

test("a Docker bridge with an MTU above the uplink's", () => {
  const i = inputs({}, { hostLinks: [link(2, 'eth0', { mtu: 1400 }), link(5, 'docker0', { kind: 'bridge', mtu: 1500 })] });
  const [f] = findings('mtu', i).findings;
  assert.match(f?.title ?? '', /uplink eth0's 1400: docker0 1500/);
  assert.deepEqual(findings('mtu', inputs()).findings, []);
  assert.equal(findings('mtu', inputs({ routes: null })).status, 'skipped');
});

test("orphan veth on a Docker bridge; libvirt bridge explained as not Docker's", () => {
  const i = inputs(
    {
      vethMap: {
        interfaces: [],
        notes: [],
        hostLinksKnown: true,
        hostVethsComplete: true,
        hostVethsIncomplete: null,
        hostInterfaces: [],
        hostVeths: [
          {
            name: 'vethd4ac7ba',
            ifindex: 9,
            peerIfindex: 8,
            linkNetnsId: 1,
            bridge: 'docker0',
            owner: null,
            ownerKind: null,
            ownerInterface: null,
            ownerUnknown: false,
            ownerStatus: 'none',
            bridgeDocker: true,
            bridgeInferred: false,
            note: null,
          },
        ],
      },
    },
    { hostLinks: [link(2, 'eth0'), link(3, 'virbr0', { kind: 'bridge' }), link(5, 'docker0', { kind: 'bridge' })] },
  );
  const fs = findings('veths', i).findings;
  assert.match(fs[0]?.title ?? '', /vethd4ac7ba on Docker bridge docker0 belongs to no container/);
  assert.match(fs[1]?.title ?? '', /virbr0 is libvirt's bridge/);
});

test('two containers publishing the same host port', () => {
  const ports = { '80/tcp': [{ hostIp: '0.0.0.0', hostPort: '8080' }] };
  const i = inputs({}, { containers: [container('a', { ports }), container('b', { ports })] });
  assert.match(findings('port-clash', i).findings[0]?.title ?? '', /a and b both publish 0.0.0.0:8080\/tcp/);
  assert.deepEqual(findings('port-clash', inputs({}, { containers: [container('a', { ports })] })).findings, []);
});

test('a host listener on a published port that is not docker-proxy', () => {
  const ports = { '80/tcp': [{ hostIp: '0.0.0.0', hostPort: '8080' }] };
  const i = inputs(
    { hostListeners: [{ protocol: 'tcp', family: 'ipv4', ip: '0.0.0.0', port: 8080, inode: 1 }] },
    { containers: [container('a', { ports })] },
  );
  assert.match(findings('port-clash', i).findings[0]?.title ?? '', /listens on 0.0.0.0:8080\/tcp/);
  const proxied = inputs(
    {
      hostListeners: [{ protocol: 'tcp', family: 'ipv4', ip: '0.0.0.0', port: 8080, inode: 1 }],
      proxies: [
        {
          pid: 5,
          proto: 'tcp',
          hostIp: '0.0.0.0',
          hostPort: 8080,
          containerIp: '172.17.0.2',
          containerPort: 80,
          argv: [],
          netns: null,
        },
      ],
    },
    { containers: [container('a', { ports })] },
  );
  assert.deepEqual(findings('port-clash', proxied).findings, []);
});

test('a Docker subnet overlapping a host route', () => {
  const i = inputs({
    routes: [
      { dst: 'default', dev: 'eth0', gateway: null },
      { dst: '172.16.0.0/12', dev: 'tun0', gateway: '10.8.0.1' },
    ],
  });
  assert.match(
    findings('subnet-overlap', i).findings[0]?.title ?? '',
    /bridge \(172.17.0.0\/16\) overlaps the host route 172.16.0.0\/12 via tun0/,
  );
  assert.deepEqual(findings('subnet-overlap', inputs({ routes: [{ dst: '172.17.0.0/16', dev: 'docker0', gateway: null }] })).findings, []);
  assert.equal(prefixesOverlap('10.0.0.0/8', '10.213.0.0/24'), true);
  assert.equal(prefixesOverlap('10.0.0.0/8', '11.0.0.0/8'), false);
  assert.equal(prefixesOverlap('fd00::/8', 'fd12:3456::/32'), true);
});

test('rootless Docker and Docker Desktop are said plainly', () => {
  assert.match(
    findings('rootless', inputs({ engineInfo: { SecurityOptions: ['name=seccomp,profile=default', 'name=rootless'] } })).findings[0]
      ?.title ?? '',
    /runs rootless/,
  );
  assert.match(
    findings('rootless', inputs({ engineInfo: { OperatingSystem: 'Docker Desktop' } })).findings[0]?.title ?? '',
    /Docker Desktop/,
  );
  assert.deepEqual(findings('rootless', inputs()).findings, []);
});

test('containers sharing the default bridge have no name resolution', () => {
  const i = inputs({}, { containers: [container('tomcat01'), container('tomcat-tml')] });
  assert.match(findings('default-bridge-dns', i).findings[0]?.title ?? '', /2 containers share the default bridge/);
  assert.deepEqual(findings('default-bridge-dns', inputs({}, { containers: [container('tomcat01')] })).findings, []);
});

/** A NAT report with rules read and nothing found in them. */
function natReport(otherNetnsProxies: NatReport['otherNetnsProxies']): NatReport {
  const base = { available: true, reason: null, backend: 'nf_tables', publicationsKnown: true, publicationsReason: null };
  return { ...base, mappings: [], anomalies: [], notes: [], otherNetnsProxies };
}

test("a leftover docker-proxy: kill only when its namespace is read and is this host's", () => {
  const proxy = (pid: number, netns: string | null) => ({
    pid,
    proto: 'tcp',
    hostIp: '0.0.0.0',
    hostPort: 8080 + pid,
    containerIp: '172.17.0.99',
    containerPort: 80,
    argv: ['/usr/sbin/docker-proxy'],
    netns,
  });
  const i = inputs(
    { nat: natReport(null), proxies: [proxy(1, 'net:[1]'), proxy(2, null)] },
    { containers: [container('a')], hostNetns: 'net:[1]' },
  );
  const out = findings('nat', i).findings;
  const mine = out.find((f) => f.title.startsWith('docker-proxy pid 1 '));
  assert.equal(mine?.changesHost, true);
  assert.match(mine?.fix ?? '', /^kill 1\b/);
  const unknown = out.find((f) => f.title.startsWith('docker-proxy pid 2 '));
  assert.equal(unknown?.changesHost, false);
  assert.match(unknown?.unproven ?? '', /the network namespace of pid 2/);
  assert.doesNotMatch(unknown?.fix ?? '', /kill/);
});

test("other network namespaces' docker-proxy processes are counted in an info finding, with no advice that changes the host", () => {
  const portFacts = emptyPortFacts();
  portFacts.dockerProxies = [];
  portFacts.listening = [];
  portFacts.otherNetnsProxies = { count: 3, namespaces: ['net:[7]'] };
  const model = { containers: [container('a')], hostNetns: 'net:[1]', portFacts };
  const out = findings('nat', inputs({ nat: natReport(portFacts.otherNetnsProxies) }, model)).findings;
  assert.equal(out.length, 1);
  assert.equal(out[0]?.severity, 'info');
  assert.match(out[0]?.title ?? '', /^3 docker-proxy process\(es\) of other network namespaces were seen and left out/);
  assert.doesNotMatch(out[0]?.fix ?? '', /\bkill\b/);
});

test("a veth on no bridge with an address of its own is a routed link (a namespace host's uplink), not a container's end", () => {
  const eth0 = {
    name: 'eth0',
    ifindex: 2,
    peerIfindex: 412,
    linkNetnsId: 0,
    bridge: null,
    owner: null,
    ownerKind: null,
    ownerInterface: null,
    ownerUnknown: false,
    ownerStatus: 'none' as const,
    bridgeDocker: null,
    bridgeInferred: false,
    note: null,
  };
  const vethMap = {
    interfaces: [],
    notes: [],
    hostLinksKnown: true,
    hostVethsComplete: true,
    hostVethsIncomplete: null,
    hostInterfaces: [],
    hostVeths: [eth0],
  };
  const addressed = link(2, 'eth0', {
    kind: 'veth',
    addresses: [{ family: 'inet', address: '10.219.28.2', prefixlen: 30, scope: 'global' }],
  });
  const bare = link(2, 'eth0', { kind: 'veth', addresses: [{ family: 'inet6', address: 'fe80::1', prefixlen: 64, scope: 'link' }] });
  const titles = (l: Link) =>
    findings('veths', inputs({ vethMap }, { hostLinks: [l, link(5, 'docker0', { kind: 'bridge' })] })).findings.map((f) => f.title);
  assert.deepEqual(titles(addressed), []);
  assert.deepEqual(titles(bare), ['Host veth eth0 is on no bridge and belongs to no container.']);
});
