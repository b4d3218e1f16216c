import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpAddrText } from '../../src/parse/ip-addr-text.js';
import type { Link } from '../../src/model/link.js';
import { fixture } from './helpers.js';
import { holds, issueComplaint, linkComplaint, textLinkComplaint } from './invariants.js';

function byName(links: Link[], name: string): Link {
  const link = links.find((l) => l.name === name);
  assert.ok(link, `no link named ${name}`);
  return link;
}

const TEXT_FIXTURES = [
  'seed/host-ip-addr-before.txt',
  'seed/host-ip-addr.txt',
  'seed/tomcat01-ip-addr.txt',
  'live-debian12-docker20.10/host-ip-addr.txt',
  'live-debian12-docker20.10/host-ip-d-link.txt',
  'live-debian12-docker20.10/host-ip-d-addr.txt',
  'live-debian12-docker20.10/container-nsenter-ip-addr.txt',
  'live-debian12-docker20.10/container-nsenter-ip-d-link.txt',
  'live-debian12-docker20.10/container-busybox-ip-addr.txt',
  'live-debian12-lab-netns/ip-addr.txt',
  'live-debian12-lab-netns/ip-d-link.txt',
  'live-debian12-lab-netns/ip-d-addr.txt',
  'live-debian12-lab-netns/busybox-ip-addr.txt',
  'live-debian12-lab-netns/busybox-ip-link.txt',
  'live-debian12-named-netns/host-ip-addr.txt',
  'live-debian12-named-netns/host-ip-d-link.txt',
  'github-links-bridges/yanlele-node-index-69-ip-link.txt',
  'github-links-bridges/util-vserver-25-netns-ip-link.txt',
  'github-links-bridges/systeminformation-186-ip-link-list-partial.txt',
  'github-links-bridges/mininet-831-ip-d-link-show-partial.txt',
  'live-debian12-lab-host/ip-addr.txt',
  'live-debian12-lab-host/ip-d-addr.txt',
  'live-debian12-lab-host/ip-o-link.txt',
];

test('seed host: veth peers, netns ids and masters from the pasted `ip addr`', () => {
  const { value, issues } = parseIpAddrText(fixture('seed/host-ip-addr.txt'));
  assert.deepEqual(
    value.map((l) => l.ifindex),
    [1, 2, 3, 4, 5, 9, 11],
  );
  const v11 = byName(value, 'veth1f00e42');
  assert.equal(v11.ifindex, 11);
  assert.equal(v11.peerIfindex, 10);
  assert.equal(v11.peerName, null);
  assert.equal(v11.linkNetnsId, 0);
  assert.equal(v11.master, 'docker0');
  assert.equal(v11.mac, '9e:71:e9:ab:e6:8e');
  const v9 = byName(value, 'vethd4ac7ba');
  assert.equal(v9.ifindex, 9);
  assert.equal(v9.peerIfindex, 8);
  assert.equal(v9.linkNetnsId, 1);
  assert.equal(v9.master, 'docker0');
  assert.deepEqual(v9.addresses, [{ family: 'inet6', address: 'fe80::9cdd:50ff:fef2:d3ae', prefixlen: 64, scope: 'link' }]);
  const nic = byName(value, 'virbr0-nic');
  assert.equal(nic.master, 'virbr0');
  assert.equal(nic.state, 'DOWN');
  assert.deepEqual(nic.flags, ['BROADCAST', 'MULTICAST']);
  const docker0 = byName(value, 'docker0');
  assert.deepEqual(
    docker0.addresses.map((a) => `${a.address}/${a.prefixlen}`),
    ['172.17.0.1/16', 'fe80::42:c5ff:fee1:d85b/64'],
  );
  assert.equal(docker0.kind, null, 'plain `ip addr` does not say the kind');
  const ens33 = byName(value, 'ens33');
  assert.deepEqual(ens33.addresses[0], { family: 'inet', address: '192.168.5.102', prefixlen: 24, scope: 'global' });
  // The two prompt lines are reported, with their line numbers, and nothing else is.
  assert.deepEqual(
    issues.map((i) => [i.line, i.text]),
    [
      [1, '[root@192 ~]# ip addr'],
      [34, '[root@192 ~]#'],
    ],
  );
});

test('seed host before any container: docker0 has no carrier', () => {
  const { value, issues } = parseIpAddrText(fixture('seed/host-ip-addr-before.txt'));
  assert.deepEqual(
    value.map((l) => l.name),
    ['lo', 'ens33', 'virbr0', 'virbr0-nic', 'docker0'],
  );
  assert.deepEqual(byName(value, 'docker0').flags, ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP']);
  assert.equal(byName(value, 'lo').state, 'UNKNOWN');
  assert.equal(byName(value, 'lo').mtu, 65536);
  assert.equal(issues.length, 2);
});

test('seed tomcat01: eth0@if11 is ifindex 10 with 172.17.0.2/16', () => {
  const { value, issues } = parseIpAddrText(fixture('seed/tomcat01-ip-addr.txt'));
  const eth0 = byName(value, 'eth0');
  assert.equal(eth0.ifindex, 10);
  assert.equal(eth0.peerIfindex, 11);
  assert.equal(eth0.linkNetnsId, null, 'the iproute2 in tomcat:8.0 printed no link-netnsid');
  assert.deepEqual(eth0.addresses, [{ family: 'inet', address: '172.17.0.2', prefixlen: 16, scope: 'global' }]);
  assert.deepEqual(
    issues.map((i) => i.line),
    [1, 10],
  );
  assert.match(issues[0]?.reason ?? '', /prompt/);
});

test('live host: every veth keeps its peer index and netns id; -d gives the kind', () => {
  const plain = parseIpAddrText(fixture('live-debian12-docker20.10/host-ip-addr.txt'));
  const detailed = parseIpAddrText(fixture('live-debian12-docker20.10/host-ip-d-link.txt'));
  assert.deepEqual(plain.issues, []);
  assert.deepEqual(detailed.issues, []);
  const veth = byName(plain.value, 'veth73d8699');
  assert.deepEqual([veth.ifindex, veth.peerIfindex, veth.linkNetnsId, veth.master], [16, 15, 3, 'docker0']);
  assert.equal(byName(plain.value, 'veth58d52e1').master, 'br-33d8b577e114');
  assert.deepEqual(
    detailed.value.map((l) => [l.name, l.kind]),
    [
      ['lo', null],
      ['ifb0', 'ifb'],
      ['ifb1', 'ifb'],
      ['eth0', null],
      ['docker0', 'bridge'],
      ['vethca9a47f', 'veth'],
      ['veth0d1506b', 'veth'],
      ['br-33d8b577e114', 'bridge'],
      ['veth58d52e1', 'veth'],
      ['veth73d8699', 'veth'],
    ],
  );
  // `ip -d addr` has both the kind and the addresses.
  const both = parseIpAddrText(fixture('live-debian12-docker20.10/host-ip-d-addr.txt'));
  assert.deepEqual(both.issues, []);
  const eth0 = byName(both.value, 'eth0');
  assert.deepEqual(
    eth0.addresses.map((a) => `${a.address}/${a.prefixlen} ${a.scope}`),
    ['192.0.2.2/24 global', 'fd00::2/64 global', 'fe80::fc:ff:fe00:1/64 link'],
  );
  assert.equal(byName(both.value, 'docker0').kind, 'bridge');
});

test('live container: iproute2 via nsenter and busybox `ip` read the same eth0', () => {
  const iproute = parseIpAddrText(fixture('live-debian12-docker20.10/container-nsenter-ip-addr.txt'));
  const busybox = parseIpAddrText(fixture('live-debian12-docker20.10/container-busybox-ip-addr.txt'));
  assert.deepEqual(iproute.issues, []);
  assert.deepEqual(busybox.issues, []);
  const a = byName(iproute.value, 'eth0');
  const b = byName(busybox.value, 'eth0');
  assert.deepEqual([a.ifindex, a.peerIfindex, a.linkNetnsId, a.state], [15, 16, 0, 'UP']);
  // busybox prints neither state nor link-netnsid, and flags the unseen peer M-DOWN.
  assert.deepEqual([b.ifindex, b.peerIfindex, b.linkNetnsId, b.state], [15, 16, null, null]);
  assert.ok(b.flags.includes('M-DOWN'));
  assert.deepEqual(a.addresses, b.addresses);
  assert.equal(byName(parseIpAddrText(fixture('live-debian12-docker20.10/container-nsenter-ip-d-link.txt')).value, 'eth0').kind, 'veth');
});

test('lab netns: same-namespace peers by name, macvlan/vxlan kinds, secondary and dynamic addresses', () => {
  const { value, issues } = parseIpAddrText(fixture('live-debian12-lab-netns/ip-d-addr.txt'));
  assert.deepEqual(issues, []);
  const vethA = byName(value, 'vethA');
  assert.deepEqual([vethA.peerName, vethA.peerIfindex, vethA.kind], ['vethB', 2, 'veth']);
  assert.deepEqual(
    vethA.addresses.map((a) => a.address),
    ['10.99.0.1', '10.99.0.2'],
  );
  const vethB = byName(value, 'vethB');
  assert.deepEqual([vethB.peerName, vethB.peerIfindex, vethB.master], ['vethA', 3, 'br-lab']);
  assert.equal(vethB.kind, 'veth', 'the bridge_slave line is not the kind');
  const macvlan = byName(value, 'macvlan0');
  assert.deepEqual([macvlan.peerName, macvlan.peerIfindex, macvlan.kind], ['vethA', 3, 'macvlan']);
  assert.deepEqual(macvlan.addresses, [{ family: 'inet', address: '10.98.0.1', prefixlen: 24, scope: 'global' }]);
  assert.deepEqual([byName(value, 'mv-eth0').peerIfindex, byName(value, 'mv-eth0').peerName], [15, 'eth0']);
  const vxlan = byName(value, 'vxlan42');
  assert.deepEqual([vxlan.kind, vxlan.state, vxlan.mtu, vxlan.peerIfindex], ['vxlan', 'DOWN', 1450, null]);
  assert.equal(byName(value, 'br-lab').kind, 'bridge');
  // altname and lifetime lines add no links.
  assert.equal(value.length, 8);
  const busybox = parseIpAddrText(fixture('live-debian12-lab-netns/busybox-ip-addr.txt'));
  assert.deepEqual(busybox.issues, []);
  assert.deepEqual(
    busybox.value.map((l) => [l.name, l.peerIfindex]),
    value.map((l) => [l.name, l.peerIfindex]),
  );
});

test('named peer namespace: link-netns NAME is kept, linkNetnsId stays null', () => {
  const { value, issues } = parseIpAddrText(fixture('live-debian12-named-netns/host-ip-addr.txt'));
  assert.deepEqual(issues, []);
  const named = byName(value, 'veth73d8699');
  assert.deepEqual([named.peerIfindex, named.linkNetnsId, named.linkNetnsName], [15, null, 'docknet-parsers-bb']);
  const numbered = byName(value, 'veth58d52e1');
  assert.deepEqual([numbered.linkNetnsId, numbered.linkNetnsName], [2, undefined]);
});

test('github pastes: prompts reported, same-netns veth pair, old `@if3` without netns id', () => {
  const vagrant = parseIpAddrText(fixture('github-links-bridges/yanlele-node-index-69-ip-link.txt'));
  assert.deepEqual(
    vagrant.issues.map((i) => i.line),
    [1, 2],
  );
  const t2 = byName(vagrant.value, 'veth-test2');
  assert.deepEqual([t2.ifindex, t2.peerName, t2.peerIfindex, t2.state], [5, 'veth-test1', 6, 'DOWN']);
  assert.ok(t2.flags.includes('M-DOWN'));
  const vserver = parseIpAddrText(fixture('github-links-bridges/util-vserver-25-netns-ip-link.txt'));
  assert.equal(vserver.issues.length, 1);
  const geth0 = byName(vserver.value, 'geth0');
  assert.deepEqual([geth0.ifindex, geth0.peerIfindex, geth0.peerName, geth0.linkNetnsId, geth0.mtu], [7, 3, null, null, 9000]);
});

test('github pastes: @NONE tunnels have no peer; openvswitch_slave is not a kind', () => {
  const unraid = parseIpAddrText(fixture('github-links-bridges/systeminformation-186-ip-link-list-partial.txt'));
  assert.deepEqual(
    unraid.issues.map((i) => i.line),
    [1],
  );
  assert.deepEqual(
    unraid.value.map((l) => [l.name, l.peerIfindex, l.peerName]),
    [
      ['lo', null, null],
      ['tunl0', null, null],
      ['gre0', null, null],
      ['gretap0', null, null],
      ['erspan0', null, null],
    ],
  );
  assert.equal(byName(unraid.value, 'tunl0').mac, null, 'link/ipip carries an IPv4 address, not a MAC');
  const mininet = parseIpAddrText(fixture('github-links-bridges/mininet-831-ip-d-link-show-partial.txt'));
  assert.deepEqual(
    mininet.issues.map((i) => i.line),
    [1],
  );
  const s2 = byName(mininet.value, 's2-eth4');
  assert.deepEqual([s2.kind, s2.master, s2.peerName, s2.peerIfindex], ['veth', 'ovs-system', 's1-eth1', 5]);
  assert.equal(byName(mininet.value, 'eth0').kind, null, 'generic -d attributes are not a kind');
});

test('two listings pasted together: repeated ifindexes and names are reported', () => {
  const before = fixture('seed/host-ip-addr-before.txt');
  const after = fixture('seed/host-ip-addr.txt');
  const { value, issues } = parseIpAddrText(`${before}\n${after}`);
  assert.equal(value.length, 12);
  const repeated = issues.filter((i) => i.line === 0).map((i) => i.text);
  assert.deepEqual(repeated.sort(), [
    'docker0',
    'ens33',
    'ifindex 1',
    'ifindex 2',
    'ifindex 3',
    'ifindex 4',
    'ifindex 5',
    'lo',
    'virbr0',
    'virbr0-nic',
  ]);
});

test('a paste without its final newline is flagged only when the last line carried data', () => {
  const text = fixture('live-debian12-docker20.10/host-ip-addr.txt');
  // Ends with a lifetime line: nothing of value can have been lost.
  assert.deepEqual(parseIpAddrText(text.trimEnd()).issues, []);
  const at = text.indexOf(' mtu 1500', text.indexOf('16: veth73d8699@if15'));
  const header = text.slice(0, at + ' mtu 15'.length);
  const { value, issues } = parseIpAddrText(header);
  assert.equal(value.at(-1)?.mtu, 15);
  assert.deepEqual(
    issues.map((i) => i.reason),
    ['no newline after the last line: it may be cut short'],
  );
});

test('no fixture yields a name with @, : or whitespace, or a name taken from lifetime lines', () => {
  for (const path of TEXT_FIXTURES) {
    const { value, issues } = parseIpAddrText(fixture(path));
    assert.ok(value.length > 0, path);
    for (const link of value) {
      assert.doesNotMatch(link.name, /[@:\s]/, `${path}: ${link.name}`);
      assert.ok(!['valid_lft', 'preferred_lft', 'forever', 'inet', 'inet6', 'link'].includes(link.name), `${path}: ${link.name}`);
      assert.ok(Number.isSafeInteger(link.ifindex) && link.ifindex > 0);
    }
    const lines = fixture(path).split('\n').length;
    for (const i of issues) assert.ok(i.line >= 0 && i.line <= lines, `${path}: issue line ${i.line}`);
  }
});

test('CRLF input parses like LF input', () => {
  for (const path of TEXT_FIXTURES) {
    const text = fixture(path);
    const lf = parseIpAddrText(text);
    const crlf = parseIpAddrText(text.replace(/\n/g, '\r\n'));
    assert.deepEqual(crlf.value, lf.value, path);
    assert.deepEqual(
      crlf.issues.map((i) => i.line),
      lf.issues.map((i) => i.line),
      path,
    );
  }
});

// A small deterministic PRNG so failures can be replayed.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Parses and checks what holds for any input: issue lines within it, no crash, every link an index, a kernel name and its header line. */
function parsedWell(text: string, what: string): ReturnType<typeof parseIpAddrText> {
  const parsed = parseIpAddrText(text);
  holds(
    issueComplaint(text, parsed.issues) ?? linkComplaint(parsed.value) ?? textLinkComplaint(parsed.value, text.split(/\r?\n|\r/)),
    what,
  );
  return parsed;
}

test('shuffled, truncated and garbage input never throws, never invents a link, and every link read is well formed', () => {
  const rand = prng(42);
  for (const path of TEXT_FIXTURES) {
    const text = fixture(path);
    const real = new Set(parseIpAddrText(text).value.map((l) => `${l.ifindex}:${l.name}`));
    const lines = text.split('\n');
    for (let round = 0; round < 20; round++) {
      const shuffled = [...lines].sort(() => rand() - 0.5).join('\n');
      const cut = text.slice(0, Math.floor(rand() * text.length));
      for (const input of [shuffled, cut]) {
        const parsed = parsedWell(input, `${path} (round ${round})`);
        // A cut can only damage the last line, and then the parser says so.
        const flagged = parsed.issues.some((i) => /cut short/.test(i.reason));
        for (const l of parsed.value) assert.ok(real.has(`${l.ifindex}:${l.name}`) || flagged, `${path}: ${l.name}`);
      }
    }
  }
  const bytes = Array.from({ length: 20000 }, () => String.fromCharCode(Math.floor(rand() * 256))).join('');
  const garbage = parsedWell(bytes, 'random bytes');
  assert.ok(garbage.issues.length > 0, 'random bytes read as nothing, and nothing said');
  const huge = `1: ${'a'.repeat(1_000_000)}: <UP> mtu 1500\n    ${'inet '.repeat(200_000)}\n${'9'.repeat(500_000)}`;
  const parsed = parseIpAddrText(huge);
  assert.equal(parsed.value.length, 0, 'no kernel link name is a million characters long');
  assert.deepEqual(
    parsed.issues.map((i) => i.line),
    [1, 2, 3],
  );
  assert.ok(parsed.issues.every((i) => i.text.length <= 201));
  assert.deepEqual(parseIpAddrText(''), { value: [], issues: [] });
});

test('lab host: a container on two networks has two veths with the same netns id', () => {
  const { value, issues } = parseIpAddrText(fixture('live-debian12-lab-host/ip-d-addr.txt'));
  assert.deepEqual(issues, []);
  const seven = value.filter((l) => l.linkNetnsId === 7).map((l) => [l.name, l.peerIfindex, l.master]);
  assert.deepEqual(seven, [
    ['vethcaf523f', 105, 'dnlab0'],
    ['veth2aa588c', 107, 'br-ebc43d587153'],
  ]);
  assert.equal(byName(value, 'dnlab-dummy0').kind, 'bridge', 'the kind comes from -d, not from the name');
  assert.equal(byName(value, 'dnlab-dummy0').state, 'UNKNOWN');
  assert.deepEqual(
    value.filter((l) => l.master === 'docker_gwbridge').map((l) => l.name),
    ['veth61b5ff1', 'veth84c7202', 'veth8cdd26b'],
  );
});

test('`ip -o link` (one line per link) reads like the multi-line output', () => {
  const oneline = parseIpAddrText(fixture('live-debian12-lab-host/ip-o-link.txt'));
  assert.deepEqual(oneline.issues, []);
  const full = parseIpAddrText(fixture('live-debian12-lab-host/ip-d-addr.txt')).value;
  assert.deepEqual(
    oneline.value,
    full.map((l) => ({ ...l, kind: null, addresses: [] })),
  );
});

test('`ip -o addr` is not understood: one issue per line and no link invented', () => {
  const text = fixture('live-debian12-lab-host/ip-o-addr.txt');
  const { value, issues } = parseIpAddrText(text);
  assert.deepEqual(value, []);
  assert.equal(issues.length, text.trimEnd().split('\n').length);
});

test('an ifindex, peer @ifN or link-netnsid the kernel cannot give is reported, never rounded', () => {
  const text = [
    '15: eth0@if9007199254740993: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
    '    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
    '2147483648: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
    '16: veth1@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default ',
    '    link/ether 02:42:ac:11:00:03 brd ff:ff:ff:ff:ff:ff link-netnsid 4294967296',
    '',
  ].join('\n');
  const { value, issues } = parseIpAddrText(text);
  assert.deepEqual(
    value.map((l) => [l.ifindex, l.name, l.peerIfindex, l.linkNetnsId]),
    [[16, 'veth1', 4, null]],
  );
  assert.deepEqual(
    issues.map((i) => [i.line, i.reason]),
    [
      [1, 'peer ifindex @if9007199254740993 out of range'],
      [2, 'belongs to a link whose header was not understood'],
      [3, 'ifindex 2147483648 out of range'],
      [5, 'link-netnsid 4294967296 out of range'],
    ],
  );
});
