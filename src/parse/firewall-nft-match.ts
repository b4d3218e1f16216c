// nftables match expressions (`iifname "docker0"`, `ip saddr @blocked`, `tcp dport { 80, 443 }`, `ct state
// established,related`, `fib daddr type local`) as firewall-model conditions, from the nft JSON form both
// nft parsers give; the elements of named sets and maps; and how each is printed for the words of a verdict.
import type { Cond } from '../model/firewall.js';
import type { NatSet } from '../model/nat-rule.js';
import { isObj, type Json, kindOf, renderExpr, str } from './nft-print.js';
import { jsonValue, tokenize } from './nft-text-tokens.js';
import {
  addressCond,
  ADDRTYPES,
  comparePort,
  ctStates,
  ctStatuses,
  familyOfWord,
  ifname,
  numberOf,
  portCond,
  protocolCond,
  synCond,
} from './firewall-nft-values.js';

/** What a rule is read against: its table's family, sets and maps (parsed once), and chains. */
export interface NftContext {
  family: 'ip' | 'ip6' | 'inet';
  sets: ReadonlyMap<string, NatSet>;
  chains: ReadonlySet<string>;
  /** Elements of each set already read, by set name. */
  elements: Map<string, Element[]>;
}

/** One element of a set or map: its key as nft JSON (`{raw}` when it is not one value), and a map's value text. */
export interface Element {
  key: unknown;
  value: string | null;
}

/** A looked-up expression: the conditions it implies (`tcp dport` only matches tcp) and one value's condition. */
export interface Key {
  /** The expression as nft JSON (printed with exprText only when words are needed: most rules never need them). */
  left: unknown;
  deps: Cond[];
  /** The set-lookup directions an address key has (`ip saddr @x` looks up the source). */
  dirs: ('src' | 'dst')[];
  /** One value (string, number, prefix, range) as a condition, not negated; null when the value is not understood. */
  one(v: unknown): Cond | null;
  /** `tcp dport < 1024` and the like; only ports have them. */
  compare?(op: string, v: unknown): Cond | null;
}

export function unmodelled(text: string): Cond {
  return { kind: 'unmodelled', text, negated: false };
}

const PKTTYPES: Readonly<Record<string, string>> = { host: 'UNICAST', unicast: 'UNICAST', broadcast: 'BROADCAST', multicast: 'MULTICAST' };

const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);
// Headers whose fields are not modelled, but whose presence says the protocol.
const L4_HEADERS: Readonly<Record<string, string>> = {
  tcp: 'tcp',
  udp: 'udp',
  udplite: 'udplite',
  sctp: 'sctp',
  dccp: 'dccp',
  icmp: 'icmp',
  icmpv6: 'icmpv6',
  igmp: 'igmp',
  esp: 'esp',
  ah: 'ah',
  comp: 'comp',
  gre: 'gre',
};
const IPV4_HEADERS = new Set(['ip', 'icmp', 'igmp']);
const IPV6_HEADERS = new Set(['ip6', 'icmpv6', 'hbh', 'frag', 'rt0', 'rt2', 'srh', 'mh', 'dst', 'rt']);

function key(left: unknown, one: Key['one'], extra: Partial<Key> = {}): Key {
  return { left, deps: [], dirs: [], one, ...extra };
}

const nothing = (): Cond | null => null;

function familyDep(ctx: NftContext, protocol: string): Cond[] {
  if (ctx.family !== 'inet') return [];
  if (IPV4_HEADERS.has(protocol)) return [{ kind: 'family', family: 'ipv4', negated: false }];
  if (IPV6_HEADERS.has(protocol)) return [{ kind: 'family', family: 'ipv6', negated: false }];
  return [];
}

function metaKey(k: string, left: unknown): Key | null {
  switch (k) {
    case 'iifname':
    case 'oifname':
    case 'iif':
    case 'oif': {
      // iif/oif compare the interface index nft resolved from the name when the rule was loaded.
      const dir = k.startsWith('i') ? 'in' : 'out';
      return key(left, (v) => {
        const name = ifname(v);
        return name === null ? null : { kind: 'interface', dir, name, negated: false };
      });
    }
    case 'l4proto':
      return key(left, protocolCond);
    case 'nfproto':
    case 'protocol':
      return key(left, (v) => {
        const family = familyOfWord(v);
        return family === null ? null : { kind: 'family', family, negated: false };
      });
    case 'mark':
      return key(left, (v) => {
        const n = numberOf(v);
        return n === null ? null : { kind: 'mark', value: n, mask: 0xffffffff, negated: false };
      });
    case 'pkttype':
      return key(left, (v) => {
        const t = typeof v === 'string' ? PKTTYPES[v] : undefined;
        return t === undefined ? null : { kind: 'addrtype', dir: 'dst', types: [t], negated: false };
      });
    default:
      return null;
  }
}

function payloadKey(protocol: string, field: string, left: unknown, ctx: NftContext): Key {
  const deps = familyDep(ctx, protocol);
  if ((protocol === 'ip' || protocol === 'ip6') && (field === 'saddr' || field === 'daddr')) {
    const dir = field === 'saddr' ? 'src' : 'dst';
    return key(left, (v) => addressCond(dir, v), { deps, dirs: [dir] });
  }
  if ((protocol === 'ip' && field === 'protocol') || (protocol === 'ip6' && field === 'nexthdr')) return key(left, protocolCond, { deps });
  const l4 = L4_HEADERS[protocol];
  const proto: Cond[] = l4 === undefined ? [] : [{ kind: 'protocol', protocol: l4, negated: false }];
  if ((PORT_PROTOCOLS.has(protocol) || protocol === 'th') && (field === 'sport' || field === 'dport')) {
    const dir = field === 'sport' ? 'src' : 'dst';
    return key(left, (v) => portCond(dir, v), { deps: proto, compare: (op, v) => comparePort(dir, op, v) });
  }
  if (protocol === 'tcp' && field === 'flags') {
    // Text: `tcp flags syn / fin,syn,rst,ack`, read as the value `{"/": ["syn", "fin,syn,rst,ack"]}`.
    return key(left, (v) => (isObj(v) && Array.isArray(v['/']) && v['/'].length === 2 ? synCond(v['/'][0], v['/'][1]) : null), {
      deps: proto,
    });
  }
  return key(left, nothing, { deps: [...deps, ...proto] });
}

/** `fib daddr type`: JSON `{"fib": {"result": "type", "flags": ["daddr"]}}`, text `{"fib": ["daddr", "type"]}`. */
function fibKey(v: unknown, left: unknown): Key | null {
  let flags: unknown[] = [];
  let result: unknown = null;
  if (isObj(v)) {
    flags = Array.isArray(v.flags) ? v.flags : [v.flags];
    result = v.result;
  } else if (Array.isArray(v) && v.length >= 2) {
    flags = v.slice(0, -1);
    result = v[v.length - 1];
  }
  // With `. iif` the lookup is limited to the input interface (addrtype's --limit-iface-in): not modelled.
  if (result !== 'type' || flags.length !== 1 || (flags[0] !== 'daddr' && flags[0] !== 'saddr')) return null;
  const dir = flags[0] === 'daddr' ? 'dst' : 'src';
  return key(left, (x) =>
    typeof x === 'string' && ADDRTYPES.has(x) ? { kind: 'addrtype', dir, types: [x.toUpperCase()], negated: false } : null,
  );
}

/** The looked-up expression on the left of a match (or vmap); null when docknet does not model it at all. */
export function keyOf(left: unknown, ctx: NftContext): Key | null {
  if (!isObj(left)) return null;
  const kind = kindOf(left);
  const v = kind === null ? undefined : left[kind];
  switch (kind) {
    case 'meta':
      return isObj(v) && typeof v.key === 'string' ? metaKey(v.key, left) : null;
    case 'payload': {
      const protocol = isObj(v) ? str(v.protocol) : null;
      const field = isObj(v) ? str(v.field) : null;
      return protocol === null || field === null ? null : payloadKey(protocol, field, left, ctx);
    }
    case 'ct': {
      if (!isObj(v) || v.dir !== undefined) return null;
      if (v.key === 'state') return key(left, (x) => states(ctStates(x)));
      if (v.key === 'status') return key(left, (x) => states(ctStatuses(x)));
      return null;
    }
    case 'fib':
      return fibKey(v, left);
    case '&': {
      // `meta mark & 0xff == 0x1`; `tcp flags & (fin|syn|rst|ack) == syn`.
      if (!Array.isArray(v) || v.length !== 2) return null;
      const [inner, mask] = v;
      const innerKind = isObj(inner) ? kindOf(inner) : null;
      if (innerKind === 'meta' && isObj(inner) && isObj(inner.meta) && inner.meta.key === 'mark') {
        const m = numberOf(mask);
        if (m === null) return null;
        return key(left, (x) => {
          const n = numberOf(x);
          return n === null ? null : { kind: 'mark', value: n, mask: m, negated: false };
        });
      }
      if (
        innerKind === 'payload' &&
        isObj(inner) &&
        isObj(inner.payload) &&
        inner.payload.protocol === 'tcp' &&
        inner.payload.field === 'flags'
      ) {
        return key(left, (x) => synCond(x, mask), { deps: [{ kind: 'protocol', protocol: 'tcp', negated: false }] });
      }
      return null;
    }
    default:
      return null;
  }
}

function states(s: string[] | null): Cond | null {
  return s === null ? null : { kind: 'ctstate', states: s, negated: false };
}

/** Several values of one key as one condition: ports, states and address types as lists, anything else as a set. */
function anyOf(conds: Cond[], name: string, dirs: ('src' | 'dst')[]): Cond {
  const [first] = conds;
  if (first !== undefined && conds.every((c) => c.kind === first.kind)) {
    if (first.kind === 'port' && conds.every((c) => c.kind === 'port' && c.dir === first.dir))
      return { kind: 'port', dir: first.dir, ports: conds.flatMap((c) => (c.kind === 'port' ? c.ports : [])), negated: false };
    if (first.kind === 'ctstate')
      return { kind: 'ctstate', states: [...new Set(conds.flatMap((c) => (c.kind === 'ctstate' ? c.states : [])))], negated: false };
    if (first.kind === 'addrtype' && conds.every((c) => c.kind === 'addrtype' && c.dir === first.dir))
      return {
        kind: 'addrtype',
        dir: first.dir,
        types: [...new Set(conds.flatMap((c) => (c.kind === 'addrtype' ? c.types : [])))],
        negated: false,
      };
  }
  return { kind: 'set', name, dirs, members: conds, negated: false };
}

/** The condition that a key equals a value: one value, an anonymous set `{ a, b }`, or a named set `@name`. */
export function valueCond(k: Key, right: unknown, ctx: NftContext, quote: boolean): Cond | null {
  if (typeof right === 'string' && right.startsWith('@')) {
    const name = right.slice(1);
    const elements = elementsOf(ctx, name);
    if (elements === null) return { kind: 'set', name: right, dirs: k.dirs, negated: false };
    return {
      kind: 'set',
      name: right,
      dirs: k.dirs,
      members: elements.map((e) => k.one(e.key) ?? unmodelled(`${exprText(k.left)} ${renderExpr(e.key, quote)}`)),
      negated: false,
    };
  }
  const list = isObj(right) && kindOf(right) === 'set' ? right.set : Array.isArray(right) ? right : null;
  if (Array.isArray(list)) {
    // A bitmask list (`ct state established,related`) may read as one value of the whole list.
    const whole = k.one(list);
    if (whole !== null) return whole;
    const members = list.map((x) => k.one(x) ?? unmodelled(`${exprText(k.left)} ${renderExpr(x, quote)}`));
    return anyOf(members, renderExpr(right, quote), k.dirs);
  }
  return k.one(right);
}

/** The elements of a table's set or map, read once; null when the table holds no set of that name. */
export function elementsOf(ctx: NftContext, name: string): Element[] | null {
  const done = ctx.elements.get(name);
  if (done !== undefined) return done;
  const set = ctx.sets.get(name);
  if (set === undefined) return null;
  const out = set.elements.map(parseElement);
  ctx.elements.set(name, out);
  return out;
}

// Words nft prints after an element's key: `192.0.2.7 timeout 1h expires 59m`, `counter packets 1 bytes 60`.
const ELEMENT_OPTIONS = new Set(['timeout', 'expires', 'counter', 'comment', 'packets', 'bytes']);

/** `"docker0" : jump filter-forward-in__docker0`, `192.0.2.0/24`, `80`, `10.0.0.1 timeout 1h`. */
function parseElement(text: string): Element {
  const toks = tokenize(text);
  const colon = toks.findIndex((t) => !t.quoted && t.value === ':');
  const keyToks = colon < 0 ? toks : toks.slice(0, colon);
  const value =
    colon < 0
      ? null
      : toks
          .slice(colon + 1)
          .map((t) => t.raw)
          .join(' ');
  const [first, second] = keyToks;
  const single = first !== undefined && (second === undefined || (!second.quoted && ELEMENT_OPTIONS.has(second.value)));
  // A concatenation (`"eth0" . 80`) or anything longer is no one value: no key condition understands it.
  return { key: single ? jsonValue(first) : { raw: text }, value };
}

// ---- printing, for the words of unmodelled conditions ----

const IFNAME_KEYS = new Set(['iifname', 'oifname', 'iif', 'oif']);

/** Whether a key's string values are printed quoted (interface names). */
export function quotesValues(left: unknown): boolean {
  return isObj(left) && isObj(left.meta) && IFNAME_KEYS.has(str(left.meta.key) ?? '');
}

/** An expression as nft prints it, including the forms only the text parser gives (`{"fib": [...]}`, `{"option": [...]}`). */
export function exprText(e: unknown): string {
  if (!isObj(e)) return renderExpr(e);
  const kind = kindOf(e);
  const v = kind === null ? undefined : e[kind];
  if ((kind === 'fib' || kind === 'option' || kind === 'hash') && Array.isArray(v)) return `${kind === 'fib' ? 'fib ' : ''}${v.join(' ')}`;
  if (kind === 'raw' && typeof v === 'string') return v;
  if ((kind === 'rt' || kind === 'socket') && typeof v === 'string') return `${kind} ${v}`;
  if (kind !== null && ['&', '|', '^', '<<', '>>', '/'].includes(kind) && Array.isArray(v) && v.length === 2)
    return `${exprText(v[0])} ${kind} ${typeof v[1] === 'string' ? v[1] : exprText(v[1])}`;
  return renderExpr(e);
}

/** A match as nft prints it: `iifname != "docker0"`, `ct state established,related`. */
export function matchText(m: Json): string {
  const op = typeof m.op === 'string' ? m.op : '==';
  const right = isObj(m.right) && kindOf(m.right) !== 'set' ? exprText(m.right) : renderExpr(m.right, quotesValues(m.left));
  return op === '==' || op === 'in' ? `${exprText(m.left)} ${right}` : `${exprText(m.left)} ${op} ${right}`;
}
