// Phase three of correlateNat: each mapping's paths, now that every rule has found its place, and the
// publications Docker should have written a DNAT rule for and did not.
import { hostAddress, type NatAnomaly, type PortMapping } from '../../model/port-path.js';
import { familyOf, isLoopback } from '../../util/address.js';
import { anomaly } from './anomaly.js';
import type { Ctx } from './context.js';
import type { Found } from './found.js';
import { onInternalNetwork } from './legs.js';
import { outputExclusion } from './path-words.js';
import { buildPaths } from './paths.js';

export function pathsAndMissingRules(ctx: Ctx, found: Found): void {
  const nat = ctx.model.portFacts.nat;
  for (const m of found.mappings) {
    const rc = found.ruleOf.get(m) ?? null;
    const natKnown = familyOf(m.hostIp) === 'ipv6' ? nat.ipv6Known || nat.ipv4Known : nat.ipv4Known;
    m.paths = buildPaths(ctx, m, rc, natKnown);
    m.via = m.paths[0]?.via ?? 'unknown';
    if (rc && m.via !== 'dnat' && isLoopback(m.hostIp)) {
      m.notes.push(
        `${rc.rule.chain} rule ${rc.rule.number} exists but is not reached from this host (${outputExclusion(rc, m.hostIp)}): docker-proxy serves ${m.hostIp}`,
      );
    }
    if (!natKnown || rc) continue;
    const expected = familyOf(m.hostIp) === 'ipv6' ? ctx.ipv6Expected(m) : true;
    if (!expected) {
      m.notes.push(
        nat.ipv6Known
          ? "no IPv6 DNAT rule, as expected (Docker's IPv6 NAT is off or the container has no IPv6 address): docker-proxy forwards [::] to the IPv4 address"
          : 'no ip6tables facts: [::] is served by docker-proxy unless Docker writes IPv6 NAT rules',
      );
      continue;
    }
    if (onInternalNetwork(ctx, m)) {
      m.notes.push(`${m.network} is an --internal network: no DNAT rule is expected`);
      continue;
    }
    found.anomalies.push(missingRule(ctx, m));
  }
}

function missingRule(ctx: Ctx, m: PortMapping): NatAnomaly {
  const serves = m.proxy !== null;
  const proxies = ctx.model.portFacts.dockerProxies;
  return anomaly(
    'missing-rule',
    `${hostAddress(m.hostIp, m.hostPort, m.protocol)} is published by ${m.container} (-> ${m.containerIp ?? '?'}:${m.containerPort}) but no DNAT rule sends it there; ${
      serves
        ? `docker-proxy pid ${m.proxy?.pid} still serves it (clients then appear to come from the bridge's gateway, not their own address)`
        : proxies === null
          ? 'docker-proxy processes were not read'
          : 'no docker-proxy serves it either: connections from outside fail'
    }`,
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
      proxyServes: proxies === null ? null : serves,
    },
  );
}
