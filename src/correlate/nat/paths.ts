// The paths a connection to a mapping's host address takes: through a DNAT rule or docker-proxy, from
// outside and from this host (loopback), each with its text.
import { hostAddress, type PortMapping, type PortPath } from '../../model/port-path.js';
import { familyOf, isLoopback, isWildcard as isAnyAddress } from '../../util/address.js';
import { destinationAllows, hookPath } from './chain-graph.js';
import type { Ctx } from './context.js';
import { INTERNAL_WORDS, onInternalNetwork } from './legs.js';
import { counters, dnatWords, hopsToContainer, outputExclusion, proxyWords, tableWord } from './path-words.js';
import { lookupIn } from '../../model/fact.js';
import { networkBehaviours } from '../network-modes.js';
import { ruleRef, type RuleCtx } from './rules.js';

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
    else paths.push(viaProxy(ctx, m, loopAddr, 'this host', `bypasses DNAT (${outputExclusion(rc, loop)})`));
  }
  return paths;
}

function dnatPath(m: PortMapping, rc: RuleCtx, addr: string, from: PortPath['from'], chains: string[]): PortPath {
  const words = dnatWords(m, ruleRef(rc), chains, tableWord(rc.table, rc.from));
  return {
    address: addr,
    from,
    via: 'dnat',
    text: `${addr}${from === 'this host' ? ' (from this host)' : ''} -> ${words} -> ${hopsToContainer(m)}`,
  };
}

function viaProxy(ctx: Ctx, m: PortMapping, addr: string, from: PortPath['from'], why: string): PortPath {
  const proxy = m.proxy;
  if (proxy)
    return {
      address: addr,
      from,
      via: 'docker-proxy',
      text: `${addr}${from === 'this host' ? ' (from this host)' : ''} -> ${proxyWords(proxy)} -> ${hopsToContainer(m)}: ${why}`,
    };
  const unknown = ctx.model.portFacts.dockerProxies === null;
  return {
    address: addr,
    from,
    via: unknown ? 'unknown' : 'none',
    text: `${addr}${from === 'this host' ? ' (from this host)' : ''}: ${why}, and ${unknown ? 'docker-proxy processes were not read' : 'no docker-proxy serves it: refused'}`,
  };
}

/**
 * A publication with no host port (`docker ps` 0.0.0.0:0): on a routed network, the container's own
 * address, reached without NAT by clients that route its subnet to this host, through the filter rule that opens it.
 */
function unmappedPath(ctx: Ctx, m: PortMapping, address: string): PortPath {
  const b = m.network ? networkBehaviours(ctx.model).get(m.network) : undefined;
  const own = m.containerIp ? hostAddress(m.containerIp, m.containerPort, m.protocol) : `?:${m.containerPort}/${m.protocol}`;
  const routed = b?.ipv4.mode === 'routed' && b.ipv4.basis !== 'ignored';
  if (!routed) {
    const why = b
      ? `${b.network}'s IPv4 gateway mode is ${b.ipv4.text}`
      : `${m.network ?? 'its network'}'s gateway mode is not in the data`;
    // Without the network's options, whether the address is routed cannot be told: unknown, not none.
    return {
      address,
      from: 'outside',
      via: b ? 'none' : 'unknown',
      text: `${address}: the engine maps no host port for ${own} (HostPort empty), and ${why}`,
    };
  }
  const subnet = lookupIn(ctx.model.networks)
    .find((n) => n.name === m.network)
    ?.subnets.find((s) => !s.subnet.includes(':'))?.subnet;
  const opened = m.openedBy
    ? `${m.openedBy.table} ${m.openedBy.hookPath.join(' -> ')} rule ${m.openedBy.number}: ACCEPT (${counters(m.openedBy)})`
    : ctx.model.portFacts.nat.firewall.iptables.ipv4
      ? 'no filter rule opens it (none in the data)'
      : 'the filter rule that opens it is not in the data';
  return {
    address,
    from: 'outside',
    via: 'routed',
    text: `${address} (no host port: ${m.network} is routed) -> ${own}, routed without NAT from clients that route ${subnet ?? 'its subnet'} to this host -> ${opened} -> ${hopsToContainer(m)}`,
  };
}

function unreadPath(ctx: Ctx, m: PortMapping, address: string): PortPath {
  const reason = `NAT rules unavailable: ${ctx.model.portFacts.nat.unavailable ?? 'unknown'}`;
  if (m.proxy && isLoopback(m.hostIp)) return viaProxy(ctx, m, address, 'this host', 'a loopback binding bypasses DNAT');
  return { address, from: 'outside', via: 'unknown', text: `${address} -> (${reason}) -> ${hopsToContainer(m)}` };
}

function loopbackPath(ctx: Ctx, m: PortMapping, rc: RuleCtx | null, address: string): PortPath {
  const reach = rc ? hookPath(rc.graph, rc.rule.chain, 'output', m.hostIp) : null;
  if (rc && reach && destinationAllows(rc.rule, m.hostIp)) return dnatPath(m, rc, address, 'this host', reach);
  const why = rc
    ? `bypasses DNAT (${outputExclusion(rc, m.hostIp)}; ${rc.rule.chain} rule ${rc.rule.number} is not reached)`
    : 'no DNAT rule for it';
  return viaProxy(ctx, m, address, 'this host', why);
}

function outsidePath(ctx: Ctx, m: PortMapping, rc: RuleCtx | null, address: string): PortPath {
  const prer = rc ? hookPath(rc.graph, rc.rule.chain, 'prerouting', isAnyAddress(m.hostIp) ? null : m.hostIp) : null;
  if (rc && prer) return dnatPath(m, rc, address, 'outside', prer);
  if (rc) return viaProxy(ctx, m, address, 'outside', `${rc.rule.chain} rule ${rc.rule.number} is not reached from PREROUTING`);
  if (familyOf(m.hostIp) === 'ipv6' && !ctx.ipv6Expected(m)) {
    const why = ctx.model.portFacts.nat.ipv6Known ? 'no IPv6 DNAT rule (Docker writes none for this container)' : 'no ip6tables facts';
    return viaProxy(ctx, m, address, 'outside', why);
  }
  if (onInternalNetwork(ctx, m)) return viaProxy(ctx, m, address, 'outside', `no DNAT rule: ${INTERNAL_WORDS}`);
  return viaProxy(ctx, m, address, 'outside', 'no DNAT rule (missing)');
}
