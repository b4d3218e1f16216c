// The real rule sets of test/fixtures/rulesets parse without a crash, hold the chains and rules counted by hand,
// and report exactly the lines they cannot read (prompts, the posters' elisions, the cut at the end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { NatTable } from '../../src/model/nat-rule.js';
import type { Parsed } from '../../src/model/parsed.js';
import { parseIptablesNatText } from '../../src/parse/iptables-nat-text.js';
import { parseIptablesS } from '../../src/parse/iptables-s.js';
import { parseIptablesSave } from '../../src/parse/iptables-save.js';
import { parseNftJson } from '../../src/parse/nft-json.js';
import { parseNftText } from '../../src/parse/nft-text.js';
import { repoPath } from '../repo-path.js';
import { fixture, rule } from './helpers.js';
import { holds, ruleParseComplaint, type RuleCheck } from './invariants.js';

interface Case {
  /** Directory under test/fixtures/rulesets/, and the file under its host/. */
  dir: string;
  file: 'iptables-save.txt' | 'iptables-S.txt' | 'iptables-nat.txt' | 'iptables-filter.txt' | 'nft-ruleset.txt' | 'nft-ruleset.json';
  /** `family name` of each table, in input order. */
  tables: string[];
  /** Counted by hand in the text (Chain/`:`/-P/-N/`chain x {` lines; rule lines), not by any parser. */
  chains: number;
  rules: number;
  /** Lines the parser must report: a prompt, an elision, the end of a cut table. */
  issueLines: number[];
}

const CASES: Case[] = [
  {
    dir: 'ufw-docker28-yancmo',
    file: 'iptables-S.txt',
    tables: ['ipv4 filter'],
    chains: 44,
    rules: 76,
    issueLines: [],
  },
  { dir: 'ufw-docker29-azazello', file: 'iptables-S.txt', tables: ['ipv4 filter'], chains: 42, rules: 158, issueLines: [] },
  { dir: 'ufw-docker29-azazello', file: 'nft-ruleset.txt', tables: ['ipv4 filter'], chains: 35, rules: 112, issueLines: [221] },
  { dir: 'ufw-docker-41-forward-before-input', file: 'iptables-filter.txt', tables: ['ipv4 filter'], chains: 2, rules: 8, issueLines: [] },
  { dir: 'moby-49498-docker28-forward', file: 'iptables-filter.txt', tables: ['ipv4 filter'], chains: 2, rules: 7, issueLines: [] },
  { dir: 'moby-49498-docker28-nat', file: 'iptables-nat.txt', tables: ['ipv4 nat'], chains: 4, rules: 6, issueLines: [1] },
  { dir: 'moby-49536-docker28-swarm-drop', file: 'iptables-filter.txt', tables: ['ipv4 filter'], chains: 2, rules: 2, issueLines: [1] },
  { dir: 'moby-49511-docker28-reject', file: 'iptables-filter.txt', tables: ['ipv4 filter'], chains: 3, rules: 9, issueLines: [1] },
  { dir: 'for-linux-1521-docker27-oracle', file: 'iptables-filter.txt', tables: ['ipv4 filter'], chains: 2, rules: 9, issueLines: [] },
  {
    dir: 'moby-51015-docker28-tailscale-route',
    file: 'iptables-filter.txt',
    tables: ['ipv4 filter'],
    chains: 4,
    rules: 8,
    issueLines: [1],
  },
  { dir: 'moby-43974-docker-user-order', file: 'iptables-filter.txt', tables: ['ipv4 filter'], chains: 1, rules: 3, issueLines: [2] },
  { dir: 'lxd-11140-docker-user-tailscale', file: 'iptables-save.txt', tables: ['ipv4 filter'], chains: 9, rules: 16, issueLines: [28] },
  { dir: 'firewalld-844-docker-nat', file: 'iptables-save.txt', tables: ['ipv4 nat'], chains: 5, rules: 13, issueLines: [21] },
  { dir: 'libnetwork-2496-firewalld-nftables', file: 'nft-ruleset.txt', tables: ['ipv4 filter'], chains: 1, rules: 9, issueLines: [] },
  {
    dir: 'moby-48411-nft-input-drop',
    file: 'nft-ruleset.txt',
    tables: ['ipv4 mangle', 'ipv4 filter'],
    chains: 6,
    rules: 3,
    issueLines: [1, 31, 31],
  },
];

const ROOT = 'rulesets';

function parse(c: Case, text: string): Parsed<NatTable[]> {
  switch (c.file) {
    case 'iptables-save.txt':
      return parseIptablesSave(text);
    case 'iptables-S.txt':
      return parseIptablesS(text);
    case 'iptables-nat.txt':
    case 'iptables-filter.txt': {
      const p = parseIptablesNatText(text, undefined, c.file === 'iptables-nat.txt' ? 'nat' : 'filter');
      return { value: [p.value], issues: p.issues };
    }
    case 'nft-ruleset.txt':
      return parseNftText(text);
    case 'nft-ruleset.json':
      return parseNftJson(text);
  }
}

/** What ruleParseComplaint may check of each format: nft indents its rules, JSON has no lines. */
function checkOf(c: Case, text: string): RuleCheck {
  const lines = text.split(/\r?\n|\r/);
  if (c.file === 'nft-ruleset.json') return { numbers: 'counted' };
  if (c.file === 'nft-ruleset.txt') return { numbers: 'counted', lines, indented: true, chainsDeclared: true };
  return { numbers: 'counted', lines, chainsDeclared: true };
}

function parsed(dir: string, file?: Case['file']): { c: Case; tables: NatTable[] } {
  const c = CASES.find((x) => x.dir === dir && (file === undefined || x.file === file));
  assert.ok(c, `no case ${dir} ${file ?? ''}`);
  return { c, tables: parse(c, fixture(`${ROOT}/${c.dir}/host/${c.file}`)).value };
}

function table(tables: NatTable[], name: string): NatTable {
  const t = tables.find((x) => x.name === name);
  assert.ok(t, `no table ${name}`);
  return t;
}

for (const c of CASES) {
  test(`rulesets/${c.dir}/${c.file}: parses with the chains and rules counted by hand`, () => {
    const text = fixture(`${ROOT}/${c.dir}/host/${c.file}`);
    const p = parse(c, text);
    holds(ruleParseComplaint(text, p, checkOf(c, text)), c.dir);
    assert.deepEqual(
      p.value.map((t) => `${t.family} ${t.name}`),
      c.tables,
    );
    assert.equal(
      p.value.reduce((n, t) => n + t.chains.length, 0),
      c.chains,
      'chains',
    );
    assert.equal(
      p.value.reduce((n, t) => n + t.rules.length, 0),
      c.rules,
      'rules',
    );
    assert.deepEqual(
      p.issues.map((i) => i.line),
      c.issueLines,
      JSON.stringify(p.issues.map((i) => [i.line, i.reason])),
    );
  });
}

test('rulesets: every fixture file has a case and a SOURCE.md, and INDEX.md lists every directory', () => {
  const dir = repoPath(`test/fixtures/${ROOT}`);
  const dirs = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const files = dirs.flatMap((d) => readdirSync(`${dir}/${d}/host`).map((f) => `${d}/host/${f}`));
  assert.deepEqual(files, CASES.map((c) => `${c.dir}/host/${c.file}`).sort());
  const index = fixture(`${ROOT}/INDEX.md`);
  for (const d of dirs) {
    assert.ok(readdirSync(`${dir}/${d}`).includes('SOURCE.md'), `${d} has no SOURCE.md`);
    assert.ok(index.includes(`| ${d} |`), `INDEX.md has no row for ${d}`);
  }
});

test('ufw-docker28-yancmo: Docker 28 accepts the published port in DOCKER before ufw-before-forward', () => {
  const t = parsed('ufw-docker28-yancmo').tables[0];
  assert.ok(t);
  assert.deepEqual(
    ['FORWARD', 'ufw-before-forward'].map((ch) => t.rules.filter((r) => r.chain === ch).map((r) => r.target)),
    [
      [
        'ts-forward',
        'DOCKER-USER',
        'DOCKER-FORWARD',
        'ufw-before-logging-forward',
        'ufw-before-forward',
        'ufw-after-forward',
        'ufw-after-logging-forward',
        'ufw-reject-forward',
        'ufw-track-forward',
      ],
      ['ACCEPT', 'ACCEPT', 'ACCEPT', 'ACCEPT', 'ACCEPT', 'ufw-user-forward'],
    ],
  );
  const r = rule(t, 'DOCKER', 3);
  assert.deepEqual(
    [r.target, r.destination, r.inInterface, r.inNegated, r.outInterface, r.protocol, r.dport],
    ['ACCEPT', '172.18.0.9', 'br-bea0b6e2e3a9', true, 'br-bea0b6e2e3a9', 'tcp', { from: 5550, to: 5550 }],
  );
  assert.equal(t.chains.find((c) => c.name === 'FORWARD')?.policy, 'DROP');
  assert.equal(t.rules.filter((r) => r.chain === 'DOCKER-USER').length, 0);
});

test('ufw-docker28-yancmo: an iptables -S listing with INPUT, FORWARD and OUTPUT policies is the filter table, MARK or not', () => {
  assert.equal(parsed('ufw-docker28-yancmo').tables[0]?.name, 'filter');
});

test('ufw-docker-41: the forwarded ACCEPT for 172.31.0.3 port 80 comes from ufw-user-forward, the DROP of the banned source from ufw-user-input', () => {
  const t = parsed('ufw-docker-41-forward-before-input').tables[0];
  assert.ok(t);
  const allow = rule(t, 'ufw-user-forward', 1);
  assert.deepEqual([allow.target, allow.source, allow.destination, allow.dport], ['ACCEPT', null, '172.31.0.3', { from: 80, to: 80 }]);
  const ban = rule(t, 'ufw-user-input', 4);
  assert.deepEqual([ban.target, ban.source, ban.matches], ['DROP', '148.252.128.251', '#test ip for dropping']);
});

test('docker 28.0 listings: the ipset match on Docker’s jumps and the swarm drops are read as written', () => {
  const f = parsed('moby-49498-docker28-forward').tables[0];
  assert.ok(f);
  const jump = rule(f, 'FORWARD', 4);
  assert.deepEqual([jump.target, jump.packets, jump.bytes, jump.matches], ['DOCKER', 7, 420, 'match-set docker-ext-bridges-v4 dst']);
  const swarm = parsed('moby-49536-docker28-swarm-drop').tables[0];
  assert.ok(swarm);
  const drop = rule(swarm, 'DOCKER', 1);
  assert.deepEqual(
    [drop.target, drop.inInterface, drop.inNegated, drop.outInterface, drop.packets],
    ['DROP', 'docker_gwbridge', true, 'docker_gwbridge', 728],
  );
  const reject = rule(parsed('moby-49511-docker28-reject').tables[0] as NatTable, 'FORWARD', 5);
  assert.deepEqual([reject.target, reject.matches], ['REJECT', 'reject-with icmp-port-unreachable']);
});

test('lxd-11140: the FORWARD policy counters say what the DROP policy took', () => {
  const t = table(parsed('lxd-11140-docker-user-tailscale').tables, 'filter');
  const fwd = t.chains.find((c) => c.name === 'FORWARD');
  assert.deepEqual([fwd?.policy, fwd?.packets, fwd?.bytes], ['DROP', 72, 11392]);
  assert.deepEqual(
    t.rules
      .filter((r) => r.chain === 'FORWARD')
      .map((r) => r.target)
      .slice(0, 3),
    ['ts-forward', 'DOCKER-USER', 'DOCKER-ISOLATION-STAGE-1'],
  );
});

test('libnetwork-2496: Docker’s ip filter FORWARD is a base chain at priority 0 that accepts docker0 traffic', () => {
  const t = table(parsed('libnetwork-2496-firewalld-nftables').tables, 'filter');
  const fwd = t.chains.find((c) => c.name === 'FORWARD');
  assert.deepEqual([fwd?.hook, fwd?.priority, fwd?.policy], ['forward', 0, 'ACCEPT']);
  const out = rule(t, 'FORWARD', 8);
  assert.deepEqual([out.target, out.inInterface, out.outInterface, out.outNegated], ['ACCEPT', 'docker0', 'docker0', true]);
});

test('ufw-docker29-azazello: Docker 29 accepts the published 443 in DOCKER while ufw’s own allow for 9443 counts nothing', () => {
  const s = parsed('ufw-docker29-azazello', 'iptables-S.txt').tables[0];
  const n = table(parsed('ufw-docker29-azazello', 'nft-ruleset.txt').tables, 'filter');
  assert.ok(s);
  const targets = (t: NatTable, ch: string) => t.rules.filter((r) => r.chain === ch).map((r) => r.target);
  // The same rules in both forms: the FORWARD, DOCKER and DOCKER-FORWARD chains agree target for target.
  for (const ch of ['FORWARD', 'DOCKER', 'DOCKER-FORWARD', 'DOCKER-BRIDGE', 'DOCKER-CT'])
    assert.deepEqual(targets(n, ch), targets(s, ch), ch);
  assert.deepEqual(targets(s, 'DOCKER-FORWARD'), ['DOCKER-CT', 'DOCKER-INTERNAL', 'DOCKER-BRIDGE', 'ACCEPT', 'ACCEPT', 'ACCEPT']);
  const accept = rule(n, 'DOCKER', 2);
  assert.deepEqual(
    [accept.target, accept.destination, accept.inInterface, accept.inNegated, accept.outInterface, accept.dport, accept.packets],
    ['ACCEPT', '172.17.0.3', 'docker0', true, 'docker0', { from: 443, to: 443 }, 28],
  );
  const ufwAllow = n.rules.find((r) => r.chain === 'ufw-user-input' && r.dport?.from === 9443);
  assert.deepEqual([ufwAllow?.target, ufwAllow?.packets], ['ACCEPT', 0]);
  assert.equal(n.chains.find((c) => c.name === 'FORWARD')?.policy, 'DROP');
  assert.equal(n.rules.filter((r) => r.chain === 'DOCKER-USER').length, 0);
});
