// Network interfaces as the kernel reports them (netlink attributes, named as in iproute2).

export type AddrFamily = 'inet' | 'inet6';

export interface Addr {
  family: AddrFamily;
  /** Address without prefix, e.g. "172.17.0.2" or "fe80::42:acff:fe11:2". */
  address: string;
  prefixlen: number;
  scope: string | null;
}

export interface Link {
  /** The kernel's index, from 1; 0 when the listing does not print it (`ip -br`): then no index at all, never to be matched. */
  ifindex: number;
  /** Name without the "@ifN" / "@parent" suffix that `ip` prints. */
  name: string;
  /**
   * IFLA_LINK: the peer (veth) or lower device (macvlan, vlan) ifindex, in the namespace named by
   * linkNetnsId when that is set. Without it the namespace is unknown: busybox and old iproute2
   * print "@ifN" with no netnsid even for a peer in another namespace.
   */
  peerIfindex: number | null;
  /** The "@name" of `ip` when the peer/lower device is in the same namespace (e.g. macvlan0@eth0). */
  peerName: string | null;
  /** IFLA_LINK_NETNSID: the id, local to this namespace, of the namespace holding the peer. */
  linkNetnsId: number | null;
  /**
   * `link-netns NAME`: iproute2 printed the peer's namespace by its /run/netns name instead of
   * linkNetnsId (which is then null). When set, peerIfindex is an index in that other namespace.
   */
  linkNetnsName?: string;
  /** The bridge (or bond) this link is enslaved to. */
  master: string | null;
  /** info_kind: veth, bridge, macvlan, ipvlan, vxlan, dummy, ...; null when not reported. */
  kind: string | null;
  mac: string | null;
  mtu: number | null;
  /** operstate: UP, DOWN, UNKNOWN, LOWERLAYERDOWN, ... */
  state: string | null;
  flags: string[];
  addresses: Addr[];
}
