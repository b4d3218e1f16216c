// The chain graph alone, over one real table each: Docker 20.10's iptables nat table and Docker 29's
// own nftables table (moby's golden ruleset); which chains a packet passes from a hook to a chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainGraph, destinationAllows, hookOf, hookPath, outputChainName } from '../../../src/correlate/nat/chain-graph.js';
import type { NatTable } from '../../../src/model/nat-rule.js';
import { parseIptablesSave } from '../../../src/parse/iptables-save.js';
import { parseNftJson } from '../../../src/parse/nft-json.js';
import { fixture } from '../../parse/helpers.js';

function only(tables: NatTable[], name: string, family: string): NatTable {
  const t = tables.find((x) => x.name === name && x.family === family);
  assert.ok(t, `no ${family} table ${name}`);
  return t;
}

const iptablesNat = () => only(parseIptablesSave(fixture('live-debian12-docker20.10/iptables-save.txt')).value, 'nat', 'ipv4');
const dockerNft = (family: string) =>
  only(parseNftJson(fixture('moby-nftabler-golden/nft-j-list-ruleset.json')).value, 'docker-bridges', family);

test('iptables: built-in chains are their hooks; PREROUTING reaches DOCKER for any local address', () => {
  const t = iptablesNat();
  assert.equal(hookOf(t, 'PREROUTING'), 'prerouting');
  assert.equal(hookOf(t, 'DOCKER'), null);
  const g = chainGraph(t);
  assert.deepEqual(hookPath(g, 'DOCKER', 'prerouting', null), ['PREROUTING', 'DOCKER']);
  assert.deepEqual(hookPath(g, 'DOCKER', 'prerouting', '127.0.0.1'), ['PREROUTING', 'DOCKER']);
  assert.deepEqual(hookPath(g, 'PREROUTING', 'prerouting', null), ['PREROUTING']);
});

test('iptables: OUTPUT jumps to DOCKER only for ! -d 127.0.0.0/8, so loopback does not reach it', () => {
  const g = chainGraph(iptablesNat());
  assert.deepEqual(hookPath(g, 'DOCKER', 'output', '10.0.0.5'), ['OUTPUT', 'DOCKER']);
  assert.equal(hookPath(g, 'DOCKER', 'output', '127.0.0.1'), null);
  // dst null is any local address: a negated destination match lets none of them through.
  assert.equal(hookPath(g, 'DOCKER', 'output', null), null);
  assert.deepEqual(
    g.outputJumps.map((r) => [r.chain, r.destination, r.destinationNegated, r.target]),
    [['OUTPUT', '127.0.0.0/8', true, 'DOCKER']],
  );
  assert.equal(outputChainName(g), 'OUTPUT');
});

test('a chain no jump leads to has no path; POSTROUTING is not on the way from PREROUTING', () => {
  const g = chainGraph(iptablesNat());
  assert.equal(hookPath(g, 'POSTROUTING', 'prerouting', null), null);
  assert.equal(hookPath(g, 'NO-SUCH-CHAIN', 'output', '10.0.0.5'), null);
});

test('nft: base chains carry their hooks; Docker 29 reaches nat-prerouting-and-output from both hooks', () => {
  const t = dockerNft('ipv4');
  assert.equal(hookOf(t, 'nat-PREROUTING'), 'prerouting');
  // nft names no built-in chain: a chain called OUTPUT without a hook would be a user chain.
  assert.equal(hookOf(t, 'OUTPUT'), null);
  const g = chainGraph(t);
  assert.deepEqual(hookPath(g, 'nat-prerouting-and-output', 'prerouting', null), ['nat-PREROUTING', 'nat-prerouting-and-output']);
  assert.deepEqual(hookPath(g, 'nat-prerouting-and-output', 'output', '192.168.1.10'), ['nat-OUTPUT', 'nat-prerouting-and-output']);
  assert.equal(hookPath(g, 'nat-prerouting-and-output', 'output', '127.0.0.1'), null);
  assert.equal(outputChainName(g), 'nat-OUTPUT');
  const g6 = chainGraph(dockerNft('ipv6'));
  assert.equal(hookPath(g6, 'nat-prerouting-and-output', 'output', '::1'), null);
  assert.deepEqual(hookPath(g6, 'nat-prerouting-and-output', 'output', 'fd00::5'), ['nat-OUTPUT', 'nat-prerouting-and-output']);
});

test('a search is remembered in its own graph only: a second graph of the same table starts empty', () => {
  const t = iptablesNat();
  const g = chainGraph(t);
  const first = hookPath(g, 'DOCKER', 'output', '10.0.0.5');
  assert.equal(hookPath(g, 'DOCKER', 'output', '10.0.0.5'), first);
  assert.equal(g.paths.size, 1);
  assert.equal(chainGraph(t).paths.size, 0);
});

test('destinationAllows: no match lets all through; a negated match keeps its network out', () => {
  const jump = chainGraph(iptablesNat()).outputJumps[0];
  assert.ok(jump);
  assert.equal(destinationAllows(jump, '127.0.0.1'), false);
  assert.equal(destinationAllows(jump, '172.17.0.1'), true);
  assert.equal(destinationAllows(jump, null), false);
  assert.equal(destinationAllows({ ...jump, destination: null }, '127.0.0.1'), true);
  assert.equal(destinationAllows({ ...jump, destinationNegated: false }, '127.0.0.1'), true);
  assert.equal(destinationAllows({ ...jump, destinationNegated: false }, null), true);
});
