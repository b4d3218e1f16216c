// The rules of each iptables backend, as doctor compares them: a rule in one backend is invisible to the other's tools.

/** One rule of a backend's dump: its chain, and its line as iptables-save writes it, without `-c` counters. */
export interface BackendRule {
  chain: string;
  /** `-A DOCKER -i docker0 -j RETURN` */
  line: string;
}

/** Each backend's rules; null for a backend whose dump was not read (an empty array: read, and it holds none). */
export interface IptablesBackends {
  legacy: BackendRule[] | null;
  nft: BackendRule[] | null;
}
