// Phase two of correlateNat: the DNAT rules no publication claimed. Swarm ingress, rules not written
// by Docker, rules read as mappings when the publications are not in the data, and stale rules.
import { containerKey, type ContainerInfo } from '../../model/engine.js';
import { publicationsKnown } from '../../model/host.js';
import type { AnomalyReason, MappingNote, RuleMatch } from '../../model/nat-path.js';
import type { NatAnomaly, PortMapping, RuleRef } from '../../model/port-path.js';
import { bareAddress as bare } from '../../util/address.js';
import { naturalCompare } from '../../util/natural-compare.js';
import { anomaly } from './anomaly.js';
import { addressless, followersOf, hairpinFor, proxyFor, proxyRef, type Ctx, type Holder } from './context.js';
import type { Found } from './found.js';
import { legOf } from './legs.js';
import { matchHost } from './path-words.js';
import { ruleRef, sameMatch, type RuleCtx } from './rules.js';

/** An unclaimed rule with what is known of where it leads. */
interface Unclaimed {
  rc: RuleCtx;
  ref: RuleRef;
  to: string | null;
  holders: Holder[];
  holder: Holder | null;
  hostIp: string;
  hostPort: number | null;
  common: Partial<NatAnomaly>;
  match: RuleMatch;
}

/** Sorts each unclaimed rule into an anomaly or a mapping; returns the host addresses of the rules whose target is not shown. */
export function claimUnclaimedRules(ctx: Ctx, found: Found): string[] {
  const blindRules: string[] = [];
  const missingIps = addressless(ctx);
  const complete = ctx.model.containers.complete.known;
  for (const rc of ctx.dnatRules) {
    if (rc.used) continue;
    const u = unclaimed(ctx, rc);
    const r = rc.rule;
    if (rc.ingress || (u.holder?.sandbox && /ingress/.test(u.holder.sandbox.key))) found.anomalies.push(ingressAnomaly(ctx, u));
    else if (!rc.docker) found.anomalies.push(foreignAnomaly(ctx, u));
    // No publication to match it to and no target shown (iptables-nft read through nft -j): only that it exists.
    else if (!complete && r.target === 'DNAT' && r.dnatTo === null) blindRules.push(matchHost(u.match));
    else if (!complete || (u.holder?.container && !publicationsKnown(ctx.model, u.holder.container))) {
      // Publications are not in the data (no container list, or a container known only from other
      // files), the rule is: the mapping is read from the rule, to whoever holds its target address.
      // Several containers holding the address (a namespace they share, or a snapshot of two moments): whose is unknown.
      const holding = new Set(u.holders.map((h) => h.container).filter((x) => x !== null));
      found.mappings.push(ruleMapping(ctx, found, u, holding.size === 1 ? (u.holder?.container ?? null) : null));
    } else found.anomalies.push(staleAnomaly(ctx, u, missingIps));
  }
  return blindRules;
}

function unclaimed(ctx: Ctx, rc: RuleCtx): Unclaimed {
  const r = rc.rule;
  const ref = ruleRef(rc);
  const to = r.dnatTo?.ip ?? null;
  const port = r.dnatTo?.port?.from ?? null;
  const holders = to ? (ctx.holders.get(to) ?? []) : [];
  const holder = holders.find((h) => h.container) ?? holders[0] ?? null;
  const hostPort = r.dport && !r.dportNegated ? r.dport.from : null;
  const hostIp: string =
    r.destination && !r.destinationNegated ? (bare(r.destination) ?? r.destination) : rc.table.family === 'ipv6' ? '::' : '0.0.0.0';
  const match: RuleMatch = {
    ip: hostIp,
    dport: r.dport,
    protocol: r.protocol,
    target: r.target,
    dnatTo: r.dnatTo ? { ip: r.dnatTo.ip, port: r.dnatTo.port } : null,
  };
  const common: Partial<NatAnomaly> = { hostIp, hostPort, protocol: r.protocol, containerIp: to, containerPort: port, rule: ref, match };
  return { rc, ref, to, holders, holder, hostIp, hostPort, common, match };
}

function ingressAnomaly(ctx: Ctx, u: Unclaimed): NatAnomaly {
  const { to, holder } = u;
  const leg = to ? legOf(ctx, null, to) : null;
  const sbox = ctx.vethMap.hostVeths.find((v) => v.ownerKind === 'ingress-sbox');
  return anomaly(
    'ingress',
    { code: 'ingress', sandbox: holder?.sandbox?.key ?? null },
    {
      ...u.common,
      network: holder?.network ?? leg?.network ?? null,
      bridge: leg?.bridge ?? null,
      hostVeth: sbox?.name ?? null,
    },
  );
}

function foreignAnomaly(ctx: Ctx, u: Unclaimed): NatAnomaly {
  const { to, holder } = u;
  const leg = to ? legOf(ctx, holder?.container ?? null, to) : null;
  return anomaly(
    'foreign-rule',
    { code: 'foreign' },
    {
      ...u.common,
      container: holder?.container?.name ?? null,
      network: holder?.network ?? null,
      bridge: leg?.bridge ?? null,
      hostVeth: leg?.hostVeth ?? null,
    },
  );
}

function staleAnomaly(ctx: Ctx, u: Unclaimed, missingIps: ContainerInfo[]): NatAnomaly {
  const { rc, to, holder } = u;
  const r = rc.rule;
  const twin = ctx.dnatRules.find(
    (o) => o !== rc && o.used && o.table === rc.table && o.rule.chain === r.chain && o.rule.number < r.number && sameMatch(o.rule, r),
  );
  const reason: AnomalyReason = twin
    ? { code: 'duplicate', of: twin.rule.number }
    : holder?.container
      ? { code: 'address-reused', container: holder.container.name }
      : holder?.sandbox
        ? { code: 'sandbox-address', sandbox: holder.sandbox.key, network: holder.network }
        : { code: 'no-holder', unknownAddresses: missingIps.map((c) => c.name).sort(naturalCompare) };
  return anomaly('stale-rule', reason, {
    ...u.common,
    container: holder?.container?.name ?? null,
    network: holder?.network ?? null,
    // A rule whose target the listing does not show cannot be proven to point at no one.
    confirmed: to !== null && (twin !== undefined || Boolean(holder?.container) || missingIps.length === 0),
  });
}

/**
 * A mapping read from a Docker DNAT rule alone, when the publications are not in the data: to the
 * container that holds its target address when another file names it, else to an unknown container.
 */
function ruleMapping(ctx: Ctx, found: Found, u: Unclaimed, c: ContainerInfo | null): PortMapping {
  const { rc, to, hostIp, hostPort } = u;
  const r = rc.rule;
  const port = r.dnatTo?.port?.from ?? null;
  const protocol = r.protocol ?? 'tcp';
  const leg = legOf(ctx, c, to);
  const row = c ? (ctx.rowsOf.get(containerKey(c)) ?? []).find((x) => bare(x.ipv4) === to || bare(x.ipv6) === to) : undefined;
  const why: MappingNote = c
    ? { code: 'from-rule', container: c.name }
    : { code: 'from-rule-no-container', containerList: ctx.model.containers.complete.known, target: to };
  const m: PortMapping = {
    hostIp,
    hostPort: hostPort ?? 0,
    protocol,
    containerIp: to,
    containerPort: port ?? hostPort ?? 0,
    container: c?.name ?? null,
    containerId: c?.id || null,
    network: leg.network,
    bridge: leg.bridge,
    hostVeth: leg.hostVeth,
    probableHostVeth: leg.probableHostVeth,
    interface: leg.interface,
    rule: u.ref,
    hairpin: to && port ? hairpinFor(ctx, to, port, protocol) : null,
    openedBy: null,
    proxy: null,
    via: 'unknown',
    publishedBy: null,
    containerIpFrom: c ? (row?.network ? 'endpoint' : row ? 'interface' : 'endpoint') : 'rule',
    followers: c ? followersOf(ctx, c) : [],
    paths: [],
    notes: [why, ...(leg.note ? [leg.note] : [])],
  };
  const proxy = hostPort !== null ? proxyFor(ctx, hostIp, hostPort, protocol) : null;
  if (proxy) {
    m.proxy = proxyRef(proxy);
    ctx.usedProxies.add(proxy);
  }
  rc.used = true;
  found.ruleOf.set(m, rc);
  return m;
}
