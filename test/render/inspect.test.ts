// renderInspectText and inspectJson on a small report: one bridge container with its interface and
// host side, a published and an exposed port, a follower, neighbours, DNS, sockets and a note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InspectReport } from '../../src/correlate/inspect.js';
import { inspectJson, renderInspectText } from '../../src/render/inspect.js';
import { hasAnsi, interfaceRow, liveSnapshot, mapping, PIPED, savedSnapshot, stripAnsi, TTY_COLOUR, TTY_NO_COLOUR } from './values.js';
import { pathText } from '../../src/render/nat-words.js';
import { interfaceNoteText, interfaceNotesText } from '../../src/render/veth-words.js';

function report(): InspectReport {
  return {
    container: {
      name: 'web',
      id: 'a'.repeat(64),
      shortId: 'aaaaaaaaaaaa',
      image: 'nginx:1.27',
      state: 'running',
      running: true,
      pid: 4242,
      netns: 'net:[4026532281]',
      netnsInode: 4026532281,
      sandboxKey: '/var/run/docker/netns/1c2d3e4f5a6b',
      created: '2026-11-28T09:00:00Z',
      startedAt: '2026-11-28T09:00:01Z',
    },
    mode: { kind: 'bridge', owner: null, bridges: ['docker0'], parent: null, special: [], nat: true, interfaces: 1 },
    interfaces: [
      {
        ...interfaceRow({}),
        gateway: '172.17.0.1',
        subnet: '172.17.0.0/16',
        bridgeAddress: '172.17.0.1/16',
        hostVethMtu: 1500,
        mtuOverUplink: { mtu: 1500, uplink: 'ens33', uplinkMtu: 1450 },
        networkBehaviour: null,
      },
    ],
    ports: [
      { ...mapping({}), exposedOnly: false },
      { exposedOnly: true, containerPort: 80, protocol: 'tcp', container: 'web', hostIp: null, hostPort: null },
    ],
    portsKnown: true,
    nat: { available: true, reason: null },
    sharedWith: ['sidecar'],
    neighbours: [
      { network: 'bridge', driver: 'bridge', nameResolution: false, complete: true, containers: [{ name: 'db', ipv4: '172.17.0.3/16' }] },
      { network: 'backend', driver: 'bridge', nameResolution: true, complete: true, containers: [] },
    ],
    dns: {
      nameservers: ['127.0.0.11'],
      search: ['example.org'],
      options: [],
      embedded: true,
      explanation: "Docker's embedded DNS server",
    },
    listening: [{ protocol: 'tcp', ip: '::', port: 8080 }],
    uplink: { name: 'ens33', mtu: 1450 },
    directAccess: null,
    notes: [{ code: 'containers-incomplete', reason: 'docker/ps.txt was taken at another moment' }],
  };
}

const TEXT = `web (aaaaaaaaaaaa)  image nginx:1.27  running, pid 4242
network namespace net:[4026532281], sandbox /var/run/docker/netns/1c2d3e4f5a6b
created 2026-11-28T09:00:00Z, started 2026-11-28T09:00:01Z

Network mode
  bridge: its own network namespace, joined to the host by a veth pair on bridge docker0; the bridge is its gateway, and published ports reach it through NAT (DNAT) rules.

Interfaces
  eth0@if11 (ifindex 10)  mac 02:42:ac:11:00:02  mtu 1500
    ipv4 172.17.0.2/16  gateway 172.17.0.1
    network bridge (bridge), subnet 172.17.0.0/16
    host side: veth1f00e42 (ifindex 11, mtu 1500) on bridge docker0 (172.17.0.1/16)
    ! MTU 1500 is larger than the uplink ens33's 1450: packets over 1450 bytes leaving the host are dropped or fragmented (set the network's com.docker.network.driver.mtu, or the daemon's "mtu")

Ports
  0.0.0.0:49154/tcp -> nat PREROUTING -> DOCKER: DNAT to 172.17.0.2:8080 (pkts 6, bytes 312) -> docker0 -> veth1f00e42 -> web 172.17.0.2:8080
    rule: DOCKER 2 of nat (host/iptables-save.txt): -A DOCKER ! -i docker0 -p tcp -m tcp --dport 49154 -j DNAT --to-destination 172.17.0.2:8080
  80/tcp: exposed, not published (reachable only from its networks)

Shares its network namespace with
  sidecar (network mode container:web)

Neighbours
  on bridge (default bridge: by IP only, no name resolution): db 172.17.0.3/16
  on backend (reach them by name): no other container

DNS
  nameserver 127.0.0.11: Docker's embedded DNS server
  search example.org

Listening (sockets of its main process, pid 4242)
  tcp [::]:8080

Notes
  neighbours and namespace sharers as far as the data names them: docker/ps.txt was taken at another moment
`;

test('piped: identity, then each section in order, every line of it indented', () => {
  const out = renderInspectText(PIPED(), report(), liveSnapshot());
  assert.equal(out, TEXT);
  assert.ok(!hasAnsi(out));
});

test('on a terminal with colour the section titles are bold and the words the same; without colour, the piped text', () => {
  const out = renderInspectText(TTY_COLOUR(), report(), liveSnapshot());
  assert.ok(out.includes('\n\u001b[1mNetwork mode\u001b[22m\n'), 'bold section title');
  assert.equal(stripAnsi(out), TEXT);
  assert.equal(renderInspectText(TTY_NO_COLOUR(), report(), liveSnapshot()), TEXT);
});

test('unknown is said as unknown, none as none; NAT rules unavailable is said in the ports', () => {
  const r = report();
  r.container = {
    ...r.container,
    pid: null,
    netns: null,
    sandboxKey: null,
    created: null,
    startedAt: null,
    state: 'exited',
    running: false,
  };
  r.interfaces = [
    {
      ...interfaceRow({ interface: null, notes: [{ code: 'interfaces-unknown', error: null, scope: 'snapshot' }] }),
      gateway: null,
      subnet: null,
      bridgeAddress: null,
      hostVethMtu: null,
      mtuOverUplink: null,
      networkBehaviour: null,
    },
  ];
  r.ports = [];
  r.nat = { available: false, reason: 'iptables needs root (run with sudo)' };
  r.sharedWith = [];
  r.neighbours = [];
  r.dns = null;
  r.listening = [];
  r.notes = [];
  assert.equal(
    renderInspectText(PIPED(), r, savedSnapshot()),
    `Describes a saved snapshot of host-a (taken 2026-11-28T10:00:00.000Z), loaded from snaps/host-a.tar.gz; not the live host.

web (aaaaaaaaaaaa)  image nginx:1.27  exited

Network mode
  bridge: its own network namespace, joined to the host by a veth pair on bridge docker0; the bridge is its gateway, and published ports reach it through NAT (DNAT) rules.

Interfaces
  interfaces inside unknown: no container-side data in this snapshot

Ports
  NAT rules unavailable: iptables needs root (run with sudo)

Listening (sockets of its main process)
  nothing
`,
  );
  const iface = {
    ...interfaceRow({ ipv4: null, mac: null, mtu: null, hostVeth: null }),
    gateway: null,
    subnet: null,
    bridgeAddress: null,
    hostVethMtu: null,
    mtuOverUplink: null,
    networkBehaviour: null,
  };
  r.interfaces = [iface];
  assert.match(
    renderInspectText(PIPED(), r, liveSnapshot()),
    /eth0@if11 \(ifindex 10\) {2}mac unknown {2}mtu unknown\n {4}ipv4 none {2}gateway none\n/,
  );
  r.interfaces = [{ ...iface, network: null }];
  assert.match(renderInspectText(PIPED(), r, liveSnapshot()), /\n {4}ipv4 unknown {2}gateway unknown\n/);
});

test('a container: follower says whose ports it is reached on', () => {
  const r = report();
  r.mode = { kind: 'container', owner: 'web', bridges: [], parent: null, special: [], nat: false, interfaces: 0 };
  assert.match(renderInspectText(PIPED(), r, liveSnapshot()), /\nPorts \(published on web\)\n/);
});

test('JSON: schemaVersion 3, the snapshot, and every field of the report as correlated', () => {
  const r = report();
  assert.deepEqual(JSON.parse(JSON.stringify(inspectJson(r, liveSnapshot()))), {
    schemaVersion: 3,
    snapshot: { source: 'live', location: null, takenAt: null, hostname: null },
    ...JSON.parse(JSON.stringify(r)),
    // The mode as words (schemaVersion 2's kind, owner and description), not its facts.
    mode: {
      kind: 'bridge',
      owner: null,
      description:
        'bridge: its own network namespace, joined to the host by a veth pair on bridge docker0; the bridge is its gateway, and published ports reach it through NAT (DNAT) rules.',
    },
    // An interface's notes carry their sentences, and its note the sentence of all (schemaVersion 3);
    // an MTU over the uplink's is its facts, with its sentence beside them.
    interfaces: JSON.parse(
      JSON.stringify(
        r.interfaces.map((i) => ({
          ...i,
          notes: i.notes.map((n) => ({ ...n, text: interfaceNoteText(n) })),
          note: interfaceNotesText(i.notes),
          mtuWarning:
            "MTU 1500 is larger than the uplink ens33's 1450: packets over 1450 bytes leaving the host are dropped or fragmented (set the network's com.docker.network.driver.mtu, or the daemon's \"mtu\")",
        })),
      ),
    ),
    // A published port's paths carry their sentence beside their hops and reason.
    ports: JSON.parse(
      JSON.stringify(r.ports.map((p) => (p.exposedOnly ? p : { ...p, paths: p.paths.map((x) => ({ ...x, text: pathText(x) })) }))),
    ),
    // A note is its code and facts, with its sentence beside them (schemaVersion 2; 1 had the sentence only).
    notes: [
      {
        code: 'containers-incomplete',
        reason: 'docker/ps.txt was taken at another moment',
        text: 'neighbours and namespace sharers as far as the data names them: docker/ps.txt was taken at another moment',
      },
    ],
  });
});
