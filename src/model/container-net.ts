// A container's interfaces as read from inside its network namespace, without entering it.
import type { UnknownCause } from './fact.js';

export interface ContainerIface {
  name: string;
  ifindex: number | null;
  /** sysfs iflink: IFLA_LINK, the peer's ifindex (in the peer's namespace) for a veth. */
  iflink: number | null;
  mac: string | null;
  mtu: number | null;
  operstate: string | null;
  /** Addresses in CIDR form, when the source shows them (a pasted `ip addr` does). */
  addresses?: string[];
}

export interface ContainerNetFacts {
  pid: number;
  /** The namespace's identity, e.g. "net:[4026532184]". */
  netns: string | null;
  /** How the interfaces were read: the container's own sysfs, /proc/<pid>/net, or a pasted `ip addr`. */
  via: 'sysfs' | 'proc-net' | 'ip-addr-text' | null;
  interfaces: ContainerIface[];
  /** Raw /proc/<pid>/net/igmp when sysfs was not readable; parse/container-net.ts reads it. */
  procNetIgmp?: string;
  /** Why the interfaces could not be read, when they could not. */
  error: string | null;
  /** The error as a code (e.g. needs-root); absent in files written before it was recorded. */
  errorCause?: UnknownCause;
}
