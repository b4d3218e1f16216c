// Which converter firewall-facts.ts gives each table it is handed: `iptables -L` listings (host/iptables-nat.txt)
// are read by their printed words, iptables-save by its option words, nftables by its statements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FwTable, Ruleset } from '../../src/model/firewall.js';
import type { Parsed } from '../../src/model/parsed.js';
import { firewallOf } from '../../src/parse/firewall-facts.js';
import { readPortFacts } from '../../src/parse/nat-facts.js';
import { emptySnapshot, FACT, type Snapshot } from '../../src/snapshot/snapshot.js';
import { fixture } from './helpers.js';

function snapshotOf(files: Record<string, string>): Snapshot {
  const s = emptySnapshot({ kind: 'saved', location: 'test' });
  for (const [path, from] of Object.entries(files))
    s.facts.set(path, { path, text: fixture(from), origin: { kind: 'manual', what: path } });
  return s;
}

function ipv4Of(files: Record<string, string>): Ruleset {
  const take = <T>(_path: string, p: Parsed<T>): T => p.value;
  const fw = firewallOf(readPortFacts(snapshotOf(files), take).nat.firewall, { ipv4: 'no IPv4 rules', ipv6: 'no IPv6 rules' });
  assert.ok(fw.ipv4.known, 'IPv4 ruleset known');
  return fw.ipv4.value;
}

function table(r: Ruleset, name: string): FwTable {
  const t = r.tables.find((x) => x.name === name);
  assert.ok(t, `no table ${name}`);
  return t;
}

test('an `iptables -t nat -L` listing is read by its printed words: ADDRTYPE, the !127.0.0.0/8 exception and DNAT are kept', () => {
  const r = ipv4Of({ [FACT.iptablesNat]: 'lab-snapshot-28/host/iptables-nat.txt' });
  const nat = table(r, 'nat');
  assert.equal(nat.from, FACT.iptablesNat);
  assert.equal(nat.kind, 'iptables');
  assert.deepEqual(nat.chains.get('PREROUTING')?.rules[0]?.conds, [{ kind: 'addrtype', dir: 'dst', types: ['LOCAL'], negated: false }]);
  assert.deepEqual(nat.chains.get('OUTPUT')?.rules[0]?.conds, [
    { kind: 'address', dir: 'dst', cidr: '127.0.0.0/8', negated: true },
    { kind: 'addrtype', dir: 'dst', types: ['LOCAL'], negated: false },
  ]);
  // A listing of nat alone: the other tables are not in the data.
  assert.deepEqual(r.unknownTables, ['raw', 'mangle', 'filter', 'security']);
});

test('a listing without -v: every rule says its interfaces are not in the data', () => {
  const r = ipv4Of({ [FACT.iptablesNat]: 'live-debian12-docker20.10/iptables-nat-nL.txt' });
  const rules = [...table(r, 'nat').chains.values()].flatMap((c) => c.rules);
  assert.ok(rules.length > 0);
  for (const rule of rules)
    assert.ok(
      rule.conds.some((c) => c.kind === 'unmodelled' && /interfaces/.test(c.text)),
      rule.text,
    );
});

test('iptables-save is still read by its option words when both it and the listing are in the snapshot', () => {
  const r = ipv4Of({
    [FACT.iptablesSave]: 'lab-snapshot-28/host/iptables-save.txt',
    [FACT.iptablesNat]: 'lab-snapshot-28/host/iptables-nat.txt',
  });
  assert.ok(r.tables.every((t) => t.from !== FACT.iptablesNat));
  const pre = table(r, 'nat').chains.get('PREROUTING')?.rules[0];
  assert.deepEqual(pre?.conds, [{ kind: 'addrtype', dir: 'dst', types: ['LOCAL'], negated: false }]);
});

test("nftables' own tables come through the statement reader: Docker 29's verdict maps", () => {
  const r = ipv4Of({ [FACT.nftRulesetText]: 'moby-nftablesdoc/usernet-portmap-nft-list-ruleset.txt' });
  const bridges = table(r, 'docker-bridges');
  assert.equal(bridges.kind, 'nftables');
  assert.equal(bridges.chains.get('filter-FORWARD')?.rules[0]?.action.kind, 'vmap');
  assert.equal(r.nftRead, true);
});
