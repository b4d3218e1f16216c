// nftables rules in the firewall model (parse/firewall-nft.ts), read from real `nft list ruleset` text and
// `nft -j` JSON: what each statement becomes, and every statement left unmodelled, with why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Action, Cond, FwChain, FwRule, FwTable } from '../../src/model/firewall.js';
import { fwTableFromNft } from '../../src/parse/firewall-nft.js';
import { xtStatement } from '../../src/parse/firewall-nft-verdict.js';
import { parseNftJson } from '../../src/parse/nft-json.js';
import { parseNftText } from '../../src/parse/nft-text.js';
import { fixture } from './helpers.js';

function tablesOf(path: string): FwTable[] {
  const parsed = path.endsWith('.json') ? parseNftJson(fixture(path)) : parseNftText(fixture(path));
  return parsed.value.map((t) => fwTableFromNft(t, path)).filter((t): t is FwTable => t !== null);
}

function chainOf(ts: FwTable[], table: string, chain: string): FwChain {
  const c = ts.find((t) => t.name === table)?.chains.get(chain);
  assert.ok(c, `no chain ${table} ${chain}`);
  return c;
}

function ruleOf(ts: FwTable[], table: string, chain: string, n: number): FwRule {
  const r = chainOf(ts, table, chain).rules.find((x) => x.number === n);
  assert.ok(r, `no rule ${table} ${chain} #${n}`);
  return r;
}

function expectRule(ts: FwTable[], table: string, chain: string, n: number, conds: Cond[], action: Action): void {
  const r = ruleOf(ts, table, chain, n);
  assert.deepEqual({ conds: r.conds, action: r.action }, { conds, action }, `${table} ${chain} #${n}: ${r.text}`);
}

/** Every condition and action left unmodelled, as `table/chain#n: cond|action text`. */
function unmodelledOf(ts: FwTable[]): string[] {
  const out: string[] = [];
  for (const t of ts)
    for (const c of t.chains.values())
      for (const r of c.rules) {
        for (const k of r.conds) if (k.kind === 'unmodelled') out.push(`${t.name}/${c.name}#${r.number}: cond ${k.text}`);
        if (r.action.kind === 'unmodelled') out.push(`${t.name}/${c.name}#${r.number}: action ${r.action.target}`);
      }
  return out;
}

const F = false;
const iface = (dir: 'in' | 'out', name: string, negated = F): Cond => ({ kind: 'interface', dir, name, negated });
const addr = (dir: 'src' | 'dst', cidr: string, negated = F): Cond => ({ kind: 'address', dir, cidr, negated });
const proto = (protocol: string, negated = F): Cond => ({ kind: 'protocol', protocol, negated });
const dport = (from: number, to = from, negated = F): Cond => ({ kind: 'port', dir: 'dst', ports: [{ from, to }], negated });
const ct = (...states: string[]): Cond => ({ kind: 'ctstate', states, negated: F });
const local: Cond = { kind: 'addrtype', dir: 'dst', types: ['LOCAL'], negated: F };
const ipv4: Cond = { kind: 'family', family: 'ipv4', negated: F };
const ipv6: Cond = { kind: 'family', family: 'ipv6', negated: F };
const jump = (chain: string): Action => ({ kind: 'jump', chain });

// Why each fixture's unmodelled statements are unmodelled. `xt match` is an iptables-nft match that nft
// JSON (and older nft text) shows by its name only, without its options: the rule cannot be read from it.
const XT = (table: string, chain: string, n: number, name: string): string => `${table}/${chain}#${n}: cond xt match "${name}"`;
const UNMODELLED: Record<string, string[]> = {
  'moby-nftablesdoc/usernet-portmap-nft-list-ruleset.txt': [],
  'moby-nftablesdoc/usernet-portmap-nft-j-list-ruleset.json': [],
  'moby-nftablesdoc/usernet-portmap-nft-list-ruleset-reloaded.txt': [],
  'moby-nftablesdoc/usernet-portmap-lo-nft-list-table.txt': [],
  'moby-nftabler-golden/nft-j-list-ruleset.json': [],
  'moby-nftabler-golden/nft-list-ruleset-reloaded.txt': [],
  'moby-nftabler-golden/masq-gwm-nat__ip.golden.nft': [],
  'moby-nftabler-golden/masq-gwm-nat__ip6.golden.nft': [],
  'pastes/nftables-post-2026-docker29-docker-bridges/host/nft-ruleset.txt': [],
  // notrack: the connection is not tracked (no NAT, ctstate UNTRACKED later), which the model has no action for.
  'live-debian12-scratch-netns/nft-inet-natp-list-ruleset.txt': ['natp/raw#1: action notrack'],
  'live-debian12-scratch-netns/nft-inet-natp-j-list-ruleset.json': ['natp/raw#1: action notrack'],
  'live-debian12-scratch-netns/nft-j-list-ruleset.json': [
    XT('filter', 'FORWARD', 3, 'conntrack'),
    XT('nat', 'PREROUTING', 1, 'addrtype'),
    XT('nat', 'OUTPUT', 1, 'addrtype'),
    XT('nat', 'PREROUTING', 1, 'addrtype'),
    XT('nat', 'OUTPUT', 1, 'addrtype'),
  ],
  'live-debian12-docker20.10/nft-j-list-ruleset.json': [
    XT('nat', 'PREROUTING', 1, 'addrtype'),
    XT('nat', 'OUTPUT', 1, 'addrtype'),
    XT('filter', 'FORWARD', 3, 'conntrack'),
    XT('filter', 'FORWARD', 7, 'conntrack'),
  ],
  // The same ruleset as text: nft 1.0.6 prints its own translation of the xt matches, which is read.
  'live-debian12-docker20.10/nft-list-ruleset.txt': [],
  'live-debian12-parsers/nft-list-ruleset.txt': [],
  'lab-snapshot-28/host/nft-ruleset.json': [
    XT('nat', 'PREROUTING', 1, 'addrtype'),
    XT('nat', 'OUTPUT', 1, 'addrtype'),
    XT('filter', 'DOCKER-CT', 1, 'conntrack'),
    XT('filter', 'DOCKER-CT', 2, 'conntrack'),
    XT('filter', 'DOCKER-CT', 3, 'conntrack'),
    XT('filter', 'DOCKER-CT', 4, 'conntrack'),
    XT('filter', 'DOCKER-CT', 5, 'conntrack'),
    XT('filter', 'DOCKER-CT', 6, 'conntrack'),
    XT('filter', 'DOCKER-CT', 7, 'conntrack'),
    // The routed network's replies: `-i dnlab-routed -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`.
    XT('filter', 'DOCKER-ISOLATION-STAGE-1', 1, 'conntrack'),
    XT('nat', 'PREROUTING', 1, 'addrtype'),
    XT('nat', 'OUTPUT', 1, 'addrtype'),
  ],
  'pastes/nixpkgs-81172-nft-xt-comments/host/nft-ruleset.txt': [
    XT('nat', 'PREROUTING', 2, 'addrtype'),
    XT('nat', 'OUTPUT', 2, 'addrtype'),
    // An xt MARK target: its mark is not shown.
    'nat/nixos-nat-pre#1: action xt target "MARK"',
    XT('nat', 'nixos-nat-post', 1, 'mark'),
  ],
  'github-issues-pastes/openwrt-packages-22727-nft-list-ruleset-tail.txt': [
    XT('nat', 'PREROUTING', 1, 'addrtype'),
    XT('nat', 'OUTPUT', 1, 'addrtype'),
  ],
  // The poster replaced the addresses by placeholders.
  'github-issues-pastes/mailcow-7211-nft-list-table-ip-filter.txt': [
    'filter/INPUT#1: action jump MAILCOW (chain not in the data)',
    'filter/INPUT#2: cond ip saddr <ADMIN_IP_1>',
    'filter/INPUT#2: cond ip daddr <PRIMARY_IP>',
    'filter/INPUT#3: cond ip saddr <ADMIN_IP_2>',
    'filter/INPUT#3: cond ip daddr <PRIMARY_IP>',
    'filter/INPUT#4: cond ip saddr <ADMIN_IP_3>',
    'filter/INPUT#4: cond ip daddr <PRIMARY_IP>',
  ],
  // `tcp flags syn / syn,rst` is not iptables' --syn (it lets SYN+ACK through); the MSS write is harmless.
  'github-issues-pastes/ss-tproxy-282-nft-list-ruleset.txt': ['raw/VYOS_TCP_MSS#1: cond tcp flags syn / syn,rst'],
  // A paste that stops before the chains jumped to.
  'github-issues-pastes/openwrt-packages-22727-nft-list-ruleset-head.txt': [
    'fw4/input#3: action jump syn_flood (chain not in the data)',
    'fw4/input#4: action jump input_lan (chain not in the data)',
    'fw4/input#5: action jump input_wan (chain not in the data)',
    'fw4/input#6: action jump input_docker (chain not in the data)',
    'fw4/input#7: action jump handle_reject (chain not in the data)',
    'fw4/forward#2: action jump forward_lan (chain not in the data)',
    'fw4/forward#3: action jump forward_wan (chain not in the data)',
    'fw4/forward#4: action jump forward_docker (chain not in the data)',
    'fw4/forward#5: action jump upnp_forward (chain not in the data)',
    'fw4/forward#6: action jump handle_reject (chain not in the data)',
  ],
  'live-debian12-fwparse-netns/nft-fw-j-list-ruleset.json': [
    // ICMP types are not modelled (docknet walks TCP and UDP packets; the icmp protocol condition decides for them).
    'fwtest/filter_IN_public#7: cond icmp type echo-request',
    // firewalld's IPv6 reverse-path check (JSON's `false` is nft's `missing`).
    'fwtest/raw_PREROUTING#1: cond fib saddr . mark . iif oif false',
    'fwtest/raw_PREROUTING#2: action notrack',
    // A mark write and a verdict in one rule: the model's action is one or the other.
    'fwtest/mangle_PREROUTING#4: action mark set 2 accept',
  ],
  'live-debian12-fwparse-netns/nft-fw-list-ruleset.txt': [
    'fwtest/filter_IN_public#7: cond icmp type echo-request',
    // The text parser reads `oif missing drop` as the fib lookup `... oif missing` compared with `drop`
    // (nft-text-expr.ts takes `oif` for a flag): the drop is lost there, and the match is unmodelled here.
    'fwtest/raw_PREROUTING#1: cond fib saddr . mark . iif oif missing drop',
    'fwtest/raw_PREROUTING#2: action notrack',
    'fwtest/mangle_PREROUTING#4: action mark set 0x00000002 accept',
  ],
};

for (const [path, expected] of Object.entries(UNMODELLED)) {
  test(`nft: every statement of ${path} is modelled but these, each for its reason`, () => {
    assert.deepEqual(unmodelledOf(tablesOf(path)), expected);
  });
}

// `nft list ruleset` and `nft -j list ruleset` of one ruleset: the model must not depend on which was read.
const PAIRS: [string, string][] = [
  ['moby-nftabler-golden/nft-list-ruleset-reloaded.txt', 'moby-nftabler-golden/nft-j-list-ruleset.json'],
  ['moby-nftablesdoc/usernet-portmap-nft-list-ruleset-reloaded.txt', 'moby-nftablesdoc/usernet-portmap-nft-j-list-ruleset.json'],
  ['live-debian12-scratch-netns/nft-inet-natp-list-ruleset.txt', 'live-debian12-scratch-netns/nft-inet-natp-j-list-ruleset.json'],
  ['live-debian12-docker20.10/nft-list-ruleset.txt', 'live-debian12-docker20.10/nft-j-list-ruleset.json'],
  ['live-debian12-parsers/nft-list-ruleset.txt', 'live-debian12-parsers/nft-j-list-ruleset.json'],
  ['live-debian12-fwparse-netns/nft-fw-list-ruleset.txt', 'live-debian12-fwparse-netns/nft-fw-j-list-ruleset.json'],
];

/** A rule's meaning without the words: an assumed condition's text differs (JSON spells out nft's default burst). */
function meaning(r: FwRule): unknown {
  const conds = r.conds.map((c) => (c.kind === 'assumed' ? { ...c, text: '' } : c.kind === 'unmodelled' ? { kind: 'unmodelled' } : c));
  const action = r.action.kind === 'unmodelled' ? { kind: 'unmodelled' } : r.action;
  return { conds, action };
}

for (const [textPath, jsonPath] of PAIRS) {
  test(`nft: the text and the JSON of one ruleset read the same: ${textPath}`, () => {
    const text = tablesOf(textPath);
    const json = tablesOf(jsonPath);
    assert.deepEqual(
      text.map((t) => [t.family, t.name]),
      json.map((t) => [t.family, t.name]),
    );
    let compared = 0;
    for (const [i, jt] of json.entries()) {
      const tt = text[i] as FwTable;
      assert.deepEqual([...tt.chains.keys()], [...jt.chains.keys()]);
      for (const [name, jc] of jt.chains) {
        const tc = tt.chains.get(name) as FwChain;
        assert.deepEqual(tc.base, jc.base, `${jt.name} ${name} base chain`);
        for (const [k, jr] of jc.rules.entries()) {
          const tr = tc.rules[k] as FwRule;
          // JSON shows iptables-nft's rules as `xt` without options where text shows nft's translation;
          // and the text parser misreads `fib ... oif missing drop` (see above).
          if (/\bxt (match|target)\b/.test(jr.text) || /\boif missing\b/.test(tr.text)) continue;
          assert.deepEqual(meaning(tr), meaning(jr), `${jt.name} ${name} #${jr.number}: ${tr.text}`);
          compared += 1;
        }
      }
    }
    assert.ok(compared > 0);
  });
}

test("nft: Docker 29's docker-bridges dispatch by interface through verdict maps, each case a jump", () => {
  for (const path of [
    'moby-nftablesdoc/usernet-portmap-nft-list-ruleset.txt',
    'moby-nftablesdoc/usernet-portmap-nft-j-list-ruleset.json',
  ]) {
    const ts = tablesOf(path);
    const forward = chainOf(ts, 'docker-bridges', 'filter-FORWARD');
    assert.deepEqual(forward.base, { hook: 'forward', priority: 0, type: 'filter', policy: 'accept' });
    expectRule(ts, 'docker-bridges', 'filter-FORWARD', 1, [], {
      kind: 'vmap',
      key: 'oifname',
      map: '@filter-forward-in-jumps',
      cases: [
        { when: iface('out', 'docker0'), action: jump('filter-forward-in__docker0') },
        { when: iface('out', 'bridge1'), action: jump('filter-forward-in__bridge1') },
      ],
    });
    expectRule(ts, 'docker-bridges', 'nat-POSTROUTING', 1, [], {
      kind: 'vmap',
      key: 'iifname',
      map: '@nat-postrouting-out-jumps',
      cases: [
        { when: iface('in', 'docker0'), action: jump('nat-postrouting-out__docker0') },
        { when: iface('in', 'bridge1'), action: jump('nat-postrouting-out__bridge1') },
      ],
    });
    // Docker's raw drop of direct access to a container from outside its bridge.
    assert.deepEqual(chainOf(ts, 'docker-bridges', 'raw-PREROUTING').base, {
      hook: 'prerouting',
      priority: -300,
      type: 'filter',
      policy: 'accept',
    });
    expectRule(ts, 'docker-bridges', 'raw-PREROUTING', 1, [addr('dst', '192.0.2.2'), iface('in', 'bridge1', true)], { kind: 'drop' });
    expectRule(ts, 'docker-bridges', 'nat-PREROUTING', 1, [local], jump('nat-prerouting-and-output'));
    expectRule(ts, 'docker-bridges', 'nat-OUTPUT', 1, [addr('dst', '127.0.0.0/8', true), local], jump('nat-prerouting-and-output'));
    expectRule(ts, 'docker-bridges', 'nat-prerouting-and-output', 1, [iface('in', 'bridge1', true), proto('tcp'), dport(8080)], {
      kind: 'dnat',
      to: { ip: '192.0.2.2', port: { from: 80, to: 80 } },
    });
    expectRule(ts, 'docker-bridges', 'filter-forward-in__bridge1', 1, [ct('ESTABLISHED', 'RELATED')], { kind: 'accept' });
    expectRule(ts, 'docker-bridges', 'filter-forward-in__bridge1', 3, [addr('dst', '192.0.2.2'), proto('tcp'), dport(80)], {
      kind: 'accept',
    });
    expectRule(ts, 'docker-bridges', 'filter-forward-in__bridge1', 4, [], { kind: 'drop' });
    expectRule(ts, 'docker-bridges', 'nat-postrouting-out__bridge1', 1, [iface('out', 'bridge1', true), addr('src', '192.0.2.0/24')], {
      kind: 'masquerade',
      to: null,
    });
  }
});

test("nft: Docker 29 with a loopback-bound port adds raw-PREROUTING's DROP REMOTE LOOPBACK", () => {
  const ts = tablesOf('moby-nftablesdoc/usernet-portmap-lo-nft-list-table.txt');
  expectRule(ts, 'docker-bridges', 'raw-PREROUTING', 2, [iface('in', 'lo', true), addr('dst', '127.0.0.1'), proto('tcp'), dport(8080)], {
    kind: 'drop',
  });
});

test('nft: the ip6 docker-bridges table of the golden files, its DNAT to a bracketed address', () => {
  const ts = tablesOf('moby-nftabler-golden/nft-j-list-ruleset.json');
  const ip6 = ts.filter((t) => t.family === 'ip6' && t.name === 'docker-bridges');
  assert.equal(ip6.length, 1);
  const dnat = [...(ip6[0] as FwTable).chains.values()].flatMap((c) => c.rules).find((r) => r.action.kind === 'dnat');
  assert.deepEqual(dnat?.action, { kind: 'dnat', to: { ip: 'fd49:efd7:54aa::1', port: { from: 80, to: 80 } } });
});

test('nft: an inet table: family conditions where nft implies them, sets with their members, limits assumed', () => {
  for (const path of [
    'live-debian12-scratch-netns/nft-inet-natp-list-ruleset.txt',
    'live-debian12-scratch-netns/nft-inet-natp-j-list-ruleset.json',
  ]) {
    const ts = tablesOf(path);
    assert.equal(ts[0]?.family, 'inet');
    assert.deepEqual(chainOf(ts, 'natp', 'pre').base, { hook: 'prerouting', priority: -100, type: 'nat', policy: 'accept' });
    // `tcp dport { 80, 443 }` is one port condition; `dnat ip to` applies to IPv4 only.
    expectRule(
      ts,
      'natp',
      'pre',
      1,
      [
        iface('in', 'eth0'),
        proto('tcp'),
        {
          kind: 'port',
          dir: 'dst',
          ports: [
            { from: 80, to: 80 },
            { from: 443, to: 443 },
          ],
          negated: F,
        },
        ipv4,
      ],
      { kind: 'dnat', to: { ip: '192.0.2.10', port: null } },
    );
    expectRule(ts, 'natp', 'pre', 2, [proto('tcp'), dport(8000, 8010), ipv4], {
      kind: 'dnat',
      to: { ip: '192.0.2.11', port: { from: 9000, to: 9010 } },
    });
    const limit = ruleOf(ts, 'natp', 'pre', 3).conds[2];
    assert.equal(limit?.kind, 'assumed');
    assert.equal(limit?.negated, false);
    // A named set whose elements the listing holds: membership can be evaluated.
    expectRule(
      ts,
      'natp',
      'pre',
      4,
      [ipv4, { kind: 'set', name: '@blocked', dirs: ['src'], members: [addr('src', '192.0.2.7')], negated: F }],
      { kind: 'drop' },
    );
    expectRule(ts, 'natp', 'pre', 5, [proto('tcp'), dport(2222)], { kind: 'redirect', to: { ip: null, port: { from: 22, to: 22 } } });
    // A DNAT address chosen per packet from a map is not one address.
    expectRule(ts, 'natp', 'pre', 6, [iface('in', 'eth0', true), proto('tcp'), dport(8080), ipv4], { kind: 'dnat', to: null });
    expectRule(ts, 'natp', 'post', 1, [ipv4, addr('src', '192.0.2.0/24'), iface('out', 'lo', true), proto('tcp')], {
      kind: 'masquerade',
      to: { ip: null, port: { from: 1024, to: 65535 } },
    });
    expectRule(ts, 'natp', 'post', 2, [ipv6, addr('src', 'fd00::/64')], { kind: 'snat', to: { ip: 'fd00::1', port: null } });
  }
});

test("nft: firewalld's layout: priorities with offsets, a zone verdict map, ct status dnat, icmpx rejects", () => {
  for (const path of ['live-debian12-fwparse-netns/nft-fw-list-ruleset.txt', 'live-debian12-fwparse-netns/nft-fw-j-list-ruleset.json']) {
    const ts = tablesOf(path);
    assert.deepEqual(chainOf(ts, 'fwtest', 'filter_INPUT').base, { hook: 'input', priority: 10, type: 'filter', policy: 'drop' });
    assert.deepEqual(chainOf(ts, 'fwtest', 'raw_PREROUTING').base, {
      hook: 'prerouting',
      priority: -290,
      type: 'filter',
      policy: 'accept',
    });
    assert.deepEqual(chainOf(ts, 'fwtest', 'mangle_PREROUTING').base?.priority, -140);
    assert.deepEqual(chainOf(ts, 'fwtest', 'nat_PREROUTING').base, { hook: 'prerouting', priority: -90, type: 'nat', policy: 'accept' });
    assert.deepEqual(chainOf(ts, 'fwtest', 'nat_POSTROUTING').base?.priority, 110);
    assert.equal(chainOf(ts, 'fwtest', 'filter_IN_public').base, null);
    expectRule(ts, 'fwtest', 'filter_INPUT', 1, [ct('ESTABLISHED', 'RELATED')], { kind: 'accept' });
    // conntrack's --ctstate DNAT: the connection was DNATed.
    expectRule(ts, 'fwtest', 'filter_INPUT', 2, [ct('DNAT')], { kind: 'accept' });
    expectRule(ts, 'fwtest', 'filter_INPUT', 4, [ct('INVALID')], { kind: 'drop' });
    expectRule(
      ts,
      'fwtest',
      'filter_INPUT',
      5,
      [{ kind: 'set', name: '{ icmp, ipv6-icmp }', dirs: [], members: [proto('icmp'), proto('icmpv6')], negated: F }],
      { kind: 'accept' },
    );
    expectRule(ts, 'fwtest', 'filter_INPUT', 6, [], {
      kind: 'vmap',
      key: 'iifname',
      map: '@zone_in',
      cases: [
        { when: iface('in', 'eth0'), action: { kind: 'goto', chain: 'filter_IN_public' } },
        { when: iface('in', 'docker0'), action: jump('filter_IN_docker') },
      ],
    });
    expectRule(ts, 'fwtest', 'filter_INPUT', 7, [], { kind: 'reject', with: 'icmpx-admin-prohibited' });
    expectRule(
      ts,
      'fwtest',
      'filter_FORWARD',
      2,
      [
        ipv6,
        {
          kind: 'set',
          name: '{ ::/96, ::ffff:0.0.0.0/96, 2002::/24 }',
          dirs: ['dst'],
          members: [addr('dst', '::/96'), addr('dst', '::ffff:0.0.0.0/96'), addr('dst', '2002::/24')],
          negated: F,
        },
      ],
      { kind: 'reject', with: 'icmp6-addr-unreachable' },
    );
    // A named interface set, elements in the data (nft lists them in its own order).
    expectRule(
      ts,
      'fwtest',
      'filter_FORWARD',
      3,
      [{ kind: 'set', name: '@trusted_ifaces', dirs: [], members: [iface('in', 'wg0'), iface('in', 'eth1')], negated: F }],
      { kind: 'accept' },
    );
    // nft's wildcard `docker*` is iptables' `docker+`.
    expectRule(
      ts,
      'fwtest',
      'filter_FORWARD',
      4,
      [iface('out', 'docker+'), ipv4, addr('src', '10.0.0.0/8', true)],
      jump('filter_FWD_docker'),
    );
    expectRule(
      ts,
      'fwtest',
      'filter_FORWARD',
      5,
      [
        ipv4,
        { kind: 'set', name: '@blocked4', dirs: ['src'], members: [addr('src', '192.0.2.0/24'), addr('src', '198.51.100.7')], negated: F },
      ],
      { kind: 'drop' },
    );
  }
});

test('nft: ports, flags, marks, address types and rejects of every form nft prints', () => {
  for (const path of ['live-debian12-fwparse-netns/nft-fw-list-ruleset.txt', 'live-debian12-fwparse-netns/nft-fw-j-list-ruleset.json']) {
    const ts = tablesOf(path);
    const T = 'fwtest';
    expectRule(ts, T, 'filter_IN_public', 1, [proto('tcp'), dport(22), ct('NEW', 'UNTRACKED')], { kind: 'accept' });
    expectRule(
      ts,
      T,
      'filter_IN_public',
      2,
      [
        proto('tcp'),
        {
          kind: 'set',
          name: '@web_ports',
          dirs: [],
          members: [dport(80), dport(443), dport(8000, 8010)],
          negated: F,
        },
      ],
      { kind: 'accept' },
    );
    // `tcp flags syn / fin,syn,rst,ack` (text) and `tcp flags & [...] == syn` (JSON) are iptables' --syn;
    // `limit rate over` matches when the limit is exceeded: the assumed condition, negated.
    const syn = ruleOf(ts, T, 'filter_IN_public', 3);
    assert.deepEqual(syn.conds.slice(0, 3), [proto('tcp'), { kind: 'tcp-syn', negated: F }, dport(2222)]);
    assert.equal(syn.conds[3]?.kind, 'assumed');
    assert.equal(syn.conds[3]?.negated, true);
    expectRule(ts, T, 'filter_IN_public', 4, [proto('tcp'), dport(0, 1023)], { kind: 'reject', with: 'tcp-reset' });
    expectRule(ts, T, 'filter_IN_public', 5, [{ kind: 'addrtype', dir: 'dst', types: ['BROADCAST'], negated: F }], { kind: 'drop' });
    expectRule(ts, T, 'filter_IN_public', 6, [{ kind: 'mark', value: 1, mask: 0xff, negated: F }], { kind: 'accept' });
    expectRule(ts, T, 'filter_IN_public', 8, [proto('udp')], {
      kind: 'vmap',
      key: 'udp dport',
      map: '{ 53 : accept, 67 : drop }',
      cases: [
        { when: dport(53), action: { kind: 'accept' } },
        { when: dport(67), action: { kind: 'drop' } },
      ],
    });
    expectRule(ts, T, 'filter_IN_public', 9, [ipv4], { kind: 'reject', with: 'icmp-port-unreachable' });
    expectRule(ts, T, 'filter_IN_docker', 1, [{ kind: 'addrtype', dir: 'dst', types: ['LOCAL', 'BROADCAST'], negated: F }], {
      kind: 'accept',
    });
    expectRule(ts, T, 'filter_IN_docker', 2, [iface('in', 'lo')], { kind: 'accept' });
    expectRule(ts, T, 'filter_IN_docker', 3, [ipv4, proto('tcp')], { kind: 'accept' });
    // `th dport`: any transport header's port, no protocol implied.
    expectRule(ts, T, 'filter_IN_docker', 4, [dport(5353)], { kind: 'accept' });
    expectRule(ts, T, 'filter_IN_docker', 5, [], { kind: 'return' });
    expectRule(
      ts,
      T,
      'filter_FWD_docker',
      1,
      [{ kind: 'set', name: '{ "eth0", "eth1" }', dirs: [], members: [iface('in', 'eth0'), iface('in', 'eth1')], negated: true }],
      { kind: 'drop' },
    );
    // `tcp dport != 80` still requires tcp.
    expectRule(ts, T, 'filter_FWD_docker', 2, [ipv4, addr('dst', '172.17.0.2'), proto('tcp'), dport(80, 80, true)], { kind: 'drop' });
    expectRule(
      ts,
      T,
      'filter_FWD_docker',
      3,
      [ipv4, { kind: 'address-range', dir: 'dst', from: '172.17.0.0', to: '172.17.0.9', negated: F }],
      {
        kind: 'accept',
      },
    );
    // Mark writes in MARK's value/mask form; a connection-mark write is harmless (its matches are not modelled).
    expectRule(ts, T, 'mangle_PREROUTING', 1, [iface('in', 'eth1')], { kind: 'mark', value: 1, mask: 0xffffffff });
    expectRule(ts, T, 'mangle_PREROUTING', 2, [iface('in', 'eth2')], { kind: 'mark', value: 0x4000, mask: 0x4000 });
    expectRule(ts, T, 'mangle_PREROUTING', 3, [], { kind: 'continue' });
    expectRule(ts, T, 'nat_PREROUTING', 1, [local, proto('tcp'), dport(8080), ipv4], {
      kind: 'dnat',
      to: { ip: '172.17.0.2', port: { from: 80, to: 80 } },
    });
  }
});

test('nft: user chains of a ruleset with no Docker rules; policy drop on input', () => {
  const ts = tablesOf('github-issues-pastes/moby-26824-nftables-file.nft');
  const input = chainOf(ts, 'filter', 'INPUT');
  assert.deepEqual(input.base, { hook: 'input', priority: 0, type: 'filter', policy: 'drop' });
  // `ct state {established, related}` written by hand, and `iif lo`.
  expectRule(ts, 'filter', 'INPUT', 2, [ct('ESTABLISHED', 'RELATED')], { kind: 'accept' });
  expectRule(ts, 'filter', 'INPUT', 3, [iface('in', 'lo')], { kind: 'accept' });
  expectRule(ts, 'filter', 'INPUT', 4, [iface('in', 'lo', true), addr('dst', '127.0.0.1/8')], { kind: 'drop' });
  expectRule(ts, 'filter', 'INPUT', 5, [proto('icmp')], { kind: 'accept' });
});

test('nft: iptables-nft tables read through nft text keep their chains, jumps, policies and translated matches', () => {
  const ts = tablesOf('live-debian12-parsers/nft-list-ruleset.txt');
  const nat = ts.find((t) => t.name === 'nat' && t.family === 'ip');
  assert.ok(nat);
  expectRule(ts, 'nat', 'PREROUTING', 1, [local], jump('DOCKER'));
  const filter = chainOf(ts, 'filter', 'FORWARD');
  // Docker sets FORWARD's policy to drop.
  assert.deepEqual(filter.base, { hook: 'forward', priority: 0, type: 'filter', policy: 'drop' });
  assert.deepEqual(filter.rules[0]?.action, jump('DOCKER-USER'));
});

test("xt targets read as iptables' own targets (targetAction), without the options nft cannot show", () => {
  const xt = (name: string) => xtStatement({ type: 'target', name });
  assert.deepEqual(xt('ACCEPT'), { verdict: { kind: 'accept' } });
  assert.deepEqual(xt('RETURN'), { verdict: { kind: 'return' } });
  assert.deepEqual(xt('DNAT'), { verdict: { kind: 'dnat', to: null } });
  assert.deepEqual(xt('MASQUERADE'), { verdict: { kind: 'masquerade', to: null } });
  assert.deepEqual(xt('REJECT'), { verdict: { kind: 'reject', with: null } });
  // A target that lets the packet go on is no verdict; one not modelled (MARK without its value, CT) keeps its text.
  assert.equal(xt('LOG'), null);
  assert.deepEqual(xt('MARK'), { verdict: { kind: 'unmodelled', target: 'xt target "MARK"' } });
  assert.deepEqual(xt('CT'), { verdict: { kind: 'unmodelled', target: 'xt target "CT"' } });
  assert.deepEqual(xtStatement({ type: 'match', name: 'comment' }), null);
});
