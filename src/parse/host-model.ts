// Parses every fact of a Snapshot into one model of the host, remembering what each file could
// not say. Pure: the same code serves live and saved snapshots.
import type { BridgeInfo } from '../model/bridge.js';
import type { ContainerNetFacts } from '../model/container-net.js';
import { partialContainer, type ContainerInfo, type NetworkInfo } from '../model/engine.js';
import type { Link } from '../model/link.js';
import type { ParseIssue, Parsed } from '../model/parsed.js';
import { FACT, factText, type MissingFact, type Snapshot } from '../snapshot/snapshot.js';
import { parseBrctlShow } from './brctl-show.js';
import { containerNetFromLinks, parseContainerNetJson } from './container-net.js';
import { parseContainersJson, parseNetworksJson } from './engine-json.js';
import { parseDockerPsText } from './docker-ps-text.js';
import { parseIpAddrText } from './ip-addr-text.js';
import { parseIpLinkJson } from './ip-link-json.js';
import { parseIpRouteJson, type Route } from './ip-route-json.js';
import { emptyPortFacts, readPortFacts, type PortFacts } from './nat-facts.js';

export interface FileIssues {
  path: string;
  issues: ParseIssue[];
}

export interface HostModel {
  /** null: the snapshot holds no container list at all. */
  containers: ContainerInfo[] | null;
  networks: NetworkInfo[] | null;
  hostLinks: Link[] | null;
  /** Which file the host links came from. */
  hostLinksFrom: string | null;
  bridges: BridgeInfo[] | null;
  hostNetns: string | null;
  /** `ip -j route` of the host; null when not in the data. */
  routes: Route[] | null;
  /** Container-side interfaces, by container name. */
  containerNet: Map<string, ContainerNetFacts>;
  /** NAT rules, docker-proxy processes and bound host sockets (the 'nat' facts), each saying where it came from. */
  portFacts?: PortFacts;
  fileIssues: FileIssues[];
  missing: MissingFact[];
}

function take<T>(model: HostModel, path: string, parsed: Parsed<T>): T {
  if (parsed.issues.length > 0) model.fileIssues.push({ path, issues: parsed.issues });
  return parsed.value;
}

const CONTAINER_DIR = /^containers\/([^/]+)\/(net\.json|ip-addr\.txt)$/;

export function buildHostModel(snapshot: Snapshot): HostModel {
  const model: HostModel = {
    containers: null,
    networks: null,
    hostLinks: null,
    hostLinksFrom: null,
    bridges: null,
    hostNetns: factText(snapshot, FACT.hostNetns)?.trim() || null,
    routes: null,
    containerNet: new Map(),
    portFacts: emptyPortFacts(),
    fileIssues: [],
    missing: [...snapshot.missing],
  };
  const text = (path: string) => factText(snapshot, path);

  const containers = text(FACT.containers);
  if (containers !== null) {
    model.containers = take(model, FACT.containers, parseContainersJson(containers));
    const pids = text(FACT.containerPids);
    if (pids !== null) addRuntimePids(model, model.containers, pids);
  } else {
    const ps = text(FACT.dockerPs);
    if (ps !== null) model.containers = take(model, FACT.dockerPs, parseDockerPsText(ps));
  }
  const networks = text(FACT.networks);
  if (networks !== null) model.networks = take(model, FACT.networks, parseNetworksJson(networks));

  for (const [path, parse] of [
    [FACT.ipAddrJson, parseIpLinkJson],
    [FACT.ipLinkJson, parseIpLinkJson],
    [FACT.ipAddrText, parseIpAddrText],
  ] as const) {
    const t = text(path);
    if (t === null) continue;
    model.hostLinks = take(model, path, parse(t));
    model.hostLinksFrom = path;
    break;
  }
  const routes = text(FACT.ipRouteJson);
  if (routes !== null) model.routes = take(model, FACT.ipRouteJson, parseIpRouteJson(routes));
  const brctl = text(FACT.brctlShow);
  if (brctl !== null) model.bridges = take(model, FACT.brctlShow, parseBrctlShow(brctl));

  for (const [path, fact] of snapshot.facts) {
    const m = CONTAINER_DIR.exec(path);
    if (!m) continue;
    const name = m[1] as string;
    if (m[2] === 'net.json') {
      const facts = take(model, path, parseContainerNetJson(fact.text));
      if (facts) model.containerNet.set(name, facts);
    } else if (!snapshot.facts.has(FACT.containerNet(name))) {
      model.containerNet.set(name, containerNetFromLinks(take(model, path, parseIpAddrText(fact.text))));
    }
  }
  addContainersKnownOnlyByTheirFiles(model);
  model.portFacts = readPortFacts(snapshot, (path, parsed) => take(model, path, parsed));
  return model;
}

/** Container-list entries carry no pid: the runtime's state files gave them (gather/runtime-pids.ts). */
function addRuntimePids(model: HostModel, containers: ContainerInfo[], text: string): void {
  let pids: Record<string, { pid?: unknown }>;
  try {
    pids = JSON.parse(text) as typeof pids;
  } catch (err) {
    model.fileIssues.push({
      path: FACT.containerPids,
      issues: [{ line: 0, text: text.slice(0, 80), reason: `not valid JSON: ${(err as Error).message}` }],
    });
    return;
  }
  for (const c of containers) {
    const pid = pids[c.id]?.pid;
    if (c.pid === null && typeof pid === 'number' && pid > 0) c.pid = pid;
  }
}

/** A hand-made snapshot may hold a container's `ip addr` without listing the container anywhere else. */
function addContainersKnownOnlyByTheirFiles(model: HostModel): void {
  const known = new Set((model.containers ?? []).map((c) => c.name));
  for (const name of model.containerNet.keys()) {
    if (known.has(name)) continue;
    // Its interfaces were captured, so it had a namespace then.
    (model.containers ??= []).push(partialContainer({ id: '', name, running: true }));
  }
}
