// Hand-made host models for tests: a group given is known (from "test"), a group left out is unknown.
import type { BridgeInfo } from '../src/model/bridge.js';
import type { ContainerNetFacts } from '../src/model/container-net.js';
import { containerKey, type ContainerInfo, type NetworkInfo } from '../src/model/engine.js';
import { known, unknown, type Fact } from '../src/model/fact.js';
import type { HostModel } from '../src/model/host.js';
import type { Link } from '../src/model/link.js';
import type { Route } from '../src/model/route.js';
import { firewallOf } from '../src/parse/firewall-facts.js';
import { emptyPortFacts, type PortFacts } from '../src/parse/nat-facts.js';

export interface ModelParts {
  /** The engine's whole list; leave out for "no container list". */
  containers?: ContainerInfo[];
  networks?: NetworkInfo[];
  hostLinks?: Link[];
  bridges?: BridgeInfo[];
  hostNetns?: string;
  routes?: Route[];
  routes6?: Route[];
  containerNet?: Map<string, ContainerNetFacts>;
  portFacts?: PortFacts;
  /** The engine's version string, e.g. "28.5.2". */
  engineVersion?: string;
}

function fact<T>(value: T | undefined, what: string): Fact<T> {
  return value === undefined ? unknown('not-in-data', `${what} not in the test's data`) : known(value, 'test');
}

export function hostModel(parts: ModelParts): HostModel {
  const all = parts.containers ?? [];
  return {
    containers: {
      all,
      complete: fact(parts.containers ? (true as const) : undefined, 'the container list'),
      sourceOf: new Map(all.map((c) => [containerKey(c), 'container-list' as const])),
      portsFrom: new Map(),
    },
    networks: fact(parts.networks, 'Docker networks'),
    hostLinks: fact(parts.hostLinks, "the host's links"),
    bridges: fact(parts.bridges, 'bridge ports'),
    hostNetns: fact(parts.hostNetns, "the host's network namespace"),
    routes: fact(parts.routes, 'routes'),
    routes6: fact(parts.routes6, 'IPv6 routes'),
    containerNet: parts.containerNet ?? new Map(),
    portFacts: parts.portFacts ?? emptyPortFacts(),
    firewall: firewallOf((parts.portFacts ?? emptyPortFacts()).nat.firewall, { ipv4: 'no IPv4 rules given', ipv6: 'no IPv6 rules given' }),
    engineVersion: fact(
      parts.engineVersion === undefined ? undefined : { version: parts.engineVersion, apiVersion: null },
      'the engine version',
    ),
    fileIssues: [],
    missing: [],
  };
}
