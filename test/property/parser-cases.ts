// Every parser of src/parse, with its real fixtures and what "inventing something" means for it:
// the identities it must never report unless the full fixture holds them.
import { readFileSync } from 'node:fs';
import { splitLines } from '../../src/model/parsed.js';
import type { BridgeInfo } from '../../src/model/bridge.js';
import type { Link } from '../../src/model/link.js';
import { parseBrctlShow } from '../../src/parse/brctl-show.js';
import { parseContainerFiles } from '../../src/parse/container-files.js';
import { parseContainerNetJson, parseProcNetIgmp } from '../../src/parse/container-net.js';
import { parseDockerProxies } from '../../src/parse/docker-proxy.js';
import { parseDockerPsText } from '../../src/parse/docker-ps-text.js';
import { parseContainersJson, parseNetworksJson } from '../../src/parse/engine-json.js';
import { parseIpAddrText } from '../../src/parse/ip-addr-text.js';
import { parseIpLinkJson } from '../../src/parse/ip-link-json.js';
import { parseIpRouteJson } from '../../src/parse/ip-route-json.js';
import { parseIptablesNatText } from '../../src/parse/iptables-nat-text.js';
import { parseIptablesSave } from '../../src/parse/iptables-save.js';
import { parseNftJson } from '../../src/parse/nft-json.js';
import { parseProcNetSockets } from '../../src/parse/proc-net-sockets.js';
import { parseResolvConf } from '../../src/parse/resolv-conf.js';
import { repoPath } from '../repo-path.js';
import {
  arr,
  fixtures,
  isCount,
  isIndex,
  nullOr,
  type ParserCase,
  rec,
  ruleIds,
  ruleLineFacts as natTextRuleIds,
  tables,
} from './case-helpers.js';
import { LISTING_CASES } from './listing-cases.js';
import { bridgeComplaint, issueComplaint, linkComplaint, ruleComplaint, textLinkComplaint } from '../parse/invariants.js';

export type { Fixture, JsonEntries, ParserCase } from './case-helpers.js';

/** Every attribute a link's neighbours lines can give it, as "identity attr=value" atoms (nulls left out: unknown is never a lie). */
function linkFacts(links: Link[]): string[] {
  return links.flatMap((l) => {
    const id = `${l.ifindex}:${l.name}`;
    const atoms = [id];
    for (const k of ['peerIfindex', 'peerName', 'linkNetnsId', 'linkNetnsName', 'master', 'kind', 'mac', 'mtu', 'state'] as const) {
      const v = l[k];
      if (v !== null && v !== undefined) atoms.push(`${id} ${k}=${v}`);
    }
    for (const a of l.addresses) atoms.push(`${id} addr=${a.address}/${a.prefixlen}`);
    return atoms;
  });
}

const linkShape = (v: unknown): string | null => linkComplaint(arr(v) as Link[]);
const textLinkTied = (v: unknown, lines: string[]): string | null => textLinkComplaint(arr(v) as Link[], lines);

const ASSUMED_TABLE = /no \*table line before this: assuming table/;

// ---- the cases ----

const ipAddrText: ParserCase = {
  name: 'ip-addr-text',
  parse: parseIpAddrText,
  format: 'lines',
  fixtures: fixtures((n) => /ip-(d-|o-)?(addr|link)/.test(n) && n.endsWith('.txt')),
  ids: (v) => (arr(v) as Link[]).map((l) => `${l.ifindex}:${l.name}`),
  contextIds: (p) => linkFacts(p.value as Link[]),
  tied: textLinkTied,
  shape: linkShape,
  empty: (v) => arr(v).length === 0,
};

const ipLinkJson: ParserCase = {
  name: 'ip-link-json',
  parse: parseIpLinkJson,
  format: 'json',
  fixtures: fixtures((n) => /^(host-|container-nsenter-)?ip-j-d-(addr|link)\.json$/.test(n)),
  ids: (v) => (arr(v) as Link[]).map((l) => `${l.ifindex}:${l.name}`),
  // A peer named by "link" is resolved within the listing: removing entries may leave it unknown, never wrong.
  contextIds: (p) => linkFacts(p.value as Link[]),
  shape: linkShape,
  empty: (v) => arr(v).length === 0,
  entries: { get: (d) => (Array.isArray(d) ? d : null), with: (_d, e) => e },
};

const brctlShow: ParserCase = {
  name: 'brctl-show',
  parse: parseBrctlShow,
  format: 'lines',
  fixtures: fixtures((n) => n.endsWith('brctl-show.txt')),
  // Which bridge a continuation line belongs to is not checked under line loss: a lost bridge line
  // leaves its continuation lines indistinguishable from the bridge above's (see the report of issue 7).
  ids: (v) =>
    (arr(v) as { name: string; interfaces: string[] }[]).flatMap((b) => [`bridge ${b.name}`, ...b.interfaces.map((i) => `port ${i}`)]),
  tied: (v, lines) => bridgeComplaint(arr(v) as BridgeInfo[], lines),
  empty: (v) => arr(v).length === 0,
};

const dockerPsText: ParserCase = {
  name: 'docker-ps-text',
  parse: parseDockerPsText,
  format: 'lines',
  fixtures: fixtures((n, p) => n === 'docker-ps.txt' || p.endsWith('docker/ps.txt')),
  ids: (v) => (arr(v) as { id: string; name: string }[]).map((c) => `${c.id}\t${c.name}`),
  contextIds: (p) =>
    (arr(p.value) as { id: string; name: string; image: string; state: string; ports: unknown }[]).map((c) =>
      JSON.stringify([c.id, c.name, c.image, c.state, c.ports]),
    ),
  tied: (v, lines) => {
    for (const c of arr(v) as { id: string }[])
      if (!/^[0-9a-f]{12}$/.test(c.id) || !lines.some((l) => l.startsWith(c.id))) return `container ${c.id} starts no line`;
    return null;
  },
  empty: (v) => arr(v).length === 0,
};

const containerIds = (v: unknown): string[] => (arr(v) as { id: string; name: string }[]).map((c) => `${c.id}\t${c.name}`);

const containersJson: ParserCase = {
  name: 'engine-json containers',
  parse: parseContainersJson,
  format: 'json',
  fixtures: fixtures((n) => /^containers-(inspect|list)\.json$/.test(n)),
  ids: containerIds,
  contextIds: (p) => (arr(p.value) as unknown[]).map((c) => JSON.stringify(c)),
  shape: (v) => {
    for (const c of arr(v) as { id: unknown; name: unknown; pid: unknown; endpoints: unknown }[]) {
      if (typeof c.id !== 'string' || c.id === '' || typeof c.name !== 'string')
        return `bad container identity ${JSON.stringify([c.id, c.name])}`;
      if (!nullOr(c.pid, isIndex) || !Array.isArray(c.endpoints)) return `bad container ${c.id}`;
    }
    return null;
  },
  empty: (v) => arr(v).length === 0,
  entries: { get: (d) => (Array.isArray(d) ? d : null), with: (_d, e) => e },
};

const networksJson: ParserCase = {
  name: 'engine-json networks',
  parse: parseNetworksJson,
  format: 'json',
  fixtures: fixtures((n) => n === 'networks.json'),
  ids: (v) => (arr(v) as { id: string; name: string }[]).map((n) => `${n.id}\t${n.name}`),
  contextIds: (p) => (arr(p.value) as unknown[]).map((n) => JSON.stringify(n)),
  empty: (v) => arr(v).length === 0,
  entries: { get: (d) => (Array.isArray(d) ? d : null), with: (_d, e) => e },
};

const containerNetJson: ParserCase = {
  name: 'container-net json',
  parse: parseContainerNetJson,
  format: 'json',
  fixtures: fixtures((n) => /^net-.*\.json$/.test(n)),
  ids: (v) => (v === null ? [] : (rec(v).interfaces as { name: string; ifindex: number | null }[]).map((i) => `${i.ifindex}:${i.name}`)),
  contextIds: (p) => (p.value === null ? [] : (rec(p.value).interfaces as unknown[]).map((i) => JSON.stringify(i))),
  shape: (v) => {
    if (v === null) return null;
    for (const i of rec(v).interfaces as { name: unknown; ifindex: unknown; iflink: unknown }[]) {
      if (typeof i.name !== 'string' || i.name === '' || !nullOr(i.ifindex, Number.isInteger) || !nullOr(i.iflink, Number.isInteger))
        return `bad interface ${JSON.stringify(i)}`;
    }
    return null;
  },
  empty: (v) => v === null,
  entries: {
    get: (d) => (Array.isArray(rec(d).interfaces) ? (rec(d).interfaces as unknown[]) : null),
    with: (d, e) => ({ ...rec(d), interfaces: e }),
  },
};

const procNetIgmp: ParserCase = {
  name: 'proc-net-igmp',
  parse: parseProcNetIgmp,
  format: 'lines',
  fixtures: fixtures((n) => n.startsWith('proc-net-igmp')),
  ids: (v) => (arr(v) as { name: string; ifindex: number }[]).map((i) => `${i.ifindex}:${i.name}`),
  empty: (v) => arr(v).length === 0,
};

const iptablesNatText: ParserCase = {
  name: 'iptables-nat-text',
  parse: (t) => parseIptablesNatText(t),
  format: 'lines',
  // `iptables -S` listings have their own case (listing-cases.ts).
  fixtures: fixtures((n) => /ip6?tables/.test(n) && !/save/.test(n) && !/-S(-v)?\.txt$/.test(n) && n.endsWith('.txt')),
  // A rule's line read under its own column header; its chain is the `Chain` line above, a context fact.
  ids: natTextRuleIds,
  // What each line of the fixture means under each column header of the same paste: a paste may start
  // mid-chain or hold two listings, and a line moved under another of its headers is read that way.
  fixtureIds: (text) => {
    const lines = splitLines(text);
    const headers = [...new Set(lines.filter((l) => /\btarget\s+prot\b/.test(l)))];
    return [text, ...headers.flatMap((h) => lines.map((l) => `Chain X (0 references)\n${h}\n${l}\n`))].flatMap((t) =>
      natTextRuleIds(parseIptablesNatText(t).value),
    );
  },
  contextIds: (p) => ruleIds(p.value),
  // -L prints the rule numbers (--line-numbers): a damaged listing may skip one.
  tied: (v, lines) => ruleComplaint(tables(v), { numbers: 'listed', lines, chainsDeclared: true }),
  empty: (v) => tables(v).every((t) => t.rules.length === 0 && t.chains.length === 0),
};

const iptablesSave: ParserCase = {
  name: 'iptables-save',
  parse: (t) => parseIptablesSave(t),
  format: 'lines',
  fixtures: fixtures((n) => /save/.test(n) && n.endsWith('.txt')),
  // `-A CHAIN` names the chain on the rule's own line.
  ids: ruleIds,
  // The table comes from the `*table` line above; a lost one is either reported with "assuming table
  // nat" (then the table is an announced assumption) or the rule joins the table above, which is reported too.
  contextIds: (p) => {
    const assumed = p.issues.some((i) => ASSUMED_TABLE.test(i.reason));
    return tables(p.value).flatMap((t) =>
      t.rules.flatMap((r) => [`${r.chain}\t${r.text}`, ...(assumed ? [] : [`${t.name}\t${r.chain}\t${r.text}`])]),
    );
  },
  tied: (v, lines) => ruleComplaint(tables(v), { numbers: 'counted', lines, chainsDeclared: true }),
  empty: (v) => tables(v).length === 0,
};

const nftJson: ParserCase = {
  name: 'nft-json',
  parse: parseNftJson,
  format: 'json',
  fixtures: fixtures((n) => /nft.*\.json$/.test(n)),
  ids: (v) => tables(v).flatMap((t) => t.rules.map((r) => `${t.family} ${t.name}\t${r.chain}\t${r.text}`)),
  contextIds: (p) =>
    tables(p.value).flatMap((t) =>
      t.rules.map(
        (r) => `${t.family} ${t.name}\t${r.chain}\t${r.handle}\t${r.text}\t${r.target}\t${JSON.stringify([r.dport, r.dnatTo, r.snatTo])}`,
      ),
    ),
  shape: (v) => ruleComplaint(tables(v), { numbers: 'counted' }),
  empty: (v) => tables(v).length === 0,
  entries: {
    get: (d) => (Array.isArray(rec(d).nftables) ? (rec(d).nftables as unknown[]) : null),
    with: (d, e) => ({ ...rec(d), nftables: e }),
  },
};

function socketCase(file: string, protocol: 'tcp' | 'udp', family: 'ipv4' | 'ipv6'): ParserCase {
  return {
    name: `proc-net-sockets ${file}`,
    parse: (t) => parseProcNetSockets(t, protocol, family),
    format: 'lines',
    fixtures: fixtures((n) => n.endsWith(`-${file}.txt`)),
    ids: (v) =>
      (arr(v) as { localIp: string; localPort: number; inode: number; state: string }[]).map(
        (s) => `${s.localIp}:${s.localPort} ${s.state} ${s.inode}`,
      ),
    shape: (v) => {
      for (const s of arr(v) as { localPort: unknown; inode: unknown }[])
        if (!isCount(s.localPort) || (s.localPort as number) > 65535 || !isCount(s.inode)) return `bad socket ${JSON.stringify(s)}`;
      return null;
    },
    empty: (v) => arr(v).length === 0,
  };
}

const resolvConf: ParserCase = {
  name: 'resolv-conf',
  parse: parseResolvConf,
  format: 'lines',
  fixtures: fixtures((n) => n.endsWith('resolv.conf')),
  ids: (v) => {
    const r = rec(v) as { nameservers?: string[]; search?: string[]; options?: string[] };
    return [
      ...(r.nameservers ?? []).map((n) => `ns ${n}`),
      ...(r.search ?? []).map((s) => `search ${s}`),
      ...(r.options ?? []).map((o) => `option ${o}`),
    ];
  },
  empty: (v) => {
    const r = rec(v) as { nameservers: string[]; search: string[]; options: string[] };
    return r.nameservers.length + r.search.length + r.options.length === 0;
  },
};

const ipRouteJson: ParserCase = {
  name: 'ip-route-json',
  parse: parseIpRouteJson,
  format: 'json',
  fixtures: fixtures((n) => n === 'ip-j-route.json'),
  ids: (v) => (arr(v) as unknown[]).map((r) => JSON.stringify(r)),
  empty: (v) => arr(v).length === 0,
  entries: { get: (d) => (Array.isArray(d) ? d : null), with: (_d, e) => e },
};

const dockerProxyJson: ParserCase = {
  name: 'docker-proxy json',
  parse: parseDockerProxies,
  format: 'json',
  fixtures: fixtures((n) => n === 'docker-proxy.json'),
  ids: (v) =>
    (arr(v) as { pid: number; hostIp: string; hostPort: number; containerIp: string; containerPort: number }[]).map((p) =>
      JSON.stringify([p.pid, p.hostIp, p.hostPort, p.containerIp, p.containerPort]),
    ),
  empty: (v) => arr(v).length === 0,
  // Text that does not start with "[" is read as `ps` output, whose other processes are skipped on purpose;
  // JSON that does not parse is reported (the cut-document property).
  silentByDesign: true,
  entries: { get: (d) => (Array.isArray(d) ? d : null), with: (_d, e) => e },
};

const dockerProxyPs: ParserCase = {
  ...dockerProxyJson,
  name: 'docker-proxy ps',
  format: 'lines',
  fixtures: fixtures((n) => n === 'ps-eo-pid-args.txt'),
  entries: undefined,
};

const containerFiles: ParserCase = {
  name: 'container-files json',
  parse: parseContainerFiles,
  format: 'json',
  // Built from real captures: lab-web's resolv.conf and tomcat-tml's /proc/net tables.
  fixtures: [
    {
      path: '(made from live-debian12-proc-net/*)',
      text: JSON.stringify(
        {
          resolvConf: readFileSync(repoPath('test/fixtures/live-debian12-proc-net/lab-web-resolv.conf'), 'utf8'),
          netTables: {
            tcp: readFileSync(repoPath('test/fixtures/live-debian12-proc-net/tomcat-tml-tcp.txt'), 'utf8'),
            tcp6: readFileSync(repoPath('test/fixtures/live-debian12-proc-net/tomcat-tml-tcp6.txt'), 'utf8'),
          },
          socketInodes: [],
          errors: [],
        },
        null,
        2,
      ),
    },
  ],
  ids: (v) => {
    const f = rec(v) as {
      resolv?: { nameservers: string[] } | null;
      sockets?: { entries: { localIp: string; localPort: number; inode: number }[] } | null;
    };
    return [
      ...(f.resolv?.nameservers ?? []).map((n) => `ns ${n}`),
      ...(f.sockets?.entries ?? []).map((s) => `${s.localIp}:${s.localPort} ${s.inode}`),
    ];
  },
  empty: (v) => {
    const f = rec(v) as { resolv: unknown; sockets: unknown };
    return f.resolv === null && f.sockets === null;
  },
};

export const CASES: readonly ParserCase[] = [
  ipAddrText,
  ipLinkJson,
  brctlShow,
  dockerPsText,
  containersJson,
  networksJson,
  containerNetJson,
  procNetIgmp,
  iptablesNatText,
  iptablesSave,
  nftJson,
  socketCase('tcp', 'tcp', 'ipv4'),
  socketCase('tcp6', 'tcp', 'ipv6'),
  socketCase('udp', 'udp', 'ipv4'),
  resolvConf,
  ipRouteJson,
  dockerProxyJson,
  dockerProxyPs,
  containerFiles,
  ...LISTING_CASES,
];

/** Problems with the issues of one parse: every line number 0 or a line of the input, none a crash. */
export { issueComplaint as badIssueLines };
