import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNftJson } from '../../src/parse/nft-json.js';
import { parseIptablesSave } from '../../src/parse/iptables-save.js';
import type { NatTable } from '../../src/model/nat-rule.js';
import { fixture, prng, rule } from './helpers.js';
import { holds, ruleParseComplaint } from './invariants.js';

function table(tables: NatTable[], family: string, name: string): NatTable {
  const t = tables.find((x) => x.family === family && x.name === name);
  assert.ok(t, `no table ${family} ${name}`);
  return t;
}

const RULESETS = [
  'moby-nftabler-golden/nft-j-list-ruleset.json',
  'moby-nftablesdoc/usernet-portmap-nft-j-list-ruleset.json',
  'live-debian12-docker20.10/nft-j-list-ruleset.json',
  'live-debian12-scratch-netns/nft-j-list-ruleset.json',
  'live-debian12-scratch-netns/nft-inet-natp-j-list-ruleset.json',
];

test('Docker 29 nftables backend: ip and ip6 docker-bridges, DNAT with comment', () => {
  const { value, issues } = parseNftJson(fixture('moby-nftabler-golden/nft-j-list-ruleset.json'));
  assert.deepEqual(issues, []);
  assert.deepEqual(
    value.map((t) => [t.family, t.name]),
    [
      ['ipv4', 'docker-bridges'],
      ['ipv6', 'docker-bridges'],
    ],
  );
  const v4 = table(value, 'ipv4', 'docker-bridges');
  assert.deepEqual(v4.origin, { tool: 'nft', version: '1.0.6', backend: 'nf_tables', legacyTablesPresent: false });
  const dnat = rule(v4, 'nat-prerouting-and-output', 1);
  assert.equal(dnat.target, 'DNAT');
  assert.equal(dnat.handle, 21);
  assert.equal(dnat.protocol, 'tcp');
  assert.equal(dnat.inInterface, 'br-dummy');
  assert.equal(dnat.inNegated, true);
  assert.deepEqual(dnat.dport, { from: 8080, to: 8080 });
  assert.deepEqual(dnat.dnatTo, { ip: '192.168.0.2', port: { from: 80, to: 80 } });
  assert.equal(dnat.comment, 'DNAT');
  assert.equal(dnat.packets, 0);
  assert.equal(dnat.bytes, 0);
  assert.equal(dnat.line, 0);
  assert.equal(dnat.text, 'iifname != "br-dummy" tcp dport 8080 counter packets 0 bytes 0 dnat to 192.168.0.2:80 comment "DNAT"');
  assert.equal(dnat.matches, 'iifname != "br-dummy" tcp dport 8080 dnat to 192.168.0.2:80');

  const v6 = table(value, 'ipv6', 'docker-bridges');
  const dnat6 = rule(v6, 'nat-prerouting-and-output', 1);
  assert.equal(dnat6.family, 'ipv6');
  assert.deepEqual(dnat6.dnatTo, { ip: 'fd49:efd7:54aa::1', port: { from: 80, to: 80 } });
  assert.equal(dnat6.source, 'fe80::/10');
  assert.equal(dnat6.sourceNegated, true);
  assert.match(dnat6.text, /dnat to \[fd49:efd7:54aa::1\]:80/);
  const masq6 = rule(v6, 'nat-postrouting-out__br-dummy', 1);
  assert.equal(masq6.target, 'MASQUERADE');
  assert.equal(masq6.source, 'fd49:efd7:54aa::/64');
  assert.equal(masq6.outInterface, 'br-dummy');
  assert.equal(masq6.outNegated, true);
  assert.equal(rule(v6, 'nat-OUTPUT', 1).destination, '::1');
});

test('base chains, verdict maps and references through them', () => {
  const v4 = table(parseNftJson(fixture('moby-nftabler-golden/nft-j-list-ruleset.json')).value, 'ipv4', 'docker-bridges');
  const pre = v4.chains.find((c) => c.name === 'nat-PREROUTING');
  assert.deepEqual([pre?.hook, pre?.type, pre?.priority, pre?.policy, pre?.references], ['prerouting', 'nat', -100, 'ACCEPT', null]);
  assert.equal(v4.chains.find((c) => c.name === 'raw-PREROUTING')?.priority, -300);
  // Reached by jumps from nat-PREROUTING and nat-OUTPUT.
  assert.equal(v4.chains.find((c) => c.name === 'nat-prerouting-and-output')?.references, 2);
  // Reached only through the verdict map.
  assert.equal(v4.chains.find((c) => c.name === 'nat-postrouting-out__br-dummy')?.references, 1);
  const map = v4.sets.find((s) => s.name === 'nat-postrouting-out-jumps');
  assert.deepEqual(map, {
    name: 'nat-postrouting-out-jumps',
    kind: 'map',
    type: 'ifname',
    map: 'verdict',
    elements: ['"br-dummy" : jump nat-postrouting-out__br-dummy'],
  });
  const vmap = rule(v4, 'nat-POSTROUTING', 1);
  assert.equal(vmap.target, '');
  assert.equal(vmap.text, 'iifname vmap @nat-postrouting-out-jumps');
  const pr = rule(v4, 'nat-PREROUTING', 1);
  assert.equal(pr.target, 'nat-prerouting-and-output');
  assert.equal(pr.matches, 'fib daddr type local jump nat-prerouting-and-output');
  assert.equal(rule(v4, 'filter-forward-in__br-dummy', 1).matches, 'ct state established,related accept');
});

test('the docs example (bridge1) reads the same way', () => {
  const { value, issues } = parseNftJson(fixture('moby-nftablesdoc/usernet-portmap-nft-j-list-ruleset.json'));
  assert.deepEqual(issues, []);
  const t = table(value, 'ipv4', 'docker-bridges');
  const dnat = rule(t, 'nat-prerouting-and-output', 1);
  assert.deepEqual(dnat.dnatTo, { ip: '192.0.2.2', port: { from: 80, to: 80 } });
  assert.equal(dnat.inInterface, 'bridge1');
  assert.equal(rule(t, 'raw-PREROUTING', 1).target, 'DROP');
  assert.equal(rule(t, 'raw-PREROUTING', 1).destination, '192.0.2.2');
  assert.equal(rule(t, 'nat-postrouting-out__docker0', 1).source, '172.17.0.0/16');
  assert.equal(t.sets.find((s) => s.name === 'filter-forward-in-jumps')?.elements.length, 2);
});

test('iptables-nft tables: xt targets carry no address, which is reported once per table', () => {
  const { value, issues } = parseNftJson(fixture('live-debian12-docker20.10/nft-j-list-ruleset.json'));
  assert.equal(issues.length, 1);
  assert.match(issues[0]!.reason, /^7 iptables-nft DNAT\/SNAT rule\(s\) appear in nft JSON as "xt" targets/);
  assert.equal(issues[0]!.text, 'ip nat');
  const nat = table(value, 'ipv4', 'nat');
  const chains = nat.chains.map((c) => c.name);
  assert.deepEqual(chains, ['DOCKER', 'POSTROUTING', 'PREROUTING', 'OUTPUT']);
  assert.equal(nat.chains[0]?.references, 2);
  const docker = nat.rules.filter((r) => r.chain === 'DOCKER');
  assert.equal(docker.length, 9);
  const d = docker.find((r) => r.dport?.from === 49154);
  assert.ok(d);
  assert.equal(d.number, 4);
  assert.equal(d.target, 'DNAT');
  assert.equal(d.dnatTo, null);
  assert.equal(d.inInterface, 'docker0');
  assert.equal(d.inNegated, true);
  assert.equal(d.matches, 'iifname != "docker0" tcp dport 49154 xt target "DNAT"');
  assert.equal(rule(nat, 'PREROUTING', 1).matches, 'xt match "addrtype" jump DOCKER');
  const udp = docker.find((r) => r.protocol === 'udp');
  assert.deepEqual(udp?.dport, { from: 5353, to: 5353 });

  // The same rules from iptables-save of the same moment have the addresses, in the same order.
  const save = parseIptablesSave(fixture('live-debian12-docker20.10/iptables-save.txt')).value.find((t) => t.name === 'nat');
  assert.ok(save);
  assert.deepEqual(
    docker.map((r) => [r.number, r.dport?.from, r.inInterface, r.inNegated]),
    save.rules.filter((r) => r.chain === 'DOCKER').map((r) => [r.number, r.dport?.from ?? undefined, r.inInterface, r.inNegated]),
  );
});

test('nft forms Docker does not write: sets, ranges, maps, redirect, masquerade ports, snat ip6', () => {
  const { value, issues } = parseNftJson(fixture('live-debian12-scratch-netns/nft-inet-natp-j-list-ruleset.json'));
  assert.deepEqual(issues, []);
  const t = table(value, 'inet', 'natp');
  const web = rule(t, 'pre', 1);
  assert.equal(web.dport, null); // `tcp dport { 80, 443 }` is no single range: read it in the text
  assert.equal(web.protocol, 'tcp');
  assert.deepEqual(web.dnatTo, { ip: '192.0.2.10', port: null });
  assert.equal(web.comment, 'web');
  assert.equal(web.text, 'iifname "eth0" tcp dport { 80, 443 } counter packets 0 bytes 0 dnat ip to 192.0.2.10 comment "web"');
  const range = rule(t, 'pre', 2);
  assert.deepEqual(range.dport, { from: 8000, to: 8010 });
  assert.deepEqual(range.dnatTo, { ip: '192.0.2.11', port: { from: 9000, to: 9010 } });
  assert.equal(range.packets, null);
  assert.equal(rule(t, 'pre', 3).matches, 'udp dport 5353 limit rate 10/second burst 5 packets dnat ip to 192.0.2.12');
  const blocked = rule(t, 'pre', 4);
  assert.equal(blocked.target, 'DROP');
  assert.equal(blocked.source, '@blocked');
  const redirect = rule(t, 'pre', 5);
  assert.equal(redirect.target, 'REDIRECT');
  assert.deepEqual(redirect.dnatTo, { ip: null, port: { from: 22, to: 22 } });
  const mapped = rule(t, 'pre', 6);
  assert.equal(mapped.target, 'DNAT');
  assert.equal(mapped.dnatTo, null); // computed by a map
  assert.match(mapped.text, /dnat ip to tcp dport map \{ 8080 : 192\.0\.2\.13 \}$/);
  const masq = rule(t, 'post', 1);
  assert.equal(masq.protocol, 'tcp');
  assert.deepEqual(masq.snatTo, { ip: null, port: { from: 1024, to: 65535 } });
  assert.match(masq.text, /masquerade to :1024-65535 random$/);
  const snat = rule(t, 'post', 2);
  assert.equal(snat.target, 'SNAT');
  assert.deepEqual(snat.snatTo, { ip: 'fd00::1', port: null });
  assert.equal(rule(t, 'raw', 1).target, 'NOTRACK');
  assert.deepEqual(t.sets, [{ name: 'blocked', kind: 'set', type: 'ipv4_addr', map: null, elements: ['192.0.2.7'] }]);
});

test('an unknown statement or object is kept as text and reported', () => {
  // A real ruleset with one statement and one object renamed, as a newer nft could print them.
  const doc = JSON.parse(fixture('moby-nftabler-golden/nft-j-list-ruleset.json')) as { nftables: Record<string, unknown>[] };
  const entry = doc.nftables.find((o) => {
    const r = o.rule as { chain?: string; family?: string } | undefined;
    return r?.chain === 'nat-prerouting-and-output' && r.family === 'ip';
  }) as { rule: { expr: Record<string, unknown>[] } };
  const counter = entry.rule.expr.find((e) => 'counter' in e)!;
  counter['counter-v2'] = counter.counter;
  delete counter.counter;
  doc.nftables.push({ tunnel: { family: 'ip', table: 'docker-bridges', name: 't0' } });
  const { value, issues } = parseNftJson(JSON.stringify(doc));
  const dnat = rule(table(value, 'ipv4', 'docker-bridges'), 'nat-prerouting-and-output', 1);
  assert.deepEqual(dnat.dnatTo, { ip: '192.168.0.2', port: { from: 80, to: 80 } });
  assert.equal(dnat.packets, null);
  assert.match(dnat.text, /counter-v2 \{"packets":0,"bytes":0\}/);
  assert.deepEqual(
    issues.map((i) => i.reason),
    ['unknown nft statement "counter-v2" in docker-bridges nat-prerouting-and-output rule 1; kept as text', 'unknown nft object "tunnel"'],
  );
});

test('every ruleset parses without internal errors, numbers count per chain', () => {
  for (const f of RULESETS) {
    const { value, issues } = parseNftJson(fixture(f));
    assert.ok(value.length > 0, f);
    assert.ok(!issues.some((i) => /internal error/.test(i.reason)), `${f}: ${JSON.stringify(issues)}`);
    for (const t of value) {
      const seen = new Map<string, number>();
      for (const r of t.rules) {
        const n = (seen.get(r.chain) ?? 0) + 1;
        seen.set(r.chain, n);
        assert.equal(r.number, n);
        assert.ok(r.text.length > 0);
      }
    }
  }
});

/** Replaces one value somewhere in a JSON tree with something of another shape. */
function mutate(node: unknown, rnd: () => number): unknown {
  const junk: unknown[] = [null, 0, -1, 'x', [], {}, { set: 1 }, { range: [5] }, { prefix: null }, true, 1e309, '@'];
  if (rnd() < 0.08) return junk[Math.floor(rnd() * junk.length)];
  if (Array.isArray(node)) return node.map((x) => mutate(x, rnd));
  if (typeof node === 'object' && node !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = mutate(v, rnd);
    return out;
  }
  return node;
}

/** Parses and checks what holds for any input: no crash, every rule a table, a chain, a number counted from 1. */
function parsedWell(text: string, what: string): ReturnType<typeof parseNftJson> {
  const parsed = parseNftJson(text);
  holds(ruleParseComplaint(text, parsed, { numbers: 'counted' }), what);
  return parsed;
}

test('truncated, mutated and random input never throws, and what it reads holds the invariants of a ruleset', () => {
  const rnd = prng(6);
  for (const f of RULESETS) {
    const text = fixture(f);
    for (let k = 0; k < 30; k += 1) {
      const cut = Math.floor(rnd() * text.length);
      const r = parsedWell(text.slice(0, cut), `${f} cut at ${cut}`);
      // A cut document is not JSON: said, and nothing read from it.
      if (text.slice(0, cut).trim() !== text.trim()) {
        assert.deepEqual(r.value, [], `${f} cut at ${cut}`);
        assert.match(r.issues[0]?.reason ?? '', /^not JSON/);
      }
    }
    const doc: unknown = JSON.parse(text);
    for (let k = 0; k < 30; k += 1) parsedWell(JSON.stringify(mutate(doc, rnd)), `${f} mutated (${k})`);
  }
  for (const s of [
    '',
    'null',
    '[]',
    '{}',
    '{"nftables": 1}',
    '{"nftables": [1, "x", null, {"rule": 5}, {"rule": {}}, {"a": 1, "b": 2}]}',
  ]) {
    const r = parsedWell(s, s);
    assert.ok(r.issues.length > 0, s);
  }
  assert.deepEqual(parseNftJson(undefined as unknown as string).value, []);
});

test('a port outside 0-65535 or not whole is unknown, never a range the kernel cannot hold', () => {
  const doc = (right: unknown, port: unknown) =>
    JSON.stringify({
      nftables: [
        {
          rule: {
            family: 'ip',
            table: 'nat',
            chain: 'DOCKER',
            handle: 3,
            expr: [
              { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right } },
              { dnat: { addr: '192.0.2.11', port } },
            ],
          },
        },
      ],
    });
  const read = (right: unknown, port: unknown) => {
    const r = parseNftJson(doc(right, port)).value[0]?.rules[0];
    assert.ok(r);
    return [r.dport, r.dnatTo];
  };
  assert.deepEqual(read({ range: [8000, 8010] }, { range: [9000, 9010] }), [
    { from: 8000, to: 8010 },
    { ip: '192.0.2.11', port: { from: 9000, to: 9010 } },
  ]);
  assert.deepEqual(read({ range: [8000, 65536] }, { range: [9000, 65536] }), [null, null]);
  assert.deepEqual(read(80.5, 65536), [null, null]);
});

test('an empty table, chain or rule-chain name is not one nft gives: reported, nothing read from it', () => {
  const { value, issues } = parseNftJson(
    JSON.stringify({
      nftables: [
        { table: { family: 'ip', name: '', handle: 1 } },
        { chain: { family: 'ip', table: 'nat', name: '', handle: 2 } },
        { rule: { family: 'ip', table: 'nat', chain: '', handle: 3, expr: [{ accept: null }] } },
      ],
    }),
  );
  assert.deepEqual(
    value.map((t) => [t.name, t.chains.length, t.rules.length]),
    [['nat', 0, 0]],
  );
  assert.deepEqual(
    issues.map((i) => i.reason),
    ['object without a table family and name', 'chain without a name', 'rule without a chain'],
  );
});
