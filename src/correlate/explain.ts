// The notebook of one host: a sentence for every interface, Docker network, container mode, veth pair,
// published port and rule line, by Docker generation and firewall backend; lines it cannot explain listed.
import type { ContainerInfo } from '../model/engine.js';
import { lookupIn } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import type { NetworkInfo } from '../model/engine.js';
import type { NatWords } from '../model/nat-path.js';
import type { NatReport } from '../model/port-path.js';
import type { VethWords } from './veth-map-notes.js';
import { ipAddrLines } from '../parse/ip-addr-lines.js';
import { FACT, factText, type Snapshot } from '../snapshot/snapshot.js';
import { bareAddress } from '../util/address.js';
import { naturalCompare } from '../util/natural-compare.js';
import { bridgeIdentities } from './docker-bridges.js';
import { explainIpAddrLines } from './explain-ip-addr.js';
import { explainIptablesListText, explainIptablesSave } from './explain-listings.js';
import { explainRule, type RuleContext } from './explain-rules.js';
import type { ExplainedLine, Listing, Notebook, NoteItem, NoteSection } from './explain-types.js';
import { netnsSharing } from './find-container.js';
import { containerMode, modeKind, type ContainerMode } from './inspect.js';
import { networkBehaviours } from './network-modes.js';
import type { VethMap } from './veth-map.js';

export type * from './explain-types.js';

export interface ExplainInputs {
  snapshot: Snapshot;
  model: HostModel;
  map: VethMap;
  nat: NatReport;
  /** The sentences of nat's paths (render/nat-words.ts), which the ports section quotes. */
  natWords: NatWords;
  vethWords: VethWords;
  /** A container's network mode in words (render/container-mode-words.ts modeDescription), which the containers section quotes. */
  modeWords: (mode: ContainerMode) => string;
  /** The engine version, when the data holds it. */
  engineVersion: string | null;
}

/** 192.168.122.1/24 -> 192.168.122.0/24 (IPv4 only; null otherwise). */
function networkOf(cidr: string): string | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return null;
  const len = Number(m[5]);
  const n = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${len}`;
}

function ruleContext(i: ExplainInputs): RuleContext {
  const identity = bridgeIdentities(i.model.networks);
  const subnets: RuleContext['subnets'] = [];
  for (const n of lookupIn(i.model.networks))
    for (const s of n.subnets) subnets.push({ prefix: s.subnet, owner: `Docker network '${n.name}'`, docker: true });
  for (const l of lookupIn(i.model.hostLinks)) {
    const id = identity(l.name);
    for (const a of l.addresses) {
      if (a.family !== 'inet') continue;
      const prefix = networkOf(`${a.address}/${a.prefixlen}`);
      if (!prefix || subnets.some((s) => s.prefix === prefix)) continue;
      if (id.foreign === 'libvirt') subnets.push({ prefix, owner: `libvirt's ${l.name} network (${prefix})`, docker: false });
      else if (id.docker === true) subnets.push({ prefix, owner: `${l.name}'s network`, docker: true });
    }
  }
  const containerByIp = new Map<string, string>();
  for (const r of i.map.interfaces) {
    for (const a of [r.ipv4, r.ipv6]) {
      const bare = bareAddress(a);
      if (bare && !containerByIp.has(bare)) containerByIp.set(bare, r.sharesNetnsWith ?? r.container);
    }
  }
  for (const m of i.nat.mappings)
    if (m.containerIp && m.container && !containerByIp.has(m.containerIp)) containerByIp.set(m.containerIp, m.container);
  const major = i.engineVersion ? Number(/^(\d+)/.exec(i.engineVersion)?.[1]) : Number.NaN;
  return { identity, subnets, containerByIp, nat: i.nat, engineMajor: Number.isFinite(major) ? major : null };
}

function generationSentence(version: string | null, major: number | null): string {
  if (version === null || major === null)
    return 'The Docker engine version is not in the data: what follows reads the rules themselves, which differ by generation (20.10-27: FORWARD rules per bridge and DOCKER-ISOLATION chains; 28: DOCKER-FORWARD and raw-table drops; 29: optionally nftables of its own).';
  if (major <= 27)
    return `Docker ${version}: it writes iptables rules: a DNAT rule per published port in nat chain DOCKER, per-bridge FORWARD rules, DOCKER-ISOLATION-STAGE-1/2 between networks, and docker-proxy processes for 127.0.0.1 and [::].`;
  if (major === 28)
    return `Docker ${version}: like 27 for NAT, but its forwarding rules moved into DOCKER-FORWARD (with DOCKER-BRIDGE and DOCKER-CT), chain DOCKER drops what is not published, and the raw table drops packets for container addresses that arrive on the wrong interface.`;
  return `Docker ${version}: it may manage the firewall through nftables directly (firewall-backend nftables: tables ip docker-bridges and ip6 docker-bridges, nothing in iptables) or through iptables as before; the rules below say which.`;
}

function backendSentence(nat: NatReport): string {
  if (!nat.available) return `Firewall rules: not in the data (${nat.reason ?? 'not read'}).`;
  switch (nat.backend) {
    case 'nf_tables':
      return 'Firewall backend: iptables-nft: Docker writes iptables rules that live in nftables tables (ip nat, ip filter); iptables and nft both show them.';
    case 'legacy':
      return 'Firewall backend: iptables-legacy (x_tables): nft does not show these rules.';
    case 'nftables':
      return "Firewall backend: Docker's own nftables tables (Docker 29's firewall-backend nftables): iptables shows none of Docker's rules.";
    default:
      return 'Firewall backend: not stated by the listing (iptables -L does not say whether it is iptables-nft or iptables-legacy).';
  }
}

function interfaceItems(i: ExplainInputs): NoteItem[] {
  const links = new Map(lookupIn(i.model.hostLinks).map((l) => [l.name, l]));
  return i.map.hostInterfaces.map((h): NoteItem => {
    const l = links.get(h.name);
    const state = l?.flags.includes('NO-CARRIER')
      ? ' It has no carrier: nothing is plugged into it, or nothing attached is up.'
      : l?.state === 'DOWN'
        ? ' It is down.'
        : '';
    return {
      subject: h.name,
      text: `${h.name}${h.ifindex !== null ? ` (ifindex ${h.ifindex}${h.ipv4 ? `, ${h.ipv4}` : ''})` : ''}: ${i.vethWords.hostRole(h.role, h.listed)}.${state}`,
    };
  });
}

function networkSentence(n: NetworkInfo): string {
  const subnet = n.subnets.map((s) => s.subnet).join(', ');
  const where = subnet ? ` subnet ${subnet}` : '';
  switch (n.driver) {
    case 'bridge':
      return n.name === 'bridge'
        ? `the default bridge network, on Linux bridge ${n.bridgeName ?? 'docker0'}${where}: containers started without --network join it; they reach each other by IP only (no DNS), and the outside through NAT.`
        : n.name === 'docker_gwbridge'
          ? `the bridge that gives overlay (swarm) containers their way off the node, on ${n.bridgeName ?? 'docker_gwbridge'}${where}, with NAT out; containers on it cannot talk to each other.`
          : `a user-defined bridge network on Linux bridge ${n.bridgeName ?? '?'}${where}: its containers find each other by name through Docker's embedded DNS (127.0.0.11)${n.internal ? '; internal: no way out of the host' : ''}.`;
    case 'host':
      return "the host's own network namespace: containers in it use the host's interfaces and ports directly.";
    case 'null':
      return 'network none: a namespace with loopback only.';
    case 'macvlan':
    case 'ipvlan':
      return `a ${n.driver} network on parent ${n.parent ?? '?'}${where}: containers get their own ${n.driver === 'macvlan' ? 'MAC and ' : ''}address on the parent's network, no bridge, no NAT; the host cannot reach them through the parent.`;
    case 'overlay':
      return n.ingress
        ? `the swarm routing mesh (ingress)${where}: ports published by services reach any node and are balanced to the service's tasks.`
        : `a swarm overlay network${where}: a VXLAN across nodes; its bridge lives in a namespace of its own, not on the host.`;
    default:
      return `a network of the ${n.driver} driver${where}.`;
  }
}

function containerItems(i: ExplainInputs): NoteItem[] {
  const rowsOf = new Map<string, typeof i.map.interfaces>();
  for (const r of i.map.interfaces) rowsOf.set(r.container, [...(rowsOf.get(r.container) ?? []), r]);
  const sharing = netnsSharing(i.model.containers.all);
  const behaviours = networkBehaviours(i.model);
  return [...i.model.containers.all]
    .sort((a, b) => naturalCompare(a.name, b.name))
    .map((c: ContainerInfo): NoteItem => {
      const rows = rowsOf.get(c.name) ?? [];
      const kind = c.networkMode === 'unknown' ? 'unknown' : modeKind(c, rows);
      const owner = kind === 'container' ? (sharing.ownerOf(c)?.name ?? null) : null;
      const state = c.running ? '' : ` (${c.state === 'unknown' ? 'state unknown' : c.state}: no namespace to read)`;
      return {
        subject: c.name,
        container: c.name,
        text: `${c.name}${state}: ${i.modeWords(containerMode(kind, rows, owner, behaviours))}`,
      };
    });
}

function capitalised(s: string): string {
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
}

function vethItems(i: ExplainInputs): NoteItem[] {
  return i.map.hostVeths.map((v): NoteItem => {
    const bridge = v.bridge ? `a port of bridge ${v.bridge}` : 'on no bridge';
    const end =
      v.peerIfindex !== null
        ? `its other end is ifindex ${v.peerIfindex}${v.linkNetnsId !== null ? ` in the namespace this host knows as netnsid ${v.linkNetnsId}` : ''}`
        : 'its other end is not in the data';
    const owner = v.owner
      ? `it is ${v.owner}'s${v.ownerInterface ? ` ${v.ownerInterface}` : ''}${v.ownerKind === 'ingress-sbox' ? ' (the swarm ingress sandbox, by elimination)' : ''}`
      : v.ownerStatus === 'none'
        ? 'no container or sandbox owns it: a leftover'
        : 'its owner is unknown (not in the data)';
    return {
      subject: v.name,
      container: v.owner ?? undefined,
      text: `${v.name}${v.ifindex !== null ? ` (ifindex ${v.ifindex})` : ''}: the host end of a veth pair, ${bridge}; ${end}; ${owner}. What enters one end leaves the other.${v.note ? ` ${capitalised(i.vethWords.hostVeth(v.note))}.` : ''}`,
    };
  });
}

function portItems(i: ExplainInputs): NoteItem[] {
  return i.nat.mappings.flatMap((m) =>
    m.paths.map((p): NoteItem => ({ subject: p.address, container: m.container ?? undefined, text: i.natWords.path(p) })),
  );
}

const NO_IP_IN_IMAGE =
  'Many images have no ip command (or no shell): "docker exec NAME ip addr" then fails with exec: "ip": executable file not found in $PATH, as on the seed host. docknet never runs anything inside a container: it reads the container\'s interfaces from the host, through /proc/PID/root/sys/class/net (ifindex, iflink = the peer\'s index, address, MTU, state), and pairs them with the host\'s veths by (namespace, ifindex). "nsenter -t PID -n ip addr" does the same by hand, with the host\'s own ip.';

function listings(i: ExplainInputs, ctx: RuleContext): Listing[] {
  const out: Listing[] = [];
  const s = i.snapshot;
  const hostIp = factText(s, FACT.ipAddrText);
  if (hostIp !== null)
    out.push({
      file: FACT.ipAddrText,
      command: 'ip addr',
      where: 'the host',
      lines: explainIpAddrLines(FACT.ipAddrText, ipAddrLines(hostIp), { kind: 'host' }, i.map, i.vethWords),
    });
  for (const c of [...i.model.containers.all].sort((a, b) => naturalCompare(a.name, b.name))) {
    const path = FACT.containerIpAddr(c.name);
    const text = factText(s, path);
    if (text === null) continue;
    out.push({
      file: path,
      command: 'ip addr',
      where: `inside ${c.name}`,
      lines: explainIpAddrLines(path, ipAddrLines(text), { kind: 'container', name: c.name }, i.map, i.vethWords),
    });
  }
  const save = factText(s, FACT.iptablesSave);
  const list = factText(s, FACT.iptablesNat);
  if (save !== null)
    out.push({
      file: FACT.iptablesSave,
      command: 'iptables-save',
      where: 'the host',
      lines: explainIptablesSave(FACT.iptablesSave, save, ctx),
    });
  else if (list !== null)
    out.push({
      file: FACT.iptablesNat,
      command: 'iptables -t nat -vnL',
      where: 'the host',
      lines: explainIptablesListText(FACT.iptablesNat, list, ctx),
    });
  const save6 = factText(s, FACT.ip6tablesSave);
  if (save6 !== null)
    out.push({
      file: FACT.ip6tablesSave,
      command: 'ip6tables-save',
      where: 'the host',
      lines: explainIptablesSave(FACT.ip6tablesSave, save6, ctx),
    });
  return out;
}

/** Rules read from files that are not listed line by line (nftables JSON): one sentence per rule. */
function nftItems(i: ExplainInputs, ctx: RuleContext, listed: Set<string>): { items: NoteItem[]; unexplained: ExplainedLine[] } {
  const items: NoteItem[] = [];
  const unexplained: ExplainedLine[] = [];
  for (const { table, from } of i.model.portFacts.nat.tables) {
    if (listed.has(from)) continue;
    for (const r of table.rules) {
      const e = explainRule(r, ctx);
      if (e.text !== null) items.push({ subject: `${table.family} ${table.name} ${r.chain} ${r.number}: ${r.text}`, text: e.text });
      else unexplained.push({ file: from, line: r.line, text: r.text, explanation: null, reason: e.reason });
    }
  }
  return { items, unexplained };
}

export function explainHost(i: ExplainInputs): Notebook {
  const ctx = ruleContext(i);
  const sections: NoteSection[] = [];
  sections.push({
    id: 'host',
    title: 'This host',
    items: [
      { subject: 'Docker', text: generationSentence(i.engineVersion, ctx.engineMajor) },
      { subject: 'firewall', text: backendSentence(i.nat) },
    ],
  });
  sections.push({
    id: 'interfaces',
    title: 'Host interfaces',
    unknown: i.model.hostLinks.known ? undefined : `the host's links are not in the data: ${i.model.hostLinks.reason}`,
    items: interfaceItems(i),
  });
  const nets = i.model.networks;
  sections.push({
    id: 'networks',
    title: 'Docker networks',
    unknown: nets.known ? undefined : `the network list is not in the data: ${nets.reason}`,
    items: lookupIn(nets)
      .slice()
      .sort((a, b) => naturalCompare(a.name, b.name))
      .map((n) => ({ subject: n.name, text: `${n.name} (driver ${n.driver}): ${networkSentence(n)}` })),
  });
  sections.push({
    id: 'containers',
    title: 'Containers and their network modes',
    unknown: i.model.containers.complete.known ? undefined : `the container list is not whole: ${i.model.containers.complete.reason}`,
    items: containerItems(i),
  });
  sections.push({
    id: 'veths',
    title: 'Veth pairs',
    unknown: i.map.hostVethsComplete || !i.map.hostVethsIncomplete ? undefined : i.vethWords.vethsIncomplete(i.map.hostVethsIncomplete),
    items: vethItems(i),
  });
  sections.push({
    id: 'ports',
    title: 'Published ports',
    unknown: i.nat.publicationsKnown
      ? undefined
      : `publications unknown (${i.nat.publicationsReason}): these are the ports the DNAT rules show`,
    items: portItems(i),
  });
  const ls = listings(i, ctx);
  const nft = nftItems(
    i,
    ctx,
    new Set([FACT.iptablesSave, FACT.iptablesNat, FACT.ip6tablesSave, FACT.iptablesLegacySave, ...ls.map((l) => l.file)]),
  );
  if (nft.items.length || nft.unexplained.length) sections.push({ id: 'nftables', title: 'nftables rules', items: nft.items });
  sections.push({
    id: 'no-ip',
    title: "Reading a container's interfaces without its ip command",
    items: [{ subject: 'ip', text: NO_IP_IN_IMAGE }],
  });
  const unexplained = [...ls.flatMap((l) => l.lines.filter((x) => x.explanation === null)), ...nft.unexplained];
  return { engineVersion: i.engineVersion, firewallBackend: i.nat.available ? i.nat.backend : null, sections, listings: ls, unexplained };
}

/** Explained lines over all lines of one listing (1 when every line has its sentence). */
export function coverage(l: Listing): { lines: number; explained: number } {
  return { lines: l.lines.length, explained: l.lines.filter((x) => x.explanation !== null).length };
}
