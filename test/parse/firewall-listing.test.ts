// `iptables -L` listings in the firewall model (parse/firewall-listing.ts), on real listings: each
// extension's printed form as conditions and actions, and every part left unmodelled, with why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Action, Cond, FwChain, FwRule, FwTable } from '../../src/model/firewall.js';
import { fwTableFromIptables } from '../../src/parse/firewall-iptables.js';
import { fwTableFromListing } from '../../src/parse/firewall-listing.js';
import { parseIptablesNatText } from '../../src/parse/iptables-nat-text.js';
import { parseIptablesSave } from '../../src/parse/iptables-save.js';
import { fixture } from './helpers.js';

function listing(path: string, table = 'nat', family?: 'ipv4' | 'ipv6'): FwTable {
  return fwTableFromListing(parseIptablesNatText(fixture(path), family, table).value, path);
}

function chainOf(t: FwTable, chain: string): FwChain {
  const c = t.chains.get(chain);
  assert.ok(c, `no chain ${chain}`);
  return c;
}

function ruleOf(t: FwTable, chain: string, n: number): FwRule {
  const r = chainOf(t, chain).rules.find((x) => x.number === n);
  assert.ok(r, `no rule ${chain} #${n}`);
  return r;
}

function expectRule(t: FwTable, chain: string, n: number, conds: Cond[], action: Action): void {
  const r = ruleOf(t, chain, n);
  assert.deepEqual({ conds: r.conds, action: r.action }, { conds, action }, `${chain} #${n}: ${r.text}`);
}

/** How often each unmodelled condition or action occurs, `cond text` / `action target`. */
function unmodelledOf(t: FwTable): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (k: string): void => {
    out[k] = (out[k] ?? 0) + 1;
  };
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
const proto = (protocol: string, negated = F): Cond => ({ kind: 'protocol', protocol, negated });
const port = (dir: 'src' | 'dst' | 'any', ranges: [number, number][], negated = F): Cond => ({
  kind: 'port',
  dir,
  ports: ranges.map(([from, to]) => ({ from, to })),
  negated,
});
const dport = (p: number): Cond => port('dst', [[p, p]]);
const ct = (states: string[], negated = F): Cond => ({ kind: 'ctstate', states, negated });
const local: Cond = { kind: 'addrtype', dir: 'dst', types: ['LOCAL'], negated: F };
const syn: Cond = { kind: 'tcp-syn', negated: F };
const jump = (chain: string): Action => ({ kind: 'jump', chain });

// Without -v, -L prints no in/out columns: a rule's interfaces are not in the data.
const NO_V = 'cond in/out interfaces (listed without -v: the listing does not show them)';
// A target that is neither a chain of the listing nor one docknet models: mostly chains the paste left out.
const UNMODELLED: [string, string, Record<string, number>][] = [
  ['seed/iptables-nat.txt', 'nat', {}],
  ['lab-snapshot/host/iptables-nat.txt', 'nat', {}],
  ['lab-snapshot-28/host/iptables-nat.txt', 'nat', {}],
  ['live-debian12-docker20.10/iptables-nat-vnL.txt', 'nat', {}],
  ['live-debian12-docker20.10/iptables-nat-L-v.txt', 'nat', {}],
  ['live-debian12-docker20.10/iptables-nat-vnxL-line-numbers.txt', 'nat', {}],
  ['live-debian12-docker20.10/iptables-nat-nL.txt', 'nat', { [NO_V]: 20 }],
  ['live-debian12-scratch-netns/ip6tables-nat-L-v.txt', 'nat', {}],
  ['live-debian12-scratch-netns/iptables-legacy-nat-L.txt', 'nat', { [NO_V]: 20 }],
  ['github-issues/docker-for-linux-267-iptables-nat-postrouting-vnxL.txt', 'nat', {}],
  ['github-issues/mailcow-3016-iptables-and-ip6tables-nat-L-vn.txt', 'nat', { 'action DOCKER': 1 }],
  [
    'github-issues/kubernetes-11634-iptables-nat-L-n-v.txt',
    'nat',
    { 'action KUBE-PORTALS-CONTAINER': 1, 'action KUBE-NODEPORT-CONTAINER': 1, 'action KUBE-PORTALS-HOST': 1 },
  ],
  ['github-issues/moby-28518-iptables-nat-L-n-line-numbers.txt', 'nat', { [NO_V]: 6, 'action KUBE-MARK-MASQ': 3 }],
  ['pastes/networknt-light-portal-line-numbers/host/iptables-nat.txt', 'nat', { [NO_V]: 10 }],
  ['pastes/metadataproxy-29-iptables-nat-L-prerouting/host/iptables-nat.txt', 'nat', { [NO_V]: 2, 'action DOCKER': 1 }],
  ['live-debian12-fwparse-netns/iptables-nat-vnL.txt', 'nat', {}],
  ['live-debian12-fwparse-netns/iptables-nat-L.txt', 'nat', { [NO_V]: 8 }],
  // CT --notrack and CONNMARK: conntrack is changed, which the model has no action for; `SYN,RST/SYN` is not --syn.
  ['live-debian12-fwparse-netns/iptables-raw-vnL.txt', 'raw', { 'action CT': 1 }],
  ['live-debian12-fwparse-netns/iptables-mangle-vnL.txt', 'mangle', { 'action CONNMARK': 1, 'cond flags:0x06/0x02': 1 }],
  [
    'live-debian12-fwparse-netns/iptables-filter-vnL-line-numbers.txt',
    'filter',
    {
      // fragments; ICMP types (the icmp protocol condition decides for TCP and UDP packets); flags that are not --syn;
      // the address type of the input interface only; bridged packets; the sending process's user.
      'cond -f (second and later fragments only)': 1,
      'cond icmptype 8': 1,
      'cond icmptype 3 code 4': 1,
      'cond flags:0x3F/0x00': 1,
      'cond ADDRTYPE match limit-in': 1,
      'cond PHYSDEV match --physdev-is-bridged': 1,
      'cond owner UID match 1000': 1,
    },
  ],
  [
    'live-debian12-fwparse-netns/iptables-filter-L.txt',
    'filter',
    {
      [NO_V]: 45,
      'cond -f (second and later fragments only)': 1,
      'cond icmp echo-request': 1,
      'cond icmp fragmentation-needed': 1,
      'cond flags:FIN,SYN,RST,PSH,ACK,URG/NONE': 1,
      'cond ADDRTYPE match limit-in': 1,
      'cond PHYSDEV match --physdev-is-bridged': 1,
      'cond owner UID match cloudsdk': 1,
      // Without -n multiport prints service names, which docknet does not look up there.
      'cond multiport dports http,https,8000:8010 (port names: list with -n)': 1,
      'cond multiport sports  !domain,ntp (port names: list with -n)': 1,
      'cond multiport dports http,https (port names: list with -n)': 1,
    },
  ],
  ['live-debian12-fwparse-netns/ip6tables-filter-vnL.txt', 'filter', { 'cond ipv6-icmptype 128': 1 }],
  ['live-debian12-fwparse-netns/ip6tables-filter-L.txt', 'filter', { [NO_V]: 9, 'cond ipv6-icmp echo-request': 1 }],
];

for (const [path, table, expected] of UNMODELLED) {
  test(`-L: every match and target of ${path} is modelled but these, each for its reason`, () => {
    assert.deepEqual(unmodelledOf(listing(path, table)), expected);
  });
}

test("-L: Docker 28's nat table (lab, -v -n --line-numbers): ADDRTYPE, the loopback exception, RETURN, DNAT", () => {
  const t = listing('lab-snapshot-28/host/iptables-nat.txt');
  assert.deepEqual(chainOf(t, 'PREROUTING').base, { hook: 'prerouting', priority: -100, type: 'nat', policy: 'accept' });
  assert.deepEqual(chainOf(t, 'POSTROUTING').base, { hook: 'postrouting', priority: 100, type: 'nat', policy: 'accept' });
  assert.equal(chainOf(t, 'DOCKER').base, null);
  expectRule(t, 'PREROUTING', 1, [local], jump('DOCKER'));
  expectRule(t, 'OUTPUT', 1, [addr('dst', '127.0.0.0/8', true), local], jump('DOCKER'));
  expectRule(t, 'POSTROUTING', 1, [iface('out', 'docker_gwbridge', true), addr('src', '10.229.0.0/24')], { kind: 'masquerade', to: null });
  expectRule(t, 'DOCKER', 1, [iface('in', 'docker_gwbridge')], { kind: 'return' });
  // Seven bridges' RETURNs first (the lab's gateway-mode, internal and icc=false networks among them), then the DNATs.
  expectRule(t, 'DOCKER', 8, [proto('udp'), iface('in', 'docker0', true), dport(5353)], {
    kind: 'dnat',
    to: { ip: '10.228.0.2', port: { from: 5353, to: 5353 } },
  });
  expectRule(t, 'DOCKER', 11, [proto('tcp'), iface('in', 'docker0', true), addr('dst', '127.0.0.1'), dport(8081)], {
    kind: 'dnat',
    to: { ip: '10.228.0.2', port: { from: 8080, to: 8080 } },
  });
});

test('-L: NAT targets: masquerade ports, REDIRECT ports, SNAT, an IPv6 DNAT address', () => {
  const seed = listing('seed/iptables-nat.txt');
  const masq = [...seed.chains.values()].flatMap((c) => c.rules).find((r) => /masq ports/.test(r.text));
  assert.deepEqual(masq?.action, { kind: 'masquerade', to: { ip: null, port: { from: 1024, to: 65535 } } });
  const nat = listing('live-debian12-fwparse-netns/iptables-nat-vnL.txt');
  expectRule(nat, 'POSTROUTING', 3, [iface('out', 'eth0'), addr('src', '198.51.100.0/24')], {
    kind: 'snat',
    to: { ip: '203.0.113.1', port: null },
  });
  expectRule(nat, 'DOCKER', 3, [proto('tcp'), dport(2222)], { kind: 'redirect', to: { ip: null, port: { from: 22, to: 22 } } });
  const v6 = listing('live-debian12-scratch-netns/ip6tables-nat-L-v.txt');
  const dnat = [...v6.chains.values()].flatMap((c) => c.rules).find((r) => r.action.kind === 'dnat');
  assert.deepEqual(dnat?.action, { kind: 'dnat', to: { ip: 'fd01::2', port: { from: 80, to: 80 } } });
});

test('-L without -n: service names are ports, the loopback names loopback addresses, other names unmodelled', () => {
  const t = listing('live-debian12-fwparse-netns/iptables-nat-L.txt');
  // `!loopback/8` is `! -d 127.0.0.0/8`.
  assert.deepEqual(ruleOf(t, 'OUTPUT', 1).conds.slice(1), [addr('dst', '127.0.0.0/8', true), local]);
  const portal = listing('pastes/networknt-light-portal-line-numbers/host/iptables-nat.txt');
  const redirect = [...portal.chains.values()].flatMap((c) => c.rules).find((r) => r.action.kind === 'redirect');
  assert.ok(redirect?.conds.some((c) => c.kind === 'port' && c.ports[0]?.from === 443));
  assert.deepEqual(redirect?.action, { kind: 'redirect', to: { ip: null, port: { from: 8443, to: 8443 } } });
  const filter = listing('live-debian12-fwparse-netns/iptables-filter-L.txt', 'filter');
  // `dpts:1000:cisco-sccp`, `spt:!domain`: the listing parser's service table.
  assert.deepEqual(ruleOf(filter, 'FORWARD', 8).conds.slice(2), [port('src', [[53, 53]], true), port('dst', [[1000, 2000]])]);
});

test('-L -v -n: conntrack, state, tcp flags, limit, recent, multiport, mark, addrtype, iprange, pkttype, hashlimit, connlimit', () => {
  const t = listing('live-debian12-fwparse-netns/iptables-filter-vnL-line-numbers.txt', 'filter');
  assert.deepEqual(chainOf(t, 'INPUT').base, { hook: 'input', priority: 0, type: 'filter', policy: 'drop' });
  expectRule(t, 'INPUT', 1, [iface('in', 'lo')], { kind: 'accept' });
  expectRule(t, 'INPUT', 2, [ct(['RELATED', 'ESTABLISHED'])], { kind: 'accept' });
  expectRule(t, 'INPUT', 5, [proto('tcp'), ct(['NEW']), dport(22)], { kind: 'accept' });
  // ufw's logging rule: `tcp flags:0x17/0x02` is --syn; the rate limit is assumed; LOG continues.
  const log = ruleOf(t, 'INPUT', 8);
  assert.deepEqual(log.conds.slice(0, 2), [proto('tcp'), syn]);
  assert.deepEqual(log.conds[2], {
    kind: 'assumed',
    text: 'limit: avg 3/min burst 5',
    why: 'a rate limit, taken as not yet reached',
    negated: F,
  });
  assert.deepEqual(log.action, { kind: 'continue' });
  expectRule(t, 'INPUT', 9, [proto('tcp'), { kind: 'tcp-syn', negated: true }, ct(['NEW'])], { kind: 'drop' });
  // ufw's `limit` rules: recent lists are assumed to match.
  assert.deepEqual(
    ruleOf(t, 'INPUT', 12).conds.map((c) => c.kind),
    ['protocol', 'port', 'ctstate', 'assumed'],
  );
  assert.deepEqual(ruleOf(t, 'INPUT', 12).action, jump('ufw-user-limit'));
  // A rule with no target counts and continues.
  assert.deepEqual(ruleOf(t, 'INPUT', 11).action, { kind: 'continue' });
  expectRule(
    t,
    'INPUT',
    13,
    [
      proto('tcp'),
      port('dst', [
        [80, 80],
        [443, 443],
        [8000, 8010],
      ]),
    ],
    { kind: 'accept' },
  );
  expectRule(
    t,
    'INPUT',
    14,
    [
      proto('udp'),
      port(
        'src',
        [
          [53, 53],
          [123, 123],
        ],
        true,
      ),
    ],
    { kind: 'accept' },
  );
  expectRule(t, 'INPUT', 15, [{ kind: 'mark', value: 1, mask: 0xffffffff, negated: F }], { kind: 'accept' });
  expectRule(t, 'INPUT', 16, [{ kind: 'mark', value: 0x4000, mask: 0x4000, negated: true }], { kind: 'return' });
  expectRule(t, 'INPUT', 17, [{ kind: 'addrtype', dir: 'src', types: ['LOCAL'], negated: true }, local], { kind: 'accept' });
  expectRule(t, 'INPUT', 19, [{ kind: 'address-range', dir: 'src', from: '10.0.0.1', to: '10.0.0.9', negated: F }], { kind: 'drop' });
  expectRule(t, 'INPUT', 20, [{ kind: 'address-range', dir: 'dst', from: '10.1.0.1', to: '10.1.0.9', negated: true }], { kind: 'drop' });
  expectRule(t, 'INPUT', 21, [{ kind: 'addrtype', dir: 'dst', types: ['BROADCAST'], negated: F }], { kind: 'drop' });
  // `limit: above` and `#conn ... >` match over the limit: the assumed condition, negated.
  assert.equal(ruleOf(t, 'INPUT', 22).conds[1]?.negated, true);
  const connlimit = ruleOf(t, 'INPUT', 23);
  assert.deepEqual(connlimit.conds.slice(0, 2), [proto('tcp'), syn]);
  assert.deepEqual(connlimit.conds[2]?.kind === 'assumed' && connlimit.conds[2].negated, true);
  assert.deepEqual(connlimit.action, { kind: 'reject', with: 'tcp-reset' });
  expectRule(t, 'INPUT', 25, [proto('udp')], { kind: 'reject', with: 'icmp-port-unreachable' });
  expectRule(t, 'INPUT', 26, [], { kind: 'continue' });
});

test('-L -v -n: DOCKER-USER, goto, interfaces with + and !, negated ctstate and ports, REJECT types', () => {
  const t = listing('live-debian12-fwparse-netns/iptables-filter-vnL-line-numbers.txt', 'filter');
  expectRule(t, 'FORWARD', 1, [], jump('DOCKER-USER'));
  expectRule(t, 'FORWARD', 3, [ct(['INVALID', 'NEW'], true)], { kind: 'accept' });
  expectRule(t, 'FORWARD', 4, [iface('out', 'docker0'), ct(['RELATED', 'ESTABLISHED'])], { kind: 'accept' });
  expectRule(t, 'FORWARD', 5, [iface('out', 'docker+')], jump('DOCKER'));
  expectRule(t, 'FORWARD', 6, [iface('in', 'eth9')], { kind: 'goto', chain: 'DOCKER-USER' });
  expectRule(t, 'FORWARD', 7, [iface('in', 'docker0'), iface('out', 'docker0', true)], { kind: 'accept' });
  expectRule(t, 'FORWARD', 8, [proto('tcp'), port('src', [[53, 53]], true), port('dst', [[1000, 2000]])], { kind: 'accept' });
  expectRule(t, 'FORWARD', 9, [proto('tcp'), dport(8080)], { kind: 'reject', with: 'icmp-admin-prohibited' });
  expectRule(
    t,
    'DOCKER',
    1,
    [proto('tcp'), iface('in', 'docker0', true), iface('out', 'docker0'), addr('dst', '172.17.0.3'), dport(8080)],
    {
      kind: 'accept',
    },
  );
  expectRule(t, 'DOCKER-USER', 1, [addr('src', '192.0.2.7')], { kind: 'drop' });
  expectRule(
    t,
    'DOCKER-USER',
    2,
    [
      proto('tcp'),
      iface('in', 'eth0'),
      port('dst', [
        [80, 80],
        [443, 443],
      ]),
    ],
    { kind: 'return' },
  );
  expectRule(t, 'DOCKER-USER', 3, [iface('in', 'eth0')], { kind: 'drop' });
  expectRule(t, 'DOCKER-USER', 4, [], { kind: 'return' });
  expectRule(t, 'ufw-user-limit', 2, [], { kind: 'reject', with: 'icmp-port-unreachable' });
});

test('-L: the raw table (Docker 28 direct-access drop) and mangle MARK targets in their value/mask form', () => {
  const raw = listing('live-debian12-fwparse-netns/iptables-raw-vnL.txt', 'raw');
  assert.deepEqual(chainOf(raw, 'PREROUTING').base, { hook: 'prerouting', priority: -300, type: 'filter', policy: 'accept' });
  expectRule(raw, 'PREROUTING', 1, [iface('in', 'docker0', true), addr('dst', '172.17.0.2')], { kind: 'drop' });
  const mangle = listing('live-debian12-fwparse-netns/iptables-mangle-vnL.txt', 'mangle');
  assert.deepEqual(chainOf(mangle, 'PREROUTING').base?.priority, -150);
  // The same values iptables-save prints as --set-xmark (iptables-save.txt of the same rules).
  const marks = chainOf(mangle, 'PREROUTING')
    .rules.slice(0, 5)
    .map((r) => r.action);
  assert.deepEqual(marks, [
    { kind: 'mark', value: 0x1, mask: 0xffffffff },
    { kind: 'mark', value: 0x2, mask: 0xff },
    { kind: 'mark', value: 0x4000, mask: 0x4000 },
    { kind: 'mark', value: 0, mask: 0x4000 },
    { kind: 'mark', value: 0x4000, mask: 0 },
  ]);
  // TCPMSS changes no verdict.
  assert.deepEqual(ruleOf(mangle, 'FORWARD', 1).action, { kind: 'continue' });
});

test('-L: ip6tables, with IPv6 addresses and ICMPv6 rejects', () => {
  const t = listing('live-debian12-fwparse-netns/ip6tables-filter-vnL.txt', 'filter', 'ipv6');
  expectRule(t, 'INPUT', 4, [proto('udp'), addr('src', 'fe80::/10'), port('src', [[547, 547]]), port('dst', [[546, 546]])], {
    kind: 'accept',
  });
  expectRule(t, 'INPUT', 5, [iface('in', 'lo', true), addr('dst', '::1')], { kind: 'drop' });
  expectRule(t, 'INPUT', 7, [], { kind: 'reject', with: 'icmp6-adm-prohibited' });
  expectRule(t, 'FORWARD', 1, [proto('tcp'), iface('in', 'docker0', true), iface('out', 'docker0'), addr('dst', 'fd01::2'), dport(80)], {
    kind: 'accept',
  });
});

/** A rule's meaning, the order of its conditions and the words of its assumed ones aside. */
function meaning(r: FwRule): unknown {
  const words = (c: Cond): unknown => (c.kind === 'unmodelled' || c.kind === 'assumed' ? { kind: c.kind, negated: c.negated } : c);
  const conds = [...new Set(r.conds.map((c) => JSON.stringify(words(c))))].sort();
  return { conds, action: r.action };
}

test('-L -v -n and iptables-save of the same rules read the same, but for the limits matching when exceeded', () => {
  const dir = 'live-debian12-fwparse-netns';
  const save = parseIptablesSave(fixture(`${dir}/iptables-save.txt`), 'ipv4').value;
  const files: [string, string][] = [
    ['iptables-filter-vnL-line-numbers.txt', 'filter'],
    ['iptables-mangle-vnL.txt', 'mangle'],
    ['iptables-raw-vnL.txt', 'raw'],
    ['iptables-nat-vnL.txt', 'nat'],
  ];
  const differ: string[] = [];
  let same = 0;
  for (const [file, table] of files) {
    const fromListing = listing(`${dir}/${file}`, table);
    const dump = save.find((t) => t.name === table);
    assert.ok(dump, table);
    const fromSave = fwTableFromIptables(dump, 'iptables-save.txt');
    assert.deepEqual([...fromListing.chains.keys()].sort(), [...fromSave.chains.keys()].sort());
    for (const [name, c] of fromListing.chains) {
      const d = fromSave.chains.get(name) as FwChain;
      assert.deepEqual(c.base, d.base, `${table} ${name}`);
      assert.equal(c.rules.length, d.rules.length, `${table} ${name}`);
      for (const [k, r] of c.rules.entries()) {
        const s = d.rules[k] as FwRule;
        if (JSON.stringify(meaning(r)) === JSON.stringify(meaning(s))) same += 1;
        else differ.push(`${table}/${name}#${r.number}`);
      }
    }
  }
  // firewall-iptables.ts takes `--hashlimit-above` and `--connlimit-above` as matching (the limit exceeded:
  // the DROP and REJECT always apply), where -L's `limit: above` and `#conn ... >` are negated (not exceeded).
  assert.deepEqual(differ, ['filter/INPUT#22', 'filter/INPUT#23']);
  assert.ok(same >= 50, `${same} rules compared`);
});
