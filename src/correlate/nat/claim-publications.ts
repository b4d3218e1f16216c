// Phase one of correlateNat: every publication of every running container with its own namespace
// claims its DNAT rule and docker-proxy and becomes a mapping.
import { containerKey } from '../../model/engine.js';
import type { MappingNote } from '../../model/nat-path.js';
import type { DockerProxy, PortMapping } from '../../model/port-path.js';
import { bareAddress as bare } from '../../util/address.js';
import { followersOf, hairpinFor, knownIps, proxyFor, proxyRef, rulesForPort, type Ctx } from './context.js';
import type { Found } from './found.js';
import { legOf } from './legs.js';
import { ownsNamespace, publicationsOf, type Publication } from './publications.js';
import { dnatFor, matchesHostPort, ruleRef, type RuleCtx } from './rules.js';
import { portOpeningRule } from '../network-modes.js';

type Match = { rc: RuleCtx; ip: string; port: number };

export function claimPublications(ctx: Ctx, found: Found): void {
  const pubs = ctx.containers.filter((c) => c.running && ownsNamespace(c)).flatMap((c) => publicationsOf(ctx.model, c));
  // In order: a rule one publication claims is no longer there for the next.
  for (const p of pubs) claimPublication(ctx, found, p);
}

function claimPublication(ctx: Ctx, found: Found, p: Publication): void {
  const ips = knownIps(ctx, p.container);
  // No host port, no DNAT or docker-proxy to look for: the container's own address is what is published.
  const match = p.unmapped ? null : dnatMatch(ctx, p, ips);
  // iptables-nft's rules listed by `nft -j` show no DNAT target: such a Docker rule on this host port is the publication's.
  const blind = match || p.unmapped ? null : blindDnatFor(ctx, p);
  if (blind) blind.used = true;
  if (match) match.rc.used = true;
  const proxy = p.unmapped ? null : proxyFor(ctx, p.hostIp, p.hostPort, p.protocol);
  if (proxy) ctx.usedProxies.add(proxy);
  const { containerIp, containerIpFrom } = containerAddress(ctx, p, ips, match, proxy);
  const leg = legOf(ctx, p.container, containerIp);
  const m: PortMapping = {
    hostIp: p.hostIp,
    hostPort: p.hostPort,
    protocol: p.protocol,
    containerIp,
    containerPort: p.containerPort,
    container: p.container.name,
    containerId: p.container.id || null,
    network: leg.network,
    bridge: leg.bridge,
    hostVeth: leg.hostVeth,
    probableHostVeth: leg.probableHostVeth,
    interface: leg.interface,
    rule: match ? ruleRef(match.rc) : blind ? ruleRef(blind) : null,
    hairpin: containerIp ? hairpinFor(ctx, containerIp, p.containerPort, p.protocol) : null,
    openedBy: containerIp && leg.bridge ? portOpeningRule(ctx.model, leg.bridge, containerIp, p.containerPort, p.protocol) : null,
    proxy: proxy ? proxyRef(proxy) : null,
    via: 'unknown',
    publishedBy: p.publishedBy,
    containerIpFrom,
    followers: followersOf(ctx, p.container),
    paths: [],
    notes: [p.note, leg.note].filter((n): n is MappingNote => n !== null),
  };
  if (containerIpFrom === 'rule') m.notes.push({ code: 'address-from-rule', container: p.container.name, containerIp });
  if (blind) m.notes.push({ code: 'dnat-target-not-shown', chain: blind.rule.chain, number: blind.rule.number });
  found.ruleOf.set(m, match?.rc ?? blind);
  found.mappings.push(m);
}

/** The Docker DNAT rule to this publication's container port: first one to the container's own addresses, then by ports alone. */
function dnatMatch(ctx: Ctx, p: Publication, ips: string[]): Match | null {
  for (const pass of [true, false]) {
    for (const rc of rulesForPort(ctx, p.protocol, p.hostPort)) {
      if (!rc.docker || rc.used || rc.ingress) continue;
      const to = dnatFor(rc, p.hostIp, p.hostPort, p.protocol);
      if (!to || to.port !== p.containerPort) continue;
      // First the rule to one of the container's own addresses; a rule by ports alone only when they are unknown.
      if (pass ? !ips.includes(to.ip) : ips.length > 0 || (ctx.holders.get(to.ip) ?? []).some((h) => h.container !== p.container)) continue;
      return { rc, ip: to.ip, port: to.port };
    }
  }
  return null;
}

/** A Docker DNAT rule on the publication's host address and port whose target the listing does not show. */
function blindDnatFor(ctx: Ctx, p: Publication): RuleCtx | null {
  for (const rc of rulesForPort(ctx, p.protocol, p.hostPort)) {
    if (!rc.docker || rc.used || rc.ingress || rc.rule.target !== 'DNAT' || rc.rule.dnatTo !== null) continue;
    if (matchesHostPort(rc, p.hostIp, p.hostPort, p.protocol)) return rc;
  }
  return null;
}

/** The container address the publication leads to, and which fact said so. */
function containerAddress(
  ctx: Ctx,
  p: Publication,
  ips: string[],
  match: Match | null,
  proxy: DockerProxy | null,
): { containerIp: string | null; containerIpFrom: PortMapping['containerIpFrom'] } {
  let containerIp: string | null = match?.ip ?? null;
  let containerIpFrom: PortMapping['containerIpFrom'] = match ? (ips.includes(match.ip) ? 'endpoint' : 'rule') : null;
  if (!containerIp && proxy && (ips.length === 0 || ips.includes(proxy.containerIp))) {
    containerIp = proxy.containerIp;
    containerIpFrom = ips.includes(proxy.containerIp) ? 'endpoint' : 'docker-proxy';
  }
  const rows = ctx.rowsOf.get(containerKey(p.container)) ?? [];
  if (!containerIp) {
    // Docker maps ports on the container's bridge network; prefer an IPv4 address there.
    const row = rows.find((r) => r.bridge && r.ipv4) ?? rows.find((r) => r.ipv4);
    containerIp = bare(row?.ipv4) ?? bare(p.container.endpoints.find((e) => e.ipv4)?.ipv4) ?? null;
    containerIpFrom = containerIp ? 'endpoint' : null;
  }
  if (containerIpFrom === 'endpoint') {
    const row = rows.find((r) => bare(r.ipv4) === containerIp || bare(r.ipv6) === containerIp);
    if (row && row.network === null && row.interface !== null) containerIpFrom = 'interface';
  }
  return { containerIp, containerIpFrom };
}
