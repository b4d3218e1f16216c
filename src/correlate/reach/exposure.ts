// docknet reach --exposure: for every published port and every container address, who can reach it
// (a client beyond the uplink, the host itself, a container on each Docker network), by walking each
// pair; and the exposures people do not expect: a port open to the world although the host's own
// firewall denies input, a container address reachable directly from the LAN, a loopback-bound port.
import type { ContainerInfo } from '../../model/engine.js';
import type { FwTable, Ruleset } from '../../model/firewall.js';
import { bareAddress, familyOf, isLoopback, isWildcard } from '../../util/address.js';
import { containerPorts } from '../container-ports.js';
import type { DestinationArg, SourceArg } from './endpoints.js';
import type { RuleRef } from './hooks.js';
import type { HostView } from './host-view.js';
import type { Protocol } from './packet.js';
import type { Expect, Verdict } from './path-result.js';
import { reach } from './reach.js';

export interface ExposureSource {
  /** outside, host, or a network: walked from one running container on it. */
  kind: 'outside' | 'host' | 'network';
  network: string | null;
  container: string | null;
  arg: SourceArg;
}

export interface ExposureCell {
  verdict: Verdict;
  expect: Expect;
  decidedBy: RuleRef | null;
  unknown: string | null;
}

/** A host firewall that says "deny" while something gets through all the same. */
export type HostFirewall =
  | { kind: 'ufw'; forwardRule: RuleRef | null }
  | { kind: 'firewalld' }
  | { kind: 'input-policy-drop'; table: string };

export type ExposureFlag =
  | { code: 'open-despite-host-firewall'; firewall: HostFirewall; decidedBy: RuleRef | null }
  | { code: 'direct-from-outside'; decidedBy: RuleRef | null }
  | { code: 'loopback-published-reachable'; decidedBy: RuleRef | null };

export interface ExposureRow {
  kind: 'published' | 'address';
  container: string;
  /** For published rows: the binding as Docker holds it. */
  publication: { hostIp: string; hostPort: number; containerPort: number } | null;
  destination: DestinationArg;
  protocol: Protocol;
  cells: ExposureCell[];
  flags: ExposureFlag[];
}

export interface Exposure {
  sources: ExposureSource[];
  rows: ExposureRow[];
  /** The host firewalls found in the rules (ufw's chains, firewalld's table, an INPUT policy DROP). */
  hostFirewalls: HostFirewall[];
  /** Containers left out, with why (not running, no address, no port known). */
  skipped: { container: string; why: string }[];
}

function ruleRef(t: FwTable, chain: string, number: number, text: string): RuleRef {
  return { family: t.family, kind: t.kind, table: t.name, chain, number, text, packets: null, bytes: null, from: t.from };
}

/** ufw's and firewalld's traces in the rules, and a filter INPUT policy of DROP. */
export function hostFirewallsOf(rs: Ruleset): HostFirewall[] {
  const out: HostFirewall[] = [];
  for (const t of rs.tables) {
    if (t.kind === 'nftables' && t.name === 'firewalld') out.push({ kind: 'firewalld' });
    if (t.kind !== 'iptables' || t.name !== 'filter') continue;
    if (t.chains.has('ufw-before-forward') || t.chains.has('ufw-before-input')) {
      const fwd = t.chains.get('FORWARD')?.rules.find((r) => r.action.kind === 'jump' && r.action.chain === 'ufw-before-forward');
      out.push({ kind: 'ufw', forwardRule: fwd ? ruleRef(t, 'FORWARD', fwd.number, fwd.text) : null });
    }
    if (t.chains.get('INPUT')?.base?.policy === 'drop') out.push({ kind: 'input-policy-drop', table: t.name });
  }
  return out;
}

function sourcesOf(host: HostView): ExposureSource[] {
  const out: ExposureSource[] = [
    { kind: 'outside', network: null, container: null, arg: { kind: 'outside', ip: null } },
    { kind: 'host', network: null, container: null, arg: { kind: 'host' } },
  ];
  for (const n of host.networks) {
    if (n.driver !== 'bridge') continue;
    const member = host.containers.find(
      (c) => c.running && c.networkMode !== 'host' && c.endpoints.some((e) => e.network === n.name && e.ipv4),
    );
    if (member)
      out.push({ kind: 'network', network: n.name, container: member.name, arg: { kind: 'container', ref: member.id || member.name } });
  }
  return out;
}

/** The ports a container answers on: those it publishes, and those its namespace listens on beyond loopback. */
function portsOf(host: HostView, c: ContainerInfo): { port: number; protocol: Protocol }[] {
  const seen = new Map<string, { port: number; protocol: Protocol }>();
  for (const p of containerPorts(c)) {
    const protocol = p.protocol === 'udp' ? 'udp' : p.protocol === 'tcp' ? 'tcp' : null;
    if (protocol) seen.set(`${p.containerPort}/${protocol}`, { port: Number(p.containerPort), protocol });
  }
  const listening = host.containerListening(c.name);
  if (listening.known)
    for (const s of listening.value) if (!isLoopback(s.ip)) seen.set(`${s.port}/${s.protocol}`, { port: s.port, protocol: s.protocol });
  return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

function cellOf(host: HostView, s: ExposureSource, d: DestinationArg): ExposureCell {
  const r = reach(host, s.arg, d);
  return { verdict: r.verdict, expect: r.expect, decidedBy: r.decidedBy, unknown: r.unknown };
}

function flagsOf(row: Omit<ExposureRow, 'flags'>, sources: ExposureSource[], firewalls: HostFirewall[]): ExposureFlag[] {
  const i = sources.findIndex((s) => s.kind === 'outside');
  const outside = row.cells[i];
  if (!outside || outside.expect !== 'connect') return [];
  const flags: ExposureFlag[] = [];
  if (row.kind === 'address') flags.push({ code: 'direct-from-outside', decidedBy: outside.decidedBy });
  if (row.kind === 'published' && row.publication && isLoopback(row.publication.hostIp))
    flags.push({ code: 'loopback-published-reachable', decidedBy: outside.decidedBy });
  for (const firewall of firewalls) flags.push({ code: 'open-despite-host-firewall', firewall, decidedBy: outside.decidedBy });
  return flags;
}

export function exposure(host: HostView): Exposure {
  const sources = sourcesOf(host);
  const fw = host.firewall('ipv4');
  const hostFirewalls = fw.known ? hostFirewallsOf(fw.value) : [];
  const rows: ExposureRow[] = [];
  const skipped: Exposure['skipped'] = [];
  for (const c of host.containers) {
    if (!c.running) continue;
    if (c.networkMode === 'host' || c.networkMode === 'none' || c.networkMode.startsWith('container:')) {
      skipped.push({ container: c.name, why: `network mode ${c.networkMode}: its ports are the host's or its owner's` });
      continue;
    }
    for (const p of containerPorts(c)) {
      const protocol: Protocol = p.protocol === 'udp' ? 'udp' : 'tcp';
      if (p.exposedOnly || p.hostPort === null || p.hostIp === null || familyOf(p.hostIp) !== 'ipv4') continue;
      const hostPort = Number(p.hostPort);
      // A wildcard binding is reached at the host's uplink address; a specific one at its own.
      const destination: DestinationArg = isWildcard(p.hostIp)
        ? { kind: 'host', port: hostPort, protocol }
        : { kind: 'ip', ip: p.hostIp, port: hostPort, protocol };
      const cells = sources.map((s) => cellOf(host, s, destination));
      const row = {
        kind: 'published' as const,
        container: c.name,
        publication: { hostIp: p.hostIp, hostPort, containerPort: Number(p.containerPort) },
        destination,
        protocol,
        cells,
      };
      rows.push({ ...row, flags: flagsOf(row, sources, hostFirewalls) });
    }
    const ports = portsOf(host, c);
    const addresses = c.endpoints.map((e) => bareAddress(e.ipv4)).filter((a): a is string => a !== null);
    if (addresses.length === 0 || ports.length === 0) {
      skipped.push({
        container: c.name,
        why: addresses.length === 0 ? 'no IPv4 address known' : 'no port it publishes or listens on is known',
      });
      continue;
    }
    for (const ip of addresses)
      for (const { port, protocol } of ports) {
        const destination: DestinationArg = { kind: 'ip', ip, port, protocol };
        const cells = sources.map((s) => cellOf(host, s, destination));
        const row = { kind: 'address' as const, container: c.name, publication: null, destination, protocol, cells };
        rows.push({ ...row, flags: flagsOf(row, sources, hostFirewalls) });
      }
  }
  return { sources, rows, hostFirewalls, skipped };
}
