// renderNatText, renderNatPathsText and natJson on a small report: a mapping through its DNAT rule
// with a follower, one served by docker-proxy whose container address came from the rule, and anomalies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NatAnomaly, NatReport } from '../../src/model/port-path.js';
import { natJson, renderNatPathsText, renderNatText } from '../../src/render/nat.js';
import {
  hasAnsi,
  liveSnapshot,
  mapping,
  PIPED,
  pipeFormOf,
  ruleRef,
  savedSnapshot,
  stripAnsi,
  TTY_COLOUR,
  TTY_NO_COLOUR,
} from './values.js';
import { anomalyText, mappingNoteText, pathText } from '../../src/render/nat-words.js';

function anomaly(over: Partial<NatAnomaly>): NatAnomaly {
  return {
    kind: 'stale-rule',
    reason: { code: 'no-holder', unknownAddresses: ['db'] },
    match: {
      ip: '0.0.0.0',
      dport: { from: 49160, to: 49160 },
      protocol: 'tcp',
      target: 'DNAT',
      dnatTo: { ip: '172.17.0.9', port: { from: 80, to: 80 } },
    },
    hostIp: '0.0.0.0',
    hostPort: 49160,
    protocol: 'tcp',
    containerIp: '172.17.0.9',
    containerPort: 80,
    container: null,
    network: null,
    bridge: null,
    hostVeth: null,
    rule: ruleRef({ number: 4 }),
    proxy: null,
    proxyServes: null,
    confirmed: false,
    ...over,
  };
}

function report(): NatReport {
  return {
    available: true,
    reason: null,
    backend: 'nf_tables',
    publicationsKnown: true,
    publicationsReason: null,
    otherNetnsProxies: null,
    mappings: [
      mapping({ followers: ['sidecar'] }),
      mapping({
        hostIp: '::',
        container: 'db',
        containerIp: null,
        containerPort: 5432,
        hostPort: 5432,
        hostVeth: null,
        probableHostVeth: 'veth9a',
        rule: null,
        via: 'docker-proxy',
        proxy: { pid: 912, hostIp: '::', hostPort: 5432, containerIp: '172.17.0.3', containerPort: 5432, proto: 'tcp' },
        paths: [
          {
            address: '[::]:5432/tcp',
            from: 'outside',
            via: 'docker-proxy',
            hops: [
              { kind: 'docker-proxy', pid: 912, hostIp: '::', hostPort: 5432 },
              { kind: 'bridge', name: 'docker0' },
              { kind: 'host-veth', name: 'veth9a', probable: true },
              { kind: 'container', name: 'db', interface: null, address: '?:5432' },
            ],
            reason: { code: 'no-ipv6-rule', ipv6Known: false },
          },
        ],
        notes: [{ code: 'no-ip6tables-facts' }],
      }),
    ],
    anomalies: [
      anomaly({}),
      anomaly({
        kind: 'missing-rule',
        reason: { code: 'missing-rule' },
        match: null,
        hostIp: '::',
        hostPort: 5432,
        container: 'db',
        containerIp: null,
        containerPort: 5432,
        rule: null,
        proxy: null,
        proxyServes: null,
        confirmed: true,
      }),
    ],
    notes: ['IPv4 nat rules from host/iptables-save.txt'],
  };
}

const TEXT = `PUBLISHED           CONTAINER   TO                NETWORK   BRIDGE    HOST VETH     DNAT RULE   PKTS   BYTES   VIA                NOTE
0.0.0.0:49154/tcp   web         172.17.0.2:8080   bridge    docker0   veth1f00e42   DOCKER 2    6      312     DNAT               [1]
[::]:5432/tcp       db          ?:5432            bridge    docker0   veth9a?       none        -      -       docker-proxy 912   [2][3]

Notes:
  [1] also serves sidecar (--network container:web: same namespace)
  [2] no ip6tables facts: [::] is served by docker-proxy unless Docker writes IPv6 NAT rules
  [3] missing DNAT rule: [::]:5432/tcp is published by db (-> ?:5432) but no DNAT rule sends it there; docker-proxy processes were not read

Anomalies:
  stale-rule    nat DOCKER rule 4 (0.0.0.0:49160/tcp -> DNAT to 172.17.0.9:80; pkts 6, bytes 312): no container has 172.17.0.9 (unconfirmed: the addresses of db are unknown) (unconfirmed)
  missing-rule  [::]:5432/tcp is published by db (-> ?:5432) but no DNAT rule sends it there; docker-proxy processes were not read

Sources:
  IPv4 nat rules from host/iptables-save.txt
`;

test('on a terminal: one row per mapping, its notes by number, the anomalies (unconfirmed ones said so), the sources', () => {
  const out = renderNatText(TTY_NO_COLOUR(), report(), liveSnapshot());
  assert.equal(out, TEXT);
  assert.ok(!hasAnsi(out));
});

test('piped: the same header, rows and cells, tab-separated with no padding; the rest as on a terminal', () => {
  const out = renderNatText(PIPED(), report(), liveSnapshot());
  assert.ok(!hasAnsi(out));
  assert.equal(out, pipeFormOf(TEXT, 'PUBLISHED'));
  assert.equal(out.split('\n')[0], 'PUBLISHED\tCONTAINER\tTO\tNETWORK\tBRIDGE\tHOST VETH\tDNAT RULE\tPKTS\tBYTES\tVIA\tNOTE');
});

test('on a terminal: bold headers with colour and the same words; without colour no escape at all', () => {
  const coloured = renderNatText(TTY_COLOUR(), report(), liveSnapshot());
  assert.ok(coloured.startsWith('\u001b[1mPUBLISHED\u001b[22m'), 'bold header');
  assert.equal(stripAnsi(coloured), TEXT);
  assert.equal(renderNatText(TTY_NO_COLOUR(), report(), liveSnapshot()), TEXT);
});

test('NAT rules unavailable: said first, and a mapping without a rule is "?", not "none"', () => {
  const r = { ...report(), available: false, reason: 'iptables needs root (run with sudo)', anomalies: [], notes: [] };
  const out = renderNatText(TTY_NO_COLOUR(), r, savedSnapshot());
  assert.ok(
    out.startsWith(
      'Describes a saved snapshot of host-a (taken 2026-11-28T10:00:00.000Z), loaded from snaps/host-a.tar.gz; not the live host.\n\nNAT rules unavailable: iptables needs root (run with sudo)\n\nPUBLISHED',
    ),
    out,
  );
  assert.match(out, /^\[::\]:5432\/tcp +db +\?:5432 +bridge +docker0 +veth9a\? +\? +- +- +docker-proxy 912/m);
  assert.equal(
    renderNatText(PIPED(), { ...r, mappings: [] }, liveSnapshot()),
    'NAT rules unavailable: iptables needs root (run with sudo)\n\nNo published ports.\n',
  );
});

test('no mapping is "no published ports" only when the container list proves it', () => {
  const none = {
    ...report(),
    mappings: [],
    anomalies: [],
    notes: [],
    publicationsKnown: false,
    publicationsReason: 'the container list is not in the data',
  };
  assert.equal(
    renderNatText(PIPED(), none, liveSnapshot()),
    'No DNAT rule maps a port; whether containers publish any is unknown: the container list is not in the data.\n',
  );
  assert.equal(
    renderNatText(PIPED(), { ...none, available: false, reason: 'iptables needs root (run with sudo)' }, liveSnapshot()),
    'NAT rules unavailable: iptables needs root (run with sudo)\n\nPublished ports unknown: the container list is not in the data, and iptables needs root (run with sudo).\n',
  );
});

test('one port as paths: each path, the rule with where it was read, the hairpin, notes, and who else it reaches', () => {
  const r = report();
  const web = r.mappings[0];
  assert.ok(web);
  web.hairpin = ruleRef({
    chain: 'POSTROUTING',
    number: 3,
    target: 'MASQUERADE',
    text: '-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 8080 -j MASQUERADE',
  });
  web.notes = [{ code: 'host-port-range', hostPorts: '49154-49160', key: '8080/tcp', assumed: 49154 }];
  const out = renderNatPathsText({ ...r, mappings: [web], anomalies: [] }, liveSnapshot());
  assert.equal(
    out,
    `0.0.0.0:49154/tcp -> nat PREROUTING -> DOCKER: DNAT to 172.17.0.2:8080 (pkts 6, bytes 312) -> docker0 -> veth1f00e42 -> web 172.17.0.2:8080
    rule: DOCKER 2 of nat (host/iptables-save.txt): -A DOCKER ! -i docker0 -p tcp -m tcp --dport 49154 -j DNAT --to-destination 172.17.0.2:8080
    hairpin: POSTROUTING 3: -A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 8080 -j MASQUERADE
    note: host port range 49154-49160 for 8080/tcp: the engine picks one; 49154 assumed

Also reached through this port:
  sidecar (shares web's network namespace: --network container:web)

Sources:
  IPv4 nat rules from host/iptables-save.txt
`,
  );
});

test('JSON: schemaVersion 2, the snapshot, and the report as correlated', () => {
  const r = report();
  assert.deepEqual(JSON.parse(JSON.stringify(natJson(r, liveSnapshot()))), {
    schemaVersion: 2,
    snapshot: { source: 'live', location: null, takenAt: null, hostname: null },
    available: true,
    reason: null,
    backend: 'nf_tables',
    publications: { known: true, reason: null },
    // Each path, note and anomaly as correlated (its hops, reason or code, with their facts), and its sentence beside them.
    mappings: JSON.parse(
      JSON.stringify(
        r.mappings.map((m) => ({
          ...m,
          paths: m.paths.map((p) => ({ ...p, text: pathText(p) })),
          notes: m.notes.map((n) => ({ ...n, text: mappingNoteText(n) })),
        })),
      ),
    ),
    anomalies: JSON.parse(JSON.stringify(r.anomalies.map((a) => ({ ...a, text: anomalyText(a) })))),
    notes: r.notes,
    otherNetnsProxies: null,
  });
  const json = natJson(r, liveSnapshot()) as { mappings: { paths: { text: string; hops: unknown[] }[] }[]; anomalies: { text: string }[] };
  assert.equal(
    json.mappings[0]?.paths[0]?.text,
    '0.0.0.0:49154/tcp -> nat PREROUTING -> DOCKER: DNAT to 172.17.0.2:8080 (pkts 6, bytes 312) -> docker0 -> veth1f00e42 -> web 172.17.0.2:8080',
  );
  assert.equal(json.mappings[0]?.paths[0]?.hops.length, 4);
  assert.equal(
    json.anomalies[0]?.text,
    'nat DOCKER rule 4 (0.0.0.0:49160/tcp -> DNAT to 172.17.0.9:80; pkts 6, bytes 312): no container has 172.17.0.9 (unconfirmed: the addresses of db are unknown)',
  );
});
