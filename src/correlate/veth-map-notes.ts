// The notes veth-map's correlators attach to container interfaces, host interfaces and the map itself,
// as codes with their facts; render/veth-words.ts words them (host veths' notes: model/veth-notes.ts).
import type { ForeignTool } from './docker-bridges.js';
import type { HostVethNote } from '../model/veth-notes.js';
import type { NetworkBehaviour } from './network-modes.js';

/** Why a container interface's row is what it is; a row holds several, in the order they are said. */
export type InterfaceNote =
  /** Not running: no network namespace to read. */
  | { code: 'not-running' }
  /** Its interfaces were not read: the read error, else whether this container or the whole snapshot lacks them. */
  | { code: 'interfaces-unknown'; error: string | null; scope: 'container' | 'snapshot' }
  /** An interface inside that is no Docker endpoint of this container. */
  | { code: 'not-docker-endpoint' }
  /** Docker lists the network, but no interface inside has the endpoint's MAC. */
  | { code: 'endpoint-without-interface'; network: string; mac: string | null }
  /** Its namespace holds nothing but loopback. */
  | { code: 'loopback-only' }
  /** Network mode host: no veth. */
  | { code: 'host-mode'; running: boolean }
  /** Network mode host, but read in another namespace than the host's. */
  | { code: 'host-mode-other-netns'; netns: string; hostNetns: string }
  /** Network mode none. */
  | { code: 'none-mode'; running: boolean }
  /** Network mode none, and an interface someone added by hand. */
  | { code: 'added-outside-docker' }
  /** A `container:` follower whose owner the engine no longer lists (the owner's id or name as configured). */
  | { code: 'owner-gone'; ownerRef: string }
  /** A `container:` follower: its rows are its owner's. */
  | { code: 'shares-namespace'; owner: string }
  /** A stopped `container:` follower. */
  | { code: 'follower-not-running'; owner: string }
  /** Read in a namespace other containers were read in too, with no `container:` mode to say whose it is. */
  | { code: 'undeclared-sharing'; netns: string; others: string[] }
  /** On a bridge network that does more than plain NAT (correlate/network-modes.ts). */
  | { code: 'network-behaviour'; network: string; behaviour: NetworkBehaviour }
  /** Its link points at itself or at nothing. */
  | { code: 'no-peer' }
  /** A veth pair with both ends inside. */
  | { code: 'peer-inside'; twin: string }
  /** Its peer cannot be looked up: the host's links are not in the data (peerIfindex: the peer's index, when read). */
  | { code: 'host-links-unknown'; peerIfindex: number | null }
  /** The host veth pointing at its index points into another namespace. */
  | { code: 'other-namespace-veth'; hostVeth: string; ifindex: number; linkNetnsId: number | null }
  /** A macvlan/ipvlan interface whose parent is in the host's listing. */
  | { code: 'on-parent'; driver: string; parent: string; parentIfindex: number }
  /** A macvlan/ipvlan interface whose parent index the host's listing lacks. */
  | { code: 'parent-unlisted'; driver: string; parent: string | null; parentIfindex: number }
  /** An overlay interface: its peer is in the overlay network's namespace. */
  | { code: 'overlay-peer'; peerIfindex: number; network: string | null }
  /** Its peer is in another namespace, not a host veth pointing back. */
  | { code: 'peer-elsewhere'; peerIfindex: number; ifindex: number }
  | { code: 'ifindex-unknown' }
  /** Paired by the one host veth whose peer is its index (no iflink read inside). */
  | { code: 'paired-host-side'; hostVeth: string; ifindex: number }
  /** Several host veths point at its index, and no iflink was read inside to decide. */
  | { code: 'pairing-ambiguous'; hostVeths: string[]; ifindex: number }
  | { code: 'no-host-veth'; ifindex: number };

/** What a host interface that is not a veth is for (correlate/host-interfaces.ts). */
export type HostRole =
  | { code: 'loopback' }
  /** The default route leaves through it. */
  | { code: 'uplink'; gateway: string | null }
  /** The one other interface with a global IPv4 address, and no routes in the data: an inference. */
  | { code: 'uplink-guess' }
  /** The parent of macvlan/ipvlan networks. */
  | { code: 'parent'; networks: string[] }
  /** The bridge of a Docker network; null: Docker's by its name, with no network list in the data. */
  | { code: 'docker-bridge'; network: string | null }
  /** libvirt's port that keeps its bridge's MAC stable. */
  | { code: 'libvirt-placeholder'; bridge: string }
  /** Another tool's interface (inferred: by its name). */
  | { code: 'foreign'; tool: ForeignTool; inferred: boolean }
  /** A bridge that is not Docker's (docker false) or cannot be told (null). */
  | { code: 'other-bridge'; docker: false | null }
  | { code: 'vxlan' }
  /** An interface of a kind the listing names (dummy, tun, wireguard...). */
  | { code: 'kind'; kind: string }
  /** The data does not say its kind. */
  | { code: 'unknown' };

/** Why the host veths listed may not be all of them. */
export type VethsIncomplete =
  | { code: 'links-unknown'; reason: string }
  /** The listing holds no loopback: an excerpt. */
  | { code: 'no-loopback'; from: string }
  /** brctl show names veths the listing lacks. */
  | { code: 'bridge-ports-unlisted'; from: string };

/** Where veth-map's facts came from and what was missing. */
export type SourceNote =
  | { code: 'host-links-unknown'; reason: string }
  | { code: 'bridge-ports-from'; from: string }
  | { code: 'host-links-from'; from: string }
  /** Bridge membership from the links' master attribute (null) or from that file. */
  | { code: 'membership-from'; from: string | null }
  /** named: how many containers other files name. */
  | { code: 'container-list-unknown'; reason: string; named: number }
  | { code: 'known-from-members'; count: number }
  /** Some containers' peers found from the host side only (no readable /sys). */
  | { code: 'peers-from-host-side' }
  | { code: 'pasted-ip-addr' }
  | { code: 'missing'; path: string; reason: string }
  | { code: 'lines-not-understood'; path: string; count: number; line: number | null; reason: string | null };

/** The sentences of veth-map's notes (render/veth-words.ts), handed to correlators that quote them. */
export interface VethWords {
  hostVeth(n: HostVethNote): string;
  /** A row's notes in one sentence, joined as they are said; null when it has none. */
  interfaceNotes(notes: InterfaceNote[]): string | null;
  /** A host interface's role, with whether it is itself in the listing. */
  hostRole(role: HostRole, listed: boolean): string;
  vethsIncomplete(why: VethsIncomplete): string;
  source(n: SourceNote): string;
}
