import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NatRule, NatTable } from '../../src/model/nat-rule.js';
import { parseNftJson } from '../../src/parse/nft-json.js';
import { parseNftText } from '../../src/parse/nft-text.js';
import { fixture, rule } from './helpers.js';

function table(tables: NatTable[], family: string, name: string): NatTable {
  const t = tables.find((x) => x.family === family && x.name === name);
  assert.ok(t, `no table ${family} ${name}`);
  return t;
}

// `nft list ruleset` and `nft -j list ruleset` of the same ruleset at the same moment.
const PAIRS: [string, string][] = [
  ['moby-nftabler-golden/nft-list-ruleset-reloaded.txt', 'moby-nftabler-golden/nft-j-list-ruleset.json'],
  ['moby-nftablesdoc/usernet-portmap-nft-list-ruleset-reloaded.txt', 'moby-nftablesdoc/usernet-portmap-nft-j-list-ruleset.json'],
  ['live-debian12-scratch-netns/nft-inet-natp-list-ruleset.txt', 'live-debian12-scratch-netns/nft-inet-natp-j-list-ruleset.json'],
  ['live-debian12-docker20.10/nft-list-ruleset.txt', 'live-debian12-docker20.10/nft-j-list-ruleset.json'],
  ['live-debian12-parsers/nft-list-ruleset.txt', 'live-debian12-parsers/nft-j-list-ruleset.json'],
  ['live-debian12-parsers/nft-a-list-ruleset.txt', 'live-debian12-parsers/nft-a-j-list-ruleset.json'],
];

/**
 * The fields both forms print the same way (text and matches are compared separately). The raw
 * statements differ in shape between the forms (the text reader's `fib` is not nft -j's); what they
 * mean is compared in the firewall model's tests.
 */
function fields(r: NatRule): Omit<NatRule, 'text' | 'matches' | 'line' | 'handle' | 'statements'> {
  const { text: _t, matches: _m, line: _l, handle: _h, statements: _s, ...rest } = r;
  return rest;
}

for (const [textPath, jsonPath] of PAIRS) {
  test(`text and JSON of one ruleset read the same: ${textPath}`, () => {
    const text = parseNftText(fixture(textPath));
    const json = parseNftJson(fixture(jsonPath));
    assert.deepEqual(text.issues, []);
    assert.deepEqual(
      text.value.map((t) => [t.family, t.name]),
      json.value.map((t) => [t.family, t.name]),
    );
    for (const [k, jt] of json.value.entries()) {
      const tt = text.value[k] as NatTable;
      assert.deepEqual(
        tt.chains.map((c) => ({ ...c, line: 0, handle: null })),
        jt.chains.map((c) => ({ ...c, line: 0, handle: null })),
      );
      assert.deepEqual(tt.sets, jt.sets);
      assert.equal(tt.rules.length, jt.rules.length);
      for (const [n, jr] of jt.rules.entries()) {
        const tr = tt.rules[n] as NatRule;
        const xt = /xt target "(DNAT|SNAT)"/.test(jr.matches);
        // iptables-nft's DNAT is an xt target in JSON, without its address; the text shows nft's translation.
        if (xt) assert.ok(jr.dnatTo === null && tr.dnatTo !== null, `${jr.chain} ${jr.number} has its address only in text`);
        assert.deepEqual(fields({ ...tr, dnatTo: xt ? null : tr.dnatTo }), fields(jr), `${jr.chain} #${jr.number}`);
        if (jr.handle !== null && /# handle/.test(tr.text)) assert.equal(tr.handle, jr.handle);
      }
    }
  });
}

test('the JSON renderer prints rules as nft does: text and matches equal for the Docker 29 tables', () => {
  for (const [textPath, jsonPath] of PAIRS.slice(0, 2)) {
    const text = parseNftText(fixture(textPath)).value.flatMap((t) => t.rules);
    const json = parseNftJson(fixture(jsonPath)).value.flatMap((t) => t.rules);
    assert.deepEqual(
      text.map((r) => [r.text, r.matches]),
      json.map((r) => [r.text, r.matches]),
    );
  }
});

test('nft -a: chain and rule handles from `# handle N`, equal to the JSON of the same second', () => {
  const text = parseNftText(fixture('live-debian12-parsers/nft-a-list-ruleset.txt')).value;
  const json = parseNftJson(fixture('live-debian12-parsers/nft-a-j-list-ruleset.json')).value;
  const nat = table(text, 'ipv4', 'nat');
  assert.deepEqual(
    nat.rules.map((r) => r.handle),
    table(json, 'ipv4', 'nat').rules.map((r) => r.handle),
  );
  assert.equal(nat.chains.find((c) => c.name === 'DOCKER')?.handle, 1);
  assert.match(rule(nat, 'DOCKER', 5).text, /dnat to 172\.17\.0\.2:8080 # handle 165$/);
  assert.equal(rule(nat, 'DOCKER', 5).matches, 'iifname != "docker0" ip daddr 127.0.0.1 tcp dport 8081 dnat to 172.17.0.2:8080');
});

test("Docker 29's golden tables: priority names, vmaps, DNAT with comment, IPv6 DNAT", () => {
  const v4 = parseNftText(fixture('moby-nftabler-golden/masq-gwm-nat__ip.golden.nft'));
  assert.deepEqual(v4.issues, []);
  const t = table(v4.value, 'ipv4', 'docker-bridges');
  assert.deepEqual(t.origin, { tool: 'nft', version: null, backend: 'nf_tables', legacyTablesPresent: false });
  const out = t.chains.find((c) => c.name === 'nat-OUTPUT');
  // The golden file says `priority dstnat` on the output hook: -100 (what nft 1.0.6 had to be given as a number).
  assert.deepEqual([out?.hook, out?.type, out?.priority, out?.policy], ['output', 'nat', -100, 'ACCEPT']);
  assert.equal(t.chains.find((c) => c.name === 'nat-prerouting-and-output')?.references, 2);
  assert.equal(t.chains.find((c) => c.name === 'nat-postrouting-out__br-dummy')?.references, 1);
  const dnat = rule(t, 'nat-prerouting-and-output', 1);
  assert.deepEqual([dnat.target, dnat.inInterface, dnat.inNegated, dnat.protocol], ['DNAT', 'br-dummy', true, 'tcp']);
  assert.deepEqual(dnat.dport, { from: 8080, to: 8080 });
  assert.deepEqual(dnat.dnatTo, { ip: '192.168.0.2', port: { from: 80, to: 80 } });
  assert.equal(dnat.comment, 'DNAT');
  assert.deepEqual([dnat.packets, dnat.line], [0, 45]);
  const doc = table(parseNftText(fixture('moby-nftablesdoc/usernet-portmap-nft-list-ruleset.txt')).value, 'ipv4', 'docker-bridges');
  assert.equal(rule(doc, 'nat-prerouting-and-output', 1).packets, null, 'the docs print `counter` without values: unknown, not 0');
  assert.equal(rule(t, 'nat-POSTROUTING', 1).text, 'iifname vmap @nat-postrouting-out-jumps');
  const v6 = table(parseNftText(fixture('moby-nftabler-golden/masq-gwm-nat__ip6.golden.nft')).value, 'ipv6', 'docker-bridges');
  const dnat6 = rule(v6, 'nat-prerouting-and-output', 1);
  assert.deepEqual(dnat6.dnatTo, { ip: 'fd49:efd7:54aa::1', port: { from: 80, to: 80 } });
  assert.deepEqual([dnat6.source, dnat6.sourceNegated], ['fe80::/10', true]);
});

test("iptables-nft's ip nat with `meta l4proto tcp`, 8-space indents, cut inside a chain", () => {
  const { value, issues } = parseNftText(fixture('github-issues-pastes/nftfw-11-nft-list-ruleset-nat.txt'));
  const nat = table(value, 'ipv4', 'nat');
  const d = rule(nat, 'DOCKER', 3);
  assert.deepEqual([d.target, d.protocol, d.inInterface, d.inNegated], ['DNAT', 'tcp', 'br-591ca8bdf81a', true]);
  assert.deepEqual(d.dnatTo, { ip: '172.18.0.2', port: { from: 1080, to: 1080 } });
  assert.deepEqual([rule(nat, 'POSTROUTING', 2).packets, rule(nat, 'POSTROUTING', 2).bytes], [14, 1215]);
  assert.equal(nat.chains.find((c) => c.name === 'OUTPUT')?.priority, -100);
  assert.deepEqual(
    issues.map((i) => [i.line, i.reason]),
    [
      [22, 'table nat (line 1) is not closed: the input ends inside it'],
      [22, 'chain OUTPUT (line 20) is not closed: the input ends inside it'],
    ],
  );
});

test('a prompt line is reported; counters and a udp DNAT read', () => {
  const { value, issues } = parseNftText(fixture('github-issues-pastes/netbird-2387-nft-list-ruleset.txt'));
  assert.equal(issues[0]?.line, 1);
  assert.match(issues[0]?.reason ?? '', /shell prompt/);
  const nat = table(value, 'ipv4', 'nat');
  const web = rule(nat, 'DOCKER', 4);
  assert.deepEqual(
    [web.dport?.from, web.dnatTo?.ip, web.dnatTo?.port?.from, web.packets, web.bytes],
    [80, '172.29.0.5', 8200, 1954, 111305],
  );
  assert.deepEqual([rule(nat, 'DOCKER', 5).protocol, rule(nat, 'DOCKER', 5).dnatTo?.ip], ['udp', '172.17.0.2']);
});

test('nft 1.0 xt forms: `xt target "MASQUERADE"` is the target; rules before any table line are reported, not read', () => {
  const { value, issues } = parseNftText(fixture('github-issues-pastes/openwrt-packages-22727-nft-list-ruleset-tail.txt'));
  assert.deepEqual(
    value.map((t) => `${t.family} ${t.name}`),
    ['ipv4 nat'],
  );
  const nat = table(value, 'ipv4', 'nat');
  assert.deepEqual([rule(nat, 'POSTROUTING', 1).target, rule(nat, 'POSTROUTING', 1).source], ['MASQUERADE', '172.17.0.0/16']);
  assert.equal(rule(nat, 'PREROUTING', 1).target, 'DOCKER');
  assert.equal(rule(nat, 'PREROUTING', 1).packets, 5207754);
  assert.equal(nat.chains.find((c) => c.name === 'DOCKER')?.references, 2);
  assert.deepEqual(
    issues.map((i) => i.line),
    [1, 2, 3, 4, 5, 6, 7, 8],
    'the six rules of a chain whose table line is not in the paste, and its two braces',
  );
});

test('older nft: `# xt_conntrack` inside a rule and `# xt_REJECT` as its target', () => {
  // The excerpt starts inside a chain of `table ip filter` (its line is not in the paste): given that line, as the thread shows.
  const excerpt = fixture('github-issues-pastes/nixpkgs-81172-nft-list-ruleset-xt-comments.txt');
  const { value, issues } = parseNftText(`table ip filter {\n    chain INPUT {\n${excerpt}    }\n}\n`);
  assert.deepEqual(issues, []);
  const f = table(value, 'ipv4', 'filter');
  const ct = rule(f, 'FORWARD', 3);
  assert.deepEqual([ct.target, ct.outInterface, ct.matches], ['ACCEPT', 'docker0', 'oifname "docker0" # xt_conntrack accept']);
  const refuse = rule(f, 'nixos-fw-refuse', 1);
  assert.deepEqual([refuse.target, refuse.protocol, refuse.packets], ['REJECT', 'tcp', 5]);
  assert.equal(rule(f, 'INPUT', 1).source, 'X.X.X.X');
});

test('a foreign inet table (OpenWrt fw4): jumps, comments, anonymous interface sets, a mask match', () => {
  const { value, issues } = parseNftText(fixture('github-issues-pastes/openwrt-packages-22727-nft-list-ruleset-head.txt'));
  const fw4 = table(value, 'inet', 'fw4');
  assert.deepEqual(
    fw4.chains.map((c) => [c.name, c.hook, c.policy]),
    [
      ['input', 'input', 'DROP'],
      ['forward', 'forward', 'DROP'],
      ['output', null, null],
    ],
  );
  const wan = rule(fw4, 'input', 5);
  assert.deepEqual([wan.target, wan.inInterface, wan.comment], ['input_wan', null, '!fw4: Handle wan IPv4/IPv6 input traffic']);
  assert.equal(rule(fw4, 'input', 3).matches, 'tcp flags syn / fin,syn,rst,ack jump syn_flood');
  assert.deepEqual(
    issues.map((i) => i.line),
    [1, 2, 3, 27, 27],
    'two prompts, the version line, and the cut',
  );
});

test('statements that write (`set rt mtu`, `meta nftrace set 1`) are known, not reported; ip6 addresses', () => {
  const { value, issues } = parseNftText(fixture('github-issues-pastes/ss-tproxy-282-nft-list-ruleset.txt'));
  assert.ok(issues.every((i) => !/unknown nft statement/.test(i.reason)));
  const raw = table(value, 'ipv6', 'raw');
  assert.equal(rule(raw, 'VYOS_TCP_MSS', 1).target, '');
  assert.deepEqual([rule(raw, 'PREROUTING', 1).destination, rule(raw, 'PREROUTING', 1).protocol], ['2001:4860:4860::8888', 'tcp']);
  assert.equal(raw.chains.find((c) => c.name === 'vyos_global_rpfilter')?.references, 1);
  assert.equal(table(value, 'inet', 'mangle').chains[0]?.priority, -150);
});

test('a paste with every indent lost, the warning without its #, and placeholders for addresses', () => {
  const { value, issues } = parseNftText(fixture('github-issues-pastes/mailcow-7211-nft-list-table-ip-filter.txt'));
  assert.equal(issues.length, 2, 'the table and the chain are not closed: the paste stops');
  const f = table(value, 'ipv4', 'filter');
  const admin = rule(f, 'INPUT', 2);
  assert.deepEqual([admin.source, admin.destination, admin.dport?.from, admin.target], ['<ADMIN_IP_1>', '<PRIMARY_IP>', 8081, 'ACCEPT']);
  assert.deepEqual([rule(f, 'INPUT', 1).target, rule(f, 'INPUT', 1).comment], ['MAILCOW', 'mailcow']);
});

test('an nftables.conf with comments inside a chain: the comments are reported, the rules read', () => {
  const { value, issues } = parseNftText(fixture('github-issues-pastes/moby-26824-nftables-file.nft'));
  const f = table(value, 'ipv4', 'filter');
  assert.deepEqual([f.chains[0]?.priority, f.chains[0]?.policy], [0, 'DROP']);
  assert.equal(f.rules.length, 8);
  const lo = rule(f, 'INPUT', 4);
  assert.deepEqual([lo.inInterface, lo.inNegated, lo.destination, lo.target], ['lo', true, '127.0.0.1/8', 'DROP']);
  assert.equal(rule(f, 'INPUT', 5).protocol, 'icmp');
  assert.equal(issues.filter((i) => /comment or prompt/.test(i.reason)).length, 8);
});

test('a lost `chain` line: its rules are reported, and the chains after it still belong to their table', () => {
  const lines = fixture('moby-nftablesdoc/usernet-portmap-nft-list-ruleset.txt').split('\n');
  const at = lines.indexOf('\tchain nat-prerouting-and-output {');
  const { value, issues } = parseNftText([...lines.slice(0, at), ...lines.slice(at + 1)].join('\n'));
  const t = table(value, 'ipv4', 'docker-bridges');
  assert.equal(
    t.rules.some((r) => r.target === 'DNAT'),
    false,
    'the DNAT of the lost chain is not given to another chain',
  );
  assert.ok(t.chains.some((c) => c.name === 'nat-postrouting-out__bridge1'));
  assert.deepEqual(
    issues.map((i) => i.reason),
    ['in a table but in no chain (its `chain ... {` line is missing?): not read', 'closing brace of a block whose opening line is missing'],
  );
  assert.deepEqual(issues[0]?.table, { family: 'ipv4', name: 'docker-bridges' });
});

test('an unknown statement is kept in the rule and reported with its table', () => {
  // A real rule of the golden table with one word nft does not have, as a damaged paste would show it.
  const { value, issues } = parseNftText(
    'table ip docker-bridges {\n\tchain c {\n\t\tiifname != "br-dummy" tcp dport 8080 frobnicate 3 counter accept\n\t}\n}\n',
  );
  const r = rule(table(value, 'ipv4', 'docker-bridges'), 'c', 1);
  assert.deepEqual([r.target, r.dport?.from, r.inInterface], ['ACCEPT', 8080, 'br-dummy']);
  assert.equal(r.matches, 'iifname != "br-dummy" tcp dport 8080 frobnicate 3 accept');
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.reason, 'unknown nft statement "frobnicate 3" in docker-bridges c rule 1; kept as text');
  assert.deepEqual(issues[0]?.table, { family: 'ipv4', name: 'docker-bridges' });
});
