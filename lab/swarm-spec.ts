// The swarm lab as data: three Docker 28.5 nodes, each a network namespace of its own, on a switch in a
// fourth; every name, address and label, so lab/swarm.ts and the engine tests share one truth.
// Its addresses are 10.241-10.246, which no other lab uses (lab-spec.ts: 10.213-10.239).

export interface SwarmNode {
  /** The node's short name: its hostname, host directory (/run/docknet-engines/<name>) and switch port suffix. */
  name: string;
  netns: string;
  /** Its address on the switch (eth0 inside the node): advertise and data-path address. */
  addr: string;
  /** The switch-side end of its veth, in the switch namespace. */
  switchPort: string;
  /** dockerd --bip (docker0). */
  bip: string;
}

/** The switch: a bridge inside a namespace of its own, so the root namespace never sees the swarm's traffic. */
export const SWARM_SWITCH = { netns: 'docknet-swsw', bridge: 'br0', addr: '10.241.0.1', prefix: 24 } as const;

export const SWARM_NODES: readonly SwarmNode[] = [1, 2, 3].map((n) => ({
  name: `docknet-sw${n}`,
  netns: `docknet-sw${n}`,
  addr: `10.241.0.${10 + n}`,
  switchPort: `sw${n}`,
  bip: `10.244.${n}.1/24`,
}));

/** dockerd --default-address-pool of every node (docker_gwbridge, local bridges): the same on each, as in any swarm. */
export const SWARM_NODE_POOL = 'base=10.245.0.0/16,size=24';
/** `docker swarm init --default-addr-pool`: the subnets the swarm hands out (ingress, overlays made without --subnet). */
export const SWARM_INIT_POOL = '10.243.0.0/16';

/** Everything the swarm lab makes carries this label (nodes, networks, containers, services). */
export const SWARM_LABEL = 'docknet.lab.swarm';
export const SWARM_LABEL_VALUE = '1';
export const SWARM_FILTER = `label=${SWARM_LABEL}=${SWARM_LABEL_VALUE}`;

export const SWARM_HTTP_PORT = 8080;

export const SWARM_NET = {
  /** Attachable overlay with one container per node. */
  overlay: { name: 'docknet-sw-overlay', subnet: '10.246.1.0/24' },
  /** `--opt encrypted`: IPsec ESP between nodes, which this kernel cannot do. */
  encrypted: { name: 'docknet-sw-encrypted', subnet: '10.246.2.0/24' },
} as const;

/** Containers on the attachable overlay, one per node (index = node). */
export const SWARM_OVERLAY_CONTAINERS = SWARM_NODES.map((_, i) => `swc-${i + 1}`);
/** Containers on the encrypted overlay: on the first two nodes. */
export const SWARM_ENCRYPTED_CONTAINERS = SWARM_NODES.slice(0, 2).map((_, i) => `swe-${i + 1}`);

export const SWARM_SERVICE = {
  /** `--publish mode=host`: bound on the node itself, no routing mesh. */
  hostMode: { name: 'sw-hostmode', published: 18110 },
  /** `--endpoint-mode dnsrr`: DNS round robin, no VIP. */
  dnsrr: { name: 'sw-dnsrr', replicas: 2 },
  /** The default: a VIP on the overlay and a port on the ingress routing mesh, both of which need IPVS. */
  vip: { name: 'sw-vip', published: 18111 },
} as const;

/** Where `swarm up` records what it did, for `down` and the tests. */
export const SWARM_STATE_FILE = '/tmp/docknet-lab-swarm.json';
