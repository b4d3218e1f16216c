// Phase three of correlateNat: each mapping's paths, now that every rule has found its place, and the
// publications Docker should have written a DNAT rule for and did not.
import { hostAddress, type NatAnomaly, type PortMapping } from '../../model/port-path.js';
import { familyOf, isLoopback } from '../../util/address.js';
import { anomaly } from './anomaly.js';
import type { Ctx } from './context.js';
import type { Found } from './found.js';
import { onInternalNetwork } from './legs.js';
import { exclusionWords } from './path-words.js';
import { buildPaths, outputExclusion } from './paths.js';
import { networkBehaviours } from '../network-modes.js';

export function pathsAndMissingRules(ctx: Ctx, found: Found): void {
  const nat = ctx.model.portFacts.nat;
  const behaviours = networkBehaviours(ctx.model);
  for (const m of found.mappings) {
    const b = m.network ? behaviours.get(m.network) : undefined;
    const open =
      b?.ipv4.mode === 'nat-unprotected' && b.ipv4.basis !== 'ignored'
        ? b.rules.find((r) => r.what.startsWith('nat-unprotected'))
        : undefined;
    if (b && open !== undefined && m.containerIp && familyOf(m.containerIp) === 'ipv4')
      m.notes.push(
        `${m.network} is nat-unprotected: besides this publication, every port of ${m.containerIp} is open to clients that route to it (${open.rule.table} ${open.rule.chain} rule ${open.rule.number}: ${open.rule.text.replace(/^\[\d+:\d+\]\s*/, '')})`,
      );
    const rc = found.ruleOf.get(m) ?? null;
    const natKnown = familyOf(m.hostIp) === 'ipv6' ? nat.ipv6Known || nat.ipv4Known : nat.ipv4Known;
    m.paths = buildPaths(ctx, m, rc, natKnown);
    m.via = m.paths[0]?.via ?? 'unknown';
    if (m.hostPort === 0) {
      m.notes.push(unmappedNote(m));
      continue;
    }
    if (rc && m.via !== 'dnat' && isLoopback(m.hostIp)) {
      m.notes.push(
        `${rc.rule.chain} rule ${rc.rule.number} exists but is not reached from this host (${exclusionWords(outputExclusion(rc, m.hostIp))}): docker-proxy serves ${m.hostIp}`,
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

/** What 0.0.0.0:0 means, and where the filter rule that opens the port is. */
function unmappedNote(m: PortMapping): string {
  const own = `${m.containerIp ?? '?'}:${m.containerPort}/${m.protocol}`;
  if (m.via === 'unknown')
    return `${hostAddress(m.hostIp, 0, m.protocol)}: no host port is mapped for ${own}; Docker lists a routed network's IPv4 publications so, and the network's gateway mode is not in the data`;
  if (m.via !== 'routed')
    return `${hostAddress(m.hostIp, 0, m.protocol)}: no host port is mapped for ${own}; nothing on this host forwards a host port to it`;
  return `${hostAddress(m.hostIp, 0, m.protocol)} is how Docker lists an IPv4 publication on a routed network: no host port and no DNAT; the container's own address ${own} is the published one${
    m.openedBy ? `, opened by ${m.openedBy.table} ${m.openedBy.chain} rule ${m.openedBy.number}` : ''
  }`;
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
