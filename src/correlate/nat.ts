// Follows every published port and every DNAT rule to a container: the Engine's publications
// (per container, on the network whose address the rule targets), the DNAT rule Docker wrote, the
// hairpin MASQUERADE rule, the docker-proxy serving the binding, and the veth and bridge on the way.
// What does not fit is an anomaly: stale rules, missing rules, foreign rules, swarm ingress.
// The phases live in nat/: claim the publications, then the rules no publication claimed, then paths.
import type { HostModel } from '../model/host.js';
import type { NatReport } from '../model/port-path.js';
import { naturalCompare } from '../util/natural-compare.js';
import { byPort, KIND_ORDER } from './nat/anomaly.js';
import { claimPublications } from './nat/claim-publications.js';
import { correlationContext } from './nat/context.js';
import type { Found } from './nat/found.js';
import { pathsAndMissingRules } from './nat/missing-rules.js';
import { orphanProxyNotes } from './nat/proxy-notes.js';
import { fillFromSiblings } from './nat/siblings.js';
import { dockerBackend, sourceNotes } from './nat/source-notes.js';
import { claimUnclaimedRules } from './nat/unclaimed-rules.js';
import { correlateVethMap, type VethMap } from './veth-map.js';

export function correlateNat(model: HostModel, vethMap: VethMap = correlateVethMap(model)): NatReport {
  const nat = model.portFacts.nat;
  const ctx = correlationContext(model, vethMap);
  const found: Found = { mappings: [], anomalies: [], ruleOf: new Map() };
  claimPublications(ctx, found);
  const blindRules = claimUnclaimedRules(ctx, found);
  fillFromSiblings(found.mappings);
  pathsAndMissingRules(ctx, found);

  if (blindRules.length)
    ctx.notes.push(
      `${blindRules.length} Docker DNAT rule(s) whose target this listing does not show (iptables-nft rules read from nft -j), for ${blindRules.join(', ')}: where they lead is unknown without iptables-save or the container list`,
    );
  ctx.notes.push(...orphanProxyNotes(ctx));

  const { mappings, anomalies } = found;
  mappings.sort((a, b) => byPort(a, b) || naturalCompare(a.container ?? '', b.container ?? ''));
  anomalies.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || byPort(a, b));
  const list = model.containers.complete;
  const backend = dockerBackend(ctx);
  return {
    available: nat.ipv4Known,
    reason: nat.ipv4Known ? null : nat.unavailable,
    backend,
    publicationsKnown: list.known,
    publicationsReason: list.known ? null : list.reason,
    mappings,
    anomalies,
    notes: [...sourceNotes(ctx, backend), ...ctx.notes],
    otherNetnsProxies: model.portFacts.otherNetnsProxies,
  };
}
