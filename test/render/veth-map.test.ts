// renderVethMapText and vethMapJson on a small map: two containers (one paired, one whose inside is
// unknown), two host veths, one other host interface, and where the facts came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VethMap } from '../../src/correlate/veth-map.js';
import type { InterfaceNote } from '../../src/correlate/veth-map-notes.js';
import { renderVethMapText, vethMapJson } from '../../src/render/veth-map.js';
import { hostRoleText } from '../../src/render/veth-words.js';
import { memoryIO } from '../../src/cli/io.js';
import {
  hasAnsi,
  hostVethRow,
  interfaceRow,
  liveSnapshot,
  PIPED,
  pipeFormOf,
  savedSnapshot,
  stripAnsi,
  TTY_COLOUR,
  TTY_NO_COLOUR,
} from './values.js';

const UNKNOWN_INSIDE: InterfaceNote[] = [
  { code: 'interfaces-unknown', error: 'reading /proc/4242/root/sys/class/net needs root (permission denied)', scope: 'container' },
];
const UNKNOWN_INSIDE_TEXT = 'interfaces inside unknown: reading /proc/4242/root/sys/class/net needs root (permission denied)';

function map(): VethMap {
  return {
    interfaces: [
      interfaceRow({}),
      interfaceRow({
        container: 'db',
        containerId: 'b'.repeat(64),
        shortId: 'bbbbbbbbbbbb',
        interface: null,
        ifindex: null,
        peerIfindex: null,
        hostVeth: null,
        hostIfindex: null,
        bridge: null,
        network: 'backend',
        driver: 'bridge',
        ipv4: '172.18.0.2/16',
        mac: null,
        pairedBy: null,
        notes: UNKNOWN_INSIDE,
      }),
    ],
    hostVeths: [
      hostVethRow({}),
      hostVethRow({
        name: 'veth9a',
        ifindex: 13,
        peerIfindex: 12,
        linkNetnsId: 1,
        bridge: 'br-0123456789ab',
        owner: null,
        ownerKind: null,
        ownerInterface: null,
        ownerUnknown: true,
        ownerStatus: 'unknown',
        note: { code: 'owner-not-in-data', unread: ['db', 'web'], containerListUnknown: null },
      }),
    ],
    hostLinksKnown: true,
    hostVethsComplete: true,
    hostVethsIncomplete: null,
    hostInterfaces: [
      {
        name: 'docker0',
        ifindex: 5,
        kind: 'bridge',
        ipv4: '172.17.0.1/16',
        role: { code: 'docker-bridge', network: 'mynet1' },
        listed: true,
      },
    ],
    notes: [{ code: 'host-links-from', from: 'host/ip-addr.json' }],
  };
}

const TEXT = `CONTAINER   ID             MODE     INSIDE      IFINDEX   HOST PEER (IFINDEX)   BRIDGE    NETWORK (DRIVER)   IPV4            MAC                 NOTE
web         aaaaaaaaaaaa   bridge   eth0@if11   10        veth1f00e42 (11)      docker0   bridge             172.17.0.2/16   02:42:ac:11:00:02   -
db          bbbbbbbbbbbb   bridge   -           -         -                     -         backend (bridge)   172.18.0.2/16   -                   [1]

HOST VETH          IFINDEX   NETNSID   BRIDGE            OWNER      NOTE
veth1f00e42@if10   11        0         docker0           web eth0   -
veth9a@if12        13        1         br-0123456789ab   -          [2]

HOST INTERFACE   IFINDEX   IPV4            ROLE
docker0          5         172.17.0.1/16   bridge of Docker network 'mynet1'

Notes:
  [1] ${UNKNOWN_INSIDE_TEXT}
  [2] owner not in the data: the interfaces of db, web are unknown

Sources:
  host links from host/ip-addr.json
`;

test('on a terminal: both tables, the other host interfaces, each note once by number, then the sources', () => {
  const out = renderVethMapText(TTY_NO_COLOUR(), map(), liveSnapshot());
  assert.equal(out, TEXT);
  assert.ok(!hasAnsi(out));
});

test('piped: every table with its header, tab-separated, full values, no padding; notes and sources as on a terminal', () => {
  const out = renderVethMapText(PIPED(), map(), liveSnapshot());
  assert.ok(!hasAnsi(out));
  assert.equal(out, pipeFormOf(pipeFormOf(pipeFormOf(TEXT, 'CONTAINER'), 'HOST VETH'), 'HOST INTERFACE'));
  const rows = out.split('\n');
  assert.equal(rows[1], 'web\taaaaaaaaaaaa\tbridge\teth0@if11\t10\tveth1f00e42 (11)\tdocker0\tbridge\t172.17.0.2/16\t02:42:ac:11:00:02\t-');
  assert.equal(
    rows.find((l) => l.startsWith('docker0\t')),
    "docker0\t5\t172.17.0.1/16\tbridge of Docker network 'mynet1'",
  );
});

test('a terminal narrower than a table: the role wraps in its column, names and addresses are never cut, notes wrap under their text', () => {
  const m = map();
  m.hostInterfaces.push({
    name: 'ens33',
    ifindex: 2,
    kind: null,
    ipv4: '192.168.5.102/24',
    role: { code: 'uplink-guess' },
    listed: true,
  });
  const out = renderVethMapText(memoryIO({ isTTY: true, color: false, width: 80 }), m, liveSnapshot());
  const table = out.slice(out.indexOf('HOST INTERFACE'), out.indexOf('\n\nNotes:'));
  assert.equal(
    table,
    `HOST INTERFACE   IFINDEX   IPV4               ROLE
docker0          5         172.17.0.1/16      bridge of Docker network 'mynet1'
ens33            2         192.168.5.102/24   probably the uplink (inference:
                                              the one other interface with a
                                              global IPv4 address; no routes in
                                              the data)`,
  );
  for (const line of table.split('\n')) assert.ok(line.length <= 80, line);
  // The container table has nothing to wrap: wider than the terminal, every value whole.
  assert.match(
    out,
    /^web {9}aaaaaaaaaaaa {3}bridge {3}eth0@if11 {3}10 {8}veth1f00e42 \(11\) {6}docker0 {3}bridge {13}172\.17\.0\.2\/16 {3}02:42:ac:11:00:02 {3}-$/m,
  );
  assert.match(
    out,
    /^ {2}\[1\] interfaces inside unknown: reading \/proc\/4242\/root\/sys\/class\/net needs\n {6}root \(permission denied\)$/m,
  );
  // Piped, nothing wraps whatever the width.
  assert.ok(
    renderVethMapText(PIPED(), m, liveSnapshot()).includes(
      `ens33\t2\t192.168.5.102/24\t${hostRoleText(m.hostInterfaces[1]!.role, true)}\n`,
    ),
  );
});

test('on a terminal: bold headers with colour, the same words; without colour no escape at all', () => {
  const coloured = renderVethMapText(TTY_COLOUR(), map(), liveSnapshot());
  assert.ok(hasAnsi(coloured));
  assert.ok(coloured.startsWith('\u001b[1mCONTAINER\u001b[22m'), 'bold header');
  assert.equal(stripAnsi(coloured), TEXT);
  assert.equal(renderVethMapText(TTY_NO_COLOUR(), map(), liveSnapshot()), TEXT);
});

test('a saved snapshot is said first; a note shared by two rows is printed once', () => {
  const m = map();
  const again = interfaceRow({ container: 'db2', shortId: 'cccccccccccc', interface: null, hostVeth: null, notes: UNKNOWN_INSIDE });
  m.interfaces.push(again);
  const out = renderVethMapText(TTY_NO_COLOUR(), m, savedSnapshot());
  assert.ok(
    out.startsWith(
      'Describes a saved snapshot of host-a (taken 2026-11-28T10:00:00.000Z), loaded from snaps/host-a.tar.gz; not the live host.\n\nCONTAINER',
    ),
  );
  assert.match(out, /^db2 .* \[1\]$/m);
  assert.equal(out.match(/needs root/g)?.length, 1);
});

test('nothing to show: said, and neither an unknown nor a partial host listing is "no veths"', () => {
  const empty: VethMap = {
    interfaces: [],
    hostVeths: [],
    hostLinksKnown: true,
    hostVethsComplete: true,
    hostVethsIncomplete: null,
    hostInterfaces: [],
    notes: [],
  };
  assert.equal(renderVethMapText(PIPED(), empty, liveSnapshot()), 'No container interfaces to show.\n\nNo veth interfaces on the host.\n');
  assert.equal(
    renderVethMapText(
      PIPED(),
      { ...empty, hostVethsComplete: false, hostVethsIncomplete: { code: 'no-loopback', from: 'the listing' } },
      liveSnapshot(),
    ),
    'No container interfaces to show.\n\nNo veth in the listing, which may not be whole: the listing holds no loopback: an excerpt of the listing.\n',
  );
  assert.equal(
    renderVethMapText(PIPED(), { ...empty, hostLinksKnown: false, hostVethsComplete: false }, liveSnapshot()),
    "No container interfaces to show.\n\nHost veths unknown: the data holds no listing of the host's links (ip addr).\n",
  );
});

test('macvlan rows name their parent; the ingress sandbox is said as such', () => {
  const m = map();
  m.interfaces = [
    interfaceRow({ container: 'mv', mode: 'macvlan', hostVeth: null, hostIfindex: null, peerIfindex: 2, parent: 'eth0', bridge: null }),
  ];
  m.hostVeths = [hostVethRow({ owner: 'ingress-sbox', ownerKind: 'ingress-sbox', ownerInterface: 'eth1', bridge: 'docker_gwbridge' })];
  const out = renderVethMapText(TTY_NO_COLOUR(), m, liveSnapshot());
  assert.match(out, /^mv +aaaaaaaaaaaa +macvlan +eth0@if2 +10 +parent eth0 +- /m);
  assert.match(out, /^veth1f00e42@if10 +11 +0 +docker_gwbridge +ingress-sbox eth1 \(swarm ingress sandbox\) +-$/m);
});

test('JSON: schemaVersion 3, the snapshot it describes, and the map as correlated (every note and role as code, facts and text), names kept exactly', () => {
  const m = map();
  const first = m.interfaces[0];
  if (first) first.container = 'evil\u001b[2Jname';
  const json = JSON.parse(JSON.stringify(vethMapJson(m, savedSnapshot())));
  assert.deepEqual(json, {
    schemaVersion: 3,
    snapshot: { source: 'saved', location: 'snaps/host-a.tar.gz', takenAt: '2026-11-28T10:00:00.000Z', hostname: 'host-a' },
    interfaces: m.interfaces.map((r) => ({
      ...r,
      notes: r.notes.map((n) => ({ ...n, text: UNKNOWN_INSIDE_TEXT })),
      note: r.notes.length ? UNKNOWN_INSIDE_TEXT : null,
    })),
    hostLinksKnown: true,
    hostVethsComplete: true,
    hostVethsIncomplete: null,
    hostVeths: m.hostVeths.map((v) => ({
      ...v,
      note: v.note ? { ...v.note, text: 'owner not in the data: the interfaces of db, web are unknown' } : null,
    })),
    hostInterfaces: [
      {
        name: 'docker0',
        ifindex: 5,
        kind: 'bridge',
        ipv4: '172.17.0.1/16',
        role: { code: 'docker-bridge', network: 'mynet1', text: "bridge of Docker network 'mynet1'" },
        listed: true,
      },
    ],
    notes: [{ code: 'host-links-from', from: 'host/ip-addr.json', text: 'host links from host/ip-addr.json' }],
  });
  assert.deepEqual(json.hostVeths.map((v: { note: unknown }) => v.note).filter(Boolean), [
    {
      code: 'owner-not-in-data',
      unread: ['db', 'web'],
      containerListUnknown: null,
      text: 'owner not in the data: the interfaces of db, web are unknown',
    },
  ]);
  assert.equal(json.interfaces[0]?.container, 'evil\u001b[2Jname');
  assert.match(renderVethMapText(TTY_NO_COLOUR(), m, liveSnapshot()), /^evil\\x1b\[2Jname /m);
  assert.match(renderVethMapText(PIPED(), m, liveSnapshot()), /^evil\\x1b\[2Jname\t/m);
});
