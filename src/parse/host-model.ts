// Parses every fact of a Snapshot into one model of the host (model/host.ts): each fact group from the
// richest source present, known or unknown with its reason, and what each file could not say. Pure:
// the same code serves live and saved snapshots.
import type { BridgeInfo } from '../model/bridge.js';
import type { ContainerNetFacts } from '../model/container-net.js';
import { containerKey, partialContainer, type ContainerInfo, type Endpoint, type NetworkInfo } from '../model/engine.js';
import { causeOf, known, unknown, type Fact, type Unknown } from '../model/fact.js';
import type { ContainerSource, Containers, HostModel } from '../model/host.js';
import type { Link } from '../model/link.js';
import type { Parsed } from '../model/parsed.js';
import type { Route } from '../model/route.js';
import { FACT, factText, isOverlayFact, type Snapshot } from '../snapshot/snapshot.js';
import { parseBrctlShow } from './brctl-show.js';
import { containerNetFromLinks, parseContainerNetJson } from './container-net.js';
import { parseDockerPsText } from './docker-ps-text.js';
import { parseContainersJson, parseNetworksJson } from './engine-json.js';
import { parseIpAddrText } from './ip-addr-text.js';
import { parseIpLinkJson } from './ip-link-json.js';
import { parseIpRouteJson } from './ip-route-json.js';
import { mergeBriefListings, parseIpBrief } from './ip-brief.js';
import { parseDockerPort, publishedPorts, type PortPublication } from './docker-port.js';
import { firewallOf } from './firewall-facts.js';
import { readPortFacts } from './nat-facts.js';
import { engineVersionFact } from './engine-version.js';

export type { FileIssues, HostModel } from '../model/host.js';

type Take = <T>(path: string, parsed: Parsed<T>) => T;

const CONTAINER_DIR = /^containers\/([^/]+)\/(net\.json|ip-addr\.txt)$/;
const FULL_ID = /^[0-9a-f]{64}$/;

/**
 * Why a group read from `paths` is unknown: the gathering's own reason when it tried and failed,
 * else "not in the data" naming the files that would have held it.
 */
function unknownFrom(snapshot: Snapshot, what: string, paths: string[]): Unknown {
  for (const p of paths) {
    const m = snapshot.missing.find((x) => x.path === p);
    if (m) return unknown(m.cause ?? causeOf(m.reason), `${what}: ${m.reason}`);
  }
  return unknown('not-in-data', `no ${what} in the data (${paths.join(', ')})`);
}

/** The first of `sources` the snapshot holds, parsed; unknown when it holds none. */
function firstOf<T>(snapshot: Snapshot, take: Take, what: string, sources: [string, (text: string) => Parsed<T>][]): Fact<T> {
  for (const [path, parse] of sources) {
    const text = factText(snapshot, path);
    if (text !== null) return known(take(path, parse(text)), path);
  }
  return unknownFrom(
    snapshot,
    what,
    sources.map(([p]) => p),
  );
}

export function buildHostModel(snapshot: Snapshot): HostModel {
  const fileIssues: HostModel['fileIssues'] = [];
  const take: Take = (path, parsed) => {
    if (parsed.issues.length > 0) fileIssues.push({ path, issues: parsed.issues });
    return parsed.value;
  };
  const netnsText = factText(snapshot, FACT.hostNetns)?.trim();
  const networks = firstOf<NetworkInfo[]>(snapshot, take, 'Docker network list', [[FACT.networks, parseNetworksJson]]);
  const hostLinks = firstOf<Link[]>(snapshot, take, 'host link listing', [
    [FACT.ipAddrJson, parseIpLinkJson],
    [FACT.ipLinkJson, parseIpLinkJson],
    [FACT.ipAddrText, parseIpAddrText],
    [FACT.ipBriefAddr, (t) => withBriefLinks(snapshot, t)],
    [FACT.ipBriefLink, parseIpBrief],
  ]);
  const routes = firstOf<Route[]>(snapshot, take, 'route table', [[FACT.ipRouteJson, parseIpRouteJson]]);
  const routes6 = firstOf<Route[]>(snapshot, take, 'IPv6 route table', [[FACT.ip6RouteJson, parseIpRouteJson]]);
  const bridges = firstOf<BridgeInfo[]>(snapshot, take, 'brctl show listing', [[FACT.brctlShow, parseBrctlShow]]);
  const containerNet = readContainerNet(snapshot, take);
  const containers = readContainers(snapshot, take, networks, containerNet);
  addDockerPorts(snapshot, take, containers);
  const portFacts = readPortFacts(snapshot, take);
  const model: HostModel = {
    containers,
    networks,
    hostLinks,
    bridges,
    hostNetns: netnsText ? known(netnsText, FACT.hostNetns) : unknownFrom(snapshot, 'host network namespace', [FACT.hostNetns]),
    routes,
    routes6,
    containerNet,
    portFacts,
    firewall: firewallOf(portFacts.nat.firewall, {
      ipv4: portFacts.nat.unavailable ?? 'no IPv4 rules are in the data',
      ipv6: snapshot.missing.find((m) => m.path === FACT.ip6tablesSave)?.reason ?? `no IPv6 rules are in the data (${FACT.ip6tablesSave})`,
    }),
    engineVersion: engineVersionFact(snapshot),
    fileIssues,
    // The overlay facts are docknet overlay's (parse/overlay-facts.ts): what of them is missing is not this model's to say.
    missing: snapshot.missing.filter((m) => !isOverlayFact(m.path)),
  };
  return model;
}

function readContainerNet(snapshot: Snapshot, take: Take): Map<string, ContainerNetFacts> {
  const out = new Map<string, ContainerNetFacts>();
  for (const [path, fact] of snapshot.facts) {
    const m = CONTAINER_DIR.exec(path);
    if (!m) continue;
    const name = m[1] as string;
    if (m[2] === 'net.json') {
      const facts = take(path, parseContainerNetJson(fact.text));
      if (facts) out.set(name, facts);
    } else if (path === FACT.containerIpAddr(name) && !snapshot.facts.has(FACT.containerNet(name))) {
      out.set(name, containerNetFromLinks(take(path, parseIpAddrText(fact.text))));
    }
  }
  return out;
}

/**
 * The engine's list when the snapshot has one (inspect JSON, else `docker ps`); otherwise the
 * containers other files name: members of `docker network inspect`, and containers/<name>/ files.
 */
function readContainers(
  snapshot: Snapshot,
  take: Take,
  networks: Fact<NetworkInfo[]>,
  containerNet: Map<string, ContainerNetFacts>,
): Containers {
  const sourceOf = new Map<string, ContainerSource>();
  const list = firstOf<ContainerInfo[]>(snapshot, take, 'container list', [
    [FACT.containers, parseContainersJson],
    [FACT.dockerPs, parseDockerPsText],
  ]);
  if (list.known) {
    if (list.from === FACT.containers) addRuntimePids(snapshot, list.value, take);
    const source: ContainerSource = list.from === FACT.containers ? 'container-list' : 'docker-ps';
    for (const c of list.value) sourceOf.set(containerKey(c), source);
    const unlisted = addFileContainers(list.value, containerNet, sourceOf);
    // A container whose own files are in the data but that the list lacks proves the list was taken
    // at another moment: it is not the whole list.
    const complete = unlisted.length
      ? unknown(
          'not-in-data',
          `${list.from} does not list ${unlisted.join(', ')}, whose own files are in the data: it was taken at another moment, so it is not the whole list`,
        )
      : known(true as const, list.from);
    return { all: list.value, complete, sourceOf, portsFrom: new Map() };
  }
  const all = networks.known ? containersFromMembers(networks.value) : [];
  for (const c of all) sourceOf.set(containerKey(c), 'network-members');
  addFileContainers(all, containerNet, sourceOf);
  return { all, complete: list, sourceOf, portsFrom: new Map() };
}

/** `ip -br addr` with, when the snapshot has it too, `ip -br link`'s MACs: one listing. */
function withBriefLinks(snapshot: Snapshot, addrText: string): Parsed<Link[]> {
  const addr = parseIpBrief(addrText);
  const linkText = factText(snapshot, FACT.ipBriefLink);
  if (linkText === null) return addr;
  const link = parseIpBrief(linkText);
  return { value: mergeBriefListings(addr.value, link.value), issues: [...addr.issues, ...link.issues] };
}

// docker/port.txt (FACT.dockerPortAny) or docker/port-<name>.txt (FACT.dockerPort).
const PORT_FILE = /^docker\/port(?:-(.+))?\.txt$/;

/**
 * `docker port NAME` outputs: the publications of containers the engine's list does not give
 * (a container known only by other files, or by this output alone).
 */
function addDockerPorts(snapshot: Snapshot, take: Take, containers: Containers): void {
  for (const [path, fact] of snapshot.facts) {
    const m = PORT_FILE.exec(path);
    if (!m) continue;
    const listing = take(path, parseDockerPort(fact.text, m[1] ? { container: m[1] } : {}));
    const byName = new Map<string, PortPublication[]>();
    for (const p of listing.publications) if (p.container) byName.set(p.container, [...(byName.get(p.container) ?? []), p]);
    for (const u of listing.notPublished) byName.set(u.container, byName.get(u.container) ?? []);
    for (const [name, pubs] of byName) {
      let c = containers.all.find((x) => x.name === name);
      const key = c ? containerKey(c) : null;
      const source = key ? containers.sourceOf.get(key) : undefined;
      // The engine's list states its publications itself, at its own moment.
      if (source === 'container-list' || source === 'docker-ps') continue;
      if (!c) {
        c = partialContainer({ id: '', name, running: true, state: 'running' });
        containers.all.push(c);
        containers.sourceOf.set(containerKey(c), 'docker-port');
      }
      c.ports = publishedPorts(pubs);
      c.portBindings = c.ports;
      containers.portsFrom.set(containerKey(c), path);
    }
  }
}

/** Adds the containers known only by their containers/<name>/ files; returns their names. */
function addFileContainers(
  all: ContainerInfo[],
  containerNet: Map<string, ContainerNetFacts>,
  sourceOf: Map<string, ContainerSource>,
): string[] {
  const byName = new Set(all.map((c) => c.name));
  const added: string[] = [];
  for (const name of containerNet.keys()) {
    if (byName.has(name)) continue;
    // Its interfaces were captured, so it had a namespace then.
    const c = partialContainer({ id: '', name, running: true });
    sourceOf.set(containerKey(c), 'container-files');
    all.push(c);
    added.push(name);
  }
  return added;
}

/**
 * `docker network inspect` lists each network's containers (endpoints of running containers) with
 * their addresses and MACs: with no container list, that is what is known of them.
 */
function containersFromMembers(networks: NetworkInfo[]): ContainerInfo[] {
  const byId = new Map<string, ContainerInfo>();
  for (const net of networks) {
    for (const m of net.members) {
      // Sandboxes of Docker's own (ingress-sbox, lb-<network>) are no containers, and a docker_gwbridge
      // member is named for its sandbox (gateway_<id>), not for its container.
      if (!FULL_ID.test(m.key) || m.name.startsWith('gateway_')) continue;
      const c = byId.get(m.key) ?? partialContainer({ id: m.key, name: m.name, running: true, state: 'running' });
      // The host and none networks are network modes, not networks a container joins beside others.
      if (net.driver === 'host' || net.driver === 'null') c.networkMode = net.driver === 'host' ? 'host' : 'none';
      const ep: Endpoint = {
        network: net.name,
        networkId: net.id,
        endpointId: m.endpointId,
        ipv4: m.ipv4,
        ipv6: m.ipv6,
        mac: m.mac,
        gateway: net.subnets.find((s) => !s.subnet.includes(':'))?.gateway ?? null,
        aliases: [],
      };
      c.endpoints.push(ep);
      byId.set(m.key, c);
    }
  }
  return [...byId.values()];
}

/** Container-list entries carry no pid: the runtime's state files gave them (gather/runtime-pids.ts). */
function addRuntimePids(snapshot: Snapshot, containers: ContainerInfo[], take: Take): void {
  const text = factText(snapshot, FACT.containerPids);
  if (text === null) return;
  let pids: Record<string, { pid?: unknown }>;
  try {
    pids = JSON.parse(text) as typeof pids;
  } catch (err) {
    take(FACT.containerPids, {
      value: null,
      issues: [{ line: 0, text: text.slice(0, 80), reason: `not valid JSON: ${(err as Error).message}` }],
    });
    return;
  }
  for (const c of containers) {
    const pid = pids[c.id]?.pid;
    if (c.pid === null && typeof pid === 'number' && pid > 0) c.pid = pid;
  }
}
