// The firewall model of the real rule sets of other hosts (test/fixtures/rulesets, see its INDEX.md):
// `iptables -L` listings and `nft list ruleset` text of Docker 27-29 hosts with ufw, firewalld and
// Tailscale. What is unmodelled in each, and why; and the rules their threads turn on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Action, Cond, FwRule, FwTable } from '../../src/model/firewall.js';
import { fwTableFromListing } from '../../src/parse/firewall-listing.js';
import { fwTableFromNft } from '../../src/parse/firewall-nft.js';
import { parseIptablesNatText } from '../../src/parse/iptables-nat-text.js';
import { parseNftText } from '../../src/parse/nft-text.js';
import { fixture } from './helpers.js';

const R = 'rulesets';

function listing(dir: string, file = 'iptables-filter.txt', table = 'filter'): FwTable {
  return fwTableFromListing(parseIptablesNatText(fixture(`${R}/${dir}/host/${file}`), undefined, table).value, file);
}

function nft(dir: string): FwTable[] {
  return parseNftText(fixture(`${R}/${dir}/host/nft-ruleset.txt`))
    .value.map((t) => fwTableFromNft(t, 'nft-ruleset.txt'))
    .filter((t): t is FwTable => t !== null);
}

function ruleOf(t: FwTable | undefined, chain: string, n: number): FwRule {
  const r = t?.chains.get(chain)?.rules.find((x) => x.number === n);
  assert.ok(r, `no rule ${chain} #${n}`);
  return r;
}

function chainOf(t: FwTable, chain: string): FwRule[] {
  return t.chains.get(chain)?.rules ?? [];
}

function expectRule(t: FwTable | undefined, chain: string, n: number, conds: Cond[], action: Action): void {
  const r = ruleOf(t, chain, n);
  assert.deepEqual({ conds: r.conds, action: r.action }, { conds, action }, `${chain} #${n}: ${r.text}`);
}

function unmodelledOf(ts: FwTable[]): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (k: string): void => {
    out[k] = (out[k] ?? 0) + 1;
  };
  for (const t of ts)
    for (const c of t.chains.values())
      for (const r of c.rules) {
        for (const k of r.conds) if (k.kind === 'unmodelled') add(`cond ${k.text}`);
        if (r.action.kind === 'unmodelled') add(`action ${r.action.target}`);
      }
  return out;
}

const F = false;
const iface = (dir: 'in' | 'out', name: string, negated = F): Cond => ({ kind: 'interface', dir, name, negated });
const addr = (dir: 'src' | 'dst', cidr: string, negated = F): Cond => ({ kind: 'address', dir, cidr, negated });
const proto = (protocol: string): Cond => ({ kind: 'protocol', protocol, negated: F });
const dport = (p: number): Cond => ({ kind: 'port', dir: 'dst', ports: [{ from: p, to: p }], negated: F });
const ct = (...states: string[]): Cond => ({ kind: 'ctstate', states, negated: F });
const jump = (chain: string): Action => ({ kind: 'jump', chain });

const NO_V = 'cond in/out interfaces (listed without -v: the listing does not show them)';
// The excerpts stop before some chains their rules jump to (SOURCE.md says which): those jumps cannot be followed.
const UNMODELLED: [string, () => FwTable[], Record<string, number>][] = [
  [
    'moby-49498-docker28-forward',
    () => [listing('moby-49498-docker28-forward')],
    { 'action DOCKER-USER': 1, 'action DOCKER-ISOLATION-STAGE-1': 1, 'action DOCKER': 1, 'action DOCKER-INGRESS': 1 },
  ],
  [
    'moby-49498-docker28-nat',
    () => [listing('moby-49498-docker28-nat', 'iptables-nat.txt', 'nat')],
    { 'action DOCKER': 2, 'action ts-postrouting': 1 },
  ],
  ['moby-49536-docker28-swarm-drop', () => [listing('moby-49536-docker28-swarm-drop')], {}],
  [
    'moby-49511-docker28-reject',
    () => [listing('moby-49511-docker28-reject')],
    { [NO_V]: 9, 'action DOCKER-USER': 1, 'action DOCKER-ISOLATION-STAGE-1': 1 },
  ],
  [
    'for-linux-1521-docker27-oracle',
    () => [listing('for-linux-1521-docker27-oracle')],
    { 'action ts-input': 1, 'action DOCKER-USER': 1, 'action DOCKER-ISOLATION-STAGE-1': 1 },
  ],
  [
    'moby-51015-docker28-tailscale-route',
    () => [listing('moby-51015-docker28-tailscale-route')],
    { 'action ts-input': 1, 'action ts-forward': 1, 'action DOCKER-USER': 1, 'action DOCKER-FORWARD': 1 },
  ],
  [
    'moby-43974-docker-user-order',
    () => [listing('moby-43974-docker-user-order')],
    { 'action DOCKER-ISOLATION-STAGE-1': 1, 'action DOCKER': 1 },
  ],
  // `#test ip for dropping` is the poster's own note after the rule, not iptables output.
  [
    'ufw-docker-41-forward-before-input',
    () => [listing('ufw-docker-41-forward-before-input')],
    { [NO_V]: 8, 'cond #test ip for dropping': 1 },
  ],
  ['moby-48411-nft-input-drop', () => nft('moby-48411-nft-input-drop'), {}],
  [
    'libnetwork-2496-firewalld-nftables',
    () => nft('libnetwork-2496-firewalld-nftables'),
    {
      'action jump LIBVIRT_FWX (chain not in the data)': 1,
      'action jump LIBVIRT_FWI (chain not in the data)': 1,
      'action jump LIBVIRT_FWO (chain not in the data)': 1,
      'action jump DOCKER-USER (chain not in the data)': 1,
      'action jump DOCKER-ISOLATION-STAGE-1 (chain not in the data)': 1,
      'action jump DOCKER (chain not in the data)': 1,
    },
  ],
  [
    'ufw-docker29-azazello',
    () => nft('ufw-docker29-azazello'),
    {
      // ICMP types: the icmp protocol condition already decides for the TCP and UDP packets docknet walks.
      'cond icmp type destination-unreachable': 2,
      'cond icmp type time-exceeded': 2,
      'cond icmp type parameter-problem': 2,
      'cond icmp type echo-request': 2,
      // `head -220` cut the listing before these chains.
      'action jump ufw-user-forward (chain not in the data)': 1,
      'action jump f2b-ufw-portscan (chain not in the data)': 1,
    },
  ],
];

for (const [dir, read, expected] of UNMODELLED) {
  test(`rulesets ${dir}: everything is modelled but these, each for its reason`, () => {
    assert.deepEqual(unmodelledOf(read()), expected);
  });
}

test('rulesets ufw-docker29-azazello (nft text): Docker 29 FORWARD reaches DOCKER-FORWARD before ufw; the 443 accept', () => {
  const filter = nft('ufw-docker29-azazello').find((t) => t.name === 'filter');
  assert.deepEqual(filter?.chains.get('FORWARD')?.base, { hook: 'forward', priority: 0, type: 'filter', policy: 'drop' });
  expectRule(filter, 'FORWARD', 5, [], jump('DOCKER-USER'));
  expectRule(filter, 'FORWARD', 6, [], jump('DOCKER-FORWARD'));
  expectRule(filter, 'FORWARD', 8, [], jump('ufw-before-forward'));
  assert.deepEqual(filter?.chains.get('DOCKER-USER')?.rules, []);
  expectRule(filter, 'DOCKER-FORWARD', 1, [], jump('DOCKER-CT'));
  expectRule(filter, 'DOCKER-CT', 3, [iface('out', 'docker0'), ct('RELATED', 'ESTABLISHED')], { kind: 'accept' });
  expectRule(filter, 'DOCKER-BRIDGE', 3, [iface('out', 'docker0')], jump('DOCKER'));
  const accept443 = ruleOf(filter, 'DOCKER', 2);
  assert.deepEqual(accept443.conds, [
    addr('dst', '172.17.0.3'),
    iface('in', 'docker0', true),
    iface('out', 'docker0'),
    proto('tcp'),
    dport(443),
  ]);
  assert.deepEqual([accept443.action, accept443.packets], [{ kind: 'accept' }, 28]);
  expectRule(filter, 'DOCKER', 5, [iface('in', 'docker0', true), iface('out', 'docker0')], { kind: 'drop' });
});

test("rulesets ufw-docker29-azazello (nft text): ufw's chains: conntrack, loopback, DHCP, broadcasts, logging limits", () => {
  const filter = nft('ufw-docker29-azazello').find((t) => t.name === 'filter');
  expectRule(filter, 'ufw-before-input', 1, [iface('in', 'lo')], { kind: 'accept' });
  expectRule(filter, 'ufw-before-input', 2, [ct('RELATED', 'ESTABLISHED')], { kind: 'accept' });
  expectRule(filter, 'ufw-before-input', 4, [ct('INVALID')], { kind: 'drop' });
  expectRule(
    filter,
    'ufw-before-input',
    9,
    [proto('udp'), { kind: 'port', dir: 'src', ports: [{ from: 67, to: 67 }], negated: F }, dport(68)],
    { kind: 'accept' },
  );
  expectRule(filter, 'ufw-before-input', 13, [], jump('ufw-user-input'));
  expectRule(
    filter,
    'ufw-after-input',
    7,
    [{ kind: 'addrtype', dir: 'dst', types: ['BROADCAST'], negated: F }],
    jump('ufw-skip-to-policy-input'),
  );
  const log = ruleOf(filter, 'ufw-after-logging-input', 1);
  assert.deepEqual(
    log.conds.map((c) => c.kind),
    ['assumed'],
  );
  assert.deepEqual(log.action, { kind: 'continue' });
  expectRule(filter, 'ufw-skip-to-policy-input', 1, [], { kind: 'drop' });
});

test('rulesets moby-49498-docker28-forward (-L -v -n): the ipset match Docker 28 jumps through, its set unknown', () => {
  const t = listing('moby-49498-docker28-forward');
  expectRule(t, 'FORWARD', 2, [{ kind: 'set', name: 'docker-ext-bridges-v4', dirs: ['dst'], negated: F }, ct('RELATED', 'ESTABLISHED')], {
    kind: 'accept',
  });
  const intoDocker = ruleOf(t, 'FORWARD', 4);
  assert.deepEqual(intoDocker.conds, [{ kind: 'set', name: 'docker-ext-bridges-v4', dirs: ['dst'], negated: F }]);
  assert.deepEqual([intoDocker.packets, intoDocker.bytes], [7, 420]);
});

test('rulesets moby-49511-docker28-reject (-L -n): the host REJECT in FORWARD, its interfaces not in the listing', () => {
  const t = listing('moby-49511-docker28-reject');
  const reject = ruleOf(t, 'FORWARD', 5);
  assert.deepEqual(reject.action, { kind: 'reject', with: 'icmp-port-unreachable' });
  assert.deepEqual(reject.conds, [{ kind: 'unmodelled', text: NO_V.slice(5), negated: F }]);
});

test('rulesets for-linux-1521-docker27-oracle (-L -v -n): the image INPUT, state NEW ssh then REJECT icmp-host-prohibited', () => {
  const t = listing('for-linux-1521-docker27-oracle');
  expectRule(t, 'INPUT', 2, [ct('RELATED', 'ESTABLISHED')], { kind: 'accept' });
  expectRule(t, 'INPUT', 6, [proto('tcp'), ct('NEW'), dport(22)], { kind: 'accept' });
  const reject = ruleOf(t, 'INPUT', 7);
  assert.deepEqual([reject.conds, reject.action, reject.packets], [[], { kind: 'reject', with: 'icmp-host-prohibited' }, 338]);
});

test('rulesets moby-49536-docker28-swarm-drop (-L -v -n): the DROP of traffic into docker_gwbridge from elsewhere', () => {
  const t = listing('moby-49536-docker28-swarm-drop');
  const drop = [...t.chains.values()].flatMap((c) => c.rules).find((r) => r.action.kind === 'drop' && r.packets === 728);
  assert.deepEqual(drop?.conds, [iface('in', 'docker_gwbridge', true), iface('out', 'docker_gwbridge')]);
});

test('rulesets ufw-docker-41-forward-before-input (-L): the accept in ufw-user-forward by service name, the drop in ufw-user-input', () => {
  const t = listing('ufw-docker-41-forward-before-input');
  const accept = ruleOf(t, 'ufw-user-forward', 1);
  assert.deepEqual(accept.conds.slice(1), [{ kind: 'unmodelled', text: NO_V.slice(5), negated: F }, addr('dst', '172.31.0.3'), dport(80)]);
  const drop = chainOf(t, 'ufw-user-input').find((r) => r.action.kind === 'drop');
  assert.ok(drop?.conds.some((c) => c.kind === 'address' && c.cidr === '148.252.128.251'));
});

test('rulesets moby-48411-nft-input-drop (nft text): INPUT policy drop, accepts for icmp, docker0 and established from hass', () => {
  const filter = nft('moby-48411-nft-input-drop').find((t) => t.name === 'filter');
  assert.deepEqual(filter?.chains.get('INPUT')?.base, { hook: 'input', priority: 0, type: 'filter', policy: 'drop' });
  expectRule(filter, 'INPUT', 1, [proto('icmp')], { kind: 'accept' });
  expectRule(filter, 'INPUT', 2, [iface('in', 'docker0')], { kind: 'accept' });
  expectRule(filter, 'INPUT', 3, [iface('in', 'hass'), ct('ESTABLISHED', 'RELATED')], { kind: 'accept' });
});
