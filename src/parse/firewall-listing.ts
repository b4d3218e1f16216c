// `iptables -L` listings (-v, -n, -x, --line-numbers in any mix; ip6tables too) in the firewall model's
// vocabulary: the columns parse/iptables-nat-text.ts read, and the free-text last column, where each
// extension prints itself its own way (`ctstate RELATED,ESTABLISHED`, `ADDRTYPE match dst-type LOCAL`).
import type { Action, Cond, FwRule, FwTable } from '../model/firewall.js';
import type { NatRule, NatTable, PortRange } from '../model/nat-rule.js';
import { fwTableFromIptables } from './firewall-iptables.js';

function unmodelled(text: string): Cond {
  return { kind: 'unmodelled', text, negated: false };
}

/** What one recognised item of the free text says: conditions, or an option of the rule's target. */
type Item = { conds: Cond[] } | { goto: true };

interface Recogniser {
  re: RegExp;
  read(m: RegExpExecArray, r: NatRule): Item;
}

const CT_STATES = new Set(['INVALID', 'NEW', 'ESTABLISHED', 'RELATED', 'UNTRACKED', 'SNAT', 'DNAT']);

/** A port or range as -L prints it (`8080`, `1000:2000`); null for a service name (-L without -n). */
function port(s: string): PortRange | null {
  const m = /^(\d{1,5})(?::(\d{1,5}))?$/.exec(s);
  if (!m) return null;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from <= 65535 && to <= 65535 && from <= to ? { from, to } : null;
}

/** tcp flags as -L prints them: `0x17/0x02` with -n, `FIN,SYN,RST,ACK/SYN` without. */
function flagSet(s: string): Set<string> | null {
  const bits: Readonly<Record<string, number>> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 };
  if (/^0x[0-9a-f]{1,2}$/i.test(s)) {
    const n = Number(s);
    return new Set(Object.keys(bits).filter((k) => (n & (bits[k] ?? 0)) !== 0));
  }
  const words = s.toUpperCase().split(',');
  if (words.every((w) => w === 'NONE')) return new Set();
  if (!words.every((w) => bits[w] !== undefined || w === 'ALL')) return null;
  return new Set(words.includes('ALL') ? Object.keys(bits) : words);
}

function ctstate(text: string, negated: boolean, list: string): Cond {
  const states = list.toUpperCase().split(',');
  return states.every((s) => CT_STATES.has(s)) ? { kind: 'ctstate', states, negated } : unmodelled(text);
}

const ASSUMED_LIMIT = 'a rate limit, taken as not yet reached';

// Each extension's print function (iptables/extensions/libxt_*.c), anchored where an item starts.
// Target options (reject-with, to:, LOG ...) are read for the action; here they only must not become conditions.
const RECOGNISERS: Recogniser[] = [
  { re: /\[goto\]/y, read: () => ({ goto: true }) },
  // The tcp/udp match prints its name, then its ports and flags: the protocol is the prot column's.
  { re: /(?:tcp|udp|udplite|sctp|dccp)(?=\s|$)/y, read: () => ({ conds: [] }) },
  {
    re: /(s|d)pts?:(!?)(\S+)/y,
    read: (m, r) => {
      const dir = m[1] === 's' ? 'src' : 'dst';
      const range = port(m[3] ?? '') ?? (dir === 'dst' ? r.dport : r.sport);
      if (range === null) return { conds: [unmodelled(`${m[0]} (a port name this listing does not resolve: list with -n)`)] };
      return { conds: [{ kind: 'port', dir, ports: [range], negated: m[2] === '!' }] };
    },
  },
  {
    re: /flags:(!?)(\S+)\/(\S+)/y,
    read: (m) => {
      const mask = flagSet(m[2] ?? '');
      const cmp = flagSet(m[3] ?? '');
      // --syn: SYN set, ACK (and RST, FIN) clear.
      if (mask?.has('SYN') && mask.has('ACK') && cmp?.size === 1 && cmp.has('SYN'))
        return { conds: [{ kind: 'tcp-syn', negated: m[1] === '!' }] };
      return { conds: [unmodelled(m[0])] };
    },
  },
  {
    re: /multiport (dports|sports|ports) +(! ?)?(\S+)/y,
    read: (m) => {
      const ports = (m[3] ?? '').split(',').map(port);
      if (ports.some((p) => p === null)) return { conds: [unmodelled(`${m[0]} (port names: list with -n)`)] };
      const dir = m[1] === 'dports' ? 'dst' : m[1] === 'sports' ? 'src' : 'any';
      return { conds: [{ kind: 'port', dir, ports: ports as PortRange[], negated: m[2] !== undefined }] };
    },
  },
  { re: /(! )?(?:ctstate|state) (\S+)/y, read: (m) => ({ conds: [ctstate(m[0], m[1] !== undefined, m[2] ?? '')] }) },
  {
    re: /(! )?(?:ctstatus|ctproto|ctorigsrc|ctorigdst|ctreplsrc|ctrepldst|ctorigsrcport|ctorigdstport|ctreplsrcport|ctrepldstport|ctexpire|ctdir) \S+/y,
    read: (m) => ({ conds: [unmodelled(m[0])] }),
  },
  {
    re: /ADDRTYPE match((?: src-type ?!? ?[A-Z_,]+)?)((?: dst-type ?!? ?[A-Z_,]+)?)((?: limit-(?:in|out))*)/y,
    read: (m) => {
      const conds: Cond[] = [];
      for (const [part, dir] of [
        [m[1], 'src'],
        [m[2], 'dst'],
      ] as const) {
        const t = /-type ?(!?) ?([A-Z_,]+)/.exec(part ?? '');
        if (t) conds.push({ kind: 'addrtype', dir, types: (t[2] ?? '').split(','), negated: t[1] === '!' });
      }
      // limit-in/limit-out (--limit-iface-in/out): the type looked up on the packet's interface only.
      if (m[3]) conds.push(unmodelled(`ADDRTYPE match${m[3]}`));
      return { conds: conds.length > 0 ? conds : [unmodelled(m[0])] };
    },
  },
  {
    re: /(! )?match-set (\S+) ((?:src|dst)(?:,(?:src|dst))*)((?: return-nomatch| ! update-counters| ! update-subcounters)*)((?: !? ?(?:packets|bytes)-(?:eq|lt|gt) \d+)*)/y,
    read: (m) => {
      if (m[5]) return { conds: [unmodelled(m[0])] };
      const dirs = (m[3] ?? '').split(',') as ('src' | 'dst')[];
      return { conds: [{ kind: 'set', name: m[2] ?? '', dirs, negated: m[1] !== undefined }] };
    },
  },
  {
    // limit: `limit: avg 3/min burst 5`; hashlimit: `limit: up to 1/sec burst 5 mode srcip htable-expire 10000`, `limit: above ...`.
    re: /limit: (avg|up to|above) \S+ burst \d+((?: mode \S+| htable-(?:size|max|gcinterval|expire) \d+| (?:src|dst)mask \d+)*)/y,
    read: (m) => ({
      conds: [
        {
          kind: 'assumed',
          text: m[0],
          why: m[2] ? 'a rate limit per source, taken as not yet reached' : ASSUMED_LIMIT,
          negated: m[1] === 'above',
        },
      ],
    }),
  },
  {
    re: /(! )?recent: (?:SET|CHECK|UPDATE|REMOVE)(?: seconds: \d+)?(?: reap)?(?: hit_?count: \d+)?(?: TTL-Match)?(?: name: \S+)?(?: side: \S+)?(?: mask: \S+)?/y,
    read: (m) => ({
      conds: [{ kind: 'assumed', text: m[0], why: 'a list of recent sources, taken as matching', negated: m[1] !== undefined }],
    }),
  },
  {
    // connlimit: `#conn src/32 > 10` (--connlimit-above) matches over the limit; `<=` (--connlimit-upto) under it.
    re: /#conn (?:src|dst)\/\d+ (>|<=) \d+/y,
    read: (m) => ({
      conds: [{ kind: 'assumed', text: m[0], why: 'a connection-count limit, taken as not yet reached', negated: m[1] === '>' }],
    }),
  },
  {
    re: /mark match (! ?)?(0x[0-9a-f]+)(?:\/(0x[0-9a-f]+))?/iy,
    read: (m) => {
      const value = Number(m[2]);
      const mask = m[3] === undefined ? 0xffffffff : Number(m[3]);
      if (value > 0xffffffff || mask > 0xffffffff) return { conds: [unmodelled(m[0])] };
      return { conds: [{ kind: 'mark', value, mask, negated: m[1] !== undefined }] };
    },
  },
  { re: /connmark match (?:! ?)?\S+/y, read: (m) => ({ conds: [unmodelled(m[0])] }) },
  {
    // Bridged, not routed: not in the model (the evaluator knows no bridge ports as such).
    re: /PHYSDEV match(?: (?:! )?--physdev-(?:in|out) \S+| (?:! )?--physdev-is-(?:in|out|bridged))+/y,
    read: (m) => ({ conds: [unmodelled(m[0])] }),
  },
  {
    re: /(source|destination) IP range (! ?)?([0-9a-f.:]+)-([0-9a-f.:]+)/iy,
    read: (m) => ({
      conds: [
        { kind: 'address-range', dir: m[1] === 'source' ? 'src' : 'dst', from: m[3] ?? '', to: m[4] ?? '', negated: m[2] !== undefined },
      ],
    }),
  },
  {
    // pkttype: the packets docknet walks are unicast, as firewall-iptables.ts reads --pkt-type.
    re: /PKTTYPE (!?=) (unicast|broadcast|multicast)/y,
    read: (m) => ({ conds: [{ kind: 'addrtype', dir: 'dst', types: [(m[2] ?? '').toUpperCase()], negated: m[1] === '!=' }] }),
  },
  // ICMP types (`icmptype 8`, `icmp echo-request`, `ipv6-icmptype 128 code 0`): not modelled; the prot column already says icmp.
  { re: /(?:ipv6-)?icmp ?(?:type )?!? ?(?:\d+|[a-z][a-z-]*)(?: codes? \d+(?:-\d+)?)?/y, read: (m) => ({ conds: [unmodelled(m[0])] }) },
];

// Each target's own print, which follows the matches: from where it starts, the words are its options.
const TARGET_PRINTS: Readonly<Record<string, RegExp>> = {
  REJECT: /(?:^|\s)reject-with\s/,
  DNAT: /(?:^|\s)(?:to:|random|persistent)/,
  SNAT: /(?:^|\s)(?:to:|random|persistent)/,
  MASQUERADE: /(?:^|\s)(?:masq ports:|random)/,
  REDIRECT: /(?:^|\s)(?:redir ports|random)/,
  LOG: /(?:^|\s)LOG\b/,
  NFLOG: /(?:^|\s)nflog-/,
  MARK: /(?:^|\s)MARK (?:set|xset|or|and|xor)\b/,
  CONNMARK: /(?:^|\s)CONNMARK\b/,
  TCPMSS: /(?:^|\s)TCPMSS\b/,
  CT: /(?:^|\s)CT\b/,
  DSCP: /(?:^|\s)DSCP\b/,
  TOS: /(?:^|\s)TOS\b/,
  CLASSIFY: /(?:^|\s)CLASSIFY\b/,
  CHECKSUM: /(?:^|\s)CHECKSUM\b/,
  AUDIT: /(?:^|\s)AUDIT\b/,
};

/** Splits the free text into the matches and the target's own options. */
function splitTarget(text: string, target: string): { matches: string; options: string } {
  const re = TARGET_PRINTS[target];
  if (re === undefined) return { matches: text, options: '' };
  const m = re.exec(text);
  if (m === null) return { matches: text, options: '' };
  return { matches: text.slice(0, m.index), options: text.slice(m.index).trim() };
}

/** The free-text matches as conditions, in order; words no recogniser reads stay, together, as one unmodelled condition. */
function readMatches(text: string, r: NatRule): { conds: Cond[]; goto: boolean } {
  const conds: Cond[] = [];
  let goto = false;
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length > 0) conds.push(unmodelled(pending.join(' ')));
    pending = [];
  };
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i += 1;
    if (i >= text.length) break;
    let item: Item | null = null;
    for (const rec of RECOGNISERS) {
      rec.re.lastIndex = i;
      const m = rec.re.exec(text);
      // An item ends at a blank or the end, never inside a word.
      if (m === null || (m.index + m[0].length < text.length && !/\s/.test(text[m.index + m[0].length] as string))) continue;
      item = rec.read(m, r);
      i = m.index + m[0].length;
      break;
    }
    if (item === null) {
      const word = /\S+/y;
      word.lastIndex = i;
      const w = word.exec(text)?.[0] ?? '';
      pending.push(w);
      i += Math.max(1, w.length);
      continue;
    }
    flush();
    if ('goto' in item) goto = true;
    else conds.push(...item.conds);
  }
  flush();
  return { conds, goto };
}

/** MARK's print: `MARK set 0x1`, `MARK xset 0x1/0xff`, `MARK or 0x4000`, `MARK and 0xffffbfff`, `MARK xor 0x4000`. */
function markTarget(options: string): { value: number; mask: number } | null {
  const m = /^MARK (set|xset|or|and|xor) (0x[0-9a-f]{1,8})(?:\/(0x[0-9a-f]{1,8}))?$/i.exec(options);
  if (!m) return null;
  const v = Number(m[2]);
  switch (m[1]) {
    case 'set':
      return { value: v, mask: 0xffffffff };
    case 'xset':
      return m[3] === undefined ? null : { value: v, mask: Number(m[3]) };
    case 'or':
      return { value: v, mask: v };
    case 'and':
      return { value: 0, mask: ~v >>> 0 };
    default:
      return { value: v, mask: 0 };
  }
}

const CONTINUING = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'TCPMSS', 'DSCP', 'TOS', 'CLASSIFY', 'CHECKSUM', 'AUDIT']);

function actionOf(r: NatRule, options: string, goto: boolean, chains: ReadonlySet<string>): Action {
  const t = r.target;
  switch (t) {
    case '':
      return { kind: 'continue' };
    case 'ACCEPT':
      return { kind: 'accept' };
    case 'DROP':
      return { kind: 'drop' };
    case 'RETURN':
      return { kind: 'return' };
    case 'REJECT':
      return { kind: 'reject', with: /reject-with (\S+)/.exec(options)?.[1] ?? null };
    case 'DNAT':
      return { kind: 'dnat', to: r.dnatTo };
    case 'REDIRECT':
      return { kind: 'redirect', to: r.dnatTo };
    case 'SNAT':
      return { kind: 'snat', to: r.snatTo };
    case 'MASQUERADE':
      return { kind: 'masquerade', to: r.snatTo };
    case 'MARK': {
      const m = markTarget(options);
      return m ? { kind: 'mark', ...m } : { kind: 'unmodelled', target: `MARK ${options}`.trim() };
    }
    default:
      if (CONTINUING.has(t)) return { kind: 'continue' };
      if (chains.has(t)) return { kind: goto ? 'goto' : 'jump', chain: t };
      return { kind: 'unmodelled', target: t };
  }
}

const NUMERIC = /^(?:[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/i;
const LOOPBACK_NAMES = new Set(['localhost', 'loopback', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/**
 * An address column. Without -n, -L prints names: the loopback names stand for loopback addresses (an
 * inference, but the only one /etc/hosts and /etc/networks ever make: 127.0.0.0/8 from `localhost/8`),
 * any other name is the resolver's and not modelled.
 */
function addressCond(dir: 'src' | 'dst', a: string, negated: boolean, v6: boolean): Cond {
  if (NUMERIC.test(a)) return { kind: 'address', dir, cidr: a, negated };
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(a);
  const name = m?.[1]?.toLowerCase() ?? '';
  const len = m?.[2] === undefined ? null : Number(m[2]);
  if (LOOPBACK_NAMES.has(name)) {
    if (v6 && (len === null || len === 128)) return { kind: 'address', dir, cidr: '::1', negated };
    if (!v6 && len === null) return { kind: 'address', dir, cidr: '127.0.0.1', negated };
    if (!v6 && len !== null && len <= 8) return { kind: 'address', dir, cidr: `127.0.0.0/${len}`, negated };
  }
  return unmodelled(`${negated ? '!' : ''}${a} as ${dir === 'src' ? 'source' : 'destination'} (a name: list with -n)`);
}

/** Whether the listing had -v: only then does it show the in/out columns (and counters). */
function interfacesShown(r: NatRule): boolean {
  return r.packets !== null || r.bytes !== null || !r.countersExact || r.inInterface !== null || r.outInterface !== null;
}

/** The columns before the free text: protocol, fragments (opt), interfaces, addresses. */
function columnConds(r: NatRule): Cond[] {
  const out: Cond[] = [];
  if (r.protocol !== null && r.protocol !== 'all') out.push({ kind: 'protocol', protocol: r.protocol, negated: r.protocolNegated });
  const head = r.matches === '' ? r.text : r.text.slice(0, r.text.lastIndexOf(r.matches));
  const frag = /\s(-f|!f)\s/.exec(` ${head} `);
  if (frag) out.push(unmodelled(frag[1] === '-f' ? '-f (second and later fragments only)' : '! -f (no later fragments)'));
  if (!interfacesShown(r)) out.push(unmodelled('in/out interfaces (listed without -v: the listing does not show them)'));
  if (r.inInterface !== null) out.push({ kind: 'interface', dir: 'in', name: r.inInterface, negated: r.inNegated });
  if (r.outInterface !== null) out.push({ kind: 'interface', dir: 'out', name: r.outInterface, negated: r.outNegated });
  const v6 = r.family === 'ipv6';
  if (r.source !== null) out.push(addressCond('src', r.source, r.sourceNegated, v6));
  if (r.destination !== null) out.push(addressCond('dst', r.destination, r.destinationNegated, v6));
  return out;
}

/** One rule of an `iptables -L` listing. */
export function fwRuleFromListing(r: NatRule, chains: ReadonlySet<string>): FwRule {
  // Comments never change what matches; port words inside one are not matches.
  const text = r.matches.replace(/\/\* .*? \*\//g, ' ');
  const { matches, options } = splitTarget(text, r.target);
  const read = readMatches(matches, r);
  return {
    table: r.table,
    chain: r.chain,
    number: r.number,
    conds: [...columnConds(r), ...read.conds],
    action: actionOf(r, options, read.goto, chains),
    text: r.text,
    packets: r.packets,
    bytes: r.bytes,
  };
}

/** An `iptables -L` table (parse/iptables-nat-text.ts) in the model. */
export function fwTableFromListing(t: NatTable, from: string): FwTable {
  return fwTableFromIptables(t, from, fwRuleFromListing);
}
