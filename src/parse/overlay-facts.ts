// One swarm node's overlay facts read out of its snapshot, each known or unknown with why: the overlays
// the engine reports, each overlay namespace's links, fdb and neighbours, xfrm, the kernel's features.
import { type Fact, known, unknown } from '../model/fact.js';
import type { HostModel } from '../model/host.js';
import type {
  FdbEntry,
  KernelFeatures,
  NeighEntry,
  OverlayNetwork,
  SwarmInfo,
  SwarmNodeInfo,
  SwarmService,
  SwarmTask,
  XfrmPolicy,
  XfrmState,
} from '../model/overlay.js';
import { issue, type Parsed } from '../model/parsed.js';
import { FACT, type Snapshot } from '../snapshot/snapshot.js';
import { parseBridgeFdbJson } from './bridge-fdb.js';
import { engineInfoFact } from './engine-info.js';
import { buildHostModel } from './host-model.js';
import { parseIpNeighJson } from './ip-neigh-json.js';
import { parseOverlayLinks, type OverlayLinks } from './overlay-links.js';
import { readSnapshotFact } from './snapshot-fact.js';
import { parseOverlayNetwork, parseSwarmNodes, parseSwarmServices, parseSwarmTasks, swarmInfoOf } from './swarm-engine.js';
import { parseXfrmPolicy, parseXfrmState } from './xfrm-text.js';

export interface OverlayOnNode {
  network: OverlayNetwork;
  /** The namespace file and whether this node has it. */
  sandbox: Fact<{ path: string; present: boolean }>;
  links: Fact<OverlayLinks>;
  fdb: Fact<FdbEntry[]>;
  neigh: Fact<NeighEntry[]>;
}

export interface NodeOverlayFacts {
  /** The fleet's label of this node. */
  host: string;
  hostname: string | null;
  swarm: Fact<SwarmInfo>;
  /** The overlays this node's engine lists; unknown when the list was not read. */
  overlays: Fact<OverlayOnNode[]>;
  /** Overlays listed whose verbose inspect failed, by id, with why. */
  uninspected: { id: string; reason: string }[];
  nodes: Fact<SwarmNodeInfo[]>;
  services: Fact<SwarmService[]>;
  tasks: Fact<SwarmTask[]>;
  xfrmState: Fact<XfrmState[]>;
  xfrmPolicy: Fact<XfrmPolicy[]>;
  kernel: Fact<KernelFeatures>;
  /** The node's own namespace: links, routes and rules (for MTU, addresses and the firewall). */
  model: HostModel;
}

function jsonObject<T>(text: string): Parsed<T | null> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return { value: v as T, issues: [] };
    return { value: null, issues: [issue(0, text.slice(0, 80), 'expected a JSON object')] };
  } catch (err) {
    return { value: null, issues: [issue(0, text.slice(0, 80), `not valid JSON (${(err as Error).message})`)] };
  }
}

function listOf(text: string): Parsed<{ Id: string }[] | null> {
  try {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(v)) return { value: v.filter((n) => typeof n?.Id === 'string') as { Id: string }[], issues: [] };
    return { value: null, issues: [issue(0, text.slice(0, 80), 'expected a JSON array of networks')] };
  } catch (err) {
    return { value: null, issues: [issue(0, text.slice(0, 80), `not valid JSON (${(err as Error).message})`)] };
  }
}

export function readNodeOverlayFacts(host: string, snapshot: Snapshot): NodeOverlayFacts {
  const info = engineInfoFact(snapshot).fact;
  const swarm: Fact<SwarmInfo> = !info.known
    ? info
    : (() => {
        const s = swarmInfoOf(info.value);
        return s ? known(s, FACT.engineInfo) : unknown('failed', `${FACT.engineInfo} has no Swarm object`);
      })();
  const list = readSnapshotFact(
    snapshot,
    FACT.overlayNetworks,
    listOf,
    'the overlay list (GET /networks, driver overlay) is not in the data',
  ).fact;
  const uninspected: NodeOverlayFacts['uninspected'] = [];
  let overlays: Fact<OverlayOnNode[]>;
  if (!list.known) overlays = list;
  else {
    const out: OverlayOnNode[] = [];
    for (const { Id } of list.value) {
      const net = readSnapshotFact(
        snapshot,
        FACT.overlayNetwork(Id),
        parseOverlayNetwork,
        `GET /networks/${Id}?verbose=true is not in the data`,
      ).fact;
      if (!net.known) {
        uninspected.push({ id: Id, reason: net.reason });
        continue;
      }
      out.push({
        network: net.value,
        sandbox: readSnapshotFact(
          snapshot,
          FACT.overlaySandbox(Id),
          (t) => jsonObject<{ path: string; present: boolean }>(t),
          'whether this node has the overlay namespace is not in the data',
        ).fact,
        links: readSnapshotFact(snapshot, FACT.overlayLinks(Id), parseOverlayLinks, 'the overlay namespace links are not in the data').fact,
        fdb: readSnapshotFact(snapshot, FACT.overlayFdb(Id), parseBridgeFdbJson, 'the overlay namespace fdb is not in the data').fact,
        neigh: readSnapshotFact(snapshot, FACT.overlayNeigh(Id), parseIpNeighJson, 'the overlay namespace neighbours are not in the data')
          .fact,
      });
    }
    overlays = known(out, FACT.overlayNetworks);
  }
  return {
    host,
    hostname: snapshot.hostname,
    swarm,
    overlays,
    uninspected,
    nodes: readSnapshotFact(snapshot, FACT.swarmNodes, parseSwarmNodes, 'the swarm node list (GET /nodes) is not in the data').fact,
    services: readSnapshotFact(snapshot, FACT.swarmServices, parseSwarmServices, 'the service list (GET /services) is not in the data')
      .fact,
    tasks: readSnapshotFact(snapshot, FACT.swarmTasks, parseSwarmTasks, 'the task list (GET /tasks) is not in the data').fact,
    xfrmState: readSnapshotFact(snapshot, FACT.xfrmState, parseXfrmState, 'ip xfrm state is not in the data').fact,
    xfrmPolicy: readSnapshotFact(snapshot, FACT.xfrmPolicy, parseXfrmPolicy, 'ip xfrm policy is not in the data').fact,
    kernel: readSnapshotFact(snapshot, FACT.kernelFeatures, (t) => jsonObject<KernelFeatures>(t), 'the kernel features are not in the data')
      .fact,
    model: buildHostModel(snapshot),
  };
}
