// Property cases of the listing parsers people paste most: `nft list ruleset` text, `iptables -S`,
// `ip -br addr/link` and `docker port`, with what "inventing something" means for each.
import type { Link } from '../../src/model/link.js';
import { type Parsed, splitLines } from '../../src/model/parsed.js';
import { type DockerPortListing, parseDockerPort } from '../../src/parse/docker-port.js';
import { parseIpBrief, withoutColour } from '../../src/parse/ip-brief.js';
import { parseIptablesS } from '../../src/parse/iptables-s.js';
import { parseNftText } from '../../src/parse/nft-text.js';
import { arr, fixtures, isCount, nullOr, type ParserCase, rec, ruleIds, ruleLineFacts, tables } from './case-helpers.js';
import { ruleComplaint } from '../parse/invariants.js';

/** Everything a rule line says by itself: an nft rule's fields come from its own line only. */
const nftRuleIds = (value: unknown): string[] => ruleLineFacts(value, (r) => [r.comment, r.handle, r.packets, r.bytes]);

const nftText: ParserCase = {
  name: 'nft-text',
  parse: parseNftText,
  format: 'lines',
  fixtures: fixtures((n) => /nft/.test(n) && /\.(txt|nft)$/.test(n) && !/iptables/.test(n)),
  ids: nftRuleIds,
  // What each line of a fixture means as a rule of some chain: a line moved into another chain is read that way.
  fixtureIds: (text) => {
    const lines = splitLines(text);
    return [
      text,
      `table ip x {\n\tchain y {\n${lines.join('\n')}\n\t}\n}\n`,
      ...lines.map((l) => `table ip x {\n\tchain y {\n${l}\n\t}\n}\n`),
    ].flatMap((t) => nftRuleIds(parseNftText(t).value));
  },
  // A rule's table and chain come from the block lines above it: checked when one line is lost.
  contextIds: (p) => tables(p.value).flatMap((t) => t.rules.map((r) => `${t.family} ${t.name}\t${r.chain}\t${r.text}`)),
  tied: (value, lines) => ruleComplaint(tables(value), { numbers: 'counted', lines, indented: true, chainsDeclared: true }),
  empty: (v) => tables(v).length === 0,
};

const ASSUMED_FILTER = /assuming filter, iptables' default table/;

const iptablesS: ParserCase = {
  name: 'iptables-s',
  parse: (t) => parseIptablesS(t),
  format: 'lines',
  fixtures: fixtures((n) => /-S(-v)?\.txt$/.test(n)),
  // `-A CHAIN` names the chain on the rule's own line.
  ids: ruleIds,
  // The table is read from the listing as a whole: when that is only assumed, the issue says so.
  contextIds: (p) => {
    const assumed = p.issues.some((i) => ASSUMED_FILTER.test(i.reason));
    return tables(p.value).flatMap((t) =>
      t.rules.flatMap((r) => [`${r.chain}\t${r.text}`, ...(assumed ? [] : [`${t.name}\t${r.chain}\t${r.text}`])]),
    );
  },
  tied: (value, lines) => ruleComplaint(tables(value), { numbers: 'counted', lines, chainsDeclared: true }),
  empty: (v) => tables(v).length === 0,
};

/** Each attribute a brief line gives a link, as "name attr=value" atoms (nulls left out: unknown is never a lie). */
function briefFacts(value: unknown): string[] {
  return (arr(value) as Link[]).flatMap((l) => [
    l.name,
    `${l.name} state=${l.state}`,
    ...(l.mac === null ? [] : [`${l.name} mac=${l.mac}`]),
    ...(l.peerIfindex === null ? [] : [`${l.name} peer=${l.peerIfindex}`]),
    ...(l.peerName === null ? [] : [`${l.name} peerName=${l.peerName}`]),
    ...l.flags.map((f) => `${l.name} flag=${f}`),
    ...l.addresses.map((a) => `${l.name} addr=${a.address}/${a.prefixlen}`),
  ]);
}

const ipBrief: ParserCase = {
  name: 'ip-brief',
  parse: parseIpBrief,
  format: 'lines',
  fixtures: fixtures((n) => /^ip-br-/.test(n)),
  ids: briefFacts,
  tied: (value, lines) => {
    for (const l of arr(value) as Link[]) {
      if (l.ifindex !== 0) return `${l.name} has an ifindex, which brief listings do not print`;
      const starts = (line: string) => withoutColour(line).trim().split(/\s+/)[0]?.split('@')[0] === l.name;
      if (!lines.some(starts)) {
        return `link ${l.name} starts no line`;
      }
    }
    return null;
  },
  shape: (value) => {
    for (const l of arr(value) as Link[]) {
      if (typeof l.name !== 'string' || l.name === '' || l.name.length > 15) return `bad link name ${JSON.stringify(l.name)}`;
      if (!nullOr(l.peerIfindex, isCount)) return `bad peer index on ${l.name}`;
      for (const a of l.addresses)
        if (!(isCount(a.prefixlen) && a.prefixlen <= (a.family === 'inet' ? 32 : 128))) return `bad prefix on ${l.name}`;
    }
    return null;
  },
  empty: (v) => arr(v).length === 0,
};

/** Each publication as atoms: the host end always from its own line; container and port only when known. */
function portFacts(p: Parsed<unknown>): string[] {
  const v = rec(p.value) as unknown as DockerPortListing;
  return [
    ...arr(v.publications).flatMap((x) => {
      const pub = x as DockerPortListing['publications'][number];
      const base = `${pub.hostIp}:${pub.hostPort}`;
      return [
        base,
        ...(pub.container === null ? [] : [`${base} container=${pub.container}`]),
        ...(pub.containerPort === null ? [] : [`${base} port=${pub.containerPort}/${pub.protocol}`]),
      ];
    }),
    ...arr(v.notPublished).map((x) => JSON.stringify(x).replace(/,"line":\d+/, '')),
  ];
}

const dockerPort: ParserCase = {
  name: 'docker-port',
  parse: (t) => parseDockerPort(t),
  format: 'lines',
  fixtures: fixtures((n) => /docker-port|port-md-transcript/.test(n)),
  ids: (value) =>
    arr(rec(value).publications).map((x) => {
      const pub = x as { hostIp: string; hostPort: number };
      return `${pub.hostIp}:${pub.hostPort}`;
    }),
  contextIds: portFacts,
  tied: (value, lines) => {
    for (const x of arr(rec(value).publications)) {
      const pub = x as { hostPort: number; line: number };
      if (!(lines[pub.line - 1] ?? '').includes(String(pub.hostPort))) return `publication of line ${pub.line} is not on that line`;
    }
    return null;
  },
  shape: (value) => {
    for (const x of arr(rec(value).publications)) {
      const pub = x as { hostPort: unknown; containerPort: unknown };
      if (!isCount(pub.hostPort) || (pub.hostPort as number) > 65535 || !nullOr(pub.containerPort, isCount))
        return `bad publication ${JSON.stringify(x)}`;
    }
    return null;
  },
  empty: (v) => arr(rec(v).publications).length === 0 && arr(rec(v).notPublished).length === 0,
};

export const LISTING_CASES: readonly ParserCase[] = [nftText, iptablesS, ipBrief, dockerPort];
