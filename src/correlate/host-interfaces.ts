// What each host interface that is not a veth is for: loopback, the uplink, Docker's bridges, other
// tools' bridges (libvirt, CNI), macvlan parents, tunnels. Said as an inference where the data is thin.
import { lookupIn } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import type { Link } from '../model/link.js';
import { naturalCompare } from '../util/natural-compare.js';
import { dockerUsesInterface, type BridgeIdentityOf } from './docker-bridges.js';

export interface HostInterfaceRow {
  name: string;
  /** null for a bridge named only as other links' master or by brctl show, not listed itself. */
  ifindex: number | null;
  kind: string | null;
  ipv4: string | null;
  role: string;
}

function ipv4(l: Link): string | null {
  const a = l.addresses.find((x) => x.family === 'inet');
  return a ? `${a.address}/${a.prefixlen}` : null;
}

interface RoleContext {
  model: HostModel;
  identity: BridgeIdentityOf;
  masters: Set<string>;
  uplinkGuess: string | null;
}

function bridgeRole(l: Link, ctx: RoleContext): string | null {
  const id = ctx.identity(l.name);
  if (id.docker === true && id.network) {
    const net = id.network;
    return net.name === 'bridge'
      ? "Docker's default bridge (network 'bridge'): no DNS between containers"
      : net.name === 'docker_gwbridge'
        ? "Docker's bridge for swarm/overlay containers' traffic off the node (docker_gwbridge)"
        : `bridge of Docker network '${net.name}'`;
  }
  if (id.docker === true) return `Docker's bridge, by its name (no Docker network list in the data)`;
  if (/^virbr\d+-nic$/.test(l.name))
    return `libvirt's placeholder port that keeps ${l.master ?? l.name.replace(/-nic$/, '')}'s MAC address stable (no traffic)`;
  const by = id.inferred ? ' (by its name)' : '';
  if (id.foreign === 'libvirt') return `libvirt's NAT bridge for KVM virtual machines: not Docker's${by}`;
  if (id.foreign === 'kubernetes') return `a Kubernetes network interface: not Docker's${by}`;
  if (id.foreign === 'lxc') return `an LXC/LXD bridge: not Docker's${by}`;
  if (l.kind === 'bridge' || ctx.masters.has(l.name))
    return id.docker === false
      ? 'a bridge no Docker network uses'
      : "a bridge (whether Docker's cannot be told: no Docker network list in the data)";
  return null;
}

function roleOf(l: Link, ctx: RoleContext): string {
  if (l.name === 'lo' || l.flags.includes('LOOPBACK')) return 'loopback';
  const defaultRoute = lookupIn(ctx.model.routes).find((r) => r.dst === 'default');
  if (defaultRoute?.dev === l.name)
    return `uplink: the default route${defaultRoute.gateway ? ` via ${defaultRoute.gateway}` : ''} leaves through it`;
  const parentOf = lookupIn(ctx.model.networks)
    .filter((n) => n.parent === l.name)
    .map((n) => n.name);
  if (parentOf.length)
    return `parent of ${parentOf.map((n) => `'${n}'`).join(', ')} (${parentOf.length === 1 ? 'a macvlan/ipvlan network' : 'macvlan/ipvlan networks'})`;
  const bridge = bridgeRole(l, ctx);
  if (bridge) return bridge;
  if (l.kind === 'vxlan') return 'a VXLAN tunnel';
  if (l.kind) return `${/^[aeiou]/.test(l.kind) ? 'an' : 'a'} ${l.kind} interface`;
  if (ctx.uplinkGuess === l.name)
    return 'probably the uplink (inference: the one other interface with a global IPv4 address; no routes in the data)';
  return 'unknown role (the data does not say its kind)';
}

/** Bridges the data names (as a link's master, in brctl show, or as a Docker network's bridge) without listing them. */
function unlistedBridges(model: HostModel, links: Link[], identity: BridgeIdentityOf): HostInterfaceRow[] {
  const listed = new Set(links.map((l) => l.name));
  const named = new Set(
    [
      ...links.map((l) => l.master),
      ...lookupIn(model.bridges).map((b) => b.name),
      ...lookupIn(model.networks).map((n) => n.bridgeName),
    ].filter((n): n is string => Boolean(n)),
  );
  const out: HostInterfaceRow[] = [];
  for (const name of named) {
    if (listed.has(name)) continue;
    const bridge: Link = {
      ifindex: 0,
      name,
      peerIfindex: null,
      peerName: null,
      linkNetnsId: null,
      master: null,
      kind: 'bridge',
      mac: null,
      mtu: null,
      state: null,
      flags: [],
      addresses: [],
    };
    const role = roleOf(bridge, { model, identity, masters: new Set([name]), uplinkGuess: null });
    out.push({ name, ifindex: null, kind: 'bridge', ipv4: null, role: `${role} (named as a bridge, not itself in the listing)` });
  }
  return out.sort((a, b) => naturalCompare(a.name, b.name));
}

export function hostInterfaces(model: HostModel, isVeth: (l: Link) => boolean, identity: BridgeIdentityOf): HostInterfaceRow[] {
  const links = lookupIn(model.hostLinks);
  if (!model.hostLinks.known) return unlistedBridges(model, links, identity);
  const masters = new Set(links.map((l) => l.master).filter((m): m is string => Boolean(m)));
  // Without routes, an uplink is recognisable only as the one plain interface holding a global IPv4 address.
  const plainWithAddress = links.filter(
    (l) =>
      !isVeth(l) &&
      l.kind === null &&
      !masters.has(l.name) &&
      !l.master &&
      dockerUsesInterface(model.networks, l.name) !== true &&
      identity(l.name).foreign === null &&
      l.addresses.some((a) => a.family === 'inet' && a.scope === 'global'),
  );
  const uplinkGuess = !model.routes.known && plainWithAddress.length === 1 ? (plainWithAddress[0] as Link).name : null;
  const ctx: RoleContext = { model, identity, masters, uplinkGuess };
  return links
    .filter((l) => !isVeth(l))
    .map(
      (l): HostInterfaceRow => ({
        name: l.name,
        ifindex: l.ifindex > 0 ? l.ifindex : null,
        kind: l.kind,
        ipv4: ipv4(l),
        role: roleOf(l, ctx),
      }),
    )
    .sort((a, b) => (a.ifindex ?? 0) - (b.ifindex ?? 0) || naturalCompare(a.name, b.name))
    .concat(unlistedBridges(model, links, identity));
}
