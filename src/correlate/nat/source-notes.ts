// The notes saying where the NAT facts came from, which backend holds Docker's DNAT rules, and what
// was missing or not understood.
import { backendOf } from './rules.js';
import type { Ctx } from './context.js';
import { proxySourceNotes } from './proxy-notes.js';

/** The backends of Docker's DNAT rules ("nf_tables", "legacy and nftables"), null when it wrote none. */
export function dockerBackend(ctx: Ctx): string | null {
  const kinds = new Set<string>();
  for (const rc of ctx.rules) {
    if (!rc.docker || rc.rule.target !== 'DNAT') continue;
    kinds.add(backendOf(rc.table) ?? 'iptables');
  }
  if (kinds.size === 0) return null;
  return [...kinds].sort().join(' and ');
}

export function sourceNotes(ctx: Ctx, backend: string | null): string[] {
  const m = ctx.model;
  const facts = m.portFacts;
  const out: string[] = [...facts.nat.sources];
  if (!facts.nat.ipv4Known) out.push(`NAT rules unavailable: ${facts.nat.unavailable}`);
  else if (backend) out.push(`Docker's DNAT rules are in ${backendWords(backend)}`);
  else out.push("no DNAT rule of Docker's in the rules read");
  const legacyWarned = facts.nat.tables.some((t) => t.table.origin.legacyTablesPresent);
  if (legacyWarned && !facts.nat.sources.some((s) => s.includes('legacy-backend')))
    out.push('iptables-nft says legacy-backend tables exist too, and they were not read');
  out.push(...proxySourceNotes(m));
  if (facts.listening === null) out.push('host sockets not read: whether a host process listens on a port is unknown');
  const natPaths = /^host\/(iptables|ip6tables|nft|docker-proxy|proc-net)/;
  for (const miss of m.missing) if (natPaths.test(miss.path)) out.push(`missing ${miss.path}: ${miss.reason}`);
  for (const fi of m.fileIssues) {
    if (natPaths.test(fi.path))
      out.push(`${fi.path}: ${fi.issues.length} line(s) not understood (first: line ${fi.issues[0]?.line}: ${fi.issues[0]?.reason})`);
  }
  return out;
}

function backendWords(backend: string): string {
  return backend
    .split(' and ')
    .map((b) =>
      b === 'nf_tables'
        ? 'the nf_tables backend (iptables-nft)'
        : b === 'legacy'
          ? 'the legacy backend (iptables-legacy)'
          : b === 'nftables'
            ? "Docker's own nftables tables"
            : 'iptables (the listing does not say which backend)',
    )
    .join(' and ');
}
