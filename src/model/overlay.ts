// Swarm overlays as each node's kernel and the swarm's control plane report them: the VXLAN device and
// bridge of an overlay's namespace, its forwarding and neighbour entries, IPsec state, and the peers,
// tasks and nodes the Engine API lists.

/** A VXLAN device (`ip -d link`, IFLA_VXLAN_*). */
export interface VxlanDevice {
  name: string;
  ifindex: number;
  vni: number | null;
  /** UDP destination port; 4789 by default. */
  port: number | null;
  learning: boolean | null;
  proxy: boolean | null;
  l2miss: boolean | null;
  l3miss: boolean | null;
  mtu: number | null;
  master: string | null;
  mac: string | null;
}

/** A link of the overlay namespace: br0, vxlan0, and a veth leg per local task. */
export interface OverlayLink {
  name: string;
  ifindex: number;
  kind: string | null;
  master: string | null;
  mtu: number | null;
  mac: string | null;
  /** veth: the peer's ifindex and the netnsid it lives in (a task's namespace). */
  peerIfindex: number | null;
  linkNetnsId: number | null;
  state: string | null;
}

/** One entry of `bridge fdb show`. */
export interface FdbEntry {
  mac: string;
  dev: string;
  /** The remote VTEP a VXLAN entry sends to. */
  dst: string | null;
  master: string | null;
  vlan: number | null;
  state: string | null;
  flags: string[];
}

/** One entry of `ip neigh show`. */
export interface NeighEntry {
  dst: string;
  dev: string;
  lladdr: string | null;
  states: string[];
}

/** One block of `ip xfrm state`. */
export interface XfrmState {
  src: string;
  dst: string;
  proto: string | null;
  spi: string | null;
  reqid: string | null;
  mode: string | null;
  /** The algorithm lines (aead rfc4106(gcm(aes)) ..., enc ..., auth ...), key material cut out. */
  algorithms: string[];
  text: string;
}

/** One block of `ip xfrm policy`. */
export interface XfrmPolicy {
  src: string;
  dst: string;
  /** The selector beyond addresses: `proto udp dport 4789`, as printed. */
  selector: string;
  dir: string | null;
  priority: number | null;
  mark: string | null;
  /** The template: the SA the kernel needs for a matching packet. */
  tmpl: { src: string | null; dst: string | null; proto: string | null; spi: string | null; mode: string | null } | null;
  text: string;
}

/** A peer of an overlay as the control plane (network inspect -v) lists it: a node of the swarm that has the network. */
export interface ControlPeer {
  name: string;
  ip: string;
}

/** A task or container endpoint on an overlay, as the control plane lists it. */
export interface ControlTask {
  /** Service name, or '' for an attachable container (listed under Services[""]). */
  service: string;
  name: string;
  endpointIp: string | null;
  /** The node (its data-path address) the task runs on. */
  hostIp: string | null;
}

export interface ControlService {
  name: string;
  vip: string | null;
  ports: string[];
  tasks: ControlTask[];
}

/** A local endpoint of the overlay on this node (GET /networks/{id} Containers). */
export interface LocalEndpoint {
  id: string;
  name: string;
  mac: string | null;
  ipv4: string | null;
}

/** An overlay network as one node's engine reports it with ?verbose=true. */
export interface OverlayNetwork {
  id: string;
  name: string;
  vni: number | null;
  encrypted: boolean;
  attachable: boolean;
  ingress: boolean;
  subnets: string[];
  /** com.docker.network.driver.mtu when set; null: the driver's default. */
  mtuOption: number | null;
  /** null when the engine listed no Peers field at all (a node without the network). */
  peers: ControlPeer[] | null;
  services: ControlService[];
  local: LocalEndpoint[];
}

/** A swarm node as GET /nodes lists it (managers only). */
export interface SwarmNodeInfo {
  id: string;
  hostname: string;
  role: string;
  state: string;
  availability: string;
  addr: string | null;
  managerAddr: string | null;
}

/** A swarm service as GET /services lists it (managers only). */
export interface SwarmService {
  id: string;
  name: string;
  endpointMode: string;
  vips: { networkId: string; addr: string }[];
  /** Published ports with their mode: ingress (the routing mesh) or host. */
  ports: { published: number | null; target: number | null; protocol: string; mode: string }[];
}

/** A task as GET /tasks lists it (managers only). */
export interface SwarmTask {
  id: string;
  serviceId: string;
  nodeId: string | null;
  slot: number | null;
  state: string;
  desiredState: string;
}

/** /info Swarm. */
export interface SwarmInfo {
  nodeId: string;
  nodeAddr: string | null;
  localNodeState: string;
  controlAvailable: boolean;
  remoteManagers: { nodeId: string; addr: string }[];
  dataPathPort: number | null;
}

/** What the kernel offers an overlay: IPVS (VIPs, the routing mesh) and IPsec ESP (encrypted overlays). */
export interface KernelFeatures {
  /** /proc/net/ip_vs exists only when IPVS is in the kernel (built in or loaded). */
  ipvs: { present: boolean; evidence: string };
  /** The kernel's build options docknet checks, from /proc/config.gz when readable: name -> 'y', 'm' or 'not set'. */
  config: Record<string, string> | null;
  /** Modules loaded (/proc/modules) among ip_vs, esp4, xfrm_user, vxlan; null when the kernel has no module support or it was unreadable. */
  modules: string[] | null;
}
