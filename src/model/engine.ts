// Containers and networks as the Engine API describes them, in docknet's own shape.

export interface Endpoint {
  /** Network name as the container's NetworkSettings.Networks key holds it. */
  network: string;
  networkId: string | null;
  endpointId: string | null;
  /** CIDR, e.g. "172.17.0.2/16"; null when the engine reports none. */
  ipv4: string | null;
  ipv6: string | null;
  mac: string | null;
  gateway: string | null;
  aliases: string[];
}

export interface PortBinding {
  hostIp: string;
  hostPort: string;
}

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  /** created, running, paused, restarting, removing, exited, dead */
  state: string;
  running: boolean;
  pid: number | null;
  created: string | null;
  startedAt: string | null;
  /** HostConfig.NetworkMode as written: default, bridge, host, none, container:<id>, or a network name. */
  networkMode: string;
  sandboxKey: string | null;
  endpoints: Endpoint[];
  /** NetworkSettings.Ports: "8080/tcp" -> bindings (null: exposed, not published). */
  ports: Record<string, PortBinding[] | null>;
  /** HostConfig.PortBindings, the configured publications (also known for stopped containers). */
  portBindings: Record<string, PortBinding[] | null>;
  exposedPorts: string[];
  labels: Record<string, string>;
}

export interface NetworkMember {
  /** Container id, or a special key such as "ingress-sbox" / "lb-<network>". */
  key: string;
  name: string;
  endpointId: string | null;
  mac: string | null;
  ipv4: string | null;
  ipv6: string | null;
}

export interface NetworkInfo {
  id: string;
  name: string;
  driver: string;
  scope: string | null;
  internal: boolean;
  ingress: boolean;
  /** Linux bridge device for bridge-driver networks (docker0, br-<id12>, or the custom name). */
  bridgeName: string | null;
  /** Parent interface of macvlan/ipvlan networks. */
  parent: string | null;
  subnets: { subnet: string; gateway: string | null }[];
  options: Record<string, string>;
  members: NetworkMember[];
}

/** A container's identity in maps: its id, or its name when the data names it without an id. */
export function containerKey(c: Pick<ContainerInfo, 'id' | 'name'>): string {
  return c.id || `name:${c.name}`;
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** A container known only by a few facts (a `docker ps` row, a pasted `ip addr`): everything else unknown. */
export function partialContainer(known: Pick<ContainerInfo, 'id' | 'name'> & Partial<ContainerInfo>): ContainerInfo {
  return {
    image: '',
    state: 'unknown',
    running: false,
    pid: null,
    created: null,
    startedAt: null,
    // Neither `docker ps` nor `ip addr` shows the network mode.
    networkMode: 'unknown',
    sandboxKey: null,
    endpoints: [],
    ports: {},
    portBindings: {},
    exposedPorts: [],
    labels: {},
    ...known,
  };
}
