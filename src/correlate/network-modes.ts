// What each bridge network does beyond plain NAT, as its engine applies it: the gateway mode of each
// address family (nat, nat-unprotected, routed, isolated), --internal, enable_icc=false; read from the
// network's options, weighed by the engine's generation, and each backed by the filter rule that does it.
import {
  BRIDGE_OPTION,
  GATEWAY_MODES,
  gatewayModeFeature,
  hasFeature,
  parseDockerRelease,
  type DockerRelease,
  type GatewayMode,
} from '../model/docker-generation.js';
import type { NetworkInfo } from '../model/engine.js';
import { lookupIn } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import type { BehaviourRuleKind, FamilyGateway, NetworkBehaviour } from '../model/network-behaviour.js';
import type { NatRule, NatTable } from '../model/nat-rule.js';
import type { RuleRef } from '../model/port-path.js';
import { inPrefix } from '../util/address.js';

export type { BehaviourRuleKind, FamilyGateway, ModeBasis, NetworkBehaviour } from '../model/network-behaviour.js';

/** The engine's release from the model; null when its version is not in the data (or unreadable). */
export function engineRelease(model: HostModel): DockerRelease | null {
  return model.engineVersion.known ? parseDockerRelease(model.engineVersion.value.version) : null;
}

function optionNameOf(family: 'ipv4' | 'ipv6'): string {
  return family === 'ipv4' ? BRIDGE_OPTION.gatewayModeIpv4 : BRIDGE_OPTION.gatewayModeIpv6;
}

function familyGateway(net: NetworkInfo, family: 'ipv4' | 'ipv6', release: DockerRelease | null): FamilyGateway {
  const optionName = optionNameOf(family);
  const option = net.options[optionName]?.trim() || null;
  const base = { family, optionName, option, feature: null, release: null };
  if (option === null) return { ...base, mode: 'nat', basis: 'default' };
  const mode = GATEWAY_MODES.find((m) => m === option.toLowerCase()) ?? null;
  if (mode === null) return { ...base, mode: null, basis: 'invalid' };
  const feature = gatewayModeFeature(mode);
  const honoured = hasFeature(release, feature);
  if (honoured === false && release) return { ...base, mode: 'nat', basis: 'ignored', feature, release };
  if (honoured === null) return { ...base, mode, basis: 'option-unverified', feature };
  return { ...base, mode, basis: 'option' };
}

// ---- the filter rules ----

function filterTables(model: HostModel): { table: NatTable; from: string }[] {
  return model.portFacts.nat.firewall.tables.filter((s) => s.table.name === 'filter' && s.table.family === 'ipv4');
}

/** The chains from the hook's built-in chain to `chain` (jumps followed, conditions not weighed), e.g. FORWARD, DOCKER-FORWARD. */
function chainPath(t: NatTable, start: string, chain: string): string[] {
  const names = new Set(t.chains.map((c) => c.name));
  const queue: string[][] = [[start]];
  const seen = new Set<string>();
  while (queue.length) {
    const path = queue.shift() as string[];
    const at = path[path.length - 1] as string;
    if (at === chain) return path;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const r of t.rules) if (r.chain === at && names.has(r.target)) queue.push([...path, r.target]);
  }
  return [chain];
}

/** A filter or raw rule as verdicts name it: table, chain, number, counters, text, and the chains that lead to it. */
export function firewallRuleRef(rule: NatRule, table: NatTable, from: string): RuleRef {
  const start = table.name === 'raw' ? 'PREROUTING' : 'FORWARD';
  return {
    family: table.family,
    backend: table.origin.backend,
    table: table.name,
    chain: rule.chain,
    number: rule.number,
    handle: rule.handle,
    packets: rule.packets,
    bytes: rule.bytes,
    countersExact: rule.countersExact,
    target: rule.target,
    text: rule.text,
    hookPath: chainPath(table, start, rule.chain),
    from,
  };
}

const isIn = (r: NatRule, dev: string) => r.inInterface === dev && !r.inNegated;
const isOut = (r: NatRule, dev: string) => r.outInterface === dev && !r.outNegated;
const notIn = (r: NatRule, dev: string) => r.inInterface === dev && r.inNegated;

function find(model: HostModel, test: (r: NatRule) => boolean): RuleRef[] {
  const out: RuleRef[] = [];
  for (const { table, from } of filterTables(model)) for (const r of table.rules) if (test(r)) out.push(firewallRuleRef(r, table, from));
  return out;
}

/**
 * The filter rule that opens a container's port to clients beyond its bridge (`-A DOCKER -d <ip>/32
 * ! -i <bridge> -o <bridge> -p tcp --dport <port> -j ACCEPT`): on a routed network, what publishes the port.
 */
export function portOpeningRule(model: HostModel, bridge: string, containerIp: string, port: number, protocol: string): RuleRef | null {
  const ip = containerIp.replace(/\/\d+$/, '');
  return (
    find(
      model,
      (r) =>
        r.target === 'ACCEPT' &&
        notIn(r, bridge) &&
        isOut(r, bridge) &&
        r.destination === ip &&
        !r.destinationNegated &&
        r.protocol === protocol &&
        r.dport !== null &&
        !r.dportNegated &&
        r.dport.from <= port &&
        port <= r.dport.to,
    )[0] ?? null
  );
}

function behaviourRules(model: HostModel, net: NetworkInfo, bridge: string, internal: boolean, icc: boolean, v4: FamilyGateway) {
  const rules: { kind: BehaviourRuleKind; rule: RuleRef }[] = [];
  const subnet = net.subnets.find((s) => !s.subnet.includes(':'))?.subnet ?? null;
  if (internal) {
    for (const rule of find(
      model,
      (r) =>
        r.target === 'DROP' &&
        ((isOut(r, bridge) && r.source !== null && r.sourceNegated && (subnet === null || r.source === subnet)) ||
          (isIn(r, bridge) && r.destination !== null && r.destinationNegated && (subnet === null || r.destination === subnet))),
    ))
      rules.push({ kind: 'internal', rule });
  }
  if (!icc)
    for (const rule of find(model, (r) => r.target === 'DROP' && isIn(r, bridge) && isOut(r, bridge))) rules.push({ kind: 'icc', rule });
  if (v4.mode === 'nat-unprotected')
    for (const rule of find(
      model,
      (r) =>
        r.target === 'ACCEPT' && notIn(r, bridge) && isOut(r, bridge) && r.dport === null && r.destination === null && r.protocol === 'all',
    ))
      rules.push({ kind: 'nat-unprotected', rule });
  if (v4.mode === 'routed')
    for (const rule of find(
      model,
      (r) =>
        r.chain === 'DOCKER' && r.target === 'DROP' && notIn(r, bridge) && isOut(r, bridge) && r.dport === null && r.protocol === 'all',
    ))
      rules.push({ kind: 'routed', rule });
  return rules;
}

/** Whether the IPv4 gateway mode applied is the option's (not one an old engine ignores) and is `mode`. */
export function appliedMode(b: NetworkBehaviour, mode: GatewayMode): boolean {
  return b.ipv4.mode === mode && b.ipv4.basis !== 'ignored';
}

/** A plain nat bridge: no gateway mode but nat as the engine applies it, not --internal, enable_icc on; nothing to say beyond NAT. */
export function isPlainNat(b: NetworkBehaviour): boolean {
  if (b.internal || !b.icc || b.ipv6.basis !== 'default') return false;
  if (b.ipv4.basis === 'ignored' || b.ipv4.basis === 'invalid') return false;
  return b.ipv4.mode === 'nat';
}

function behaviourOf(model: HostModel, net: NetworkInfo, release: DockerRelease | null): NetworkBehaviour {
  const bridge = net.bridgeName;
  const internal = net.internal;
  const icc = (net.options[BRIDGE_OPTION.enableIcc] ?? 'true').trim().toLowerCase() !== 'false';
  const ipv4 = familyGateway(net, 'ipv4', release);
  const ipv6 = familyGateway(net, 'ipv6', release);
  const rulesKnown = filterTables(model).length > 0;
  const rules = bridge ? behaviourRules(model, net, bridge, internal, icc, ipv4) : [];
  return { network: net.name, networkId: net.id, bridge, internal, icc, ipv4, ipv6, rules, rulesKnown };
}

/** Every bridge network's behaviour, by network name; empty when the network list is not in the data. */
export function networkBehaviours(model: HostModel): Map<string, NetworkBehaviour> {
  const release = engineRelease(model);
  const out = new Map<string, NetworkBehaviour>();
  for (const net of lookupIn(model.networks)) if (net.driver === 'bridge') out.set(net.name, behaviourOf(model, net, release));
  return out;
}

/** Whether a container address is on a network whose IPv4 gateway is routed (no NAT for it). */
export function routedNetworkOf(behaviours: Map<string, NetworkBehaviour>, model: HostModel, ip: string): NetworkBehaviour | null {
  for (const net of lookupIn(model.networks)) {
    const b = behaviours.get(net.name);
    if (!b || !appliedMode(b, 'routed')) continue;
    if (net.subnets.some((s) => !s.subnet.includes(':') && inPrefix(ip, s.subnet))) return b;
  }
  return null;
}
