// The words of veth-map's notes (model/veth-notes.ts, correlate/veth-map-notes.ts): one sentence per code,
// for text, pipe and JSON alike.
import type { HostVethNote, NoteBridge } from '../model/veth-notes.js';
import type { HostRole, InterfaceNote, SourceNote, VethsIncomplete, VethWords } from '../correlate/veth-map-notes.js';
import { behaviourNoteText } from './network-words.js';

/** The bridge in words: Docker's or not, and whether that is known or read from its name. */
function bridgeText(b: NoteBridge): string {
  if (b.docker === true)
    return `on Docker bridge ${b.bridge}${b.inferred ? " (Docker's by its name: the data holds no network list)" : ''}`;
  if (b.docker === false)
    return b.inferred
      ? `which is ${b.foreign}'s by its name (inference: the data holds no Docker network list)`
      : 'which no Docker network uses';
  return `on bridge ${b.bridge}, which cannot be told as Docker's or not (the data holds no Docker network list)`;
}

function ownerNotInData(unread: string[], listUnknown: string | null): string {
  const why = [
    unread.length ? `the interfaces of ${unread.join(', ')} are unknown` : null,
    listUnknown === null ? null : `the container list is unknown: ${listUnknown}`,
  ];
  const probably =
    unread.length === 1 ? ` (inference, not confirmed: probably ${unread[0]}'s, the one container whose interfaces are unknown)` : '';
  return `owner not in the data: ${why.filter(Boolean).join('; ')}${probably}`;
}

export function hostVethNoteText(n: HostVethNote): string {
  switch (n.code) {
    case 'shared-namespace':
      return `in use by the network namespace ${n.sharers.join(', ')} share; which of them owns it is not in the data`;
    case 'namespace-read-in':
      return `in the network namespace ${n.container} was read in; whether ${n.container} owns it or shares another container's (--network container:) is not in the data`;
    case 'owner-not-in-data':
      return ownerNotInData(n.unread, n.containerListUnknown);
    case 'sandbox-unknown':
      return `${bridgeText(n.bridge)}; no container's interface points back at it, and whether a Docker sandbox (ingress-sbox, a load balancer) owns it is unknown: ${n.networksUnknown}`;
    case 'no-owner-no-bridge':
      return 'belongs to no container and is on no bridge';
    case 'leftover-on-docker-bridge':
      return `${bridgeText(n.bridge)}, but no container's interface points back at it (leftover from a removed container, or a special Docker namespace)`;
    case 'foreign-bridge':
      return `${n.bridge.inferred ? "probably not Docker's" : "not Docker's"}: enslaved to ${n.bridge.bridge}, ${bridgeText(n.bridge)} (another tool's, e.g. libvirt or a CNI plugin)`;
    case 'no-owner':
      return `${bridgeText(n.bridge)}; no container's interface points back at it`;
    case 'bridge-port-unlisted': {
      const why = n.linksFrom !== null ? `the \`ip\` listing (${n.linksFrom}) does not hold it` : "no `ip` listing of the host's links";
      return `a port of ${n.bridge} (from brctl show); owner unknown: ${why}, so no ifindex to pair it by`;
    }
    case 'sandbox-by-elimination':
      return `attributed by elimination: the one veth on ${n.bridge} with no container, and ${n.sandbox} (${n.name}, ${n.ipv4 ?? 'no IPv4'}, MAC ${n.mac ?? '?'}) the one endpoint of '${n.network}' that is no container`;
    case 'sandboxes-ambiguous':
      return `on ${n.bridge}: one of ${n.sandboxes.join(', ')} (Docker sandboxes with no container), not told apart without entering their namespaces`;
  }
}

/** A host veth's note for JSON: its code and facts, and the sentence. */
export function hostVethNoteJson(n: HostVethNote | null): (HostVethNote & { text: string }) | null {
  return n ? { ...n, text: hostVethNoteText(n) } : null;
}

/** One note of a container interface's row. */
export function interfaceNoteText(n: InterfaceNote): string {
  switch (n.code) {
    case 'not-running':
      return 'not running: no network namespace';
    case 'interfaces-unknown':
      return `interfaces inside unknown: ${n.error ?? (n.scope === 'container' ? 'no container-side data for this container' : 'no container-side data in this snapshot')}`;
    case 'not-docker-endpoint':
      return 'not a Docker endpoint of this container';
    case 'endpoint-without-interface':
      return `Docker lists network '${n.network}' but no interface inside has its MAC ${n.mac ?? '(none)'}`;
    case 'loopback-only':
      return 'no interface besides loopback';
    case 'host-mode':
      return n.running
        ? "host network namespace: no veth (uses the host's interfaces and ports)"
        : 'not running (network mode host: no veth)';
    case 'host-mode-other-netns':
      return `network mode host, but its namespace ${n.netns} differs from the host's ${n.hostNetns} (rootless Docker or Docker Desktop?)`;
    case 'none-mode':
      return n.running ? 'loopback only: network mode none, no interface besides lo' : 'not running (network mode none: loopback only)';
    case 'added-outside-docker':
      return 'network mode none, but an interface was added outside Docker';
    case 'owner-gone':
      return `shares the network namespace of container ${n.ownerRef.slice(0, 12)}, which the engine no longer lists`;
    case 'shares-namespace':
      return `shares ${n.owner}'s network namespace`;
    case 'follower-not-running':
      return `not running; configured to share ${n.owner}'s network namespace`;
    case 'undeclared-sharing':
      return `shares its network namespace ${n.netns} with ${n.others.join(', ')}: which of them owns it (and which runs with --network container:) is not in the data`;
    case 'network-behaviour':
      return behaviourNoteText(n.behaviour) ?? `${n.network}: plain NAT`;
    default:
      return peerNoteText(n);
  }
}

type PeerNote = Extract<
  InterfaceNote,
  {
    code:
      | 'no-peer'
      | 'peer-inside'
      | 'host-links-unknown'
      | 'other-namespace-veth'
      | 'on-parent'
      | 'parent-unlisted'
      | 'overlay-peer'
      | 'peer-elsewhere'
      | 'ifindex-unknown'
      | 'paired-host-side'
      | 'pairing-ambiguous'
      | 'no-host-veth';
  }
>;

/** What an interface's peer is, or why it is not known. */
function peerNoteText(n: PeerNote): string {
  switch (n.code) {
    case 'no-peer':
      return 'no peer: not linked to any other interface';
    case 'peer-inside':
      return `veth pair inside the container: its peer is ${n.twin} in the same namespace`;
    case 'host-links-unknown':
      return n.peerIfindex !== null
        ? `host side unknown: peer ifindex ${n.peerIfindex}, but the data holds no listing of the host's links`
        : "host side unknown: the data holds no listing of the host's links";
    case 'other-namespace-veth':
      return `host ${n.hostVeth} points at ifindex ${n.ifindex} of another namespace (link-netnsid ${n.linkNetnsId}): not paired`;
    case 'on-parent':
      return `${n.driver} on host ${n.parent} (ifindex ${n.parentIfindex}): no veth; the host itself cannot reach this container through ${n.parent}`;
    case 'parent-unlisted':
      return `${n.driver} on parent ${n.parent ?? 'unknown'}: no veth (parent ifindex ${n.parentIfindex} is not in the host's link list)`;
    case 'overlay-peer':
      return `peer is ifindex ${n.peerIfindex} inside the overlay network namespace of '${n.network}' (bridged to vxlan there): not on the host`;
    case 'peer-elsewhere':
      return `peer is ifindex ${n.peerIfindex} in another namespace (not a host veth pointing back at ifindex ${n.ifindex})`;
    case 'ifindex-unknown':
      return 'interface index unknown: cannot pair';
    case 'paired-host-side':
      return `paired from the host side only: ${n.hostVeth} is the one host veth whose peer is ifindex ${n.ifindex}`;
    case 'pairing-ambiguous':
      return `ambiguous: host veths ${n.hostVeths.join(', ')} all point at ifindex ${n.ifindex}; no iflink read inside to decide`;
    case 'no-host-veth':
      return `no host veth points at ifindex ${n.ifindex}`;
  }
}

/** A row's notes in one sentence, as they are said; null when it has none. */
export function interfaceNotesText(notes: InterfaceNote[]): string | null {
  return notes.length ? notes.map(interfaceNoteText).join('; ') : null;
}

/** A row's notes for JSON: each code with its facts and its sentence (a network's behaviour by name only), and the sentence of all. */
export function interfaceNotesJson(notes: InterfaceNote[]): { notes: unknown[]; note: string | null } {
  return {
    notes: notes.map((n) =>
      n.code === 'network-behaviour'
        ? { code: n.code, network: n.network, text: interfaceNoteText(n) }
        : { ...n, text: interfaceNoteText(n) },
    ),
    note: interfaceNotesText(notes),
  };
}

function roleWords(r: HostRole): string {
  switch (r.code) {
    case 'loopback':
      return 'loopback';
    case 'uplink':
      return `uplink: the default route${r.gateway ? ` via ${r.gateway}` : ''} leaves through it`;
    case 'uplink-guess':
      return 'probably the uplink (inference: the one other interface with a global IPv4 address; no routes in the data)';
    case 'parent':
      return `parent of ${r.networks.map((n) => `'${n}'`).join(', ')} (${r.networks.length === 1 ? 'a macvlan/ipvlan network' : 'macvlan/ipvlan networks'})`;
    case 'docker-bridge':
      return r.network === null
        ? `Docker's bridge, by its name (no Docker network list in the data)`
        : r.network === 'bridge'
          ? "Docker's default bridge (network 'bridge'): no DNS between containers"
          : r.network === 'docker_gwbridge'
            ? "Docker's bridge for swarm/overlay containers' traffic off the node (docker_gwbridge)"
            : `bridge of Docker network '${r.network}'`;
    case 'libvirt-placeholder':
      return `libvirt's placeholder port that keeps ${r.bridge}'s MAC address stable (no traffic)`;
    case 'foreign': {
      const by = r.inferred ? ' (by its name)' : '';
      if (r.tool === 'libvirt') return `libvirt's NAT bridge for KVM virtual machines: not Docker's${by}`;
      if (r.tool === 'kubernetes') return `a Kubernetes network interface: not Docker's${by}`;
      return `an LXC/LXD bridge: not Docker's${by}`;
    }
    case 'other-bridge':
      return r.docker === false
        ? 'a bridge no Docker network uses'
        : "a bridge (whether Docker's cannot be told: no Docker network list in the data)";
    case 'vxlan':
      return 'a VXLAN tunnel';
    case 'kind':
      return `${/^[aeiou]/.test(r.kind) ? 'an' : 'a'} ${r.kind} interface`;
    case 'unknown':
      return 'unknown role (the data does not say its kind)';
  }
}

/** A host interface's role; a bridge the data names without listing it says so. */
export function hostRoleText(role: HostRole, listed: boolean): string {
  return listed ? roleWords(role) : `${roleWords(role)} (named as a bridge, not itself in the listing)`;
}

export function vethsIncompleteText(why: VethsIncomplete): string {
  switch (why.code) {
    case 'links-unknown':
      return why.reason;
    case 'no-loopback':
      return `${why.from} holds no loopback: an excerpt of the listing`;
    case 'bridge-ports-unlisted':
      return `brctl show names veths ${why.from} does not hold`;
  }
}

export function sourceNoteText(n: SourceNote): string {
  switch (n.code) {
    case 'host-links-unknown':
      return `host links unknown: ${n.reason}, so no host-side veth can be paired`;
    case 'bridge-ports-from':
      return `bridge ports from ${n.from} (names only)`;
    case 'host-links-from':
      return `host links from ${n.from}`;
    case 'membership-from':
      return n.from === null ? "bridge membership from the links' master attribute (ip)" : `bridge membership from ${n.from}`;
    case 'container-list-unknown':
      return `container list unknown: ${n.reason}${n.named ? `; ${n.named} container(s) known from other files` : ''}`;
    case 'known-from-members':
      return `${n.count} container(s) known only from the network list's members (addresses, MACs), not their own inspect`;
    case 'peers-from-host-side':
      return 'some containers had no readable /sys: their peers were found from the host side only';
    case 'pasted-ip-addr':
      return 'container-side interfaces from pasted `ip addr` outputs';
    case 'missing':
      return `missing ${n.path}: ${n.reason}`;
    case 'lines-not-understood':
      return `${n.path}: ${n.count} line(s) not understood (first: line ${n.line}: ${n.reason})`;
  }
}

export const vethWords: VethWords = {
  hostVeth: hostVethNoteText,
  interfaceNotes: interfaceNotesText,
  hostRole: hostRoleText,
  vethsIncomplete: vethsIncompleteText,
  source: sourceNoteText,
};
