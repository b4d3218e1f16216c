// What each bridge network does beyond plain NAT, as its engine applies it: the gateway mode of each
// address family (nat, nat-unprotected, routed, isolated), --internal, enable_icc=false; read from the
// network's options, weighed by the engine's generation, and each backed by the filter rule that does it.
import {
  BRIDGE_OPTION,
  DOCKER_FEATURES,
  GATEWAY_MODES,
  gatewayModeFeature,
  generationWord,
  hasFeature,
  parseDockerRelease,
  type DockerRelease,
  type GatewayMode,
} from '../model/docker-generation.js';
import type { NetworkInfo } from '../model/engine.js';
import { lookupIn } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import type { NatRule, NatTable } from '../model/nat-rule.js';
import type { RuleRef } from '../model/port-path.js';
import { inPrefix } from '../util/address.js';

export type ModeBasis =
  /** No option: Docker's default, nat. */
  | 'default'
  /** The option, which this engine honours. */
  | 'option'
  /** The option, which this engine predates and ignores: nat. */
  | 'ignored'
  /** The option, taken as set: the engine's version is not in the data. */
  | 'option-unverified'
  /** The option's value is no mode Docker has. */
  | 'invalid';

export interface FamilyGateway {
  family: 'ipv4' | 'ipv6';
  /** The option's value as set (`routed`); null when the network sets none. */
  option: string | null;
  /** The mode applied; null when the option's value is no mode docknet knows. */
  mode: GatewayMode | null;
  basis: ModeBasis;
  /** In words, with the option and, when ignored, the engine that ignores it. */
  text: string;
}

export interface NetworkBehaviour {
  network: string;
  networkId: string;
  bridge: string | null;
  internal: boolean;
  /** Containers on the bridge may talk to each other (enable_icc, true unless set to false). */
  icc: boolean;
  ipv4: FamilyGateway;
  ipv6: FamilyGateway;
  /** The filter rules that make it so: internal isolation, icc drop, nat-unprotected's open door, routed's closed one. */
  rules: { what: string; rule: RuleRef }[];
  /** Whether the filter table was in the data, so that a missing rule may be said to be missing. */
  rulesKnown: boolean;
  /** What the network does beyond plain NAT, in one or two sentences; null for a plain nat bridge. */
  summary: string | null;
}

/** The engine's release from the model; null when its version is not in the data (or unreadable). */
export function engineRelease(model: HostModel): DockerRelease | null {
  return model.engineVersion.known ? parseDockerRelease(model.engineVersion.value.version) : null;
}

function optionName(family: 'ipv4' | 'ipv6'): string {
  return family === 'ipv4' ? BRIDGE_OPTION.gatewayModeIpv4 : BRIDGE_OPTION.gatewayModeIpv6;
}

function familyGateway(net: NetworkInfo, family: 'ipv4' | 'ipv6', release: DockerRelease | null): FamilyGateway {
  const name = optionName(family);
  const option = net.options[name]?.trim() || null;
  if (option === null) return { family, option, mode: 'nat', basis: 'default', text: 'nat (the default)' };
  const set = `${name}=${option}`;
  const mode = GATEWAY_MODES.find((m) => m === option.toLowerCase()) ?? null;
  if (mode === null) return { family, option, mode: null, basis: 'invalid', text: `unknown: ${set} is no gateway mode Docker has` };
  const feature = DOCKER_FEATURES[gatewayModeFeature(mode)];
  const honoured = hasFeature(release, gatewayModeFeature(mode));
  if (honoured === false && release)
    return {
      family,
      option,
      mode: 'nat',
      basis: 'ignored',
      text: `nat: ${set} is set, but ${generationWord(release)} predates ${feature.what}, which came with ${feature.since}, and ignores it`,
    };
  if (honoured === null)
    return {
      family,
      option,
      mode,
      basis: 'option-unverified',
      text: `${mode} (${set}; the engine's version is not in the data: one older than ${feature.since} would ignore it)`,
    };
  return { family, option, mode, basis: 'option', text: `${mode} (${set})` };
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

/** "DOCKER-FORWARD 6 of filter: -A DOCKER-FORWARD -i dnlab-noicc -o dnlab-noicc -j DROP": a rule in words. */
export function ruleWords(r: RuleRef): string {
  return `${r.table} ${r.chain} ${r.number}: ${r.text.replace(/^\[\d+:\d+\]\s*/, '')}`;
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
  const rules: { what: string; rule: RuleRef }[] = [];
  const subnet = net.subnets.find((s) => !s.subnet.includes(':'))?.subnet ?? null;
  if (internal) {
    for (const rule of find(
      model,
      (r) =>
        r.target === 'DROP' &&
        ((isOut(r, bridge) && r.source !== null && r.sourceNegated && (subnet === null || r.source === subnet)) ||
          (isIn(r, bridge) && r.destination !== null && r.destinationNegated && (subnet === null || r.destination === subnet))),
    ))
      rules.push({ what: 'internal: traffic between the network and anywhere else dropped', rule });
  }
  if (!icc)
    for (const rule of find(model, (r) => r.target === 'DROP' && isIn(r, bridge) && isOut(r, bridge)))
      rules.push({ what: 'enable_icc=false: traffic between containers on the bridge dropped', rule });
  if (v4.mode === 'nat-unprotected')
    for (const rule of find(
      model,
      (r) =>
        r.target === 'ACCEPT' && notIn(r, bridge) && isOut(r, bridge) && r.dport === null && r.destination === null && r.protocol === 'all',
    ))
      rules.push({ what: 'nat-unprotected: every port of the containers open to clients beyond the bridge', rule });
  if (v4.mode === 'routed')
    for (const rule of find(
      model,
      (r) =>
        r.chain === 'DOCKER' && r.target === 'DROP' && notIn(r, bridge) && isOut(r, bridge) && r.dport === null && r.protocol === 'all',
    ))
      rules.push({ what: 'routed: what no rule above opens is dropped', rule });
  return rules;
}

function rulesList(rules: { rule: RuleRef }[]): string {
  return rules.map((r) => ruleWords(r.rule)).join('; ');
}

function summaryOf(b: Omit<NetworkBehaviour, 'summary'>): string | null {
  const parts: string[] = [];
  const byWhat = (prefix: string) => b.rules.filter((r) => r.what.startsWith(prefix));
  const evidence = (prefix: string) => {
    const list = byWhat(prefix);
    if (list.length) return ` (${rulesList(list)})`;
    return b.rulesKnown ? ' (no filter rule for it in the data)' : '';
  };
  if (b.internal)
    parts.push(
      `internal network (--internal): no gateway out of the host and no NAT; only containers on ${b.bridge ?? 'its bridge'} reach each other and the host${evidence('internal')}`,
    );
  const v4 = b.ipv4;
  if (v4.mode === 'routed' && v4.basis !== 'ignored')
    parts.push(
      `gateway mode ${v4.text}: no NAT; container addresses are routed, and a published port is opened on the container's own address by a filter ACCEPT rule, with no IPv4 host port (the engine reports 0.0.0.0 with no host port, \`docker ps\` 0.0.0.0:0)${evidence('routed')}`,
    );
  else if (v4.mode === 'nat-unprotected' && v4.basis !== 'ignored')
    parts.push(
      `gateway mode ${v4.text}: published ports are DNATed as in nat, and every port of the containers' addresses is open to clients that route to them, published or not${evidence('nat-unprotected')}`,
    );
  else if (v4.mode === 'isolated' && v4.basis !== 'ignored')
    parts.push(`gateway mode ${v4.text}: no address on the bridge and no way out of it`);
  else if (v4.basis === 'ignored' || v4.basis === 'invalid') parts.push(`gateway mode ${v4.text}`);
  if (b.ipv6.basis !== 'default') parts.push(`IPv6 gateway mode ${b.ipv6.text}`);
  if (!b.icc) parts.push(`enable_icc=false: traffic between its containers is dropped${evidence('enable_icc')}`);
  if (!parts.length) return null;
  return `${parts.join('. ')}.`;
}

/** The same in a few words, for a table's note: `gateway mode routed: no NAT, ...`; null for a plain nat bridge. */
export function behaviourNote(b: NetworkBehaviour): string | null {
  const parts: string[] = [];
  if (b.internal) parts.push('internal network: no way out of the host, no NAT');
  const v4 = b.ipv4;
  if (v4.basis === 'ignored' || v4.basis === 'invalid') parts.push(`gateway mode ${v4.text}`);
  else if (v4.mode === 'routed')
    parts.push(`gateway mode ${v4.text}: no NAT, the container address is routed; published ports are opened by filter ACCEPT rules`);
  else if (v4.mode === 'nat-unprotected')
    parts.push(`gateway mode ${v4.text}: NAT, and every port of the container address open to clients that route to it`);
  else if (v4.mode === 'isolated') parts.push(`gateway mode ${v4.text}: no address on the bridge, no way out`);
  if (b.ipv6.basis !== 'default') parts.push(`IPv6 gateway mode ${b.ipv6.text}`);
  if (!b.icc) parts.push('enable_icc=false: traffic between its containers is dropped');
  return parts.length ? `${b.network}: ${parts.join('; ')}` : null;
}

function behaviourOf(model: HostModel, net: NetworkInfo, release: DockerRelease | null): NetworkBehaviour {
  const bridge = net.bridgeName;
  const internal = net.internal;
  const icc = (net.options[BRIDGE_OPTION.enableIcc] ?? 'true').trim().toLowerCase() !== 'false';
  const ipv4 = familyGateway(net, 'ipv4', release);
  const ipv6 = familyGateway(net, 'ipv6', release);
  const rulesKnown = filterTables(model).length > 0;
  const rules = bridge ? behaviourRules(model, net, bridge, internal, icc, ipv4) : [];
  const b = { network: net.name, networkId: net.id, bridge, internal, icc, ipv4, ipv6, rules, rulesKnown };
  return { ...b, summary: summaryOf(b) };
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
    if (b?.ipv4.mode !== 'routed' || b.ipv4.basis === 'ignored') continue;
    if (net.subnets.some((s) => !s.subnet.includes(':') && inPrefix(ip, s.subnet))) return b;
  }
  return null;
}
