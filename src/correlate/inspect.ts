// The whole network story of one container: identity, mode in words, interfaces with their host
// side, neighbours, DNS and listening sockets. Ports come from the NAT correlation when present.
import { containerKey, type ContainerInfo, type NetworkInfo } from '../model/engine.js';
import type { Link } from '../model/link.js';
import { lookupIn } from '../model/fact.js';
import { publicationsKnown, type HostModel } from '../model/host.js';
import type { Route } from '../model/route.js';
import type { ResolvConf } from '../parse/resolv-conf.js';
import type { SocketEntry } from '../parse/proc-net-sockets.js';
import { naturalCompare } from '../util/natural-compare.js';
import type { InterfaceRow, VethMap } from './veth-map.js';
import { containerPorts } from './container-ports.js';
import { netnsOwnerRef, netnsSharing } from './find-container.js';
import type { NatReport, PortMapping } from '../model/port-path.js';
import { isPlainNat, networkBehaviours, type NetworkBehaviour } from './network-modes.js';
import { directAccessOf, type DirectAccess } from './direct-access.js';
import type { HostView } from './reach/host-view.js';

export interface InspectInterface extends InterfaceRow {
  gateway: string | null;
  subnet: string | null;
  /** The bridge's own address (the containers' gateway on bridge networks). */
  bridgeAddress: string | null;
  hostVethMtu: number | null;
  /** Set when this interface's MTU is larger than the uplink's: big packets will be dropped or fragmented (render/inspect.ts words it). */
  mtuOverUplink: { mtu: number; uplink: string; uplinkMtu: number } | null;
  /** Its bridge network's gateway modes, --internal and enable_icc, with the rules that do them; null off bridge networks or without the network list. */
  networkBehaviour: NetworkBehaviour | null;
}

export interface Neighbour {
  network: string;
  driver: string | null;
  /** User-defined networks resolve container names through Docker's embedded DNS; the default bridge does not; null when the network's driver is unknown. */
  nameResolution: boolean | null;
  containers: { name: string; ipv4: string | null }[];
  /** False when the container list is not in the data: other containers may share the network. */
  complete: boolean;
}

export interface DnsReport {
  nameservers: string[];
  search: string[];
  options: string[];
  /** True when the container uses Docker's embedded DNS server (127.0.0.11). */
  embedded: boolean;
  explanation: string;
}

export interface Listener {
  protocol: 'tcp' | 'udp';
  ip: string;
  port: number;
}

export interface InspectReport {
  container: {
    name: string;
    id: string;
    shortId: string;
    image: string;
    state: string;
    running: boolean;
    pid: number | null;
    netns: string | null;
    netnsInode: number | null;
    sandboxKey: string | null;
    created: string | null;
    startedAt: string | null;
  };
  /** The network mode with its facts; render/container-mode-words.ts words it (JSON: `kind`, `owner`, `description`). */
  mode: ContainerMode;
  interfaces: InspectInterface[];
  /**
   * Published ports with their NAT path (the nat mapping fields), plus exposed-only ports; a
   * `container:` follower's are its owner's.
   */
  ports: InspectPort[];
  /** False when the container's publications are not in the data (it is known from other files than the engine's list). */
  portsKnown: boolean;
  /** Whether NAT rules could be read, and why not. */
  nat: { available: boolean; reason: string | null } | null;
  sharedWith: string[];
  neighbours: Neighbour[];
  dns: DnsReport | null;
  listening: Listener[] | null;
  uplink: { name: string; mtu: number | null } | null;
  /**
   * Whether a client beyond the uplink reaches the container's own address at each published container
   * port (not through a host port): the reach evaluator's verdict; null when not evaluated.
   */
  directAccess: DirectAccess[] | null;
  /** Sections that could not be filled, each with the reason, as codes with their facts (render/inspect.ts words them). */
  notes: InspectNote[];
}

/** What inspect could not fill, and why. */
export type InspectNote =
  /** Not running: no network namespace; networks and ports are as configured. */
  | { code: 'not-running' }
  /** resolv.conf was not read: the read error, or null when it is not in the data. */
  | { code: 'dns-unknown'; error: string | null }
  /** The main process's sockets were not read: the read error, or null when they are not in the data. */
  | { code: 'sockets-unknown'; error: string | null }
  /** No uplink: `routesUnknown` says why the routes are unknown; null when they are known and hold no default route. */
  | { code: 'uplink-unknown'; routesUnknown: string | null }
  /** The container list is not the whole list: neighbours and namespace sharers are those the data names. */
  | { code: 'containers-incomplete'; reason: string }
  /** The container is not in the engine's list: its publications are unknown; `source`: where it is known from. */
  | { code: 'publications-unknown'; container: string; source: string | null };

export type InspectPort = (PortMapping & { exposedOnly: false }) | ExposedPort;

/** A port the image or `--expose` declares, with no host binding: reachable only from its networks. */
export interface ExposedPort {
  exposedOnly: true;
  containerPort: number;
  protocol: string;
  container: string;
  hostIp: null;
  hostPort: null;
}

export interface InspectInputs {
  nat: NatReport | null;
  model: HostModel;
  vethMap: VethMap;
  container: ContainerInfo;
  resolv: ResolvConf | null;
  sockets: { entries: SocketEntry[]; inodes: number[] } | null;
  filesErrors: string[];
  /** The host as the reach evaluator sees it; null when its facts were not gathered. */
  view?: HostView | null;
}

const EMBEDDED_DNS = '127.0.0.11';

export function modeKind(c: ContainerInfo, rows: InterfaceRow[]): string {
  if (c.networkMode === 'host') return 'host';
  if (c.networkMode === 'none') return 'none';
  if (netnsOwnerRef(c) !== null) return 'container';
  const modes = [...new Set(rows.map((r) => r.mode))];
  return modes.includes('overlay') ? 'overlay' : (modes[0] ?? 'bridge');
}

/** How the container is networked, as its words need it (render/container-mode-words.ts). */
export interface ContainerMode {
  /** bridge, host, none, container, macvlan, ipvlan, overlay, unknown, or another driver's name. */
  kind: string;
  /** `container`: the namespace's owner (its name, or its id's first 12 characters); null when unknown or another mode. */
  owner: string | null;
  /** bridge: the bridges its interfaces are on, in their order. */
  bridges: string[];
  /** macvlan, ipvlan: the parent interface; null when not in the data. */
  parent: string | null;
  /** bridge: its networks that do more than plain NAT (gateway mode, --internal, enable_icc=false), in their order. */
  special: NetworkBehaviour[];
  /** bridge: whether NAT applies on at least one of its interfaces (or a network's behaviour is not in the data). */
  nat: boolean;
  /** How many interfaces it has (with more than one, the words say which network does what). */
  interfaces: number;
}

/** The mode with its facts: for a bridge, what each network's gateway mode, --internal and enable_icc make of it. */
export function containerMode(
  kind: string,
  rows: InterfaceRow[],
  owner: string | null,
  behaviours: Map<string, NetworkBehaviour>,
): ContainerMode {
  const bridges = [...new Set(rows.map((r) => r.bridge).filter((b): b is string => Boolean(b)))];
  const special = [...new Set(rows.map((r) => r.network).filter((n): n is string => Boolean(n)))]
    .map((n) => behaviours.get(n))
    .filter((b): b is NetworkBehaviour => b !== undefined && !isPlainNat(b));
  const nat = rows.some((r) => {
    const b = r.network ? behaviours.get(r.network) : undefined;
    return !b || (!b.internal && b.ipv4.mode !== 'routed') || b.ipv4.basis === 'ignored';
  });
  return {
    kind,
    owner: kind === 'container' ? owner : null,
    bridges,
    parent: rows.find((r) => r.parent)?.parent ?? null,
    special,
    nat,
    interfaces: rows.length,
  };
}

function inetAddress(link: Link | undefined): string | null {
  const a = link?.addresses.find((x) => x.family === 'inet');
  return a ? `${a.address}/${a.prefixlen}` : null;
}

function uplinkOf(routes: Route[], links: Link[]): { name: string; mtu: number | null } | null {
  const dev = routes.find((r) => r.dst === 'default')?.dev;
  if (!dev) return null;
  return { name: dev, mtu: links.find((l) => l.name === dev)?.mtu ?? null };
}

function neighboursOf(model: HostModel, c: ContainerInfo, networks: NetworkInfo[]): Neighbour[] {
  const out: Neighbour[] = [];
  for (const ep of c.endpoints) {
    const net = networks.find((n) => n.id === ep.networkId || n.name === ep.network);
    const others = model.containers.all
      .filter(
        (o) =>
          o.id !== c.id && o.running && o.endpoints.some((e) => (e.networkId && e.networkId === ep.networkId) || e.network === ep.network),
      )
      .map((o) => ({ name: o.name, ipv4: o.endpoints.find((e) => e.network === ep.network)?.ipv4 ?? null }))
      .sort((a, b) => naturalCompare(a.name, b.name));
    out.push({
      network: ep.network,
      driver: net?.driver ?? null,
      nameResolution: nameResolutionOn(ep.network, net),
      containers: others,
      complete: model.containers.complete.known,
    });
  }
  return out;
}

/** Docker's embedded DNS answers container names on user-defined networks, not on the default bridge, host or none. */
function nameResolutionOn(network: string, net: NetworkInfo | undefined): boolean | null {
  if (network === 'bridge' || network === 'host' || network === 'none') return false;
  if (!net) return null;
  return net.driver !== 'host' && net.driver !== 'null';
}

function dnsOf(resolv: ResolvConf, c: ContainerInfo): DnsReport {
  const embedded = resolv.nameservers.includes(EMBEDDED_DNS);
  const userNets = c.endpoints.filter((e) => e.network !== 'bridge').map((e) => e.network);
  const explanation = embedded
    ? `Docker's embedded DNS server (${EMBEDDED_DNS}) answers container names on ${userNets.join(', ') || 'its networks'}, and forwards other names to the host's resolvers.`
    : c.networkMode === 'host'
      ? "the host's own resolvers (host network mode)."
      : `the host's resolvers, copied into the container: no name resolution between containers${c.endpoints.some((e) => e.network === 'bridge') ? ' (the default bridge has no embedded DNS; use a user-defined network, or --link)' : ''}.`;
  return { ...resolv, embedded, explanation };
}

function listenersOf(sockets: NonNullable<InspectInputs['sockets']>): Listener[] {
  const mine = new Set(sockets.inodes);
  const seen = new Set<string>();
  const out: Listener[] = [];
  for (const s of sockets.entries) {
    const listening = s.protocol === 'tcp' ? s.state === 'LISTEN' : s.state === 'CLOSE';
    if (!listening || !mine.has(s.inode)) continue;
    const key = `${s.protocol}/${s.localIp}/${s.localPort}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ protocol: s.protocol, ip: s.localIp, port: s.localPort });
  }
  return out.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

function portsOf(c: ContainerInfo, nat: NatReport | null): InspectPort[] {
  const mappings: InspectPort[] = (nat?.mappings ?? [])
    .filter((m) => m.containerId === c.id || (m.containerId === null && m.container === c.name))
    .map((m) => ({ ...m, exposedOnly: false as const }));
  const exposed: InspectPort[] = containerPorts(c)
    .filter((p) => p.exposedOnly)
    .map((p) => ({
      exposedOnly: true as const,
      containerPort: Number(p.containerPort),
      protocol: p.protocol,
      container: c.name,
      hostIp: null,
      hostPort: null,
    }));
  return [...mappings, ...exposed];
}

/** The container's interfaces with their gateway, subnet, bridge address and host veth MTU, and an MTU larger than the uplink's. */
function interfacesOf(
  rows: InterfaceRow[],
  c: ContainerInfo,
  ownerContainer: ContainerInfo | undefined,
  networks: NetworkInfo[],
  links: Link[],
  uplink: { name: string; mtu: number | null } | null,
  behaviours: ReturnType<typeof networkBehaviours>,
): InspectInterface[] {
  return rows.map((r) => {
    const net = networks.find((n) => n.name === r.network);
    const hostVeth = links.find((l) => l.name === r.hostVeth);
    const bridge = links.find((l) => l.name === r.bridge);
    const ep = c.endpoints.find((e) => e.network === r.network) ?? ownerContainer?.endpoints.find((e) => e.network === r.network);
    const mtuOverUplink =
      r.mtu !== null && uplink?.mtu != null && r.mtu > uplink.mtu ? { mtu: r.mtu, uplink: uplink.name, uplinkMtu: uplink.mtu } : null;
    return {
      ...r,
      gateway: ep?.gateway ?? net?.subnets[0]?.gateway ?? null,
      subnet: net?.subnets[0]?.subnet ?? null,
      bridgeAddress: inetAddress(bridge),
      hostVethMtu: hostVeth?.mtu ?? null,
      mtuOverUplink,
      networkBehaviour: (r.mode === 'bridge' && r.network ? behaviours.get(r.network) : undefined) ?? null,
    };
  });
}

export function correlateInspect(input: InspectInputs): InspectReport {
  const { model, vethMap, container: c } = input;
  const networks = lookupIn(model.networks);
  const links = lookupIn(model.hostLinks);
  const rows = vethMap.interfaces.filter((r) => r.container === c.name);
  const sharing = netnsSharing(model.containers.all);
  const ownerContainer = sharing.ownerOf(c);
  const ownerRef = netnsOwnerRef(c);
  const owner = ownerContainer?.name ?? (ownerRef !== null ? ownerRef.slice(0, 12) : null);
  const kind = modeKind(c, rows);
  const uplink = uplinkOf(lookupIn(model.routes), links);
  const notes: InspectNote[] = [];
  const netns = rows.find((r) => r.netns)?.netns ?? model.containerNet.get(c.name)?.netns ?? null;

  const behaviours = networkBehaviours(model);
  const interfaces = interfacesOf(rows, c, ownerContainer, networks, links, uplink, behaviours);

  const sharedWith = sharing.followersOf(c).map((o) => o.name);

  if (!c.running) notes.push({ code: 'not-running' });
  let dns: DnsReport | null = null;
  if (input.resolv) dns = dnsOf(input.resolv, c);
  else if (c.running) notes.push({ code: 'dns-unknown', error: input.filesErrors.find((e) => e.includes('resolv.conf')) ?? null });
  let listening: Listener[] | null = null;
  if (input.sockets) listening = listenersOf(input.sockets);
  else if (c.running)
    notes.push({ code: 'sockets-unknown', error: input.filesErrors.find((e) => e.includes('/fd') || e.includes('/net/')) ?? null });
  if (!uplink) notes.push({ code: 'uplink-unknown', routesUnknown: model.routes.known ? null : model.routes.reason });
  if (!model.containers.complete.known) notes.push({ code: 'containers-incomplete', reason: model.containers.complete.reason });

  const portHolder = kind === 'container' ? (ownerContainer ?? c) : c;
  if (!publicationsKnown(model, portHolder))
    notes.push({
      code: 'publications-unknown',
      container: portHolder.name,
      source: model.containers.sourceOf.get(containerKey(portHolder)) ?? null,
    });
  const ports = portsOf(portHolder, input.nat);
  return {
    container: {
      name: c.name,
      id: c.id,
      shortId: c.id.slice(0, 12),
      image: c.image,
      state: c.state,
      running: c.running,
      pid: c.pid,
      netns,
      netnsInode: netns ? Number(/\[(\d+)\]/.exec(netns)?.[1] ?? NaN) || null : null,
      sandboxKey: c.sandboxKey,
      created: c.created,
      startedAt: c.startedAt,
    },
    mode: containerMode(kind, rows, owner, behaviours),
    interfaces,
    ports,
    portsKnown: publicationsKnown(model, portHolder),
    nat: input.nat ? { available: input.nat.available, reason: input.nat.reason } : null,
    sharedWith,
    neighbours: neighboursOf(model, kind === 'container' ? (ownerContainer ?? c) : c, networks),
    dns,
    listening,
    uplink,
    directAccess: input.view && c.running ? directAccessOf(input.view, ports.filter((p) => !p.exposedOnly) as PortMapping[]) : null,
    notes,
  };
}
