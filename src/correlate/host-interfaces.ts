// What each host interface that is not a veth is for: loopback, the uplink, Docker's bridges, other
// tools' bridges (libvirt, CNI), macvlan parents, tunnels. Said as an inference where the data is thin.
import type { NetworkInfo } from '../model/engine.js';
import type { Link } from '../model/link.js';
import type { Route } from '../parse/ip-route-json.js';
import { naturalCompare } from '../util/natural-compare.js';

export interface HostInterfaceRow {
  name: string;
  ifindex: number;
  kind: string | null;
  ipv4: string | null;
  role: string;
}

const DOCKER_NAME = /^(docker0|docker_gwbridge|br-[0-9a-f]{12})$/;

function ipv4(l: Link): string | null {
  const a = l.addresses.find((x) => x.family === 'inet');
  return a ? `${a.address}/${a.prefixlen}` : null;
}

function roleOf(
  l: Link,
  ctx: { networks: NetworkInfo[] | null; routes: Route[] | null; masters: Set<string>; uplinkGuess: string | null },
): string {
  if (l.name === 'lo' || l.flags.includes('LOOPBACK')) return 'loopback';
  const defaultRoute = ctx.routes?.find((r) => r.dst === 'default');
  if (defaultRoute?.dev === l.name)
    return `uplink: the default route${defaultRoute.gateway ? ` via ${defaultRoute.gateway}` : ''} leaves through it`;
  const net = ctx.networks?.find((n) => n.bridgeName === l.name);
  if (net)
    return net.name === 'bridge'
      ? "Docker's default bridge (network 'bridge'): no DNS between containers"
      : net.name === 'docker_gwbridge'
        ? "Docker's bridge for swarm/overlay containers' traffic off the node (docker_gwbridge)"
        : `bridge of Docker network '${net.name}'`;
  if (!ctx.networks && DOCKER_NAME.test(l.name)) return `Docker's bridge, by its name (no Docker network list in the data)`;
  const parentOf = ctx.networks?.filter((n) => n.parent === l.name).map((n) => n.name) ?? [];
  if (parentOf.length)
    return `parent of ${parentOf.map((n) => `'${n}'`).join(', ')} (${parentOf.length === 1 ? 'a macvlan/ipvlan network' : 'macvlan/ipvlan networks'})`;
  if (/^virbr\d+-nic$/.test(l.name))
    return `libvirt's placeholder port that keeps ${l.master ?? l.name.replace(/-nic$/, '')}'s MAC address stable (no traffic)`;
  if (/^virbr\d+$/.test(l.name)) return "libvirt's NAT bridge for KVM virtual machines: not Docker's";
  if (/^(cni|cbr|flannel|cilium|weave|kube|calico)/.test(l.name)) return "a Kubernetes network interface: not Docker's";
  if (l.kind === 'bridge' || ctx.masters.has(l.name)) return 'a bridge no Docker network uses';
  if (l.kind === 'vxlan') return 'a VXLAN tunnel';
  if (l.kind) return `${/^[aeiou]/.test(l.kind) ? 'an' : 'a'} ${l.kind} interface`;
  if (ctx.uplinkGuess === l.name)
    return 'probably the uplink (inference: the one other interface with a global IPv4 address; no routes in the data)';
  return 'unknown role (the data does not say its kind)';
}

export function hostInterfaces(
  links: Link[] | null,
  networks: NetworkInfo[] | null,
  routes: Route[] | null,
  isVeth: (l: Link) => boolean,
): HostInterfaceRow[] {
  if (!links) return [];
  const masters = new Set(links.map((l) => l.master).filter((m): m is string => Boolean(m)));
  const dockerish = (l: Link) => DOCKER_NAME.test(l.name) || networks?.some((n) => n.bridgeName === l.name || n.parent === l.name);
  // Without routes, an uplink is recognisable only as the one plain interface holding a global IPv4 address.
  const plainWithAddress = links.filter(
    (l) =>
      !isVeth(l) &&
      l.kind === null &&
      !masters.has(l.name) &&
      !l.master &&
      !dockerish(l) &&
      !/^virbr/.test(l.name) &&
      l.addresses.some((a) => a.family === 'inet' && a.scope === 'global'),
  );
  const uplinkGuess = !routes && plainWithAddress.length === 1 ? (plainWithAddress[0] as Link).name : null;
  return links
    .filter((l) => !isVeth(l))
    .map((l) => ({
      name: l.name,
      ifindex: l.ifindex,
      kind: l.kind,
      ipv4: ipv4(l),
      role: roleOf(l, { networks, routes, masters, uplinkGuess }),
    }))
    .sort((a, b) => a.ifindex - b.ifindex || naturalCompare(a.name, b.name));
}
