// The hook walker on real rule sets of other hosts (test/fixtures/rulesets, each with its SOURCE.md):
// the chain, rule and verdict a packet meets, checked against the listing's own lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { hostFirewallsOf } from '../../../src/correlate/reach/exposure.js';
import { walkHook } from '../../../src/correlate/reach/hooks.js';
import type { Packet } from '../../../src/correlate/reach/packet.js';
import type { Ruleset } from '../../../src/model/firewall.js';
import { fwTableFromIptables } from '../../../src/parse/firewall-iptables.js';
import { parseIptablesS } from '../../../src/parse/iptables-s.js';
import { repoPath } from '../../repo-path.js';

const DIR = repoPath('test/fixtures/rulesets');

function rulesetS(name: string): { rs: Ruleset; lines: string[] } {
  const text = readFileSync(`${DIR}/${name}/host/iptables-S.txt`, 'utf8');
  const tables = parseIptablesS(text, { family: 'ipv4' }).value;
  return {
    rs: {
      family: 'ipv4',
      tables: tables.map((t) => fwTableFromIptables(t, 'host/iptables-S.txt')),
      notes: [],
      unknownTables: [],
      nftRead: false,
    },
    lines: text.split('\n'),
  };
}

function packet(p: Partial<Packet>): Packet {
  return {
    family: 'ipv4',
    protocol: 'tcp',
    src: '198.51.100.7',
    dst: '',
    sport: 40000,
    dport: 0,
    in: null,
    out: null,
    mark: 0,
    ctstate: 'NEW',
    dnat: true,
    snat: false,
    unnat: null,
    ...p,
  };
}

const CTX = { addrtype: () => ['UNICAST'], primaryAddress: () => null };

test("ufw-docker28-yancmo: a published port's forwarded packet is accepted by Docker's DOCKER rule before ufw's forward chains, although ufw denies routed traffic", () => {
  const { rs, lines } = rulesetS('ufw-docker28-yancmo');
  const p = packet({ dst: '172.18.0.9', dport: 5550, in: 'eth0', out: 'br-bea0b6e2e3a9' });
  const res = walkHook(rs, 'forward', p, CTX, new Map());
  assert.equal(res.verdict, 'accept');
  assert.equal(res.decidedBy?.chain, 'DOCKER');
  const docker = lines.filter((l) => l.startsWith('-A DOCKER '));
  assert.equal(
    docker[(res.decidedBy?.number ?? 0) - 1],
    '-A DOCKER -d 172.18.0.9/32 ! -i br-bea0b6e2e3a9 -o br-bea0b6e2e3a9 -p tcp -m tcp --dport 5550 -j ACCEPT',
  );
  // ufw's chains come after Docker's in FORWARD: the walk never entered them.
  assert.ok(res.steps.every((s) => !s.rule.chain.startsWith('ufw-')));
  assert.ok(lines.indexOf('-A FORWARD -j DOCKER-FORWARD') < lines.indexOf('-A FORWARD -j ufw-before-forward'));
  const fw = hostFirewallsOf(rs);
  assert.ok(fw.some((f) => f.kind === 'ufw'));
  assert.ok(fw.some((f) => f.kind === 'input-policy-drop'));
});

test("ufw-docker28-yancmo: an unpublished port of the same container is dropped in Docker's DOCKER chain, not by ufw", () => {
  const { rs, lines } = rulesetS('ufw-docker28-yancmo');
  const p = packet({ dst: '172.18.0.9', dport: 5999, in: 'eth0', out: 'br-bea0b6e2e3a9' });
  const res = walkHook(rs, 'forward', p, CTX, new Map());
  assert.equal(res.verdict, 'drop');
  assert.equal(res.decidedBy?.chain, 'DOCKER');
  const docker = lines.filter((l) => l.startsWith('-A DOCKER '));
  assert.equal(docker[(res.decidedBy?.number ?? 0) - 1], '-A DOCKER ! -i br-bea0b6e2e3a9 -o br-bea0b6e2e3a9 -j DROP');
});
