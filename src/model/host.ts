// The model of one host: every fact group docknet reads, each known (with its source) or unknown
// (with why), and what the files could not say. Built by parse/host-model.ts; read by correlate/.
import type { PortFacts } from './port-facts.js';
import type { MissingFact } from '../snapshot/snapshot.js';
import type { BridgeInfo } from './bridge.js';
import type { ContainerNetFacts } from './container-net.js';
import type { EngineVersion } from './docker-generation.js';
import { containerKey, type ContainerInfo, type NetworkInfo } from './engine.js';
import type { Fact } from './fact.js';
import type { Ruleset } from './firewall.js';
import type { Link } from './link.js';
import type { ParseIssue } from './parsed.js';
import type { Route } from './route.js';

export interface FileIssues {
  path: string;
  issues: ParseIssue[];
}

/** Where a container known without the engine's list was learnt from. */
export type ContainerSource = 'container-list' | 'docker-ps' | 'network-members' | 'container-files' | 'docker-port';

export interface Containers {
  /** Every container the data names: the engine's list, or else those other files name. */
  all: ContainerInfo[];
  /**
   * Known when `all` is the engine's whole list (docker/containers.json, or `docker ps` for the running
   * ones); unknown says why not. Only a complete list may prove absence ("no container has 172.17.0.9").
   */
  complete: Fact<true>;
  /** How each container was learnt, by container key (model/engine.ts containerKey). */
  sourceOf: Map<string, ContainerSource>;
  /** Containers whose publications are known although the engine's list does not give them: `docker port` output, by key. */
  portsFrom: Map<string, string>;
}

export interface Firewall {
  ipv4: Fact<Ruleset>;
  ipv6: Fact<Ruleset>;
}

export interface HostModel {
  containers: Containers;
  networks: Fact<NetworkInfo[]>;
  /** The host's links (interfaces), from `ip` JSON or text. */
  hostLinks: Fact<Link[]>;
  /** Bridge ports as `brctl show` lists them. */
  bridges: Fact<BridgeInfo[]>;
  /** The network namespace of the host (of the process that gathered the facts). */
  hostNetns: Fact<string>;
  /** `ip -j route` of the main table. */
  routes: Fact<Route[]>;
  /** The IPv6 main table (`ip -j -6 route`). */
  routes6: Fact<Route[]>;
  /** Container-side interfaces, by container name. */
  containerNet: Map<string, ContainerNetFacts>;
  /** NAT rules, docker-proxy processes and bound host sockets, each saying where it came from. */
  portFacts: PortFacts;
  /** Every table and chain of both families' rules, for walking a packet (correlate/reach). */
  firewall: Firewall;
  /** The engine that wrote the rules and made the networks: what its generation does (model/docker-generation.ts). */
  engineVersion: Fact<EngineVersion>;
  fileIssues: FileIssues[];
  missing: MissingFact[];
}

/** Whether a container's publications are in the data: from the engine's list, or its own `docker port` output. */
export function publicationsKnown(model: HostModel, c: Pick<ContainerInfo, 'id' | 'name'>): boolean {
  const key = containerKey(c);
  const source = model.containers.sourceOf.get(key);
  return source === 'container-list' || source === 'docker-ps' || model.containers.portsFrom.has(key);
}

/** Whether absence can be concluded from the container list. */
export function containerListComplete(model: HostModel): boolean {
  return model.containers.complete.known;
}
