import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIptablesSave } from '../../src/parse/iptables-save.js';
import { parseIptablesNatText } from '../../src/parse/iptables-nat-text.js';
import type { NatRule, NatTable } from '../../src/model/nat-rule.js';
import { fixture, prng, rule } from './helpers.js';
import { holds, ruleParseComplaint } from './invariants.js';

function table(tables: NatTable[], name: string): NatTable {
  const t = tables.find((x) => x.name === name);
  assert.ok(t, `no table ${name}`);
  return t;
}

const DUMPS = [
  'live-debian12-docker20.10/iptables-save.txt',
  'live-debian12-docker20.10/iptables-save-c.txt',
  'live-debian12-docker20.10/ip6tables-save.txt',
  'live-debian12-scratch-netns/iptables-save-with-warning.txt',
  'live-debian12-scratch-netns/ip6tables-save-c-with-warning.txt',
  'live-debian12-scratch-netns/iptables-legacy-save.txt',
  'live-debian12-scratch-netns/no-target-iptables-save-nat.txt',
  'live-debian12-scratch-netns/no-target-ip6tables-save-nat.txt',
  'github-issues/moby-10270-iptables-save-c.txt',
  'github-issues/exadata-12-iptables-save-nat.txt',
  'github-issues/kafka-docker-playground-8807-iptables-save.txt',
  'github-issues/docker-ipv6nat-34-ip6tables-save.txt',
  'github-issues/kubernetes-75893-iptables-save-nat-excerpt.txt',
  'github-issues/kubernetes-61005-iptables-save-nat.txt',
  'github-issues/moby-49518-iptables-save.txt',
];

test('live iptables-save: three tables, Docker DNAT rules counted per chain', () => {
  const { value, issues } = parseIptablesSave(fixture('live-debian12-docker20.10/iptables-save.txt'));
  assert.deepEqual(issues, []);
  assert.deepEqual(
    value.map((t) => t.name),
    ['mangle', 'filter', 'nat'],
  );
  const nat = table(value, 'nat');
  assert.equal(nat.family, 'ipv4');
  assert.deepEqual(nat.origin, { tool: 'iptables-save', version: '1.8.9', backend: 'nf_tables', legacyTablesPresent: false });
  const r = rule(nat, 'DOCKER', 4);
  assert.equal(r.target, 'DNAT');
  assert.equal(r.protocol, 'tcp');
  assert.equal(r.inInterface, 'docker0');
  assert.equal(r.inNegated, true);
  assert.deepEqual(r.dport, { from: 49154, to: 49154 });
  assert.deepEqual(r.dnatTo, { ip: '172.17.0.3', port: { from: 8080, to: 8080 } });
  assert.equal(r.matches, '-m tcp --dport 49154 -j DNAT --to-destination 172.17.0.3:8080');
  assert.equal(r.text, '-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49154 -j DNAT --to-destination 172.17.0.3:8080');
  assert.equal(r.packets, null);
  const lo = rule(nat, 'DOCKER', 5);
  assert.equal(lo.destination, '127.0.0.1'); // -d 127.0.0.1/32
  const pre = rule(nat, 'PREROUTING', 1);
  assert.equal(pre.matches, '-m addrtype --dst-type LOCAL -j DOCKER');
  const out = rule(nat, 'OUTPUT', 1);
  assert.equal(out.destination, '127.0.0.0/8');
  assert.equal(out.destinationNegated, true);
  const masq = rule(nat, 'POSTROUTING', 2);
  assert.equal(masq.target, 'MASQUERADE');
  assert.equal(masq.source, '172.17.0.0/16');
  assert.equal(masq.outInterface, 'docker0');
  assert.equal(masq.outNegated, true);
  const docker = nat.chains.find((c) => c.name === 'DOCKER');
  assert.equal(docker?.policy, null);
  assert.equal(docker?.references, 2); // PREROUTING and OUTPUT jump to it
  assert.equal(nat.chains.find((c) => c.name === 'PREROUTING')?.policy, 'ACCEPT');
  assert.equal(nat.chains.find((c) => c.name === 'PREROUTING')?.references, null);
  assert.equal(table(value, 'filter').chains.find((c) => c.name === 'FORWARD')?.policy, 'DROP');
  assert.equal(table(value, 'filter').rules.length, 24);
});

test('the same rules as iptables -L reads them', () => {
  const save = table(parseIptablesSave(fixture('live-debian12-docker20.10/iptables-save.txt')).value, 'nat');
  const list = parseIptablesNatText(fixture('live-debian12-docker20.10/iptables-nat-vnL.txt')).value;
  const key = (r: NatRule): string =>
    [
      r.chain,
      r.number,
      r.target,
      r.protocol,
      r.inNegated,
      r.inInterface,
      r.outNegated,
      r.outInterface,
      r.sourceNegated,
      r.source,
      r.destinationNegated,
      r.destination,
      JSON.stringify(r.dport),
      JSON.stringify(r.dnatTo),
    ].join('|');
  assert.deepEqual(save.rules.map(key), list.rules.map(key));
});

test('iptables-save -c: [pkts:bytes] before rules and chain counters', () => {
  const { value, issues } = parseIptablesSave(fixture('github-issues/moby-10270-iptables-save-c.txt'));
  // The excerpt stops inside the nat table: reported, the rules read so far kept.
  assert.equal(issues.length, 1);
  assert.match(issues[0]!.reason, /no COMMIT/);
  const raw = table(value, 'raw');
  assert.equal(raw.origin.version, '1.4.21');
  assert.equal(raw.origin.backend, null);
  assert.equal(raw.chains[0]?.packets, 3_747_724_971);
  assert.equal(raw.chains[0]?.bytes, 3_371_846_036_769);
  const notrack = rule(raw, 'PREROUTING', 1);
  assert.equal(notrack.target, 'CT');
  assert.deepEqual(notrack.dport, { from: 10000, to: 19999 });
  assert.equal(notrack.packets, 6_709_926);
  assert.deepEqual(rule(raw, 'OUTPUT', 1).sport, { from: 10000, to: 19999 });
  const nat = table(value, 'nat');
  const pre = rule(nat, 'PREROUTING', 1);
  assert.equal(pre.packets, 78_210_471);
  assert.equal(pre.bytes, 4_692_629_836);
  assert.equal(pre.countersExact, true);
  assert.equal(nat.rules.filter((r) => r.chain === 'POSTROUTING').length, 6);

  const live = table(parseIptablesSave(fixture('live-debian12-docker20.10/iptables-save-c.txt')).value, 'nat');
  assert.equal(rule(live, 'DOCKER', 4).packets, 0);
  assert.match(rule(live, 'DOCKER', 4).text, /^\[0:0\] -A DOCKER /);
});

test('xtables-nft warning and generator: legacy tables present', () => {
  const { value, issues } = parseIptablesSave(fixture('live-debian12-scratch-netns/iptables-save-with-warning.txt'));
  assert.deepEqual(issues, []);
  const nat = table(value, 'nat');
  assert.deepEqual(nat.origin, { tool: 'iptables-nft-save', version: '1.8.9', backend: 'nf_tables', legacyTablesPresent: true });
  assert.equal(nat.rules.length, 20);
  const legacy = parseIptablesSave(fixture('live-debian12-scratch-netns/iptables-legacy-save.txt'));
  assert.deepEqual(legacy.issues, []);
  assert.deepEqual(table(legacy.value, 'nat').origin, {
    tool: 'iptables-save',
    version: '1.8.9',
    backend: null,
    legacyTablesPresent: false,
  });
});

test('ip6tables-save: family from the tool name, bracketed DNAT addresses', () => {
  const six = parseIptablesSave(fixture('live-debian12-scratch-netns/ip6tables-save-c-with-warning.txt'));
  assert.deepEqual(six.issues, []);
  const nat = table(six.value, 'nat');
  assert.equal(nat.family, 'ipv6');
  assert.equal(nat.origin.legacyTablesPresent, true);
  const dnat = rule(nat, 'DOCKER', 1);
  assert.equal(dnat.family, 'ipv6');
  assert.deepEqual(dnat.dnatTo, { ip: 'fd01::2', port: { from: 80, to: 80 } });
  assert.deepEqual(dnat.dport, { from: 8000, to: 8000 });
  assert.equal(rule(nat, 'POSTROUTING', 2).source, 'fd01::2'); // fd01::2/128

  // xtables-save 1.8.2 does not say which family: the addresses do.
  const old = parseIptablesSave(fixture('github-issues/docker-ipv6nat-34-ip6tables-save.txt'));
  assert.deepEqual(old.issues, []);
  assert.deepEqual(
    old.value.map((t) => [t.name, t.family, t.origin.tool, t.origin.version]),
    [
      ['filter', 'ipv6', 'xtables-save', '1.8.2'],
      ['nat', 'ipv6', 'xtables-save', '1.8.2'],
    ],
  );
  assert.deepEqual(rule(table(old.value, 'nat'), 'DOCKER', 1).dnatTo, { ip: 'fd01::2', port: { from: 80, to: 80 } });

  // The family argument wins; an empty dump is no tables and no issues.
  assert.equal(parseIptablesSave(fixture('github-issues/docker-ipv6nat-34-ip6tables-save.txt'), 'ipv6').value[0]?.family, 'ipv6');
  assert.deepEqual(parseIptablesSave(fixture('live-debian12-docker20.10/ip6tables-save.txt')), { value: [], issues: [] });
});

test('Docker DNS rules inside a container: DNAT to 127.0.0.11, SNAT --to-source :53', () => {
  const { value, issues } = parseIptablesSave(fixture('github-issues/kafka-docker-playground-8807-iptables-save.txt'));
  assert.deepEqual(issues, []);
  const nat = table(value, 'nat');
  assert.equal(nat.origin.version, '1.8.10');
  const udp = rule(nat, 'DOCKER_OUTPUT', 2);
  assert.equal(udp.protocol, 'udp');
  assert.equal(udp.destination, '127.0.0.11');
  assert.deepEqual(udp.dport, { from: 53, to: 53 });
  assert.deepEqual(udp.dnatTo, { ip: '127.0.0.11', port: { from: 47958, to: 47958 } });
  const snat = rule(nat, 'DOCKER_POSTROUTING', 1);
  assert.equal(snat.target, 'SNAT');
  assert.deepEqual(snat.sport, { from: 34971, to: 34971 });
  assert.deepEqual(snat.snatTo, { ip: null, port: { from: 53, to: 53 } });
  assert.equal(nat.chains.find((c) => c.name === 'DOCKER_OUTPUT')?.references, 1);
});

test('Kubernetes rules: quoted comments, no dport, a line the paste wrapped', () => {
  const k = parseIptablesSave(fixture('github-issues/kubernetes-61005-iptables-save-nat.txt'));
  assert.equal(k.issues.length, 1); // the excerpt has no COMMIT
  const nat = table(k.value, 'nat');
  const pre = rule(nat, 'PREROUTING', 1);
  assert.equal(pre.comment, 'kubernetes service portals');
  assert.equal(pre.target, 'KUBE-SERVICES');
  assert.equal(pre.matches, '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  const sep = rule(nat, 'KUBE-SEP-43JXX3WIN2SOR6EG', 2);
  assert.equal(sep.protocol, 'udp');
  assert.equal(sep.dport, null);
  assert.deepEqual(sep.dnatTo, { ip: '192.168.78.125', port: { from: 53, to: 53 } });
  assert.equal(rule(nat, 'KUBE-POSTROUTING', 1).comment, 'kubernetes service traffic requiring SNAT');

  const w = parseIptablesSave(fixture('github-issues/kubernetes-75893-iptables-save-nat-excerpt.txt'));
  const reasons = w.issues.map((i) => [i.line, i.reason]);
  assert.deepEqual(reasons[0], [1, 'no *table line before this: assuming table nat']);
  assert.ok(
    reasons.some(([l, r]) => l === 32 && /not an iptables-save line/.test(String(r))),
    JSON.stringify(reasons),
  );
  assert.ok(reasons.some(([, r]) => /no COMMIT/.test(String(r))));
  const wnat = table(w.value, 'nat');
  assert.equal(rule(wnat, 'KUBE-POSTROUTING', 1).target, 'S'); // what the wrapped line says, reported above
  assert.equal(rule(wnat, 'DOCKER', 1).inInterface, 'docker0');
});

test('rules with no -j, trailing blanks, duplicates, -m set and raw-table drops', () => {
  const nt = parseIptablesSave(fixture('live-debian12-scratch-netns/no-target-iptables-save-nat.txt'));
  assert.deepEqual(nt.issues, []);
  const nat = table(nt.value, 'nat');
  const count = rule(nat, 'DOCKER', 3);
  assert.equal(count.target, '');
  assert.deepEqual(count.dport, { from: 49154, to: 49154 });
  assert.equal(count.matches, '-m tcp --dport 49154');
  assert.equal(rule(nat, 'POSTROUTING', 10).target, '');
  assert.equal(rule(nat, 'POSTROUTING', 10).outNegated, true);

  const ex = parseIptablesSave(fixture('github-issues/exadata-12-iptables-save-nat.txt'));
  assert.deepEqual(ex.issues, []);
  const enat = table(ex.value, 'nat');
  assert.equal(enat.rules.length, 8);
  assert.equal(rule(enat, 'PREROUTING', 2).target, 'DOCKER');
  assert.equal(rule(enat, 'DOCKER', 2).inInterface, 'docker0');
  assert.equal(enat.origin.version, '1.4.7');

  const m = parseIptablesSave(fixture('github-issues/moby-49518-iptables-save.txt'));
  assert.equal(m.issues.length, 1); // cut inside filter
  const raw = table(m.value, 'raw');
  const drop = rule(raw, 'PREROUTING', 1);
  assert.equal(drop.target, 'DROP');
  assert.equal(drop.destination, '172.18.0.2');
  assert.equal(drop.inInterface, 'br-3cdb1cb92a36');
  assert.equal(drop.inNegated, true);
  const fwd = rule(table(m.value, 'filter'), 'DOCKER-FORWARD', 1);
  assert.equal(fwd.matches, '-m set --match-set docker-ext-bridges-v4 dst -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
});

test('every dump parses without internal errors', () => {
  for (const f of DUMPS) {
    const { value, issues } = parseIptablesSave(fixture(f));
    assert.ok(!issues.some((i) => /internal error/.test(i.reason)), `${f}: ${JSON.stringify(issues)}`);
    for (const t of value) {
      const seen = new Map<string, number>();
      for (const r of t.rules) {
        const n = (seen.get(r.chain) ?? 0) + 1;
        seen.set(r.chain, n);
        assert.equal(r.number, n, `${f}: ${t.name} ${r.chain} numbering`);
      }
    }
  }
});

test('quoting: a comment with spaces, and the same rule cut inside its quote', () => {
  // Two rules taken from the fixtures, the second cut inside its quoted comment.
  const text = fixture('github-issues/kubernetes-61005-iptables-save-nat.txt');
  const lines = text.split('\n');
  const withComment = lines.find((l) => l.includes('--comment "kubernetes service traffic requiring SNAT"'))!;
  const cut = withComment.slice(0, withComment.indexOf('requiring'));
  const { value, issues } = parseIptablesSave(['*nat', withComment, cut, 'COMMIT'].join('\n'));
  assert.equal(table(value, 'nat').rules.length, 1);
  assert.equal(table(value, 'nat').rules[0]?.comment, 'kubernetes service traffic requiring SNAT');
  assert.equal(issues.length, 2); // the chain has no ":KUBE-POSTROUTING" line; the cut rule
  assert.ok(issues.some((i) => i.line === 3 && /unterminated quote/.test(i.reason)));
});

/** Parses and checks what holds for any input: issue lines within it, no crash, every rule a chain, a number counted from 1, its own line. */
function parsedWell(text: string, what: string): ReturnType<typeof parseIptablesSave> {
  const parsed = parseIptablesSave(text);
  holds(ruleParseComplaint(text, parsed, { numbers: 'counted', lines: text.split(/\r?\n|\r/), chainsDeclared: true }), what);
  return parsed;
}

test('truncated, shuffled and random input never throws, and what it reads holds the invariants of a dump', () => {
  const rnd = prng(1128);
  for (const f of DUMPS) {
    const text = fixture(f);
    const full = parsedWell(text, f);
    for (let k = 0; k < 40; k += 1) {
      const cut = Math.floor(rnd() * text.length);
      parsedWell(text.slice(0, cut), `${f} cut at ${cut}`);
      parsedWell(text.slice(cut), `${f} from ${cut}`);
    }
    const lines = text.split('\n');
    for (let k = lines.length - 1; k > 0; k -= 1) {
      const j = Math.floor(rnd() * (k + 1));
      [lines[k], lines[j]] = [lines[j]!, lines[k]!];
    }
    // Shuffled lines keep every rule line: none is lost, whatever table or chain it now falls under.
    const shuffled = parsedWell(lines.join('\n'), `${f} shuffled`);
    const rulesOf = (p: typeof full) => p.value.flatMap((t) => t.rules.map((r) => r.text)).sort();
    const lost = rulesOf(full).filter((r) => !rulesOf(shuffled).includes(r));
    assert.deepEqual(lost, [], `${f} shuffled: rules lost`);
  }
  const alphabet = ' \n!"\\\'[]:*-AjpmsdiotcCOMMIT#0123456789./DNAT--to-destination';
  for (let k = 0; k < 300; k += 1) {
    let s = '';
    const n = Math.floor(rnd() * 300);
    for (let c = 0; c < n; c += 1) s += alphabet[Math.floor(rnd() * alphabet.length)];
    const parsed = parsedWell(s, JSON.stringify(s));
    // Random text is never silently read as nothing: each non-blank line is a rule, a declaration, or an issue.
    if (parsed.value.every((t) => t.rules.length === 0 && t.chains.length === 0) && s.trim() !== '')
      assert.ok(parsed.issues.length > 0, `nothing read and nothing said about ${JSON.stringify(s)}`);
  }
  assert.deepEqual(parseIptablesSave(undefined as unknown as string).value, []);
});

test('a counter too large to hold exactly is unknown and said, the rule still read', () => {
  const { value, issues } = parseIptablesSave(
    '*nat\n:DOCKER - [18446744073709551616:0]\n[18446744073709551616:0] -A DOCKER -i docker0 -j RETURN\n-A DOCKER -c 9007199254740993 1 -j RETURN\nCOMMIT\n',
  );
  const nat = table(value, 'nat');
  assert.deepEqual(
    nat.rules.map((r) => [r.number, r.packets, r.bytes]),
    [
      [1, null, 0],
      [2, null, 1],
    ],
  );
  assert.equal(nat.chains[0]?.packets, null);
  assert.deepEqual(
    issues.map((i) => [i.line, i.reason]),
    [2, 3, 4].map((l) => [l, 'a counter too large to hold exactly: left unknown']),
  );
});
