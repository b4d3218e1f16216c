// Chooses and parses the NAT facts of a snapshot: iptables-save -c first (exact counters, every
// chain's rule numbers), `iptables -t nat -L` text when that is all there is, ip6tables-save, the
// legacy backend's dump, and nftables-native tables from `nft -j list ruleset`; says which was used.
import type { NatTable } from '../model/nat-rule.js';
import type { Parsed } from '../model/parsed.js';
import type { DockerProxy, ListeningSocket, OtherNetnsProxies } from '../model/port-path.js';
import { FACT, factText, type Snapshot } from '../snapshot/snapshot.js';
import { parseDockerProxies } from './docker-proxy.js';
import { parseIptablesNatText } from './iptables-nat-text.js';
import { parseIptablesSave } from './iptables-save.js';
import { parseNftJson } from './nft-json.js';
import { parseProcNetSockets } from './proc-net-sockets.js';

/** A table docknet read, and the snapshot file it came from. */
export interface SourcedTable {
  table: NatTable;
  from: string;
}

export interface NatFacts {
  /** The nat tables to follow: iptables (both families, both backends) and nftables-native tables. */
  tables: SourcedTable[];
  /** False when no IPv4 NAT rules could be read at all. */
  ipv4Known: boolean;
  /** False when no ip6tables/nftables IPv6 NAT facts exist. */
  ipv6Known: boolean;
  /** Why the NAT rules are unavailable, when ipv4Known is false. */
  unavailable: string | null;
  /** Which file each family's rules came from, in words. */
  sources: string[];
}

export interface PortFacts {
  nat: NatFacts;
  /** null: docker-proxy processes were not read. This host's, and those whose namespace is unknown (thisHost null). */
  dockerProxies: DockerProxy[] | null;
  /** Those of other network namespaces, left out of dockerProxies; null when docker-proxy was not read. */
  otherNetnsProxies: OtherNetnsProxies | null;
  /** null: the host's socket tables were not read. */
  listening: ListeningSocket[] | null;
}

type Take = <T>(path: string, parsed: Parsed<T>) => T;

// Tables iptables-nft keeps in nftables: the same rules iptables-save shows, without DNAT addresses.
const NEEDS_ROOT = /needs root|permission denied|must be root|not permitted/i;

const IPTABLES_TABLE_NAMES = new Set(['nat', 'filter', 'mangle', 'raw', 'security']);

function isNatLike(t: NatTable): boolean {
  return t.chains.some((c) => c.type === 'nat') || t.rules.some((r) => ['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT'].includes(r.target));
}

function backendWord(t: NatTable): string {
  return t.origin.backend === 'nf_tables' ? 'nf_tables backend' : t.origin.backend === 'legacy' ? 'legacy backend' : 'backend not stated';
}

function missingReason(snapshot: Snapshot, paths: string[]): string | null {
  for (const p of paths) {
    const m = snapshot.missing.find((x) => x.path === p);
    if (m) return m.reason;
  }
  return null;
}

function natFacts(snapshot: Snapshot, take: Take): NatFacts {
  const out: NatFacts = { tables: [], ipv4Known: false, ipv6Known: false, unavailable: null, sources: [] };
  const text = (p: string) => factText(snapshot, p);
  const add = (from: string, tables: NatTable[], forceBackend: 'legacy' | null = null): NatTable[] => {
    const nat = tables.filter((t) => t.name === 'nat');
    for (const t of nat) {
      if (forceBackend && t.origin.backend === null) t.origin.backend = forceBackend;
      out.tables.push({ table: t, from });
    }
    return nat;
  };

  let ipv4Iptables: NatTable | null = null;
  const save = text(FACT.iptablesSave);
  if (save !== null) {
    const [t] = add(FACT.iptablesSave, take(FACT.iptablesSave, parseIptablesSave(save, 'ipv4')));
    ipv4Iptables = t ?? null;
    out.ipv4Known = true;
    out.sources.push(
      t
        ? `IPv4 nat rules from ${FACT.iptablesSave} (iptables-save, ${backendWord(t)})`
        : `${FACT.iptablesSave} holds no nat table: no IPv4 NAT rules`,
    );
  } else {
    const listing = text(FACT.iptablesNat);
    if (listing !== null) {
      const t = take(FACT.iptablesNat, parseIptablesNatText(listing, 'ipv4', 'nat'));
      out.tables.push({ table: t, from: FACT.iptablesNat });
      ipv4Iptables = t;
      out.ipv4Known = true;
      const why = missingReason(snapshot, [FACT.iptablesSave]);
      out.sources.push(`IPv4 nat rules from ${FACT.iptablesNat} (iptables -L text${why ? `; iptables-save: ${why}` : ''})`);
    }
  }
  const legacy = text(FACT.iptablesLegacySave);
  if (legacy !== null) {
    const nat = add(FACT.iptablesLegacySave, take(FACT.iptablesLegacySave, parseIptablesSave(legacy, 'ipv4')), 'legacy');
    out.sources.push(
      `IPv4 legacy-backend nat rules from ${FACT.iptablesLegacySave} (${nat.reduce((n, t) => n + t.rules.length, 0)} rules)`,
    );
  }
  const save6 = text(FACT.ip6tablesSave);
  if (save6 !== null) {
    add(FACT.ip6tablesSave, take(FACT.ip6tablesSave, parseIptablesSave(save6, 'ipv6')));
    out.ipv6Known = true;
    out.sources.push(`IPv6 nat rules from ${FACT.ip6tablesSave}`);
  }
  const legacy6 = text(FACT.ip6tablesLegacySave);
  if (legacy6 !== null) {
    add(FACT.ip6tablesLegacySave, take(FACT.ip6tablesLegacySave, parseIptablesSave(legacy6, 'ipv6')), 'legacy');
    out.sources.push(`IPv6 legacy-backend nat rules from ${FACT.ip6tablesLegacySave}`);
  }
  const nft = text(FACT.nftRulesetJson);
  if (nft !== null) {
    // iptables-nft's own tables duplicate iptables-save (and lack DNAT addresses): used only when no iptables dump exists.
    const duplicate = (family: string, name: string): boolean =>
      IPTABLES_TABLE_NAMES.has(name) && (family === 'ipv4' ? ipv4Iptables !== null : family === 'ipv6' ? save6 !== null : false);
    const parsed = parseNftJson(nft);
    // What is said about the skipped duplicates (their "xt" targets) is not this report's concern.
    const issues = parsed.issues.filter(
      (i) => !/^ip6? \S+$/.test(i.text) || !duplicate(i.text.startsWith('ip6') ? 'ipv6' : 'ipv4', i.text.split(' ')[1] ?? ''),
    );
    const tables = take(FACT.nftRulesetJson, { value: parsed.value, issues });
    const native = tables.filter((t) => isNatLike(t) && !duplicate(t.family, t.name));
    for (const t of native) out.tables.push({ table: t, from: FACT.nftRulesetJson });
    if (native.length > 0) {
      out.ipv4Known ||= native.some((t) => t.family === 'ipv4' || t.family === 'inet');
      out.ipv6Known ||= native.some((t) => t.family === 'ipv6' || t.family === 'inet');
      out.sources.push(
        `nftables NAT tables from ${FACT.nftRulesetJson}: ${native.map((t) => `${familyWord(t.family)} ${t.name}`).join(', ')}`,
      );
    }
  }
  if (!out.ipv4Known) {
    const why = missingReason(snapshot, [FACT.iptablesSave, FACT.iptablesNat, FACT.nftRulesetJson]);
    if (why && NEEDS_ROOT.test(why)) {
      out.unavailable = 'iptables needs root (run with sudo)';
    } else out.unavailable = why ?? `the snapshot holds no NAT rules (${FACT.iptablesSave}, ${FACT.iptablesNat} or ${FACT.nftRulesetJson})`;
  }
  return out;
}

function familyWord(f: string): string {
  return f === 'ipv4' ? 'ip' : f === 'ipv6' ? 'ip6' : f;
}

function listening(snapshot: Snapshot, take: Take): ListeningSocket[] | null {
  let any = false;
  const out: ListeningSocket[] = [];
  for (const [table, protocol, family] of [
    ['tcp', 'tcp', 'ipv4'],
    ['tcp6', 'tcp', 'ipv6'],
    ['udp', 'udp', 'ipv4'],
    ['udp6', 'udp', 'ipv6'],
  ] as const) {
    const path = FACT.hostSockets(table);
    const t = factText(snapshot, path);
    if (t === null) continue;
    any = true;
    for (const s of take(path, parseProcNetSockets(t, protocol, family))) {
      // TCP in LISTEN; UDP bound and unconnected (the kernel shows it as CLOSE).
      if ((protocol === 'tcp' && s.state === 'LISTEN') || (protocol === 'udp' && s.state === 'CLOSE')) {
        out.push({ protocol, family, ip: s.localIp, port: s.localPort, inode: s.inode });
      }
    }
  }
  return any ? out : null;
}

/**
 * Keeps this host's docker-proxy processes: /proc shows every namespace's, and another engine's
 * (rootless, or in another network namespace) are not this host's. A process whose namespace, or the
 * host's own, is not known stays, marked thisHost null: it may be this host's, and cannot be proven so.
 */
export function hostProxies(all: DockerProxy[], hostNetns: string | null): { mine: DockerProxy[]; other: OtherNetnsProxies } {
  const mine: DockerProxy[] = [];
  const namespaces = new Set<string>();
  let count = 0;
  for (const p of all) {
    if (p.netns && hostNetns && p.netns !== hostNetns) {
      count += 1;
      namespaces.add(p.netns);
    } else mine.push({ ...p, thisHost: p.netns && hostNetns ? true : null });
  }
  return { mine, other: { count, namespaces: [...namespaces].sort() } };
}

/** Everything a port path needs beyond the Engine and the links: NAT rules, docker-proxy, host sockets. */
export function readPortFacts(snapshot: Snapshot, take: Take): PortFacts {
  const proxies = factText(snapshot, FACT.dockerProxy);
  const split =
    proxies === null
      ? null
      : hostProxies(take(FACT.dockerProxy, parseDockerProxies(proxies)), factText(snapshot, FACT.hostNetns)?.trim() || null);
  return {
    nat: natFacts(snapshot, take),
    dockerProxies: split?.mine ?? null,
    otherNetnsProxies: split?.other ?? null,
    listening: listening(snapshot, take),
  };
}

/** Before (or without) the 'nat' facts: nothing known. */
export function emptyPortFacts(): PortFacts {
  return {
    nat: { tables: [], ipv4Known: false, ipv6Known: false, unavailable: 'no NAT facts were read', sources: [] },
    dockerProxies: null,
    otherNetnsProxies: null,
    listening: null,
  };
}
