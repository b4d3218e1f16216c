// The firewall model of a host from the rule tables the NAT facts read (parse/nat-facts.ts): one
// ruleset per address family, or unknown with why. A table the data lacks is never taken as empty.
import { type Fact, known, unknown } from '../model/fact.js';
import type { FwTable, IpFamily, Ruleset } from '../model/firewall.js';
import type { Firewall } from '../model/host.js';
import type { FirewallSources } from '../model/port-facts.js';
import { FACT } from '../snapshot/snapshot.js';
import { fwTableFromIptables } from './firewall-iptables.js';
import { fwTableFromListing } from './firewall-listing.js';
import { fwTableFromNft } from './firewall-nft.js';

/** The iptables tables a kernel may hold: an iptables-save dump without one has no rules in it. */
export const IPTABLES_TABLES = ['raw', 'mangle', 'nat', 'filter', 'security'] as const;

/** Snapshot files that hold `iptables -L` listings (parse/iptables-nat-text.ts), not iptables-save words. */
const LISTINGS: ReadonlySet<string> = new Set([FACT.iptablesNat]);

function rulesetOf(src: FirewallSources, family: IpFamily, missing: string): Fact<Ruleset> {
  const iptables = src.iptables[family];
  const ipFamily = family === 'ipv4' ? 'ipv4' : 'ipv6';
  const tables: FwTable[] = [];
  const notes: string[] = [];
  const mainLegacy = src.tables.some((s) => s.from === iptables?.from && s.table.origin.backend === 'legacy');
  for (const { table, from } of src.tables) {
    if (table.family !== ipFamily && !(table.family === 'inet' && table.origin.tool === 'nft')) continue;
    if (table.origin.tool === 'nft' || from === src.nft) {
      const t = fwTableFromNft(table, from);
      if (t) tables.push(t);
      continue;
    }
    // The legacy dump read beside an iptables that is itself the legacy one lists the same tables again.
    if (from !== iptables?.from && mainLegacy && table.origin.backend === 'legacy') continue;
    // `iptables -L` prints each extension its own way, not as the option words iptables-save writes.
    tables.push(LISTINGS.has(from) ? fwTableFromListing(table, from) : fwTableFromIptables(table, from));
  }
  if (iptables === null && tables.length === 0) return unknown('not-in-data', missing);
  const listed = new Set(tables.filter((t) => t.kind === 'iptables').map((t) => t.name));
  const unknownTables: string[] = iptables?.coverage === 'all' ? [] : IPTABLES_TABLES.filter((n) => !listed.has(n));
  if (iptables === null) notes.push(`no ${family === 'ipv4' ? 'iptables' : 'ip6tables'} dump is in the data`);
  else if (unknownTables.length)
    notes.push(`${iptables.from} lists only ${[...listed].join(', ') || 'no table'}: ${unknownTables.join(', ')} not in the data`);
  const legacyAbsent =
    src.tables.some((s) => s.table.origin.legacyTablesPresent) && !src.tables.some((s) => s.table.origin.backend === 'legacy');
  if (legacyAbsent) {
    unknownTables.push('legacy backend');
    notes.push('iptables says legacy-backend tables exist, and they are not in the data');
  }
  if (src.nft === null) notes.push('nftables-native tables (nft list ruleset) are not in the data');
  return known({ family, tables, notes, unknownTables, nftRead: src.nft !== null }, iptables?.from ?? src.nft ?? '');
}

/** One ruleset per family; `missing` says why a family's rules are unknown when nothing of it was read. */
export function firewallOf(src: FirewallSources, missing: { ipv4: string; ipv6: string }): Firewall {
  return { ipv4: rulesetOf(src, 'ipv4', missing.ipv4), ipv6: rulesetOf(src, 'ipv6', missing.ipv6) };
}
