// The overlay checks across nodes: encrypted overlays without IPsec SAs, MTU headroom for VXLAN,
// advertise addresses off the route to the other nodes, and services whose VIP or routing mesh needs
// IPVS the kernel lacks (the swarm ports between nodes are port-checks.ts). Each finding names its evidence.
import type { Evidence, Finding } from '../../model/finding.js';
import type { Link } from '../../model/link.js';
import type { Route } from '../../model/route.js';
import type { NodeOverlayFacts } from '../../parse/overlay-facts.js';
import { inPrefix, parsePrefix } from '../../util/address.js';
import type { RuleRef } from '../reach/hooks.js';
import type { OverlayView } from './overlay.js';
import { guardVni } from './ports.js';

export interface NodeAddress {
  node: NodeOverlayFacts;
  addr: string | null;
}

export type Unknowns = { subject: string; reason: string }[];

/** VXLAN over IPv4 adds 50 bytes: outer IP 20, UDP 8, VXLAN 8, inner Ethernet 14. */
export const VXLAN_OVERHEAD = 50;

export function ruleText(r: RuleRef | null): string {
  if (!r) return 'no rule (the walk ended without a verdict)';
  const counters = r.packets !== null ? ` [${r.packets} packets, ${r.bytes ?? 0} bytes]` : '';
  return r.number === 0
    ? `${r.kind} ${r.table} ${r.chain}: ${r.text}`
    : // iptables-save -c writes the counters before the rule; they are said once, after it.
      `${r.kind} ${r.table} ${r.chain} rule ${r.number}: ${r.text.replace(/^\[\d+:\d+\]\s*/, '')}${counters}`;
}

function kernelEvidence(n: NodeOverlayFacts, options: string[]): Evidence[] {
  if (!n.kernel.known || !n.kernel.value.config) return [];
  const cfg = n.kernel.value.config;
  return options.filter((o) => o in cfg).map((o) => ({ source: `/proc/config.gz (${n.host})`, text: `${o}: ${cfg[o]}` }));
}

const missingOption = (n: NodeOverlayFacts, o: string): boolean =>
  n.kernel.known && n.kernel.value.config !== null && (n.kernel.value.config[o] === 'not set' || n.kernel.value.config[o] === 'absent');

/** The route the node takes to `ip`: longest prefix of its main table. */
export function routeTo(routes: readonly Route[], ip: string): Route | null {
  let best: { r: Route; len: number } | null = null;
  for (const r of routes) {
    const len = r.dst === 'default' ? 0 : (parsePrefix(r.dst)?.length ?? (r.dst === ip ? 32 : -1));
    if (len < 0 || (r.dst !== 'default' && r.dst !== ip && !inPrefix(ip, r.dst))) continue;
    if (!best || len > best.len) best = { r, len };
  }
  return best?.r ?? null;
}

export function linkWith(links: readonly Link[], ip: string): Link | null {
  return links.find((l) => l.addresses.some((a) => a.address === ip)) ?? null;
}

// ---- encrypted overlays ----

export function checkEncryption(views: OverlayView[], nodes: NodeOverlayFacts[], unknowns: Unknowns): Finding[] {
  const out: Finding[] = [];
  for (const v of views.filter((x) => x.encrypted)) {
    for (const on of v.nodes) {
      const n = nodes.find((x) => x.host === on.host);
      if (!n || !on.address) continue;
      const self = on.address;
      const peers = (on.controlPeers ?? []).map((p) => p.ip).filter((ip) => ip && ip !== self);
      if (!peers.length) continue;
      if (!n.xfrmState.known || !n.xfrmPolicy.known) {
        const why = !n.xfrmState.known ? n.xfrmState.reason : n.xfrmPolicy.known ? '' : n.xfrmPolicy.reason;
        unknowns.push({ subject: `${v.name} on ${n.host}: IPsec`, reason: why });
        continue;
      }
      const states = n.xfrmState.value.filter((s) => s.proto === 'esp');
      const policies = n.xfrmPolicy.value;
      const lacking = peers.filter((p) => {
        const outSa = states.some((s) => s.src === self && s.dst === p);
        const inSa = states.some((s) => s.src === p && s.dst === self);
        return !(outSa && inSa);
      });
      if (!lacking.length) continue;
      const related = policies.filter((x) => lacking.some((p) => x.dst.startsWith(p) || x.src.startsWith(p) || x.tmpl?.dst === p));
      const kernelLacks = ['CONFIG_INET_ESP', 'CONFIG_CRYPTO_GCM'].filter((o) => missingOption(n, o));
      const guard = n.model.firewall.ipv4.known
        ? n.model.firewall.ipv4.value.tables
            .flatMap((t) => [...t.chains.values()].flatMap((c) => c.rules))
            .filter((r) => guardVni(r.text) === v.vni)
        : [];
      const evidence: Evidence[] = [
        { source: `GET /networks/${v.id.slice(0, 12)} Options (${n.host})`, text: `encrypted, VNI ${v.vni ?? '?'}` },
        ...related.slice(0, 4).map((p) => ({ source: `ip xfrm policy (${n.host})`, text: p.text.replace(/\n/g, ' | ') })),
        ...(related.length ? [] : [{ source: `ip xfrm policy (${n.host})`, text: `no policy towards ${lacking.join(', ')}` }]),
        {
          source: `ip xfrm state (${n.host})`,
          text: `no ESP SA pair between ${self} and ${lacking.join(', ')} (${states.length} ESP states in all)`,
        },
        ...kernelEvidence(n, ['CONFIG_INET_ESP', 'CONFIG_CRYPTO_GCM']),
        ...guard.map((r) => ({
          source: `iptables-save (${n.host})`,
          text: `${r.table} ${r.chain} rule ${r.number}: ${r.text.replace(/^\[\d+:\d+\]\s*/, '')}`,
        })),
      ];
      out.push({
        check: 'overlay',
        kind: 'encrypted-no-sa',
        subject: `${v.name} on ${n.host}`,
        severity: 'error',
        title: `${v.name} is encrypted but ${n.host} has no IPsec SA with ${lacking.join(', ')}: its traffic between those nodes is dropped`,
        evidence,
        why: kernelLacks.length
          ? `The kernel lacks ${kernelLacks.join(' and ')} (ESP with AES-GCM, which Docker's encrypted overlays use): Docker could not install the SAs (dockerd logs "function not implemented"), and its own INPUT rule drops this VNI's VXLAN when it arrives unencrypted.`
          : 'The policies that send this overlay through ESP have no SA to use (the keys were never installed, or were removed): the kernel drops the packets, and Docker drops unencrypted VXLAN of this VNI.',
        fix: kernelLacks.length
          ? `use a kernel with ${kernelLacks.join(', ')} (or an overlay without --opt encrypted); check: zcat /proc/config.gz | grep -E 'INET_ESP|CRYPTO_GCM'`
          : `ip xfrm state; docker network inspect -v ${v.name}   # on each node; dockerd's log says why the keys were not installed`,
        changesHost: false,
        unproven: null,
      });
    }
  }
  return out;
}

// ---- MTU ----

export function checkMtu(views: OverlayView[], nodes: NodeOverlayFacts[], unknowns: Unknowns): Finding[] {
  const out: Finding[] = [];
  for (const v of views) {
    for (const on of v.nodes) {
      if (!('value' in on.kernel) || !on.kernel.known) continue;
      const mtu = on.kernel.value.vxlan?.mtu ?? on.kernel.value.bridge?.mtu ?? null;
      const n = nodes.find((x) => x.host === on.host);
      if (mtu === null || !n) continue;
      const uplink = uplinkOf(n, v, on.address);
      if ('unknown' in uplink) {
        unknowns.push({ subject: `${v.name} on ${on.host}: MTU`, reason: uplink.unknown });
        continue;
      }
      if (uplink.link.mtu === null || mtu <= uplink.link.mtu - VXLAN_OVERHEAD) continue;
      out.push({
        check: 'overlay',
        kind: 'overlay-mtu',
        subject: `${v.name} on ${on.host}`,
        // With no other node yet, no frame leaves the host encapsulated: it matters once a node joins.
        severity: uplink.peers ? 'warning' : 'info',
        title: `${v.name}'s MTU ${mtu} on ${on.host} leaves no room for VXLAN: its uplink ${uplink.link.name} has MTU ${uplink.link.mtu} (at most ${uplink.link.mtu - VXLAN_OVERHEAD} fits)${uplink.peers ? '' : '; no other node has the overlay yet, so this matters once one joins'}`,
        evidence: [
          {
            source: `ip -d link show (in ${on.kernel.value.namespace})`,
            text: `${on.kernel.value.vxlan?.name ?? on.kernel.value.bridge?.name} mtu ${mtu}`,
          },
          { source: `ip link (${on.host})`, text: `${uplink.link.name} mtu ${uplink.link.mtu}` },
          { source: `ip route (${on.host})`, text: uplink.why },
        ],
        why: 'Each overlay frame grows by 50 bytes (outer IP, UDP, VXLAN, inner Ethernet): full-size packets are fragmented or dropped, so small requests work and large transfers hang.',
        fix: `docker network create --opt com.docker.network.driver.mtu=${uplink.link.mtu - VXLAN_OVERHEAD} ...   # or raise ${uplink.link.name}'s MTU`,
        changesHost: false,
        unproven: null,
      });
    }
  }
  return out;
}

function uplinkOf(
  n: NodeOverlayFacts,
  v: OverlayView,
  self: string | null,
): { link: Link; why: string; peers: boolean } | { unknown: string } {
  if (!n.model.hostLinks.known) return { unknown: n.model.hostLinks.reason };
  if (!n.model.routes.known) return { unknown: n.model.routes.reason };
  const peers = v.nodes.flatMap((x) => (x.controlPeers ?? []).map((p) => p.ip)).filter((ip) => ip && ip !== self);
  const target = peers[0] ?? null;
  const route = target ? routeTo(n.model.routes.value, target) : (n.model.routes.value.find((r) => r.dst === 'default') ?? null);
  if (!route?.dev) return { unknown: `no route ${target ? `to ${target}` : 'by default'} in the node's main table` };
  const link = n.model.hostLinks.value.find((l) => l.name === route.dev);
  if (!link) return { unknown: `the route's device ${route.dev} is not in the node's links` };
  return { link, why: `${target ?? 'default'}: route ${route.dst} dev ${route.dev}`, peers: target !== null };
}

// ---- advertise / data-path addresses ----

export function checkAddresses(nodes: NodeAddress[], unknowns: Unknowns): Finding[] {
  const out: Finding[] = [];
  for (const a of nodes) {
    if (!a.addr) continue;
    const m = a.node.model;
    if (!m.routes.known || !m.hostLinks.known) {
      unknowns.push({
        subject: `${a.node.host}: advertise address`,
        reason: !m.routes.known ? m.routes.reason : m.hostLinks.known ? '' : m.hostLinks.reason,
      });
      continue;
    }
    const holder = linkWith(m.hostLinks.value, a.addr);
    for (const other of nodes) {
      if (other === a || !other.addr) continue;
      const route = routeTo(m.routes.value, other.addr);
      if (!route?.dev || (holder && holder.name === route.dev)) continue;
      out.push({
        check: 'overlay',
        kind: 'advertise-address',
        subject: `${a.node.host}: ${a.addr}`,
        severity: 'error',
        title: `${a.node.host} advertises ${a.addr}${holder ? ` (on ${holder.name})` : ', an address on none of its interfaces'}, but reaches ${other.node.host} (${other.addr}) through ${route.dev}`,
        evidence: [
          { source: `GET /info Swarm.NodeAddr (${a.node.host})`, text: a.addr },
          {
            source: `ip route (${a.node.host})`,
            text: `${other.addr} via ${route.dst}${route.gateway ? ` via ${route.gateway}` : ''} dev ${route.dev}`,
          },
        ],
        why: 'Other nodes send VXLAN and gossip to the advertised address; replies and this node’s own traffic leave by another interface and source address, which peers and firewalls do not expect (moby/moby#53004).',
        fix: `docker swarm leave && docker swarm join --advertise-addr <address on ${route.dev}> --data-path-addr <address on ${route.dev}> ...`,
        changesHost: false,
        unproven: null,
      });
      break;
    }
  }
  return out;
}

// ---- IPVS ----

export function checkIpvs(nodes: NodeOverlayFacts[], views: OverlayView[], unknowns: Unknowns): Finding[] {
  const manager = nodes.find((n) => n.services.known && n.tasks.known);
  const noIpvs = nodes.filter((n) => n.kernel.known && !n.kernel.value.ipvs.present);
  const unknownKernel = nodes.filter((n) => !n.kernel.known);
  for (const n of unknownKernel) if (!n.kernel.known) unknowns.push({ subject: `${n.host}: IPVS`, reason: n.kernel.reason });
  if (!noIpvs.length) return [];
  if (!manager?.services.known || !manager.tasks.known) {
    unknowns.push({
      subject: 'services needing IPVS',
      reason: 'no manager’s service and task lists are in the data (GET /services, /tasks answer on managers only)',
    });
    return [];
  }
  const tasks = manager.tasks.value;
  const ingressIds = new Set(views.filter((v) => v.ingress).map((v) => v.id));
  const out: Finding[] = [];
  for (const s of manager.services.value) {
    const vipNets = s.endpointMode === 'vip' ? s.vips.filter((x) => x.addr && !ingressIds.has(x.networkId)) : [];
    const ingress = s.ports.filter((p) => p.mode === 'ingress');
    if (!vipNets.length && !ingress.length) continue;
    const running = tasks.filter((t) => t.serviceId === s.id && t.state === 'running');
    if (!running.length) continue;
    const needs = [
      ...(vipNets.length ? [`its VIP ${vipNets.map((x) => x.addr).join(', ')}`] : []),
      ...(ingress.length ? [`the routing mesh for ${ingress.map((p) => `${p.published}->${p.target}/${p.protocol}`).join(', ')}`] : []),
    ];
    out.push({
      check: 'overlay',
      kind: 'ipvs-missing',
      subject: `service ${s.name}`,
      severity: 'warning',
      title: `service ${s.name} reports ${running.length} task${running.length === 1 ? '' : 's'} Running, but ${needs.join(' and ')} cannot work: ${noIpvs.map((n) => n.host).join(', ')} ha${noIpvs.length === 1 ? 's' : 've'} no IPVS`,
      evidence: [
        {
          source: `GET /services (${manager.host})`,
          text: `${s.name}: endpoint mode ${s.endpointMode}${vipNets.length ? `, VIPs ${vipNets.map((x) => x.addr).join(', ')}` : ''}${ingress.length ? `, ingress ports ${ingress.map((p) => p.published).join(', ')}` : ''}`,
        },
        { source: `GET /tasks (${manager.host})`, text: `${running.length} running` },
        ...noIpvs.flatMap((n) => [
          { source: `${n.host}`, text: n.kernel.known ? n.kernel.value.ipvs.evidence : '' },
          ...kernelEvidence(n, ['CONFIG_IP_VS']),
        ]),
      ],
      why: 'Docker balances a VIP and the ingress routing mesh with IPVS in each node’s kernel; without it, connections to the VIP or the published port go nowhere although every task is healthy.',
      fix: `use --endpoint-mode dnsrr and --publish mode=host for ${s.name}, or a kernel with CONFIG_IP_VS`,
      changesHost: false,
      unproven: null,
    });
  }
  return out;
}
