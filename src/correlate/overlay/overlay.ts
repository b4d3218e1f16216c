// `docknet overlay`: each swarm overlay on each node, its kernel side (namespace, VXLAN device, bridge,
// veth legs, fdb and neighbour entries) against the control plane's peers and tasks, and the findings
// that explain why tasks on different nodes cannot reach each other. Pure: node facts in, a report out.
import type { Fact } from '../../model/fact.js';
import type { Evidence, Finding } from '../../model/finding.js';
import type { ControlPeer, OverlayNetwork, VxlanDevice } from '../../model/overlay.js';
import type { NodeOverlayFacts, OverlayOnNode } from '../../parse/overlay-facts.js';
import { inPrefix } from '../../util/address.js';
import { checkAddresses, checkEncryption, checkIpvs, checkMtu, type NodeAddress } from './checks.js';
import { checkPorts } from './port-checks.js';

/** A remote endpoint as this node's kernel would reach it: neighbour (IP -> MAC), then fdb (MAC -> VTEP). */
export interface RemoteEntry {
  task: string;
  service: string;
  ip: string;
  /** The node the control plane places it on (its data-path address). */
  hostIp: string | null;
  mac: string | null;
  vtep: string | null;
  /** ok: the kernel sends it to hostIp; wrong-vtep; no-neigh; no-fdb. */
  status: 'ok' | 'wrong-vtep' | 'no-neigh' | 'no-fdb';
}

export interface KernelSide {
  namespace: string;
  /** The device as `ip -d link` read it, less what only identifies it on the node (ifindex, master, MAC). */
  vxlan: Pick<VxlanDevice, 'name' | 'vni' | 'port' | 'learning' | 'proxy' | 'l2miss' | 'l3miss' | 'mtu'> | null;
  bridge: { name: string; mtu: number | null } | null;
  /** veth legs on the bridge: one per local task or container. */
  legs: { name: string; mac: string | null; peerIfindex: number | null; linkNetnsId: number | null }[];
  /** Remote VTEPs the fdb sends to. */
  vteps: string[];
  remote: RemoteEntry[];
}

export interface NetworkOnNode {
  host: string;
  hostname: string | null;
  /** This node's data-path address, as the control plane lists it among the peers (or /info NodeAddr). */
  address: string | null;
  controlPeers: ControlPeer[] | null;
  local: { name: string; ip: string | null; mac: string | null }[];
  /** What the kernel shows; unknown (with why) when the namespace could not be read, `absent` when the node has none. */
  kernel: Fact<KernelSide> | { known: true; absent: string };
  /** Peers the control plane lists that this node's kernel has no fdb entry towards, and the reverse. */
  missingInKernel: string[];
  unknownToControl: string[];
  agreement: 'agree' | 'differ' | 'unknown' | 'no-namespace';
}

/** An overlay across the fleet: the network as its engines report it, and what each node holds of it. */
export interface OverlayView extends Pick<OverlayNetwork, 'id' | 'name' | 'vni' | 'encrypted' | 'attachable' | 'ingress' | 'subnets'> {
  nodes: NetworkOnNode[];
}

export interface NodeSummary {
  host: string;
  hostname: string | null;
  nodeAddr: string | null;
  role: 'manager' | 'worker' | null;
  state: string | null;
  /** Why this node's facts could not be had at all (fleet error), or its overlay list is unknown. */
  unknown: string | null;
}

export interface OverlayReport {
  nodes: NodeSummary[];
  networks: OverlayView[];
  findings: Finding[];
  /** Questions docknet could not answer from the facts, each with why. */
  unknowns: { subject: string; reason: string }[];
  /** Set when a network was asked for and no node knows it. */
  notFound: string | null;
}

export interface OverlayInput {
  nodes: NodeOverlayFacts[];
  /** Fleet members that could not be read: their label and why. */
  unreadable: { host: string; reason: string }[];
  network: string | null;
}

const natural = new Intl.Collator('en', { numeric: true });

function kernelSide(on: OverlayOnNode, net: OverlayNetwork, self: string | null): Fact<KernelSide> | { known: true; absent: string } {
  if (on.sandbox.known && !on.sandbox.value.present)
    return { known: true, absent: `${on.sandbox.value.path} does not exist: no local task or container on ${net.name}` };
  for (const f of [on.links, on.fdb, on.neigh]) if (!f.known) return f;
  if (!on.links.known || !on.fdb.known || !on.neigh.known) throw new Error('unreachable');
  const vx = on.links.value.vxlans[0] ?? null;
  const bridge = on.links.value.links.find((l) => l.kind === 'bridge') ?? null;
  const legs = on.links.value.links
    .filter((l) => l.kind === 'veth' && bridge && l.master === bridge.name)
    .map((l) => ({ name: l.name, mac: l.mac, peerIfindex: l.peerIfindex, linkNetnsId: l.linkNetnsId }));
  const vxFdb = on.fdb.value.filter((e) => vx && e.dev === vx.name && e.dst);
  const vteps = [...new Set(vxFdb.map((e) => e.dst!))].filter((d) => d !== '0.0.0.0').sort(natural.compare);
  const remote: RemoteEntry[] = [];
  for (const svc of net.services)
    for (const t of svc.tasks) {
      if (!t.endpointIp || (self && t.hostIp === self)) continue;
      const n = on.neigh.value.find((x) => x.dst === t.endpointIp && (!vx || x.dev === vx.name));
      const mac = n?.lladdr ?? null;
      const f = mac ? vxFdb.find((e) => e.mac === mac) : undefined;
      const vtep = f?.dst ?? null;
      const status: RemoteEntry['status'] = !mac ? 'no-neigh' : !vtep ? 'no-fdb' : t.hostIp && vtep !== t.hostIp ? 'wrong-vtep' : 'ok';
      remote.push({ task: t.name, service: svc.name, ip: t.endpointIp, hostIp: t.hostIp, mac, vtep, status });
    }
  remote.sort((a, b) => natural.compare(a.task, b.task));
  return {
    known: true,
    from: on.links.from,
    value: {
      namespace: on.sandbox.known ? on.sandbox.value.path : '(not in the data)',
      vxlan: vx && {
        name: vx.name,
        vni: vx.vni,
        port: vx.port,
        learning: vx.learning,
        proxy: vx.proxy,
        l2miss: vx.l2miss,
        l3miss: vx.l3miss,
        mtu: vx.mtu,
      },
      bridge: bridge && { name: bridge.name, mtu: bridge.mtu },
      legs,
      vteps,
      remote,
    },
  };
}

/** This node's address among a network's peers: /info NodeAddr, else the peer named after its hostname. */
function selfAddress(n: NodeOverlayFacts, peers: ControlPeer[] | null): string | null {
  if (n.swarm.known && n.swarm.value.nodeAddr) return n.swarm.value.nodeAddr;
  const byName = peers?.find((p) => n.hostname && p.name.startsWith(n.hostname));
  return byName?.ip ?? null;
}

function onNode(n: NodeOverlayFacts, on: OverlayOnNode): NetworkOnNode {
  const net = on.network;
  const self = selfAddress(n, net.peers);
  const kernel = kernelSide(on, net, self);
  const controlRemote = (net.peers ?? []).map((p) => p.ip).filter((ip) => ip && ip !== self);
  let missingInKernel: string[] = [];
  let unknownToControl: string[] = [];
  let agreement: NetworkOnNode['agreement'];
  if ('absent' in kernel) agreement = 'no-namespace';
  else if (!kernel.known || net.peers === null) agreement = 'unknown';
  else {
    missingInKernel = controlRemote.filter((ip) => !kernel.value.vteps.includes(ip)).sort(natural.compare);
    unknownToControl = kernel.value.vteps.filter((ip) => !controlRemote.includes(ip)).sort(natural.compare);
    agreement =
      missingInKernel.length || unknownToControl.length || kernel.value.remote.some((r) => r.status !== 'ok') ? 'differ' : 'agree';
  }
  return {
    host: n.host,
    hostname: n.hostname,
    address: self,
    controlPeers: net.peers,
    local: net.local
      .filter((l) => !/-endpoint$/.test(l.name) || l.id.startsWith('lb-'))
      .map((l) => ({ name: l.name, ip: l.ipv4, mac: l.mac }))
      .sort((a, b) => natural.compare(a.name, b.name)),
    kernel,
    missingInKernel,
    unknownToControl,
    agreement,
  };
}

/** An overlay finding that only reads: no advice here changes the host. */
const readOnlyFinding = (f: Omit<Finding, 'check' | 'changesHost' | 'unproven'>): Finding => ({
  check: 'overlay',
  ...f,
  changesHost: false,
  unproven: null,
});

function peerFindings(view: OverlayView): Finding[] {
  const out: Finding[] = [];
  for (const n of view.nodes) {
    if (!('value' in n.kernel) || !n.kernel.known) continue;
    const k = n.kernel.value;
    const fdbEvidence: Evidence = {
      source: `bridge fdb show (in ${k.namespace})`,
      text: k.vteps.length
        ? `${k.vxlan?.name ?? 'vxlan'} sends to ${k.vteps.join(', ')}`
        : `no entry on ${k.vxlan?.name ?? 'the vxlan device'} names a remote VTEP`,
    };
    const peersEvidence: Evidence = {
      source: `GET /networks/${view.id.slice(0, 12)}?verbose=true Peers (on ${n.host})`,
      text: (n.controlPeers ?? []).map((p) => `${p.name} ${p.ip}`).join(', ') || 'no peers',
    };
    for (const ip of n.missingInKernel)
      out.push(
        readOnlyFinding({
          kind: 'peer-not-in-kernel',
          subject: `${view.name} on ${n.host}: peer ${ip}`,
          severity: 'error',
          title: `${n.host}'s kernel has no forwarding entry towards peer ${ip} of ${view.name}, which the control plane lists`,
          evidence: [peersEvidence, fdbEvidence],
          why: 'Tasks on that peer are unreachable from this node: the VXLAN device has nowhere to send their frames (gossip did not program the kernel, or the entry was removed).',
          fix: `docker network inspect -v ${view.name}   # on both nodes: compare Peers; then check 7946/tcp+udp between them`,
        }),
      );
    for (const ip of n.unknownToControl)
      out.push(
        readOnlyFinding({
          kind: 'kernel-peer-unknown',
          subject: `${view.name} on ${n.host}: VTEP ${ip}`,
          severity: 'warning',
          title: `${n.host}'s kernel sends ${view.name} frames to ${ip}, which the control plane does not list as a peer`,
          evidence: [fdbEvidence, peersEvidence],
          why: 'A stale entry (a node that left, or an address that changed): frames for those MACs go to a host that is not in the overlay.',
          fix: `docker network inspect -v ${view.name}   # on ${n.host}: Peers and Services say where each task really is`,
        }),
      );
    for (const r of k.remote.filter((x) => x.status !== 'ok'))
      out.push(
        readOnlyFinding({
          kind: 'task-entry-missing',
          subject: `${view.name} on ${n.host}: ${r.task}`,
          severity: 'error',
          title:
            r.status === 'wrong-vtep'
              ? `${n.host} sends ${r.task} (${r.ip}) to ${r.vtep}, but the control plane places it on ${r.hostIp}`
              : `${n.host}'s kernel cannot reach ${r.task} (${r.ip}) on ${r.hostIp ?? 'another node'}: ${r.status === 'no-neigh' ? 'no neighbour entry for its address' : `no fdb entry for its MAC ${r.mac}`}`,
          evidence: [
            { source: `ip neigh show (in ${k.namespace})`, text: r.mac ? `${r.ip} lladdr ${r.mac}` : `no entry for ${r.ip}` },
            {
              source: `bridge fdb show (in ${k.namespace})`,
              text: r.vtep ? `${r.mac} dst ${r.vtep}` : `no entry for ${r.mac ?? 'its MAC'}`,
            },
          ],
          why: 'Docker programs these entries from gossip; without them the overlay drops the task’s traffic on this node.',
          fix: `docker network inspect -v ${view.name}`,
        }),
      );
  }
  return out;
}

export function correlateOverlay(input: OverlayInput): OverlayReport {
  const unknowns: OverlayReport['unknowns'] = input.unreadable.map((u) => ({ subject: u.host, reason: u.reason }));
  const nodes: NodeSummary[] = [
    ...input.nodes.map((n) => ({
      host: n.host,
      hostname: n.hostname,
      nodeAddr: n.swarm.known ? n.swarm.value.nodeAddr : null,
      role: n.swarm.known
        ? n.swarm.value.controlAvailable
          ? ('manager' as const)
          : n.swarm.value.localNodeState === 'active'
            ? ('worker' as const)
            : null
        : null,
      state: n.swarm.known ? n.swarm.value.localNodeState : null,
      unknown: n.overlays.known ? null : n.overlays.reason,
    })),
    ...input.unreadable.map((u) => ({ host: u.host, hostname: null, nodeAddr: null, role: null, state: null, unknown: u.reason })),
  ];
  for (const n of input.nodes) {
    if (!n.overlays.known) unknowns.push({ subject: `${n.host}: overlays`, reason: n.overlays.reason });
    for (const u of n.uninspected) unknowns.push({ subject: `${n.host}: network ${u.id.slice(0, 12)}`, reason: u.reason });
  }
  const byId = new Map<string, OverlayView>();
  for (const n of input.nodes) {
    if (!n.overlays.known) continue;
    for (const on of n.overlays.value) {
      const net = on.network;
      let view = byId.get(net.id);
      if (!view) {
        view = {
          id: net.id,
          name: net.name,
          vni: net.vni,
          encrypted: net.encrypted,
          attachable: net.attachable,
          ingress: net.ingress,
          subnets: net.subnets,
          nodes: [],
        };
        byId.set(net.id, view);
      }
      view.vni ??= net.vni;
      view.nodes.push(onNode(n, on));
    }
  }
  let networks = [...byId.values()].sort((a, b) => Number(a.ingress) - Number(b.ingress) || natural.compare(a.name, b.name));
  let notFound: string | null = null;
  if (input.network !== null) {
    const want = input.network;
    networks = networks.filter((v) => v.name === want || v.id === want || (want.length >= 12 && v.id.startsWith(want)));
    if (!networks.length) notFound = want;
  }
  for (const v of networks) v.nodes.sort((a, b) => natural.compare(a.host, b.host));
  for (const v of networks)
    for (const n of v.nodes)
      if ('value' in n.kernel || n.kernel.known === false) {
        if (!n.kernel.known) unknowns.push({ subject: `${v.name} on ${n.host}`, reason: n.kernel.reason });
      }

  const addresses: NodeAddress[] = input.nodes.map((n) => ({ node: n, addr: n.swarm.known ? n.swarm.value.nodeAddr : null }));
  const findings: Finding[] = [
    ...networks.flatMap(peerFindings),
    ...checkEncryption(networks, input.nodes, unknowns),
    ...checkPorts(networks, addresses, unknowns),
    ...checkMtu(networks, input.nodes, unknowns),
    ...checkAddresses(addresses, unknowns),
    ...checkIpvs(input.nodes, networks, unknowns),
  ];
  return { nodes: nodes.sort((a, b) => natural.compare(a.host, b.host)), networks, findings, unknowns, notFound };
}

/** Whether `ip` is in one of the overlay's subnets. */
export function inOverlay(view: OverlayView, ip: string): boolean {
  return view.subnets.some((s) => inPrefix(ip, s));
}
