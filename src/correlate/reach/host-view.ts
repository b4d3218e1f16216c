// What a packet's walk asks of the host, answered from the model once: its own addresses, routes,
// interfaces' addresses, which container holds an address, sysctls, and who listens where.
import type { ContainerInfo, Endpoint, NetworkInfo } from '../../model/engine.js';
import type { Fact } from '../../model/fact.js';
import type { IpFamily, Ruleset } from '../../model/firewall.js';
import type { HostModel } from '../../model/host.js';
import type { HostSettings } from '../../model/host-settings.js';
import type { Link } from '../../model/link.js';
import type { DockerProxy, ListeningSocket } from '../../model/port-path.js';
import type { Route } from '../../model/route.js';
import { bareAddress, familyOf, inPrefix, parsePrefix, sameAddress } from '../../util/address.js';

export interface ContainerAt {
  container: ContainerInfo;
  endpoint: Endpoint;
  network: NetworkInfo | null;
  /** The bridge the endpoint's veth is a port of; null for other drivers or when the network list is unknown. */
  bridge: string | null;
}

export interface HostView {
  firewall: (family: IpFamily) => Fact<Ruleset>;
  links: Fact<Link[]>;
  routes: Fact<Route[]>;
  /** A sysctl's value; null when the host has no such file (a module not loaded); unknown with why. */
  sysctl(name: string): { value: string | null } | { unknown: string };
  /** Whether an address is one of this host's own; a string says why it cannot be told. */
  isLocal(ip: string): boolean | string;
  primaryAddress(iface: string | null, family: IpFamily): string | null;
  /** The route the main table picks; null when none does; a string says why it cannot be told. */
  route(dst: string): Route | null | string;
  /** The container holding an address; null when none does (and the list is complete); a string when it cannot be told. */
  containerAt(ip: string): ContainerAt | null | string;
  containers: ContainerInfo[];
  /** Whether `containers` is the engine's whole list. */
  containerList: Fact<true>;
  networks: NetworkInfo[];
  /** Listening sockets of the host; null when its socket tables were not read. */
  hostListening: ListeningSocket[] | null;
  dockerProxies: DockerProxy[] | null;
  /** A container's listening sockets, by container name; unknown with why. */
  containerListening(name: string): Fact<ListeningSocket[]>;
}

function prefixLength(dst: string): number {
  if (dst === 'default') return 0;
  return parsePrefix(dst)?.length ?? -1;
}

function routeMatches(r: Route, ip: string): boolean {
  if (r.dst === 'default') return true;
  return r.dst.includes('/') ? inPrefix(ip, r.dst) : sameAddress(r.dst, ip);
}

export function hostView(model: HostModel, settings: Fact<HostSettings>, containerSockets: Map<string, Fact<ListeningSocket[]>>): HostView {
  const links = model.hostLinks;
  const local = new Map<string, string>();
  if (links.known) for (const l of links.value) for (const a of l.addresses) local.set(a.address, l.name);
  const networks = model.networks.known ? model.networks.value : [];
  const byName = new Map(networks.map((n) => [n.name, n]));
  const byId = new Map(networks.map((n) => [n.id, n]));
  const byAddress = new Map<string, ContainerAt>();
  for (const c of model.containers.all) {
    for (const e of c.endpoints) {
      const network = (e.networkId ? byId.get(e.networkId) : undefined) ?? byName.get(e.network) ?? null;
      const at = { container: c, endpoint: e, network, bridge: network?.driver === 'bridge' ? network.bridgeName : null };
      for (const a of [bareAddress(e.ipv4), bareAddress(e.ipv6)]) if (a) byAddress.set(a, at);
    }
  }
  return {
    firewall: (family) => model.firewall[family],
    links,
    routes: model.routes,
    sysctl(name) {
      if (!settings.known) return { unknown: `${name} is unknown: ${settings.reason}` };
      if (!(name in settings.value.sysctl))
        return { unknown: `${name} is unknown: ${settings.value.unreadable[name] ?? `not in ${settings.from}`}` };
      return { value: settings.value.sysctl[name] ?? null };
    },
    isLocal(ip) {
      if (inPrefix(ip, '127.0.0.0/8') || ip === '::1') return true;
      if (!links.known) return `this host's addresses are unknown: ${links.reason}`;
      if (local.has(ip)) return true;
      // IPv4 has one spelling; only IPv6 needs the canonical comparison.
      if (!ip.includes(':')) return false;
      for (const a of local.keys()) if (a.includes(':') && sameAddress(a, ip)) return true;
      return false;
    },
    primaryAddress(iface, family) {
      if (!links.known || iface === null) return null;
      const l = links.value.find((x) => x.name === iface);
      const want = family === 'ipv4' ? 'inet' : 'inet6';
      return l?.addresses.find((a) => a.family === want && a.scope !== 'link')?.address ?? null;
    },
    route(dst) {
      // `ip -j route` lists the IPv4 main table only; `ip -j -6 route` the IPv6 one.
      const v6 = familyOf(dst) === 'ipv6';
      const routes = v6 ? model.routes6 : model.routes;
      if (!routes.known) return `the host's ${v6 ? 'IPv6 ' : ''}routes are unknown: ${routes.reason}`;
      let best: Route | null = null;
      for (const r of routes.value) {
        if (routeMatches(r, dst) && (best === null || prefixLength(r.dst) > prefixLength(best.dst))) best = r;
      }
      return best;
    },
    containerAt(ip) {
      const at = byAddress.get(ip) ?? (ip.includes(':') ? [...byAddress.entries()].find(([a]) => sameAddress(a, ip))?.[1] : undefined);
      if (at) return at;
      if (!model.containers.complete.known)
        return `no container known holds ${ip}, and the container list is incomplete: ${model.containers.complete.reason}`;
      return null;
    },
    containers: model.containers.all,
    containerList: model.containers.complete,
    networks,
    hostListening: model.portFacts.listening,
    dockerProxies: model.portFacts.dockerProxies,
    containerListening(name) {
      return (
        containerSockets.get(name) ?? { known: false, cause: 'not-in-data', reason: `the socket tables of ${name} are not in the data` }
      );
    },
  };
}
