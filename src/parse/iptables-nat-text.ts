// Parses `iptables -t nat -L` listings (-v, -n, -x, --line-numbers in any mix; ip6tables too) into a NatTable.
// Columns are found from each chain's header line so the free-text last column stays whole.

import { cutShortIssue, isPromptLine } from './listing-text.js';
import { exactCount, scaledCount } from './numbers.js';
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import {
  blankChain,
  emptyOrigin,
  normaliseAddress,
  normaliseProtocol,
  parseNatAddress,
  parsePortRange,
  type NatAddress,
  type NatChain,
  type NatRule,
  type NatTable,
  type PortRange,
} from '../model/nat-rule.js';

// `Chain DOCKER (2 references)`, `Chain PREROUTING (policy ACCEPT 1118K packets, 74M bytes)`, `(policy ACCEPT)`
const CHAIN_LINE = /^\s*Chain\s+(\S+)\s+\((.*)\)\s*$/;
const CHAIN_POLICY = /^policy\s+(\S+)(?:\s+(\S+)\s+packets,\s+(\S+)\s+bytes)?$/;
const CHAIN_REFERENCES = /^(\d+)\s+references?$/;
// ` pkts bytes target prot opt in out source destination`, `num target prot opt source destination`, ...
const HEADER_LINE = /^\s*(?:num\s+)?(?:pkts\s+bytes\s+)?target\s+prot\s+(?:opt\s+)?(?:in\s+out\s+)?source\s+destination\s*$/;
// iptables-nft: `# Warning: iptables-legacy tables present, use iptables-legacy to see them`
const WARNING_LINE = /^\s*#\s*Warning:\s*(.*?)\s*$/;
const LEGACY_WARNING = /\b(ip6?tables)-legacy tables present/;
// `[root@192 ~]# iptables -t nat -vnL`, `$ sudo iptables ...`, `root@mail:/opt# ...`, `➜  dir git:(master) ip6tables ...`
// `iptables v1.4.21: can't initialize iptables table `nat': Permission denied (you must be root)`
const TOOL_MESSAGE = /^\s*(?:ip6?tables|xtables)(?:-\w+)*(?:\s+v[\d.]+)?(?:\s+\(\w+\))?:\s/;
const COUNTER = /^(\d+)([KMGTPE]?)$/;
const OPT_COLUMN = /^(?:--|-f|!f)$/;
const PROTOCOL_LIKE = /^!?(?:all|tcp|udp|udplite|icmp|icmpv6|ipv6-icmp|esp|ah|sctp|dccp|gre|igmp|mh|ipv6|\d{1,3})$/i;
// Inside the free-text column.
const COMMENT = /\/\* (.*?) \*\//;
const DPORT = /(?:^|\s)dpts?:(!?)(\S+)/;
const SPORT = /(?:^|\s)spts?:(!?)(\S+)/;
const NAT_TO = /(?:^|\s)to:(\S+)/;
const REDIR_PORTS = /(?:^|\s)redir ports (\S+)/;
const MASQ_PORTS = /(?:^|\s)masq ports: (\S+)/;

// Command output ends with a newline; a paste that does not may have lost the end of its last line.

const SUFFIX: Readonly<Record<string, number>> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

// Service names `iptables -L` without -n prints for ports (getservbyport: the primary name only), from
// Debian netbase 6.4 /etc/services (tcp/udp/sctp/dccp). Other distributions ship more names; an unknown
// name is reported and its port left null.
const NETBASE_SERVICES = `
tcpmux:1 echo:7 discard:9 systat:11 daytime:13 netstat:15 qotd:17 chargen:19 ftp-data:20 fsp:21
ftp:21 ssh:22 telnet:23 smtp:25 time:37 whois:43 tacacs:49 domain:53 bootps:67 bootpc:68 tftp:69
gopher:70 finger:79 http:80 kerberos:88 iso-tsap:102 acr-nema:104 poppassd:106 pop3:110
sunrpc:111 auth:113 nntp:119 ntp:123 epmap:135 netbios-ns:137 netbios-dgm:138 netbios-ssn:139
imap2:143 snmp:161 snmp-trap:162 cmip-man:163 cmip-agent:164 mailq:174 xdmcp:177 bgp:179
smux:199 qmtp:209 z3950:210 ipx:213 ptp-event:319 ptp-general:320 pawserv:345 zserv:346
rpc2portmap:369 codaauth2:370 clearcase:371 ldap:389 svrloc:427 https:443 snpp:444
microsoft-ds:445 kpasswd:464 submissions:465 saft:487 isakmp:500 biff:512 exec:512 login:513
who:513 shell:514 syslog:514 printer:515 talk:517 ntalk:518 route:520 gdomap:538 uucp:540
klogin:543 kshell:544 dhcpv6-client:546 dhcpv6-server:547 afpovertcp:548 rtsp:554 nntps:563
submission:587 nqs:607 asf-rmcp:623 qmqp:628 ipp:631 ldaps:636 ldp:646 tinc:655 silc:706
kerberos-adm:749 kerberos4:750 kerberos-master:751 passwd-server:752 krb-prop:754 moira-db:775
moira-update:777 moira-ureg:779 spamd:783 domain-s:853 supfilesrv:871 rsync:873 ftps-data:989
ftps:990 telnets:992 imaps:993 pop3s:995 socks:1080 proofd:1093 rootd:1094 rmiregistry:1099
supfiledbg:1127 skkserv:1178 openvpn:1194 predict:1210 rmtcfg:1236 xtel:1313 xtelw:1314
lotusnote:1352 ms-sql-s:1433 ms-sql-m:1434 ingreslock:1524 datametrics:1645 sa-msg-port:1646
kermit:1649 groupwise:1677 l2f:1701 radius:1812 radius-acct:1813 cisco-sccp:2000 nfs:2049
gnunet:2086 rtcm-sc104:2101 zephyr-srv:2102 zephyr-clt:2103 zephyr-hm:2104 gsigatekeeper:2119
iprop:2121 gris:2135 cvspserver:2401 venus:2430 venus-se:2431 codasrv:2432 codasrv-se:2433
mon:2583 zebrasrv:2600 zebra:2601 ripd:2602 ripngd:2603 ospfd:2604 bgpd:2605 ospf6d:2606
ospfapi:2607 isisd:2608 dict:2628 f5-globalsite:2792 gsiftp:2811 gpsd:2947 gds-db:3050
icpv2:3130 isns:3205 iscsi-target:3260 mysql:3306 ms-wbt-server:3389 nut:3493 distcc:3632
daap:3689 svn:3690 suucp:4031 sysrqd:4094 sieve:4190 f5-iquery:4353 epmd:4369 remctl:4373
ntske:4460 ipsec-nat-t:4500 fax:4557 hylafax:4559 iax:4569 mtn:4691 radmin-port:4899 munin:4949
sip:5060 sip-tls:5061 xmpp-client:5222 xmpp-server:5269 cfengine:5308 mdns:5353 postgresql:5432
rplay:5555 freeciv:5556 nrpe:5666 nsca:5667 amqps:5671 amqp:5672 canna:5680 x11:6000 x11-1:6001
x11-2:6002 x11-3:6003 x11-4:6004 x11-5:6005 x11-6:6006 x11-7:6007 gnutella-svc:6346
gnutella-rtr:6347 redis:6379 sge-qmaster:6444 sge-execd:6445 mysql-proxy:6446 syslog-tls:6514
sane-port:6566 ircd:6667 babel:6696 ircs-u:6697 afs3-fileserver:7000 bbs:7000 afs3-callback:7001
afs3-prserver:7002 afs3-vlserver:7003 afs3-kaserver:7004 afs3-volser:7005 afs3-bos:7007
afs3-update:7008 afs3-rmtsys:7009 font-service:7100 zope-ftp:8021 http-alt:8080 tproxy:8081
omniorb:8088 puppet:8140 clc-build-daemon:8990 xinetd:9098 bacula-dir:9101 bacula-fd:9102
bacula-sd:9103 git:9418 xmms2:9667 zope:9673 webmin:10000 zabbix-agent:10050
zabbix-trapper:10051 amanda:10080 kamanda:10081 amandaidx:10082 amidxtape:10083 nbd:10809
dicom:11112 hkp:11371 sgi-cmsd:17001 sgi-crsd:17002 sgi-gcd:17003 sgi-cad:17004 db-lsp:17500
dcap:22125 gsidcap:22128 wnn6:22273 binkp:24554 asp:27374 csync2:30865 dircproxy:57000
tfido:60177 fido:60179
`;

let servicesCache: Map<string, number> | null = null;
function services(): Map<string, number> {
  if (servicesCache === null) {
    servicesCache = new Map();
    for (const pair of NETBASE_SERVICES.split(/\s+/)) {
      const i = pair.lastIndexOf(':');
      if (i > 0 && !servicesCache.has(pair.slice(0, i))) servicesCache.set(pair.slice(0, i), Number(pair.slice(i + 1)));
    }
  }
  return servicesCache;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

interface Layout {
  num: boolean;
  counters: boolean;
  opt: boolean;
  via: boolean;
  /** Where the header starts: a paste indented as a whole is indented here too. */
  indent: number;
}

function tokens(line: string): Token[] {
  const out: Token[] = [];
  for (const m of line.matchAll(/\S+/g)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** A counter column (`1234`, `1234K`); value null when too large to hold exactly (said by the caller). */
function counter(s: string): { value: number | null; exact: boolean } | null {
  const m = COUNTER.exec(s);
  if (!m || m[1] === undefined) return null;
  const unit = m[2] ?? '';
  return { value: scaledCount(m[1], SUFFIX[unit] ?? 1), exact: unit === '' };
}

const TOO_LARGE = 'a counter too large to hold exactly: left unknown';

function negatable(s: string): { value: string; negated: boolean } {
  return s.startsWith('!') ? { value: s.slice(1), negated: true } : { value: s, negated: false };
}

function iface(s: string): { value: string | null; negated: boolean } {
  const { value, negated } = negatable(s);
  return { value: value === '*' || value === 'any' ? null : value, negated };
}

/** `49154`, `1000:2000`, `http-alt`, `bbs:7001`; a name -L printed in place of a number is looked up. */
function portSpec(spec: string): { range: PortRange | null; unknown: string | null } {
  const parts = spec.split(':');
  if (parts.length > 2) return { range: null, unknown: spec };
  const nums: number[] = [];
  for (const p of parts) {
    const n = /^\d{1,5}$/.test(p) ? Number(p) : services().get(p);
    if (n === undefined || n > 65535) return { range: null, unknown: p };
    nums.push(n);
  }
  const from = nums[0];
  const to = nums[1] ?? from;
  if (from === undefined || to === undefined || to < from) return { range: null, unknown: spec };
  return { range: { from, to }, unknown: null };
}

/** What the free-text column says that the model has fields for. */
function readMatches(
  matches: string,
  target: string,
  line: number,
  issues: ParseIssue[],
): Pick<NatRule, 'comment' | 'dport' | 'dportNegated' | 'sport' | 'sportNegated' | 'dnatTo' | 'snatTo'> {
  const comment = COMMENT.exec(matches)?.[1] ?? null;
  // Port words inside a comment are not matches.
  const bare = matches.replace(/\/\* .*? \*\//g, ' ');
  const port = (re: RegExp): { range: PortRange | null; negated: boolean } => {
    const m = re.exec(bare);
    if (!m || m[2] === undefined) return { range: null, negated: false };
    const { range, unknown } = portSpec(m[2]);
    if (unknown !== null) {
      issues.push(issue(line, matches, `port name "${unknown}" is not a known service: list with -n to get numbers`));
    }
    return { range, negated: m[1] === '!' };
  };
  const d = port(DPORT);
  const s = port(SPORT);
  let dnatTo: NatAddress | null = null;
  let snatTo: NatAddress | null = null;
  const to = NAT_TO.exec(bare)?.[1];
  if (to !== undefined) {
    const addr = parseNatAddress(to);
    if (addr === null) issues.push(issue(line, matches, `cannot read the NAT address "to:${to}"`));
    else if (target === 'SNAT') snatTo = addr;
    else dnatTo = addr;
  }
  const redir = REDIR_PORTS.exec(bare)?.[1];
  if (redir !== undefined && dnatTo === null) dnatTo = { ip: null, port: parsePortRange(redir) };
  const masq = MASQ_PORTS.exec(bare)?.[1];
  if (masq !== undefined && snatTo === null) snatTo = { ip: null, port: parsePortRange(masq) };
  return { comment, dport: d.range, dportNegated: d.negated, sport: s.range, sportNegated: s.negated, dnatTo, snatTo };
}

type RuleCore = Omit<NatRule, 'family' | 'table' | 'chain' | 'number' | 'line' | 'text'> & {
  num: number | null;
  /** An IPv6 address in the source or destination column (`::/0`, `fd01::2`). */
  ipv6: boolean;
};

/** One rule line under a known header; a reason string when the line is not a rule. */
function parseRule(line: string, layout: Layout, lineNo: number, issues: ParseIssue[]): RuleCore | string {
  const t = tokens(line);
  let i = 0;
  let num: number | null = null;
  let expectedTarget = layout.indent;
  const first = t[0];
  if (first === undefined) return 'empty line';
  if (layout.num) {
    num = exactCount(first.text);
    if (num === null || num < 1) return 'expected a rule number (1 or more) in the num column';
    expectedTarget = first.start + Math.max(first.text.length, 4) + 1;
    i = 1;
  }
  let packets: number | null = null;
  let bytes: number | null = null;
  let countersExact = true;
  if (layout.counters) {
    const p = t[i] ? counter(t[i]!.text) : null;
    const b = t[i + 1] ? counter(t[i + 1]!.text) : null;
    if (p === null || b === null) return 'expected packet and byte counters';
    packets = p.value;
    bytes = b.value;
    if (packets === null || bytes === null) issues.push(issue(lineNo, line, TOO_LARGE));
    countersExact = p.exact && b.exact;
    expectedTarget = t[i + 1]!.end + 1;
    i += 2;
  }
  const tok = t[i];
  if (tok === undefined) return 'no target or protocol column';
  // An empty target leaves blanks where the target would start; and its protocol is followed by `--`.
  const protoLike = PROTOCOL_LIKE.test(tok.text);
  const nextIsOpt = t[i + 1] !== undefined && OPT_COLUMN.test(t[i + 1]!.text);
  const targetEmpty = protoLike && ((layout.opt && nextIsOpt) || tok.start > expectedTarget);
  let target = '';
  if (!targetEmpty) {
    target = tok.text;
    i += 1;
  }
  const protoTok = t[i];
  if (protoTok === undefined) return 'no protocol column';
  const proto = negatable(protoTok.text);
  i += 1;
  if (layout.opt && t[i] !== undefined && OPT_COLUMN.test(t[i]!.text)) i += 1;
  let inI = { value: null as string | null, negated: false };
  let outI = { value: null as string | null, negated: false };
  if (layout.via) {
    if (t[i] === undefined || t[i + 1] === undefined) return 'too few columns for in/out';
    inI = iface(t[i]!.text);
    outI = iface(t[i + 1]!.text);
    i += 2;
  }
  const srcTok = t[i];
  const dstTok = t[i + 1];
  if (srcTok === undefined || dstTok === undefined) return 'too few columns for source/destination';
  const src = negatable(srcTok.text);
  const dst = negatable(dstTok.text);
  const matches = line.slice(dstTok.end).trim();
  return {
    num,
    ipv6: src.value.includes(':') || dst.value.includes(':'),
    handle: null,
    packets,
    bytes,
    countersExact,
    target,
    protocol: normaliseProtocol(proto.value),
    protocolNegated: proto.negated,
    inInterface: inI.value,
    inNegated: inI.negated,
    outInterface: outI.value,
    outNegated: outI.negated,
    source: normaliseAddress(src.value),
    sourceNegated: src.negated,
    destination: normaliseAddress(dst.value),
    destinationNegated: dst.negated,
    matches,
    ...readMatches(matches, target, lineNo, issues),
  };
}

/** The part in parentheses of a `Chain` line; null when it is neither a policy nor references. */
function parseChainLine(name: string, inner: string, lineNo: number, report: (reason: string) => void): NatChain | null {
  const base = blankChain(name, lineNo);
  const pol = CHAIN_POLICY.exec(inner.trim());
  if (pol && pol[1] !== undefined) {
    const p = pol[2] !== undefined ? counter(pol[2]) : null;
    const b = pol[3] !== undefined ? counter(pol[3]) : null;
    if (pol[2] !== undefined && (p === null || b === null)) return null;
    if (p?.value === null || b?.value === null) report(TOO_LARGE);
    return {
      ...base,
      policy: pol[1].toUpperCase(),
      packets: p?.value ?? null,
      bytes: b?.value ?? null,
      countersExact: (p?.exact ?? true) && (b?.exact ?? true),
    };
  }
  const refs = CHAIN_REFERENCES.exec(inner.trim());
  if (refs && refs[1] !== undefined) return { ...base, references: exactCount(refs[1]) };
  return null;
}

function layoutOf(header: string): Layout {
  const words = header.trim().split(/\s+/);
  return {
    num: words.includes('num'),
    counters: words.includes('pkts'),
    opt: words.includes('opt'),
    via: words.includes('in'),
    indent: header.length - header.trimStart().length,
  };
}

/**
 * Reads `iptables -t nat -L` output. `family` when known (ip6tables: 'ipv6'); otherwise it is read from
 * the text (an ip6tables prompt or warning, IPv6 addresses). `table` names the table listed (-t).
 */
export function parseIptablesNatText(text: string, family?: 'ipv4' | 'ipv6', table = 'nat'): Parsed<NatTable> {
  const issues: ParseIssue[] = [];
  const value: NatTable = { family: family ?? 'ipv4', name: table, chains: [], rules: [], sets: [], origin: emptyOrigin() };
  let familyHint: 'ipv4' | 'ipv6' | null = null;
  let sawIpv6Address = false;
  let chain: NatChain | null = null;
  let chainIsRepeat = false;
  let layout: Layout | null = null;
  let count = 0;
  let lastUsed = 0;
  const input = typeof text === 'string' ? text : '';
  const lines = splitLines(input);
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    // trimEnd, not replace(/\s+$/): that regex is quadratic in a long run of inner blanks.
    const line = raw.trimEnd();
    try {
      if (line.trim() === '') return;
      const ch = CHAIN_LINE.exec(line);
      if (ch && ch[1] !== undefined && ch[2] !== undefined) {
        const parsed = parseChainLine(ch[1], ch[2], lineNo, (reason) => issues.push(issue(lineNo, line, reason)));
        if (parsed === null) {
          issues.push(issue(lineNo, line, 'chain line with an unknown policy/references part'));
        }
        const c = parsed ?? blankChain(ch[1], lineNo);
        chainIsRepeat = value.chains.some((x) => x.name === c.name);
        if (chainIsRepeat) {
          issues.push(issue(lineNo, line, `chain ${c.name} is listed a second time: the input holds more than one listing`));
        } else {
          value.chains.push(c);
        }
        chain = c;
        layout = null;
        count = 0;
        lastUsed = lineNo;
        return;
      }
      if (HEADER_LINE.test(line)) {
        if (chain !== null && layout !== null) {
          // One header per chain: a second one means the `Chain` line above it was lost, and the
          // rules below belong to a chain whose name is unknown, not to the one above.
          issues.push(
            issue(lineNo, line, `a second column header under "Chain ${chain.name}": the Chain line of the rules below is missing`),
          );
          chain = null;
        }
        layout = layoutOf(line);
        return;
      }
      const warn = WARNING_LINE.exec(line);
      if (warn && warn[1] !== undefined) {
        const legacy = LEGACY_WARNING.exec(warn[1]);
        if (legacy) {
          value.origin.legacyTablesPresent = true;
          value.origin.backend = 'nf_tables';
          if (legacy[1] === 'ip6tables') familyHint = 'ipv6';
        } else {
          issues.push(issue(lineNo, line, 'warning printed by the tool'));
        }
        return;
      }
      if (isPromptLine(line)) {
        if (/\bip6tables\b/.test(line) && value.rules.length === 0) familyHint = 'ipv6';
        issues.push(issue(lineNo, line, 'shell prompt or command line, not part of the listing'));
        return;
      }
      if (TOOL_MESSAGE.test(line)) {
        issues.push(issue(lineNo, line, 'a message from iptables, not part of the listing'));
        return;
      }
      if (chain === null) {
        issues.push(issue(lineNo, line, 'not an iptables listing line (no "Chain" line before it)'));
        return;
      }
      if (layout === null) {
        issues.push(issue(lineNo, line, `no column header under "Chain ${chain.name}" before this line`));
        return;
      }
      const r = parseRule(line, layout, lineNo, issues);
      if (typeof r === 'string') {
        issues.push(issue(lineNo, line, `not a rule line: ${r}`));
        return;
      }
      if (chainIsRepeat) {
        issues.push(issue(lineNo, line, `rule of chain ${chain.name} listed a second time; not merged`));
        return;
      }
      count += 1;
      const { num, ipv6, ...rest } = r;
      if (ipv6) sawIpv6Address = true;
      value.rules.push({ family: value.family, table, chain: chain.name, number: num ?? count, ...rest, text: line, line: lineNo });
      lastUsed = lineNo;
    } catch (e) {
      issues.push(issue(lineNo, line, `internal error while reading this line: ${e instanceof Error ? e.message : String(e)}`));
    }
  });
  const cut = cutShortIssue(input, lines, lastUsed);
  if (cut) issues.push(cut);
  value.family = family ?? familyHint ?? (sawIpv6Address ? 'ipv6' : 'ipv4');
  for (const r of value.rules) r.family = value.family;
  return { value, issues };
}
