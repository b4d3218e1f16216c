// The notes veth-map's correlators attach to its rows, as codes with their facts; render/veth-words.ts words them.

/** A bridge as a note names it: Docker's (true), not (false) or not told (null); inferred when from its name alone. */
export interface NoteBridge {
  bridge: string;
  docker: boolean | null;
  inferred: boolean;
  /** The tool whose naming the bridge's name follows (libvirt, kubernetes, lxc), when it is another tool's. */
  foreign: string | null;
}

/** Why a host veth's owner is what it is (correlate/host-veths.ts). */
export type HostVethNote =
  /** Its peer is in a namespace several containers share; which owns it is not in the data. */
  | { code: 'shared-namespace'; sharers: string[] }
  /** Its peer is in the namespace read in this container; whether it owns it or shares another's is unknown. */
  | { code: 'namespace-read-in'; container: string }
  /** Some containers' interfaces (or the container list) are unknown; one unread container is the probable owner. */
  | { code: 'owner-not-in-data'; unread: string[]; containerListUnknown: string | null }
  /** On a bridge that may be Docker's, and the network list (which names Docker's sandboxes) is unknown. */
  | { code: 'sandbox-unknown'; bridge: NoteBridge; networksUnknown: string }
  | { code: 'no-owner-no-bridge' }
  /** On Docker's bridge, and no container's interface points back at it. */
  | { code: 'leftover-on-docker-bridge'; bridge: NoteBridge }
  /** Enslaved to a bridge that is not Docker's. */
  | { code: 'foreign-bridge'; bridge: NoteBridge }
  /** On a bridge not told as Docker's or not, and no container's interface points back at it. */
  | { code: 'no-owner'; bridge: NoteBridge }
  /** A port `brctl show` names that no `ip` listing holds; linksFrom is that listing, null when there is none. */
  | { code: 'bridge-port-unlisted'; bridge: string; linksFrom: string | null }
  /** Swarm's ingress sandbox (or another sandbox) attributed by elimination. */
  | {
      code: 'sandbox-by-elimination';
      bridge: string;
      sandbox: string;
      name: string;
      ipv4: string | null;
      mac: string | null;
      network: string;
    }
  /** Several Docker sandboxes on the bridge, not told apart. */
  | { code: 'sandboxes-ambiguous'; bridge: string; sandboxes: string[] };
