// What each host interface that is not a veth is for: loopback, the uplink, Docker's bridges, other
// tools' bridges (libvirt, CNI), macvlan parents, tunnels. Said as an inference where the data is thin.
import { lookupIn } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import type { Link } from '../model/link.js';
import { naturalCompare } from '../util/natural-compare.js';
import { dockerUsesInterface, type BridgeIdentityOf } from './docker-bridges.js';
import type { HostRole } from './veth-map-notes.js';

export interface HostInterfaceRow {
  name: string;
  /** null for a bridge named only as other links' master or by brctl show, not listed itself. */
  ifindex: number | null;
  kind: string | null;
  ipv4: string | null;
  /** What it is for (render/veth-words.ts words it). */
  role: HostRole;
  /** False for a bridge the data names (as a master, in brctl show, as a network's bridge) without listing it. */
  listed: boolean;
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

function bridgeRole(l: Link, ctx: RoleContext): HostRole | null {
  const id = ctx.identity(l.name);
  if (id.docker === true) return { code: 'docker-bridge', network: id.network?.name ?? null };
  if (/^virbr\d+-nic$/.test(l.name)) return { code: 'libvirt-placeholder', bridge: l.master ?? l.name.replace(/-nic$/, '') };
  if (id.foreign) return { code: 'foreign', tool: id.foreign, inferred: id.inferred };
  if (l.kind === 'bridge' || ctx.masters.has(l.name)) return { code: 'other-bridge', docker: id.docker === false ? false : null };
  return null;
}

function roleOf(l: Link, ctx: RoleContext): HostRole {
  if (l.name === 'lo' || l.flags.includes('LOOPBACK')) return { code: 'loopback' };
  const defaultRoute = lookupIn(ctx.model.routes).find((r) => r.dst === 'default');
  if (defaultRoute?.dev === l.name) return { code: 'uplink', gateway: defaultRoute.gateway ?? null };
  const parentOf = lookupIn(ctx.model.networks)
    .filter((n) => n.parent === l.name)
    .map((n) => n.name);
  if (parentOf.length) return { code: 'parent', networks: parentOf };
  const bridge = bridgeRole(l, ctx);
  if (bridge) return bridge;
  if (l.kind === 'vxlan') return { code: 'vxlan' };
  if (l.kind) return { code: 'kind', kind: l.kind };
  if (ctx.uplinkGuess === l.name) return { code: 'uplink-guess' };
  return { code: 'unknown' };
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
    out.push({ name, ifindex: null, kind: 'bridge', ipv4: null, role, listed: false });
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
        listed: true,
      }),
    )
    .sort((a, b) => (a.ifindex ?? 0) - (b.ifindex ?? 0) || naturalCompare(a.name, b.name))
    .concat(unlistedBridges(model, links, identity));
}

/** The host's way out: the default route's interface, or the one guessed when no routes are in the data. */
export function isUplink(h: HostInterfaceRow): boolean {
  return h.role.code === 'uplink' || h.role.code === 'uplink-guess';
}

/** Whether the data cannot tell what it is: a bridge not told as Docker's or not, or no kind at all. */
export function roleUnknown(h: HostInterfaceRow): boolean {
  return (h.role.code === 'other-bridge' && h.role.docker === null) || h.role.code === 'unknown';
}
