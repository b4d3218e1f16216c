import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIptablesNatText } from '../../src/parse/iptables-nat-text.js';
import type { NatRule } from '../../src/model/nat-rule.js';
import { fixture, prng, rule } from './helpers.js';
import { holds, issueComplaint, ruleComplaint } from './invariants.js';

const LISTINGS = [
  'seed/iptables-nat.txt',
  'live-debian12-scratch-netns/no-target-iptables-nat-vnL.txt',
  'live-debian12-scratch-netns/no-target-iptables-nat-nL-line-numbers.txt',
  'live-debian12-scratch-netns/no-target-iptables-nat-L.txt',
  'live-debian12-scratch-netns/no-target-ip6tables-nat-vnL.txt',
  'live-debian12-docker20.10/iptables-nat-vnL.txt',
  'live-debian12-docker20.10/iptables-nat-vnxL-line-numbers.txt',
  'live-debian12-docker20.10/iptables-nat-L-v.txt',
  'live-debian12-docker20.10/iptables-nat-nL.txt',
  'live-debian12-docker20.10/ip6tables-nat-vnL.txt',
  'live-debian12-scratch-netns/ip6tables-nat-vnL.txt',
  'live-debian12-scratch-netns/ip6tables-nat-L-v.txt',
  'live-debian12-scratch-netns/ip6tables-legacy-nat-vnL-line-numbers.txt',
  'live-debian12-scratch-netns/iptables-nat-vnL-with-warning.txt',
  'live-debian12-scratch-netns/iptables-legacy-nat-vnL.txt',
  'live-debian12-scratch-netns/iptables-legacy-nat-L.txt',
  'github-issues/mailcow-6068-iptables-nat-L-vn.txt',
  'github-issues/mailcow-3016-iptables-and-ip6tables-nat-L-vn.txt',
  'github-issues/docker-ipv6nat-40-iptables-postrouting.txt',
  'github-issues/docker-ipv6nat-40-ip6tables-postrouting.txt',
  'github-issues/kubernetes-11634-iptables-nat-L-n-v.txt',
  'github-issues/openshift-origin-11920-iptables-nat-L.txt',
  'github-issues/moby-28518-iptables-nat-L-n-line-numbers.txt',
  'github-issues/mailcow-5389-ip6tables-L-vn.txt',
  'github-issues/docker-for-linux-267-iptables-nat-postrouting-vnxL.txt',
];

test('seed: DOCKER rule 2 is DNAT 49154 -> 172.17.0.3:8080 with 6 packets, 312 bytes', () => {
  const { value, issues } = parseIptablesNatText(fixture('seed/iptables-nat.txt'));
  assert.equal(value.family, 'ipv4');
  assert.equal(value.name, 'nat');
  const r = rule(value, 'DOCKER', 2);
  assert.equal(r.target, 'DNAT');
  assert.equal(r.protocol, 'tcp');
  assert.equal(r.packets, 6);
  assert.equal(r.bytes, 312);
  assert.equal(r.countersExact, true);
  assert.equal(r.inInterface, 'docker0');
  assert.equal(r.inNegated, true);
  assert.equal(r.outInterface, null);
  assert.equal(r.source, null);
  assert.equal(r.destination, null);
  assert.deepEqual(r.dport, { from: 49154, to: 49154 });
  assert.deepEqual(r.dnatTo, { ip: '172.17.0.3', port: { from: 8080, to: 8080 } });
  assert.equal(r.matches, 'tcp dpt:49154 to:172.17.0.3:8080');
  assert.equal(r.line, 23);
  assert.match(r.text, /^ {4}6 {3}312 DNAT/);

  const r3 = rule(value, 'DOCKER', 3);
  assert.deepEqual(r3.dport, { from: 49155, to: 49155 });
  assert.deepEqual(r3.dnatTo, { ip: '172.17.0.2', port: { from: 8080, to: 8080 } });

  // Both prompt lines are reported, nothing else.
  assert.deepEqual(
    issues.map((i) => i.line),
    [1, 25],
  );
  assert.ok(issues.every((i) => /prompt/.test(i.reason)));
});

test('seed: chains, policies, references, negations and the masq ports', () => {
  const { value } = parseIptablesNatText(fixture('seed/iptables-nat.txt'));
  assert.deepEqual(
    value.chains.map((c) => [c.name, c.policy, c.packets, c.bytes, c.references]),
    [
      ['PREROUTING', 'ACCEPT', 1, 229, null],
      ['INPUT', 'ACCEPT', 1, 229, null],
      ['OUTPUT', 'ACCEPT', 32, 2368, null],
      ['POSTROUTING', 'ACCEPT', 32, 2368, null],
      ['DOCKER', null, null, null, 2],
    ],
  );
  assert.equal(value.rules.length, 13);
  const out = rule(value, 'OUTPUT', 1);
  assert.equal(out.destination, '127.0.0.0/8');
  assert.equal(out.destinationNegated, true);
  assert.equal(out.matches, 'ADDRTYPE match dst-type LOCAL');
  const masq = rule(value, 'POSTROUTING', 1);
  assert.equal(masq.target, 'MASQUERADE');
  assert.equal(masq.outInterface, 'docker0');
  assert.equal(masq.outNegated, true);
  assert.equal(masq.source, '172.17.0.0/16');
  assert.equal(masq.matches, '');
  const libvirt = rule(value, 'POSTROUTING', 4);
  assert.deepEqual(libvirt.snatTo, { ip: null, port: { from: 1024, to: 65535 } });
  assert.equal(rule(value, 'POSTROUTING', 3).destination, '255.255.255.255');
  assert.equal(rule(value, 'DOCKER', 1).inInterface, 'docker0');
  assert.equal(rule(value, 'DOCKER', 1).inNegated, false);
});

test('nf_tables backend prints numeric protocols: 0 is all, 6 tcp, 17 udp', () => {
  const { value, issues } = parseIptablesNatText(fixture('live-debian12-docker20.10/iptables-nat-vnL.txt'));
  assert.deepEqual(issues, []);
  assert.equal(rule(value, 'PREROUTING', 1).protocol, 'all');
  const udp = rule(value, 'DOCKER', 8);
  assert.equal(udp.protocol, 'udp');
  assert.deepEqual(udp.dport, { from: 5353, to: 5353 });
  assert.deepEqual(udp.dnatTo, { ip: '172.17.0.3', port: { from: 53, to: 53 } });
  const lo = rule(value, 'DOCKER', 5);
  assert.equal(lo.destination, '127.0.0.1');
  assert.deepEqual(lo.dport, { from: 8081, to: 8081 });
  // An interface name wider than its column shifts the rest of the line; tokens still line up.
  const wide = rule(value, 'POSTROUTING', 1);
  assert.equal(wide.outInterface, 'br-33d8b577e114');
  assert.equal(wide.outNegated, true);
  assert.equal(wide.source, '172.30.0.0/24');
  assert.equal(wide.destination, null);
  const br = rule(value, 'DOCKER', 9);
  assert.equal(br.inInterface, 'br-33d8b577e114');
  assert.deepEqual(br.dnatTo, { ip: '172.30.0.2', port: { from: 443, to: 443 } });
});

test('-x --line-numbers and -n without -v give the same rules as -vnL', () => {
  const base = parseIptablesNatText(fixture('live-debian12-docker20.10/iptables-nat-vnL.txt')).value;
  const exact = parseIptablesNatText(fixture('live-debian12-docker20.10/iptables-nat-vnxL-line-numbers.txt'));
  const bare = parseIptablesNatText(fixture('live-debian12-docker20.10/iptables-nat-nL.txt'));
  assert.deepEqual(exact.issues, []);
  assert.deepEqual(bare.issues, []);
  const key = (r: NatRule): string =>
    [r.chain, r.number, r.target, r.protocol, r.source, r.destination, JSON.stringify(r.dport), JSON.stringify(r.dnatTo)].join('|');
  assert.deepEqual(exact.value.rules.map(key), base.rules.map(key));
  assert.deepEqual(bare.value.rules.map(key), base.rules.map(key));
  assert.equal(rule(exact.value, 'DOCKER', 9).number, 9);
  // Without -v there are no counters and no interfaces.
  const b = rule(bare.value, 'DOCKER', 4);
  assert.equal(b.packets, null);
  assert.equal(b.inInterface, null);
  assert.equal(bare.value.chains[0]?.packets, null);
});

test('-L without -n: anywhere, localhost and service names become ports', () => {
  const { value, issues } = parseIptablesNatText(fixture('live-debian12-docker20.10/iptables-nat-L-v.txt'));
  assert.deepEqual(issues, []);
  assert.equal(rule(value, 'PREROUTING', 1).source, null);
  assert.equal(rule(value, 'DOCKER', 1).outInterface, null); // `any`
  const named = rule(value, 'DOCKER', 4);
  assert.equal(named.matches, 'tcp dpt:49154 to:172.17.0.3:8080');
  assert.deepEqual(rule(value, 'POSTROUTING', 3).dport, { from: 8080, to: 8080 }); // dpt:http-alt
  assert.deepEqual(rule(value, 'DOCKER', 5).dport, { from: 8081, to: 8081 }); // dpt:tproxy
  assert.equal(rule(value, 'DOCKER', 5).destination, 'localhost');
  assert.deepEqual(rule(value, 'DOCKER', 7).dport, { from: 7000, to: 7000 }); // dpt:bbs
  assert.deepEqual(rule(value, 'DOCKER', 8).dport, { from: 5353, to: 5353 }); // dpt:mdns
  assert.deepEqual(rule(value, 'DOCKER', 6).dport, { from: 7001, to: 7001 }); // no name: stays a number
  assert.deepEqual(rule(value, 'POSTROUTING', 8).dport, { from: 53, to: 53 }); // dpt:domain
});

test('K and M counters are multiplied by 1000 and marked approximate', () => {
  const { value, issues } = parseIptablesNatText(fixture('github-issues/mailcow-6068-iptables-nat-L-vn.txt'));
  assert.deepEqual(issues, []);
  const pre = value.chains.find((c) => c.name === 'PREROUTING');
  assert.equal(pre?.packets, 1_118_000);
  assert.equal(pre?.bytes, 74_000_000);
  assert.equal(pre?.countersExact, false);
  assert.equal(value.chains.find((c) => c.name === 'INPUT')?.countersExact, true);
  const docker = rule(value, 'PREROUTING', 1);
  assert.equal(docker.packets, 103_000);
  assert.equal(docker.bytes, 5_347_000);
  assert.equal(docker.countersExact, false);
  assert.equal(docker.protocol, 'all');
  const masq = rule(value, 'POSTROUTING', 1);
  assert.equal(masq.packets, 212_000);
  assert.equal(masq.bytes, 16_000_000);
  assert.equal(masq.outInterface, 'br-mailcow');
  assert.equal(rule(value, 'POSTROUTING', 3).protocol, 'tcp');
  assert.deepEqual(rule(value, 'POSTROUTING', 4).dport, { from: 8983, to: 8983 });
});

test('ip6tables with K/M counters filling the column and the legacy warning', () => {
  const { value, issues } = parseIptablesNatText(fixture('github-issues/mailcow-5389-ip6tables-L-vn.txt'), undefined, 'filter');
  assert.deepEqual(issues, []);
  assert.equal(value.family, 'ipv6');
  assert.equal(value.name, 'filter');
  assert.equal(value.origin.legacyTablesPresent, true);
  const first = rule(value, 'FORWARD', 1);
  assert.equal(first.target, 'DOCKER-USER');
  assert.equal(first.packets, 1_450_000);
  assert.equal(first.bytes, 1_429_000_000);
  assert.equal(rule(value, 'FORWARD', 2).target, 'DOCKER-ISOLATION-STAGE-1');
  assert.equal(rule(value, 'FORWARD', 5).packets, 55322);
  const acc = rule(value, 'DOCKER', 1);
  assert.equal(acc.destination, 'fd4d:6169:6c63:6f77::d');
  assert.equal(acc.inInterface, 'br-mailcow');
  assert.equal(acc.inNegated, true);
  assert.equal(acc.outInterface, 'br-mailcow');
  assert.deepEqual(acc.dport, { from: 443, to: 443 });
});

test('ip6tables without an opt value (legacy) and IPv6 DNAT targets', () => {
  const blank = parseIptablesNatText(fixture('github-issues/docker-ipv6nat-40-ip6tables-postrouting.txt'));
  assert.deepEqual(blank.issues, []);
  assert.equal(blank.value.family, 'ipv6');
  const r = rule(blank.value, 'POSTROUTING', 2);
  assert.equal(r.target, 'MASQUERADE');
  assert.equal(r.protocol, 'all');
  assert.equal(r.outInterface, 'dckrDefault');
  assert.equal(r.outNegated, true);
  assert.equal(r.source, 'fddd:0:0:1:/64'); // as the poster wrote it
  assert.equal(r.destination, null);

  const legacy = parseIptablesNatText(fixture('live-debian12-scratch-netns/ip6tables-legacy-nat-vnL-line-numbers.txt'));
  assert.deepEqual(legacy.issues, []);
  assert.equal(legacy.value.family, 'ipv6');
  const dnat = rule(legacy.value, 'DOCKER', 1);
  assert.deepEqual(dnat.dport, { from: 8000, to: 8000 });
  assert.deepEqual(dnat.dnatTo, { ip: 'fd01::2', port: { from: 80, to: 80 } });
  assert.equal(rule(legacy.value, 'POSTROUTING', 2).source, 'fd01::2');

  const named = parseIptablesNatText(fixture('live-debian12-scratch-netns/ip6tables-nat-L-v.txt'));
  assert.deepEqual(named.issues, []);
  assert.equal(named.value.family, 'ipv6'); // from the ip6tables warning
  assert.equal(named.value.origin.legacyTablesPresent, true);
  assert.deepEqual(rule(named.value, 'POSTROUTING', 2).dport, { from: 80, to: 80 }); // dpt:http
});

test('the legacy-tables warning of iptables-nft is read, not reported', () => {
  const { value, issues } = parseIptablesNatText(fixture('live-debian12-scratch-netns/iptables-nat-vnL-with-warning.txt'));
  assert.deepEqual(issues, []);
  assert.equal(value.family, 'ipv4');
  assert.equal(value.origin.legacyTablesPresent, true);
  assert.equal(value.origin.backend, 'nf_tables');
  assert.equal(value.rules.length, 20);
});

test('long targets, comments, a permission error and prompts', () => {
  const { value, issues } = parseIptablesNatText(fixture('github-issues/kubernetes-11634-iptables-nat-L-n-v.txt'));
  assert.deepEqual(
    issues.map((i) => i.line),
    [1, 2, 3, 4],
  );
  assert.match(issues[0]!.reason, /prompt/);
  assert.match(issues[1]!.reason, /message from iptables/);
  const r = rule(value, 'PREROUTING', 2);
  assert.equal(r.target, 'KUBE-NODEPORT-CONTAINER');
  assert.equal(r.packets, 1);
  assert.equal(r.protocol, 'all');
  assert.equal(r.comment, 'handle service NodePorts; NOTE: this must be the last rule in the chain');
  assert.equal(r.matches, 'ADDRTYPE match dst-type LOCAL /* handle service NodePorts; NOTE: this must be the last rule in the chain */');
  assert.equal(rule(value, 'OUTPUT', 1).bytes, 11502);
});

test('-L without -n or -v: anywhere and a network name', () => {
  const { value, issues } = parseIptablesNatText(fixture('github-issues/openshift-origin-11920-iptables-nat-L.txt'));
  assert.deepEqual(issues, []);
  assert.equal(value.rules.length, 7);
  const d = rule(value, 'OUTPUT', 3);
  assert.equal(d.target, 'DOCKER');
  assert.equal(d.source, null);
  assert.equal(d.destination, 'loopback/8');
  assert.equal(d.destinationNegated, true);
  assert.equal(rule(value, 'PREROUTING', 2).target, 'KUBE-PORTALS-CONTAINER');
  assert.equal(rule(value, 'PREROUTING', 1).comment, 'kubernetes service portals');
});

test('--line-numbers without -v, DNAT without dport, a rule before any Chain line', () => {
  const { value, issues } = parseIptablesNatText(fixture('github-issues/moby-28518-iptables-nat-L-n-line-numbers.txt'));
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.line, 1);
  const r = rule(value, 'KUBE-SEP-6I33JIEXBKAT2HG7', 2);
  assert.equal(r.target, 'DNAT');
  assert.equal(r.dport, null);
  assert.deepEqual(r.dnatTo, { ip: '10.0.5.3', port: { from: 50000, to: 50000 } });
  assert.equal(r.comment, 'jenkins/jenkins-discovery:slaves');
  assert.equal(rule(value, 'KUBE-SEP-5FRVR2VU6OTAXTZX', 1).source, '10.0.3.16');
  assert.equal(value.chains.find((c) => c.name === 'KUBE-SEP-CKZHX3VU27ITGFGO')?.references, 1);
});

test('a paste of two listings: orphan rules and the prompt are reported, the ip6tables part is read', () => {
  const { value, issues } = parseIptablesNatText(fixture('github-issues/mailcow-3016-iptables-and-ip6tables-nat-L-vn.txt'));
  assert.deepEqual(
    issues.map((i) => i.line),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  assert.match(issues[7]!.reason, /prompt/);
  assert.equal(value.family, 'ipv6'); // the prompt says ip6tables
  const r = rule(value, 'PREROUTING', 1);
  assert.equal(r.packets, 16621);
  assert.equal(r.bytes, 1_542_000);
  assert.equal(r.target, 'DOCKER');
});

test('an indented paste with exact counters wider than their columns', () => {
  const { value, issues } = parseIptablesNatText(fixture('github-issues/docker-for-linux-267-iptables-nat-postrouting-vnxL.txt'));
  assert.deepEqual(issues, []);
  assert.equal(value.rules.length, 9);
  const r = rule(value, 'POSTROUTING', 8);
  assert.equal(r.packets, 8142);
  assert.equal(r.bytes, 488608);
  assert.equal(r.outInterface, 'br-65d34175f9f4');
  assert.equal(r.outNegated, true);
  assert.equal(r.source, '172.20.0.0/16');
  assert.equal(rule(value, 'POSTROUTING', 3).matches, 'ADDRTYPE match src-type LOCAL');
});

test('a header re-spaced by hand still gives its columns', () => {
  const { value, issues } = parseIptablesNatText(fixture('github-issues/docker-ipv6nat-40-iptables-postrouting.txt'));
  assert.deepEqual(issues, []);
  assert.equal(rule(value, 'POSTROUTING', 3).outInterface, 'dckrMyNet');
  assert.equal(rule(value, 'POSTROUTING', 4).source, '172.25.2.0/24');
});

test('a rule with no target keeps its columns (-vnL, -nL --line-numbers, -L, ip6tables)', () => {
  const v = parseIptablesNatText(fixture('live-debian12-scratch-netns/no-target-iptables-nat-vnL.txt'));
  assert.deepEqual(v.issues, []);
  const r = rule(v.value, 'DOCKER', 3);
  assert.equal(r.target, '');
  assert.equal(r.protocol, 'tcp');
  assert.equal(r.inInterface, null);
  assert.deepEqual(r.dport, { from: 49154, to: 49154 });
  assert.equal(r.dnatTo, null);
  const post = rule(v.value, 'POSTROUTING', 10);
  assert.equal(post.target, '');
  assert.equal(post.protocol, 'all');
  assert.equal(post.outInterface, 'docker0');
  assert.equal(post.outNegated, true);
  assert.equal(post.source, '172.17.0.0/16');
  assert.equal(rule(v.value, 'DOCKER', 5).target, 'DNAT');

  const n = parseIptablesNatText(fixture('live-debian12-scratch-netns/no-target-iptables-nat-nL-line-numbers.txt'));
  assert.deepEqual(n.issues, []);
  assert.equal(rule(n.value, 'POSTROUTING', 10).target, '');
  assert.equal(rule(n.value, 'POSTROUTING', 10).source, '172.17.0.0/16');
  assert.equal(rule(n.value, 'DOCKER', 3).target, '');
  assert.equal(rule(n.value, 'DOCKER', 4).target, 'DNAT');

  const l = parseIptablesNatText(fixture('live-debian12-scratch-netns/no-target-iptables-nat-L.txt'));
  assert.deepEqual(l.issues, []);
  assert.equal(rule(l.value, 'DOCKER', 3).target, '');
  assert.deepEqual(rule(l.value, 'DOCKER', 3).dport, { from: 49154, to: 49154 });
  assert.equal(rule(l.value, 'POSTROUTING', 10).target, '');

  const six = parseIptablesNatText(fixture('live-debian12-scratch-netns/no-target-ip6tables-nat-vnL.txt'));
  assert.deepEqual(six.issues, []);
  assert.equal(six.value.family, 'ipv6');
  assert.equal(rule(six.value, 'DOCKER', 1).target, '');
  assert.deepEqual(rule(six.value, 'DOCKER', 2).dnatTo, { ip: 'fd01::2', port: { from: 80, to: 80 } });
});

test('every listing fixture parses without internal errors', () => {
  for (const f of LISTINGS) {
    const { value, issues } = parseIptablesNatText(fixture(f));
    assert.ok(value.chains.length > 0, `${f}: no chains`);
    assert.ok(!issues.some((i) => /internal error/.test(i.reason)), `${f}: ${JSON.stringify(issues)}`);
    for (const r of value.rules) {
      assert.ok(r.number >= 1, `${f}: rule number`);
      assert.ok(r.protocol !== null && r.protocol !== '', `${f}: protocol of line ${r.line}`);
    }
  }
});

/** Parses and checks what holds for any input: issue lines within it, no crash, every rule a chain, a number >= 1, its own line. */
function parsedWell(text: string, what: string): ReturnType<typeof parseIptablesNatText> {
  const parsed = parseIptablesNatText(text);
  holds(issueComplaint(text, parsed.issues), what);
  holds(ruleComplaint([parsed.value], { numbers: 'listed', lines: text.split(/\r?\n|\r/), chainsDeclared: true }), what);
  return parsed;
}

test('truncated, shuffled and random input never throws, and what it reads holds the invariants of a listing', () => {
  const rnd = prng(20261128);
  for (const f of LISTINGS) {
    const text = fixture(f);
    const full = new Set(parsedWell(text, f).value.rules.map((r) => r.text));
    for (let k = 0; k < 40; k += 1) {
      const cut = Math.floor(rnd() * text.length);
      const head = parsedWell(text.slice(0, cut), `${f} cut at ${cut}`);
      // Only the last line can be cut inside a rule; any other rule read is one of the whole listing's.
      const last = text.slice(0, cut).split('\n').length;
      for (const r of head.value.rules) assert.ok(full.has(r.text) || r.line === last, `${f} cut at ${cut}: invented ${r.text}`);
      parsedWell(text.slice(cut), `${f} from ${cut}`);
    }
    const lines = text.split('\n');
    for (let k = lines.length - 1; k > 0; k -= 1) {
      const j = Math.floor(rnd() * (k + 1));
      [lines[k], lines[j]] = [lines[j]!, lines[k]!];
    }
    parsedWell(lines.join('\n'), `${f} shuffled`);
  }
  const alphabet = ' \t\n!*:/-.0123456789KMGChainpolicyreferencestargetprotoptinoutsourcedestinationDNATto:[]()#$';
  for (let k = 0; k < 300; k += 1) {
    let s = '';
    const n = Math.floor(rnd() * 400);
    for (let c = 0; c < n; c += 1) s += alphabet[Math.floor(rnd() * alphabet.length)];
    const r = parsedWell(s, JSON.stringify(s));
    if (r.value.rules.length === 0 && r.value.chains.length === 0 && s.trim() !== '')
      assert.ok(r.issues.length > 0, `nothing read and nothing said about ${JSON.stringify(s)}`);
  }
  assert.deepEqual(parseIptablesNatText('').value.rules, []);
  assert.deepEqual(parseIptablesNatText(undefined as unknown as string).value.rules, []);
});

test('a rule number or counter too large to hold exactly is never read as a nearby number', () => {
  const header = 'num   pkts bytes target     prot opt in     out     source               destination';
  const text = [
    'Chain DOCKER (policy ACCEPT 9007199254740993 packets, 0 bytes)',
    header,
    '1     9007199254740993 0 RETURN     all  --  docker0 *       0.0.0.0/0            0.0.0.0/0',
    '2     9007199254741G 0 RETURN     all  --  docker0 *       0.0.0.0/0            0.0.0.0/0',
    '999999999999999999999999999999 0 0 RETURN     all  --  docker0 *       0.0.0.0/0            0.0.0.0/0',
    '',
  ].join('\n');
  const { value, issues } = parseIptablesNatText(text);
  assert.equal(value.chains[0]?.packets, null);
  assert.deepEqual(
    value.rules.map((r) => [r.number, r.packets, r.bytes]),
    [
      [1, null, 0],
      [2, null, 0],
    ],
  );
  assert.deepEqual(
    issues.map((i) => [i.line, i.reason]),
    [
      [1, 'a counter too large to hold exactly: left unknown'],
      [3, 'a counter too large to hold exactly: left unknown'],
      [4, 'a counter too large to hold exactly: left unknown'],
      [5, 'not a rule line: expected a rule number (1 or more) in the num column'],
    ],
  );
});
