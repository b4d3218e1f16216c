// Which NAT source nat-facts reads when several are present, and how what their parsers say is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParseIssue, Parsed } from '../../src/model/parsed.js';
import { readPortFacts } from '../../src/parse/nat-facts.js';
import { emptySnapshot, FACT, type Snapshot } from '../../src/snapshot/snapshot.js';
import { fixture } from './helpers.js';

function snapshotOf(files: Record<string, string>): Snapshot {
  const s = emptySnapshot({ kind: 'saved', location: 'test' });
  for (const [path, from] of Object.entries(files))
    s.facts.set(path, { path, text: fixture(from), origin: { kind: 'manual', what: path } });
  return s;
}

function read(files: Record<string, string>) {
  const issues = new Map<string, ParseIssue[]>();
  const take = <T>(path: string, p: Parsed<T>): T => {
    if (p.issues.length > 0) issues.set(path, p.issues);
    return p.value;
  };
  return { nat: readPortFacts(snapshotOf(files), take).nat, issues };
}

const LIVE = 'live-debian12-parsers';

test('nft ruleset text alone: iptables-nft ip nat with its DNAT addresses, named as the source', () => {
  const { nat, issues } = read({ [FACT.nftRulesetText]: `${LIVE}/nft-list-ruleset.txt` });
  assert.equal(nat.ipv4Known, true);
  assert.deepEqual(
    nat.tables.map((t) => [t.from, t.table.family, t.table.name]),
    [[FACT.nftRulesetText, 'ipv4', 'nat']],
  );
  const dnat = nat.tables[0]?.table.rules.find((r) => r.dport?.from === 49154);
  assert.deepEqual(dnat?.dnatTo, { ip: '172.17.0.2', port: { from: 8080, to: 8080 } });
  assert.deepEqual(nat.sources, [`nftables NAT tables from ${FACT.nftRulesetText}: ip nat`]);
  assert.equal(issues.size, 0);
});

test('nft JSON is preferred to its text; its xt issue is kept when no iptables dump has the rules', () => {
  const { nat, issues } = read({
    [FACT.nftRulesetText]: `${LIVE}/nft-list-ruleset.txt`,
    [FACT.nftRulesetJson]: `${LIVE}/nft-j-list-ruleset.json`,
  });
  assert.deepEqual(
    nat.tables.map((t) => t.from),
    [FACT.nftRulesetJson],
  );
  assert.deepEqual(
    issues.get(FACT.nftRulesetJson)?.map((i) => i.table),
    [{ family: 'ipv4', name: 'nat' }],
  );
});

test("with iptables-save, nft's copies of the iptables tables and what is said of them are set aside", () => {
  const { nat, issues } = read({
    [FACT.iptablesSave]: `${LIVE}/iptables-save-c.txt`,
    [FACT.nftRulesetJson]: `${LIVE}/nft-j-list-ruleset.json`,
  });
  assert.deepEqual(
    nat.tables.map((t) => t.from),
    [FACT.iptablesSave],
  );
  assert.equal(issues.has(FACT.nftRulesetJson), false, 'the xt issue is about a table not used');
  assert.equal(nat.sources.length, 1);
});

test('iptables -S: read when no iptables-save or -L listing exists, and only for a nat listing', () => {
  const both = `${LIVE}/iptables-t-nat-S.txt`;
  const s = read({ [FACT.iptablesS]: both });
  assert.equal(s.nat.ipv4Known, true);
  assert.deepEqual(
    s.nat.tables.map((t) => [t.from, t.table.name, t.table.rules.length]),
    [[FACT.iptablesS, 'nat', 23]],
  );
  assert.deepEqual(s.nat.sources, [`IPv4 nat rules from ${FACT.iptablesS} (iptables -S text)`]);

  const filterOnly = read({ [FACT.iptablesS]: `${LIVE}/iptables-S.txt` });
  assert.equal(filterOnly.nat.ipv4Known, false, '`iptables -S` lists the filter table: the nat table is unknown, not empty');
  assert.match(filterOnly.nat.sources[0] ?? '', /holds no nat table listing \(filter\)/);

  const preferred = read({ [FACT.iptablesS]: both, [FACT.iptablesSave]: `${LIVE}/iptables-save-c.txt` });
  assert.deepEqual(
    preferred.nat.tables.map((t) => t.from),
    [FACT.iptablesSave],
  );
});
