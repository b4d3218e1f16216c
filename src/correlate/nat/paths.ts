// The paths a connection to a mapping's host address takes: through a DNAT rule or docker-proxy, from
// outside and from this host (loopback), each as its hops and, where it bypasses DNAT, why.
import { lookupIn } from '../../model/fact.js';
import type { Counters, OutputExclusion, PathHop, PathReason, TableName } from '../../model/nat-path.js';
import type { NatTable } from '../../model/nat-rule.js';
import { hostAddress, type PortMapping, type PortPath, type RuleRef } from '../../model/port-path.js';
import { familyOf, inPrefix as inNet, isLoopback, isWildcard as isAnyAddress } from '../../util/address.js';
import { appliedMode, networkBehaviours } from '../network-modes.js';
import { destinationAllows, hookPath, outputChainName } from './chain-graph.js';
import type { Ctx } from './context.js';
import { onInternalNetwork } from './legs.js';
import type { RuleCtx } from './rules.js';

export function buildPaths(ctx: Ctx, m: PortMapping, rc: RuleCtx | null, natKnown: boolean): PortPath[] {
  const address = hostAddress(m.hostIp, m.hostPort, m.protocol);
  if (m.hostPort === 0) return [unmappedPath(ctx, m, address)];
  if (!natKnown) return [unreadPath(ctx, m, address)];
  if (isLoopback(m.hostIp)) return [loopbackPath(ctx, m, rc, address)];
  const paths = [outsidePath(ctx, m, rc, address)];
  // The host's own connections to loopback: nat OUTPUT usually skips 127.0.0.0/8, so docker-proxy answers.
  if (isAnyAddress(m.hostIp) && rc !== null) {
    const loop = familyOf(m.hostIp) === 'ipv6' ? '::1' : '127.0.0.1';
    const loopAddr = hostAddress(loop, m.hostPort, m.protocol);
    const reach = hookPath(rc.graph, rc.rule.chain, 'output', loop);
    if (reach) paths.push(dnatPath(m, rc, loopAddr, 'this host', reach));
    else
      paths.push(viaProxy(ctx, m, loopAddr, 'this host', { code: 'bypasses-dnat', exclusion: outputExclusion(rc, loop), unreached: null }));
  }
  return paths;
}

/** How a path names a table: the tool that listed it, and the legacy backend when the listing says so. */
export function tableName(t: NatTable, from: string): TableName {
  return {
    tool: t.origin.tool === 'nft' ? 'nft' : 'iptables',
    family: t.family,
    name: t.name,
    legacy: t.origin.tool !== 'nft' && t.origin.backend === 'legacy' && /legacy/.test(from),
  };
}

/** Why the host's own connection to `loop` does not reach the rule's chain. */
export function outputExclusion(rc: RuleCtx, loop: string): OutputExclusion {
  const excl = rc.graph.outputJumps.find((r) => r.destination !== null && r.destinationNegated && inNet(loop, r.destination));
  return {
    table: tableName(rc.table, rc.from),
    outputChain: outputChainName(rc.graph),
    only: excl?.destination ? { destination: excl.destination, target: excl.target } : null,
    ruleChain: rc.rule.chain,
    address: loop,
  };
}

function counters(r: Pick<RuleRef, 'packets' | 'bytes' | 'countersExact'>): Counters | null {
  return r.packets === null || r.bytes === null ? null : { packets: r.packets, bytes: r.bytes, exact: r.countersExact };
}

/** The way on from the host to the container: its bridge, its host veth (or the one it probably is), the container's end. */
export function hopsToContainer(m: PortMapping): PathHop[] {
  const hops: PathHop[] = [];
  if (m.bridge) hops.push({ kind: 'bridge', name: m.bridge });
  if (m.hostVeth) hops.push({ kind: 'host-veth', name: m.hostVeth, probable: false });
  else if (m.probableHostVeth) hops.push({ kind: 'host-veth', name: m.probableHostVeth, probable: true });
  const address = m.containerIp ? hostAddress(m.containerIp, m.containerPort, m.protocol).replace(/\/\w+$/, '') : `?:${m.containerPort}`;
  hops.push({ kind: 'container', name: m.container, interface: m.interface, address });
  return hops;
}

function dnatPath(m: PortMapping, rc: RuleCtx, addr: string, from: PortPath['from'], chains: string[]): PortPath {
  const hop: PathHop = {
    kind: 'dnat',
    table: tableName(rc.table, rc.from),
    chains: chains.length > 0 ? chains : [rc.rule.chain],
    to: hostAddress(m.containerIp ?? '?', m.containerPort, m.protocol).replace(/\/\w+$/, ''),
    counters: counters(rc.rule),
  };
  return { address: addr, from, via: 'dnat', hops: [hop, ...hopsToContainer(m)], reason: null };
}

function viaProxy(ctx: Ctx, m: PortMapping, addr: string, from: PortPath['from'], reason: PathReason): PortPath {
  const proxy = m.proxy;
  if (proxy) {
    const hop: PathHop = { kind: 'docker-proxy', pid: proxy.pid, hostIp: proxy.hostIp, hostPort: proxy.hostPort };
    return { address: addr, from, via: 'docker-proxy', hops: [hop, ...hopsToContainer(m)], reason };
  }
  const unknown = ctx.model.portFacts.dockerProxies === null;
  return { address: addr, from, via: unknown ? 'unknown' : 'none', hops: [], reason };
}

/**
 * A publication with no host port (`docker ps` 0.0.0.0:0): on a routed network, the container's own
 * address, reached without NAT by clients that route its subnet to this host, through the filter rule that opens it.
 */
function unmappedPath(ctx: Ctx, m: PortMapping, address: string): PortPath {
  const b = m.network ? networkBehaviours(ctx.model).get(m.network) : undefined;
  const own = m.containerIp ? hostAddress(m.containerIp, m.containerPort, m.protocol) : `?:${m.containerPort}/${m.protocol}`;
  const routed = b !== undefined && appliedMode(b, 'routed');
  if (!routed) {
    // Without the network's options, whether the address is routed cannot be told: unknown, not none.
    const reason: PathReason = { code: 'no-host-port', own, network: b ? b.network : m.network, gateway: b ? b.ipv4 : null };
    return { address, from: 'outside', via: b ? 'none' : 'unknown', hops: [], reason };
  }
  const subnet = lookupIn(ctx.model.networks)
    .find((n) => n.name === m.network)
    ?.subnets.find((s) => !s.subnet.includes(':'))?.subnet;
  const o = m.openedBy;
  const opened: PathHop = {
    kind: 'filter-accept',
    rule: o ? { table: o.table, chains: o.hookPath, number: o.number, counters: counters(o) } : null,
    rulesRead: Boolean(ctx.model.portFacts.nat.firewall.iptables.ipv4),
  };
  const hops: PathHop[] = [{ kind: 'routed', address: own, subnet: subnet ?? null }, opened, ...hopsToContainer(m)];
  return { address, from: 'outside', via: 'routed', hops, reason: { code: 'routed', network: m.network } };
}

function unreadPath(ctx: Ctx, m: PortMapping, address: string): PortPath {
  if (m.proxy && isLoopback(m.hostIp)) return viaProxy(ctx, m, address, 'this host', { code: 'loopback-binding' });
  const reason: PathReason = { code: 'nat-unavailable', why: ctx.model.portFacts.nat.unavailable ?? 'unknown' };
  return { address, from: 'outside', via: 'unknown', hops: hopsToContainer(m), reason };
}

function loopbackPath(ctx: Ctx, m: PortMapping, rc: RuleCtx | null, address: string): PortPath {
  const reach = rc ? hookPath(rc.graph, rc.rule.chain, 'output', m.hostIp) : null;
  if (rc && reach && destinationAllows(rc.rule, m.hostIp)) return dnatPath(m, rc, address, 'this host', reach);
  const reason: PathReason = rc
    ? { code: 'bypasses-dnat', exclusion: outputExclusion(rc, m.hostIp), unreached: { chain: rc.rule.chain, number: rc.rule.number } }
    : { code: 'no-rule' };
  return viaProxy(ctx, m, address, 'this host', reason);
}

function outsidePath(ctx: Ctx, m: PortMapping, rc: RuleCtx | null, address: string): PortPath {
  const prer = rc ? hookPath(rc.graph, rc.rule.chain, 'prerouting', isAnyAddress(m.hostIp) ? null : m.hostIp) : null;
  if (rc && prer) return dnatPath(m, rc, address, 'outside', prer);
  if (rc)
    return viaProxy(ctx, m, address, 'outside', { code: 'not-reached-from-prerouting', chain: rc.rule.chain, number: rc.rule.number });
  if (familyOf(m.hostIp) === 'ipv6' && !ctx.ipv6Expected(m))
    return viaProxy(ctx, m, address, 'outside', { code: 'no-ipv6-rule', ipv6Known: ctx.model.portFacts.nat.ipv6Known });
  if (onInternalNetwork(ctx, m)) return viaProxy(ctx, m, address, 'outside', { code: 'internal-network', network: m.network ?? '' });
  return viaProxy(ctx, m, address, 'outside', { code: 'missing-rule' });
}
