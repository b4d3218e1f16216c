// Port paths and NAT anomalies in words, from the structure correlation returns (model/nat-path.ts):
// the one place their sentences are written (but for the table names, rule matches and loopback
// exclusions correlation's own notes share: correlate/nat/path-words.ts), for nat's text and pipe forms, JSON's `text`, and the
// commands whose correlators quote them (doctor's findings, explain's notebook, graph's details).
import type { AnomalyReason, Counters, MappingNote, NatWords, PathHop, PathReason, RuleMatch } from '../model/nat-path.js';
import type { NatAnomaly, PortMapping, PortPath, RuleRef } from '../model/port-path.js';
import { hostAddress } from '../model/port-path.js';
import { exclusionWords, matchHost, tableLabel } from '../correlate/nat/path-words.js';
import { gatewayText } from './network-words.js';

function countersWords(c: Counters | null): string {
  if (c === null) return 'no counters';
  const approx = c.exact ? '' : '~';
  return `pkts ${approx}${c.packets}, bytes ${approx}${c.bytes}`;
}

/** A rule's counters as a path or anomaly states them. */
export function ruleCounters(r: RuleRef): Counters | null {
  return r.packets === null || r.bytes === null ? null : { packets: r.packets, bytes: r.bytes, exact: r.countersExact };
}

// Every kind has its case: tsc checks the switch is exhaustive.
function hopWords(h: PathHop): string {
  switch (h.kind) {
    case 'dnat':
      return `${tableLabel(h.table)} ${h.chains.join(' -> ')}: DNAT to ${h.to} (${countersWords(h.counters)})`;
    case 'docker-proxy':
      return `docker-proxy pid ${h.pid} (-host-ip ${h.hostIp} -host-port ${h.hostPort})`;
    case 'routed':
      return `${h.address}, routed without NAT from clients that route ${h.subnet ?? 'its subnet'} to this host`;
    case 'filter-accept':
      if (h.rule) return `${h.rule.table} ${h.rule.chains.join(' -> ')} rule ${h.rule.number}: ACCEPT (${countersWords(h.rule.counters)})`;
      return h.rulesRead ? 'no filter rule opens it (none in the data)' : 'the filter rule that opens it is not in the data';
    case 'bridge':
      return h.name;
    case 'host-veth':
      return h.probable ? `${h.name}? (probably)` : h.name;
    case 'container':
      return `${h.name ?? 'no known container'}${h.interface ? ` ${h.interface}` : ''} ${h.address}`;
  }
}

// Docker 26+ lists a publication of a container on an --internal network (20.10 lists none), and writes
// no DNAT rule or docker-proxy for it: by design, not a missing rule.
const INTERNAL_WORDS = 'Docker publishes no port of a container on an --internal network (unreachable from outside, by design)';

/** Why a path that does not go through the DNAT rule does not. */
function reasonWords(r: PathReason): string {
  switch (r.code) {
    case 'bypasses-dnat':
      return `bypasses DNAT (${exclusionWords(r.exclusion)}${r.unreached ? `; ${r.unreached.chain} rule ${r.unreached.number} is not reached` : ''})`;
    case 'loopback-binding':
      return 'a loopback binding bypasses DNAT';
    case 'no-rule':
      return 'no DNAT rule for it';
    case 'not-reached-from-prerouting':
      return `${r.chain} rule ${r.number} is not reached from PREROUTING`;
    case 'no-ipv6-rule':
      return r.ipv6Known ? 'no IPv6 DNAT rule (Docker writes none for this container)' : 'no ip6tables facts';
    case 'internal-network':
      return `no DNAT rule: ${INTERNAL_WORDS}`;
    case 'missing-rule':
      return 'no DNAT rule (missing)';
    case 'no-host-port':
      return r.gateway !== null
        ? `${r.network}'s IPv4 gateway mode is ${gatewayText(r.gateway)}`
        : `${r.network ?? 'its network'}'s gateway mode is not in the data`;
    case 'routed':
      return `no host port: ${r.network} is routed`;
    case 'nat-unavailable':
      return `NAT rules unavailable: ${r.why}`;
  }
}

/** A path as one readable chain of hops: `0.0.0.0:8080/tcp -> nat PREROUTING -> DOCKER: DNAT to ... -> docker0 -> ...`. */
export function pathText(p: PortPath): string {
  const hops = p.hops.map(hopWords).join(' -> ');
  const r = p.reason;
  if (r === null) return `${p.address}${p.from === 'this host' ? ' (from this host)' : ''} -> ${hops}`;
  switch (r.code) {
    case 'no-host-port':
      return `${p.address}: the engine maps no host port for ${r.own} (HostPort empty), and ${reasonWords(r)}`;
    case 'routed':
      return `${p.address} (${reasonWords(r)}) -> ${hops}`;
    case 'nat-unavailable':
      return `${p.address} -> (${reasonWords(r)}) -> ${hops}`;
  }
  const at = `${p.address}${p.from === 'this host' ? ' (from this host)' : ''}`;
  if (p.hops.length > 0) return `${at} -> ${hops}: ${reasonWords(r)}`;
  return `${at}: ${reasonWords(r)}, and ${p.via === 'unknown' ? 'docker-proxy processes were not read' : 'no docker-proxy serves it: refused'}`;
}

function matchTo(m: RuleMatch): string {
  const to = m.dnatTo;
  if (!to) return m.target;
  const port = to.port ? (to.port.from === to.port.to ? `:${to.port.from}` : `:${to.port.from}-${to.port.to}`) : '';
  return `${m.target} to ${to.ip ? (to.ip.includes(':') && port ? `[${to.ip}]` : to.ip) : ''}${port}`;
}

/** The rule in words: table, chain, number, match, target, counters. */
function ruleWhere(a: NatAnomaly): string {
  const r = a.rule;
  const m = a.match;
  if (r === null || m === null) return 'a rule';
  return `${r.table} ${r.chain} rule ${r.number} (${matchHost(m)} -> ${matchTo(m)}; ${countersWords(ruleCounters(r))})`;
}

function staleWords(a: NatAnomaly, r: AnomalyReason): string {
  const to = a.containerIp;
  switch (r.code) {
    case 'duplicate':
      return `duplicate of ${a.rule?.chain} rule ${r.of}, which matches first: this one is never reached`;
    case 'address-reused':
      return `${to} is now ${r.container}'s address, and ${r.container} publishes no ${a.match ? matchHost(a.match) : '?'} there: left over from an earlier container`;
    case 'sandbox-address':
      return `${to} is Docker's sandbox ${r.sandbox} on ${r.network}, not a container`;
    default: {
      const unknown = r.code === 'no-holder' ? r.unknownAddresses : [];
      return `no container has ${to ?? 'its target'}${unknown.length ? ` (unconfirmed: the addresses of ${unknown.join(', ')} are unknown)` : ''}`;
    }
  }
}

/** An anomaly as one sentence (without the `(unconfirmed)` the listing adds). */
export function anomalyText(a: NatAnomaly): string {
  const r = a.reason;
  switch (r.code) {
    case 'missing-rule':
      return `${hostAddress(a.hostIp ?? '', a.hostPort ?? 0, a.protocol ?? '')} is published by ${a.container} (-> ${a.containerIp ?? '?'}:${a.containerPort}) but no DNAT rule sends it there; ${
        a.proxy
          ? `docker-proxy pid ${a.proxy.pid} still serves it (clients then appear to come from the bridge's gateway, not their own address)`
          : a.proxyServes === null
            ? 'docker-proxy processes were not read'
            : 'no docker-proxy serves it either: connections from outside fail'
      }`;
    case 'ingress':
      return `${ruleWhere(a)} goes to the swarm ingress sandbox${r.sandbox ? ` (${r.sandbox}, ${a.containerIp})` : ''} on ${a.bridge ?? 'docker_gwbridge'}${a.hostVeth ? ` via ${a.hostVeth}` : ''}, which forwards to the service's tasks (routing mesh), not to one container`;
    case 'foreign':
      return `not written by Docker: ${ruleWhere(a)}${a.container ? ` to ${a.container}'s address` : a.containerIp ? ', to an address no container has' : ''}`;
    default:
      return `${ruleWhere(a)}: ${staleWords(a, r)}`;
  }
}

/** The words other commands' correlators quote (doctor's findings, explain's notebook, graph's details). */
export const natWords: NatWords = { path: pathText, anomaly: anomalyText };

/** A mapping as JSON: its paths with their text beside their structure. */
/** A mapping's note in words. */
export function mappingNoteText(n: MappingNote): string {
  switch (n.code) {
    case 'host-port-range':
      return `host port range ${n.hostPorts} for ${n.key}: the engine picks one; ${n.assumed} assumed`;
    case 'probable-host-veth':
      return `host veth probably ${n.veth} (inference, not confirmed): the one veth on ${n.bridge} with no known owner, and ${n.container} the one container whose interfaces are unknown`;
    case 'address-from-rule':
      return `${n.container}'s addresses are not in the data: ${n.containerIp} is the DNAT rule's target`;
    case 'dnat-target-not-shown':
      return `${n.chain} rule ${n.number}'s DNAT target is not shown by this listing (iptables-nft rules read from nft -j): matched by its host port alone`;
    case 'from-rule':
      return `${n.container}'s publications are not in the data: this mapping is read from the DNAT rule and ${n.container}'s own address`;
    case 'from-rule-no-container':
      return `publications are not in the data (${n.containerList ? 'no container names' : 'no container list'}): this mapping is read from the DNAT rule; which container holds ${n.target ?? 'its target'} is unknown`;
    case 'nat-unprotected':
      return `${n.network} is nat-unprotected: besides this publication, every port of ${n.containerIp} is open to clients that route to it (${n.rule.table} ${n.rule.chain} rule ${n.rule.number}: ${n.rule.text.replace(/^\[\d+:\d+\]\s*/, '')})`;
    case 'no-host-port': {
      const at = hostAddress(n.hostIp, 0, n.protocol);
      if (n.via === 'unknown')
        return `${at}: no host port is mapped for ${n.own}; Docker lists a routed network's IPv4 publications so, and the network's gateway mode is not in the data`;
      if (n.via !== 'routed') return `${at}: no host port is mapped for ${n.own}; nothing on this host forwards a host port to it`;
      return `${at} is how Docker lists an IPv4 publication on a routed network: no host port and no DNAT; the container's own address ${n.own} is the published one${
        n.openedBy ? `, opened by ${n.openedBy.table} ${n.openedBy.chain} rule ${n.openedBy.number}` : ''
      }`;
    }
    case 'dnat-not-reached':
      return `${n.chain} rule ${n.number} exists but is not reached from this host (${exclusionWords(n.exclusion)}): docker-proxy serves ${n.hostIp}`;
    case 'no-ipv6-rule-expected':
      return "no IPv6 DNAT rule, as expected (Docker's IPv6 NAT is off or the container has no IPv6 address): docker-proxy forwards [::] to the IPv4 address";
    case 'no-ip6tables-facts':
      return 'no ip6tables facts: [::] is served by docker-proxy unless Docker writes IPv6 NAT rules';
    case 'internal-network':
      return `${n.network} is an --internal network: no DNAT rule is expected`;
  }
}

/** A path's reason as JSON: `no-host-port`'s gateway mode in words (`gatewayMode`), as schemaVersion 2 has it. */
function reasonJson(r: PathReason | null): unknown {
  if (r?.code !== 'no-host-port') return r;
  const { gateway, ...rest } = r;
  return { ...rest, gatewayMode: gateway ? gatewayText(gateway) : null };
}

export function mappingJson(m: PortMapping): unknown {
  const paths = m.paths.map(({ address, from, via, ...structure }) => ({
    address,
    from,
    via,
    text: pathText({ address, from, via, ...structure }),
    ...structure,
    reason: reasonJson(structure.reason),
  }));
  return { ...m, paths, notes: m.notes.map((n) => ({ ...n, text: mappingNoteText(n) })) };
}

/** An anomaly as JSON: its text beside its reason. */
export function anomalyJson(a: NatAnomaly): unknown {
  const { kind, ...rest } = a;
  return { kind, text: anomalyText(a), ...rest };
}
