// Chooses and parses the NAT facts of a snapshot: iptables-save -c first (exact counters, every
// chain's rule numbers), `iptables -t nat -L` text, then `iptables -t nat -S`, ip6tables-save, the
// legacy backend's dump, and nftables-native tables from `nft -j list ruleset` or its text; says which was used.
import type { NatTable } from '../model/nat-rule.js';
import type { Parsed } from '../model/parsed.js';
import type { FirewallSources, NatFacts, PortFacts, SourcedTable } from '../model/port-facts.js';
import type { DockerProxy, ListeningSocket, OtherNetnsProxies } from '../model/port-path.js';
import { FACT, factText, type Snapshot } from '../snapshot/snapshot.js';
import { parseDockerProxies } from './docker-proxy.js';
import { parseIptablesNatText } from './iptables-nat-text.js';
import { parseIptablesS } from './iptables-s.js';
import { parseIptablesSave } from './iptables-save.js';
import { parseNftJson } from './nft-json.js';
import { nftFamilyWord } from './nft-rule-fields.js';
import { parseNftText } from './nft-text.js';
import { listeningOf, parseProcNetSockets } from './proc-net-sockets.js';

export type { NatFacts, PortFacts, SourcedTable };

type Take = <T>(path: string, parsed: Parsed<T>) => T;

const NEEDS_ROOT = /needs root|permission denied|must be root|not permitted/i;

// Tables iptables-nft keeps in nftables: the same rules iptables-save shows (in nft JSON without DNAT addresses).
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

/** What is being gathered: the facts so far, and which iptables dumps exist (nft's copies of them are then skipped). */
interface Gather {
  snapshot: Snapshot;
  take: Take;
  out: NatFacts;
  ipv4Iptables: boolean;
  ipv6Iptables: boolean;
}

function text(g: Gather, path: string): string | null {
  return factText(g.snapshot, path);
}

function addNat(g: Gather, from: string, tables: NatTable[], forceBackend: 'legacy' | null = null): NatTable[] {
  for (const t of tables) {
    if (forceBackend && t.origin.backend === null) t.origin.backend = forceBackend;
    g.out.firewall.tables.push({ table: t, from });
  }
  const nat = tables.filter((t) => t.name === 'nat');
  for (const t of nat) g.out.tables.push({ table: t, from });
  return nat;
}

function covers(g: Gather, family: 'ipv4' | 'ipv6', coverage: 'all' | 'listed', from: string): void {
  g.out.firewall.iptables[family] ??= { coverage, from };
}

/** IPv4: iptables-save -c first (exact counters, every chain's rule numbers), then `-L` text, then `-S`. */
function readIpv4(g: Gather): void {
  const { out } = g;
  const save = text(g, FACT.iptablesSave);
  if (save !== null) {
    const [t] = addNat(g, FACT.iptablesSave, g.take(FACT.iptablesSave, parseIptablesSave(save, 'ipv4')));
    g.ipv4Iptables = true;
    out.ipv4Known = true;
    covers(g, 'ipv4', 'all', FACT.iptablesSave);
    out.sources.push(
      t
        ? `IPv4 nat rules from ${FACT.iptablesSave} (iptables-save, ${backendWord(t)})`
        : `${FACT.iptablesSave} holds no nat table: no IPv4 NAT rules`,
    );
    return;
  }
  const listing = text(g, FACT.iptablesNat);
  if (listing !== null) {
    const t = g.take(FACT.iptablesNat, parseIptablesNatText(listing, 'ipv4', 'nat'));
    out.tables.push({ table: t, from: FACT.iptablesNat });
    out.firewall.tables.push({ table: t, from: FACT.iptablesNat });
    covers(g, 'ipv4', 'listed', FACT.iptablesNat);
    g.ipv4Iptables = true;
    out.ipv4Known = true;
    const why = missingReason(g.snapshot, [FACT.iptablesSave]);
    out.sources.push(`IPv4 nat rules from ${FACT.iptablesNat} (iptables -L text${why ? `; iptables-save: ${why}` : ''})`);
    return;
  }
  const listingS = text(g, FACT.iptablesS);
  if (listingS === null) return;
  const tables = g.take(FACT.iptablesS, parseIptablesS(listingS, { family: 'ipv4' }));
  const nat = addNat(g, FACT.iptablesS, tables);
  if (tables.length > 0) covers(g, 'ipv4', 'listed', FACT.iptablesS);
  // `iptables -S` alone lists the filter table: the nat table is then not in the data, which is not "no rules".
  if (nat.length === 0) {
    out.sources.push(
      `${FACT.iptablesS} holds no nat table listing (${tables.map((t) => t.name).join(', ') || 'nothing read'}): \`iptables -t nat -S\` lists it`,
    );
    return;
  }
  g.ipv4Iptables = true;
  out.ipv4Known = true;
  out.sources.push(`IPv4 nat rules from ${FACT.iptablesS} (iptables -S text)`);
}

function readOtherDumps(g: Gather): void {
  const { out } = g;
  const legacy = text(g, FACT.iptablesLegacySave);
  // An empty dump is a legacy backend with no tables: what a live run, told nothing by iptables-nft, never reads.
  if (legacy !== null && legacy.trim() !== '') {
    const nat = addNat(g, FACT.iptablesLegacySave, g.take(FACT.iptablesLegacySave, parseIptablesSave(legacy, 'ipv4')), 'legacy');
    out.sources.push(
      `IPv4 legacy-backend nat rules from ${FACT.iptablesLegacySave} (${nat.reduce((n, t) => n + t.rules.length, 0)} rules)`,
    );
  }
  const save6 = text(g, FACT.ip6tablesSave);
  if (save6 !== null) {
    addNat(g, FACT.ip6tablesSave, g.take(FACT.ip6tablesSave, parseIptablesSave(save6, 'ipv6')));
    covers(g, 'ipv6', 'all', FACT.ip6tablesSave);
    g.ipv6Iptables = true;
    out.ipv6Known = true;
    out.sources.push(`IPv6 nat rules from ${FACT.ip6tablesSave}`);
  }
  const legacy6 = text(g, FACT.ip6tablesLegacySave);
  if (legacy6 !== null) {
    addNat(g, FACT.ip6tablesLegacySave, g.take(FACT.ip6tablesLegacySave, parseIptablesSave(legacy6, 'ipv6')), 'legacy');
    out.sources.push(`IPv6 legacy-backend nat rules from ${FACT.ip6tablesLegacySave}`);
  }
}

/** nftables-native NAT tables, from `nft -j list ruleset` or else its text; iptables-nft's tables when no iptables dump has them. */
function readNft(g: Gather): void {
  const json = text(g, FACT.nftRulesetJson);
  const path = json !== null ? FACT.nftRulesetJson : FACT.nftRulesetText;
  const body = json ?? text(g, FACT.nftRulesetText);
  if (body === null) return;
  // iptables-nft's own tables duplicate the iptables dumps (and lack DNAT addresses in JSON): used only without them.
  const duplicate = (family: string, name: string): boolean =>
    IPTABLES_TABLE_NAMES.has(name) && (family === 'ipv4' ? g.ipv4Iptables : family === 'ipv6' ? g.ipv6Iptables : false);
  const parsed = json !== null ? parseNftJson(body) : parseNftText(body);
  // What is said about the skipped duplicates is not this report's concern.
  const issues = parsed.issues.filter((i) => i.table === undefined || !duplicate(i.table.family, i.table.name));
  const tables = g.take(path, { value: parsed.value, issues });
  g.out.firewall.nft = path;
  for (const t of tables) if (!duplicate(t.family, t.name)) g.out.firewall.tables.push({ table: t, from: path });
  const native = tables.filter((t) => isNatLike(t) && !duplicate(t.family, t.name));
  for (const t of native) g.out.tables.push({ table: t, from: path });
  if (native.length === 0) return;
  g.out.ipv4Known ||= native.some((t) => t.family === 'ipv4' || t.family === 'inet');
  g.out.ipv6Known ||= native.some((t) => t.family === 'ipv6' || t.family === 'inet');
  g.out.sources.push(`nftables NAT tables from ${path}: ${native.map((t) => `${nftFamilyWord(t.family)} ${t.name}`).join(', ')}`);
}

const NAT_SOURCES = [FACT.iptablesSave, FACT.iptablesNat, FACT.iptablesS, FACT.nftRulesetJson, FACT.nftRulesetText];

function natFacts(snapshot: Snapshot, take: Take): NatFacts {
  const out: NatFacts = { tables: [], ipv4Known: false, ipv6Known: false, unavailable: null, sources: [], firewall: noFirewall() };
  const g: Gather = { snapshot, take, out, ipv4Iptables: false, ipv6Iptables: false };
  readIpv4(g);
  readOtherDumps(g);
  readNft(g);
  if (!out.ipv4Known) {
    const why = missingReason(snapshot, NAT_SOURCES);
    if (why && NEEDS_ROOT.test(why)) out.unavailable = 'iptables needs root (run with sudo)';
    else out.unavailable = why ?? `the snapshot holds no NAT rules (${NAT_SOURCES.slice(0, -1).join(', ')} or ${NAT_SOURCES.at(-1)})`;
  }
  return out;
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
    out.push(...listeningOf(take(path, parseProcNetSockets(t, protocol, family))));
  }
  return any ? out : null;
}

/**
 * Keeps this host's docker-proxy processes: /proc shows every namespace's, and another engine's
 * (rootless, or in another network namespace) are not this host's. A process whose namespace, or the
 * host's own, is not known stays: it may be this host's, and cannot be proven so (doctor/proof.ts).
 */
export function hostProxies(
  all: DockerProxy[],
  hostNetns: string | null,
): { mine: DockerProxy[] | null; other: OtherNetnsProxies | null; unknown: string | null } {
  const recorded = [...new Set(all.map((p) => p.netns).filter((ns): ns is string => Boolean(ns)))].sort();
  // Processes of several namespaces and no word of which is this host's: none of them can be called this host's.
  if (!hostNetns && recorded.length > 1)
    return {
      mine: null,
      other: null,
      unknown: `docker-proxy processes of ${recorded.length} network namespaces (${recorded.join(', ')}), and this host's own (host/netns.txt) is not in the data`,
    };
  const mine: DockerProxy[] = [];
  const namespaces = new Set<string>();
  let count = 0;
  for (const p of all) {
    if (p.netns && hostNetns && p.netns !== hostNetns) {
      count += 1;
      namespaces.add(p.netns);
    } else mine.push(p);
  }
  return { mine, other: { count, namespaces: [...namespaces].sort() }, unknown: null };
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
    dockerProxiesUnknown: split?.unknown ?? null,
    listening: listening(snapshot, take),
  };
}

function noFirewall(): FirewallSources {
  return { tables: [], iptables: { ipv4: null, ipv6: null }, nft: null };
}

/** Before (or without) the 'nat' facts: nothing known. */
export function emptyPortFacts(): PortFacts {
  return {
    nat: { tables: [], ipv4Known: false, ipv6Known: false, unavailable: 'no NAT facts were read', sources: [], firewall: noFirewall() },
    dockerProxies: null,
    otherNetnsProxies: null,
    dockerProxiesUnknown: null,
    listening: null,
  };
}
