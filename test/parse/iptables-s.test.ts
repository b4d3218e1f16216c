import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NatRule, NatTable } from '../../src/model/nat-rule.js';
import { parseIptablesNatText } from '../../src/parse/iptables-nat-text.js';
import { parseIptablesS } from '../../src/parse/iptables-s.js';
import { parseIptablesSave } from '../../src/parse/iptables-save.js';
import { fixture, rule } from './helpers.js';

function only(tables: NatTable[]): NatTable {
  assert.equal(tables.length, 1);
  return tables[0] as NatTable;
}

/** What `-S` and `-L` both say of a rule (`-L` words the matches its own way). */
function sameFacts(r: NatRule): unknown[] {
  return [
    r.chain,
    r.number,
    r.target,
    r.protocol,
    r.inInterface,
    r.inNegated,
    r.outInterface,
    r.outNegated,
    r.source,
    r.sourceNegated,
    r.destination,
    r.destinationNegated,
    r.dport,
    r.dnatTo,
  ];
}

for (const name of ['filter', 'nat']) {
  test(`moby's docs: \`iptables -S -t ${name}\` and \`-vL --line-numbers\` of the same rules agree`, () => {
    const s = parseIptablesS(fixture(`moby-iptablesdoc/usernet-portmap-${name}-S.txt`));
    assert.deepEqual(s.issues, []);
    const t = only(s.value);
    assert.equal(t.name, name, 'the table is read from the -P chains');
    const l = parseIptablesNatText(fixture(`moby-iptablesdoc/usernet-portmap-${name}-vL-line-numbers.txt`), 'ipv4', name);
    assert.deepEqual(t.rules.map(sameFacts), l.value.rules.map(sameFacts));
    assert.deepEqual(
      t.chains.map((c) => [c.name, c.policy, c.references]),
      l.value.chains.map((c) => [c.name, c.policy, c.references]),
    );
  });
}

test('the nat table: DNAT 8080 -> 192.0.2.2:80 on bridge1, MASQUERADE per bridge', () => {
  const t = only(parseIptablesS(fixture('moby-iptablesdoc/usernet-portmap-nat-S.txt')).value);
  assert.deepEqual([t.family, t.origin.tool, t.origin.backend], ['ipv4', null, null]);
  const d = rule(t, 'DOCKER', 3);
  assert.deepEqual([d.target, d.inInterface, d.inNegated, d.dport?.from], ['DNAT', 'bridge1', true, 8080]);
  assert.deepEqual(d.dnatTo, { ip: '192.0.2.2', port: { from: 80, to: 80 } });
  assert.equal(d.text, '-A DOCKER ! -i bridge1 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.0.2.2:80');
  assert.equal(d.line, 12);
  assert.equal(rule(t, 'OUTPUT', 1).destination, '127.0.0.0/8');
  assert.equal(t.chains.find((c) => c.name === 'DOCKER')?.references, 2);
});

test('raw, filter and nat of one page are told apart by their built-in chains', () => {
  for (const [file, name, rules] of [
    ['usernet-portmap-lo-raw-S.txt', 'raw', 2],
    ['usernet-portmap-lo-filter-S.txt', 'filter', 14],
    ['usernet-portmap-lo-nat-S.txt', 'nat', 5],
  ] as const) {
    const s = parseIptablesS(fixture(`moby-iptablesdoc/${file}`));
    assert.deepEqual(s.issues, []);
    assert.deepEqual([only(s.value).name, only(s.value).rules.length], [name, rules]);
  }
  const raw = only(parseIptablesS(fixture('moby-iptablesdoc/usernet-portmap-lo-raw-S.txt')).value);
  assert.deepEqual([rule(raw, 'PREROUTING', 2).inInterface, rule(raw, 'PREROUTING', 2).inNegated], ['lo', true]);
});

test('live: `iptables -t nat -S` agrees with iptables-save -c of the same second; -S -v carries the same counters', () => {
  const save = parseIptablesSave(fixture('live-debian12-parsers/iptables-save-c.txt')).value.find((t) => t.name === 'nat');
  assert.ok(save);
  const s = only(parseIptablesS(fixture('live-debian12-parsers/iptables-t-nat-S.txt')).value);
  const strip = (r: NatRule) => ({ ...r, text: '', line: 0, packets: null, bytes: null, matches: r.matches.replace(/ -c \d+ \d+/, '') });
  assert.deepEqual(s.rules.map(strip), save.rules.map(strip));
  assert.deepEqual(
    s.chains.map((c) => [c.name, c.policy, c.references]),
    save.chains.map((c) => [c.name, c.policy, c.references]),
  );
  const v = only(parseIptablesS(fixture('live-debian12-parsers/iptables-t-nat-S-v.txt')).value);
  assert.deepEqual(
    v.rules.map((r) => [r.packets, r.bytes, r.matches]),
    save.rules.map((r) => [r.packets, r.bytes, r.matches]),
  );
  assert.deepEqual(v.chains.find((c) => c.name === 'PREROUTING')?.packets, 0);
});

test('two listings pasted one after the other become two tables', () => {
  const both = `${fixture('live-debian12-parsers/iptables-S.txt')}${fixture('live-debian12-parsers/iptables-t-nat-S.txt')}`;
  const { value, issues } = parseIptablesS(both);
  assert.deepEqual(issues, []);
  assert.deepEqual(
    value.map((t) => [t.name, t.rules.length]),
    [
      ['filter', 35],
      ['nat', 23],
    ],
  );
  assert.equal(rule(value[1] as NatTable, 'DOCKER', 1).number, 1, 'rule numbers start again in the second listing');
});

test('ip6tables -S: empty tables known by their -P lines, the family as the caller gives it', () => {
  const f = only(parseIptablesS(fixture('live-debian12-parsers/ip6tables-S.txt'), { family: 'ipv6' }).value);
  assert.deepEqual(
    [f.family, f.name, f.rules.length, f.chains.map((c) => c.policy)],
    ['ipv6', 'filter', 0, ['ACCEPT', 'ACCEPT', 'ACCEPT']],
  );
  assert.equal(only(parseIptablesS(fixture('live-debian12-parsers/ip6tables-t-nat-S.txt')).value).name, 'nat');
});

test('a pasted session: the legacy warning is kept, the prompt and the error messages reported', () => {
  const { value, issues } = parseIptablesS(fixture('github-issues-pastes/tailscale-14900-iptables-S.txt'));
  const t = only(value);
  assert.deepEqual([t.name, t.rules.length, t.origin.legacyTablesPresent], ['filter', 19, true]);
  assert.deepEqual(
    issues.map((i) => [i.line, i.reason]),
    [
      [1, 'not an `iptables -S` line'],
      [31, 'a message from iptables, not a rule'],
      [32, 'a message from iptables, not a rule'],
    ],
  );
  assert.equal(rule(t, 'FORWARD', 1).target, 'ts-forward');
  assert.equal(t.chains.find((c) => c.name === 'ts-forward')?.references, 1);
});

test('a listing that does not say its table: assumed filter, and said; the caller may name it', () => {
  // Lines of the live `iptables -S` (the DOCKER chain alone, as `iptables -S DOCKER` prints it).
  const lines = fixture('live-debian12-parsers/iptables-S.txt').split('\n');
  const docker = `${[lines[3], ...lines.filter((l) => l.startsWith('-A DOCKER '))].join('\n')}\n`;
  const assumed = parseIptablesS(docker);
  assert.equal(only(assumed.value).name, 'filter');
  assert.match(assumed.issues[0]?.reason ?? '', /assuming filter, iptables' default table/);
  const given = parseIptablesS(docker, { table: 'filter' });
  assert.deepEqual(given.issues, []);
  const wrong = parseIptablesS(fixture('moby-iptablesdoc/usernet-portmap-nat-S.txt'), { table: 'filter' });
  assert.equal(only(wrong.value).name, 'filter');
  assert.match(wrong.issues[0]?.reason ?? '', /given as table filter, but its targets and chains are those of table nat/);
});
