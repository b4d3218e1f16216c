// Phase three of correlateNat: each mapping's paths, now that every rule has found its place, and the
// publications Docker should have written a DNAT rule for and did not.
import type { MappingNote } from '../../model/nat-path.js';
import type { NatAnomaly, PortMapping } from '../../model/port-path.js';
import { familyOf, isLoopback } from '../../util/address.js';
import { anomaly } from './anomaly.js';
import type { Ctx } from './context.js';
import type { Found } from './found.js';
import { onInternalNetwork } from './legs.js';
import { buildPaths, outputExclusion } from './paths.js';
import { appliedMode, networkBehaviours } from '../network-modes.js';

export function pathsAndMissingRules(ctx: Ctx, found: Found): void {
  const nat = ctx.model.portFacts.nat;
  const behaviours = networkBehaviours(ctx.model);
  for (const m of found.mappings) {
    const b = m.network ? behaviours.get(m.network) : undefined;
    const open = b && appliedMode(b, 'nat-unprotected') ? b.rules.find((r) => r.kind === 'nat-unprotected') : undefined;
    if (b && open !== undefined && m.containerIp && familyOf(m.containerIp) === 'ipv4')
      m.notes.push({
        code: 'nat-unprotected',
        network: m.network,
        containerIp: m.containerIp,
        rule: { table: open.rule.table, chain: open.rule.chain, number: open.rule.number, text: open.rule.text },
      });
    const rc = found.ruleOf.get(m) ?? null;
    const natKnown = familyOf(m.hostIp) === 'ipv6' ? nat.ipv6Known || nat.ipv4Known : nat.ipv4Known;
    m.paths = buildPaths(ctx, m, rc, natKnown);
    m.via = m.paths[0]?.via ?? 'unknown';
    if (m.hostPort === 0) {
      m.notes.push(unmappedNote(m));
      continue;
    }
    if (rc && m.via !== 'dnat' && isLoopback(m.hostIp)) {
      m.notes.push({
        code: 'dnat-not-reached',
        chain: rc.rule.chain,
        number: rc.rule.number,
        exclusion: outputExclusion(rc, m.hostIp),
        hostIp: m.hostIp,
      });
    }
    if (!natKnown || rc) continue;
    const expected = familyOf(m.hostIp) === 'ipv6' ? ctx.ipv6Expected(m) : true;
    if (!expected) {
      m.notes.push({ code: nat.ipv6Known ? 'no-ipv6-rule-expected' : 'no-ip6tables-facts' });
      continue;
    }
    if (onInternalNetwork(ctx, m)) {
      m.notes.push({ code: 'internal-network', network: m.network });
      continue;
    }
    found.anomalies.push(missingRule(ctx, m));
  }
}

/** What 0.0.0.0:0 means, and where the filter rule that opens the port is. */
function unmappedNote(m: PortMapping): MappingNote {
  return {
    code: 'no-host-port',
    hostIp: m.hostIp,
    protocol: m.protocol,
    own: `${m.containerIp ?? '?'}:${m.containerPort}/${m.protocol}`,
    via: m.via,
    openedBy: m.openedBy ? { table: m.openedBy.table, chain: m.openedBy.chain, number: m.openedBy.number } : null,
  };
}

function missingRule(ctx: Ctx, m: PortMapping): NatAnomaly {
  const proxies = ctx.model.portFacts.dockerProxies;
  return anomaly(
    'missing-rule',
    { code: 'missing-rule' },
    {
      hostIp: m.hostIp,
      hostPort: m.hostPort,
      protocol: m.protocol,
      containerIp: m.containerIp,
      containerPort: m.containerPort,
      container: m.container,
      network: m.network,
      bridge: m.bridge,
      hostVeth: m.hostVeth,
      proxy: m.proxy,
      proxyServes: proxies === null ? null : m.proxy !== null,
    },
  );
}
