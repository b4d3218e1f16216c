// A route of the host's main table, as `ip -j route` reports it.

export interface Route {
  /** "default" or a prefix such as "172.17.0.0/16". */
  dst: string;
  dev: string | null;
  gateway: string | null;
}
