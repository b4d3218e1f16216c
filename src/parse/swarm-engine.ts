// Maps the Engine API's swarm JSON to docknet's own types: GET /networks/{id}?verbose=true of an overlay
// (peers, services and their tasks, local endpoints), /nodes, /services, /tasks and /info's Swarm.
import type {
  ControlService,
  ControlTask,
  LocalEndpoint,
  OverlayNetwork,
  SwarmInfo,
  SwarmNodeInfo,
  SwarmService,
  SwarmTask,
} from '../model/overlay.js';
import { issue, type Parsed } from '../model/parsed.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** "10.0.1.2/24" -> "10.0.1.2"; the engine prints "<nil>" for a service without a VIP. */
const bare = (v: unknown): string | null => {
  const s = str(v);
  return s && s !== '<nil>' ? (s.split('/')[0] ?? null) : null;
};

function json(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: `not valid JSON: ${(err as Error).message}` };
  }
}

/** One overlay network's verbose inspect; null (with an issue) when it is not one. */
export function parseOverlayNetwork(text: string): Parsed<OverlayNetwork | null> {
  const j = json(text);
  if ('error' in j) return { value: null, issues: [issue(0, text, j.error)] };
  const n = j.value;
  if (!isObj(n) || !str(n.Id)) return { value: null, issues: [issue(0, text, 'not a network inspect (no Id)')] };
  const options = isObj(n.Options) ? n.Options : {};
  const vniText = str(options['com.docker.network.driver.overlay.vxlanid_list']);
  const vni = vniText && /^\d+/.test(vniText) ? Number(vniText.split(',')[0]) : null;
  const mtu = str(options['com.docker.network.driver.mtu']);
  const services: ControlService[] = [];
  for (const [name, s] of Object.entries(isObj(n.Services) ? n.Services : {})) {
    if (!isObj(s)) continue;
    const tasks: ControlTask[] = arr(s.Tasks)
      .filter(isObj)
      .map((t) => ({
        service: name,
        name: str(t.Name) ?? '',
        endpointIp: bare(t.EndpointIP),
        hostIp: isObj(t.Info) ? bare(t.Info['Host IP']) : null,
      }));
    services.push({ name, vip: bare(s.VIP), ports: arr(s.Ports).map(String), tasks });
  }
  const local: LocalEndpoint[] = Object.entries(isObj(n.Containers) ? n.Containers : {})
    .filter(([, c]) => isObj(c))
    .map(([id, c]) => {
      const e = c as Json;
      return { id, name: str(e.Name) ?? id, mac: str(e.MacAddress)?.toLowerCase() ?? null, ipv4: bare(e.IPv4Address) };
    });
  const ipam = isObj(n.IPAM) ? n.IPAM : {};
  return {
    value: {
      id: n.Id as string,
      name: str(n.Name) ?? (n.Id as string),
      vni,
      encrypted: 'encrypted' in options,
      attachable: n.Attachable === true,
      ingress: n.Ingress === true,
      subnets: arr(ipam.Config)
        .filter(isObj)
        .map((c) => str(c.Subnet))
        .filter((s): s is string => s !== null),
      mtuOption: mtu && /^\d+$/.test(mtu) ? Number(mtu) : null,
      peers: Array.isArray(n.Peers) ? n.Peers.filter(isObj).map((p) => ({ name: str(p.Name) ?? '', ip: str(p.IP) ?? '' })) : null,
      services,
      local,
    },
    issues: [],
  };
}

export function parseSwarmNodes(text: string): Parsed<SwarmNodeInfo[] | null> {
  const j = json(text);
  if ('error' in j) return { value: null, issues: [issue(0, text, j.error)] };
  if (!Array.isArray(j.value)) return { value: null, issues: [issue(0, text, 'expected a JSON array of nodes')] };
  return {
    value: j.value.filter(isObj).map((n) => {
      const spec = isObj(n.Spec) ? n.Spec : {};
      const desc = isObj(n.Description) ? n.Description : {};
      const status = isObj(n.Status) ? n.Status : {};
      const mgr = isObj(n.ManagerStatus) ? n.ManagerStatus : {};
      return {
        id: str(n.ID) ?? '',
        hostname: str(desc.Hostname) ?? '',
        role: str(spec.Role) ?? '',
        state: str(status.State) ?? '',
        availability: str(spec.Availability) ?? '',
        addr: str(status.Addr),
        managerAddr: str(mgr.Addr),
      };
    }),
    issues: [],
  };
}

export function parseSwarmServices(text: string): Parsed<SwarmService[] | null> {
  const j = json(text);
  if ('error' in j) return { value: null, issues: [issue(0, text, j.error)] };
  if (!Array.isArray(j.value)) return { value: null, issues: [issue(0, text, 'expected a JSON array of services')] };
  return {
    value: j.value.filter(isObj).map((s) => {
      const spec = isObj(s.Spec) ? s.Spec : {};
      const ep = isObj(s.Endpoint) ? s.Endpoint : {};
      const epSpec = isObj(spec.EndpointSpec) ? spec.EndpointSpec : isObj(ep.Spec) ? ep.Spec : {};
      return {
        id: str(s.ID) ?? '',
        name: str(spec.Name) ?? '',
        endpointMode: str(epSpec.Mode) ?? 'vip',
        vips: arr(ep.VirtualIPs)
          .filter(isObj)
          .map((v) => ({ networkId: str(v.NetworkID) ?? '', addr: bare(v.Addr) ?? '' })),
        ports: arr(ep.Ports ?? epSpec.Ports)
          .filter(isObj)
          .map((p) => ({
            published: num(p.PublishedPort),
            target: num(p.TargetPort),
            protocol: str(p.Protocol) ?? 'tcp',
            mode: str(p.PublishMode) ?? 'ingress',
          })),
      };
    }),
    issues: [],
  };
}

export function parseSwarmTasks(text: string): Parsed<SwarmTask[] | null> {
  const j = json(text);
  if ('error' in j) return { value: null, issues: [issue(0, text, j.error)] };
  if (!Array.isArray(j.value)) return { value: null, issues: [issue(0, text, 'expected a JSON array of tasks')] };
  return {
    value: j.value.filter(isObj).map((t) => {
      const status = isObj(t.Status) ? t.Status : {};
      return {
        id: str(t.ID) ?? '',
        serviceId: str(t.ServiceID) ?? '',
        nodeId: str(t.NodeID),
        slot: num(t.Slot),
        state: str(status.State) ?? '',
        desiredState: str(t.DesiredState) ?? '',
      };
    }),
    issues: [],
  };
}

/** /info's Swarm object; null when the info has none (an engine too old, or not /info). */
export function swarmInfoOf(info: Record<string, unknown>): SwarmInfo | null {
  const s = info.Swarm;
  if (!isObj(s)) return null;
  const cluster = isObj(s.Cluster) ? s.Cluster : {};
  return {
    nodeId: str(s.NodeID) ?? '',
    nodeAddr: str(s.NodeAddr),
    localNodeState: str(s.LocalNodeState) ?? 'inactive',
    controlAvailable: s.ControlAvailable === true,
    remoteManagers: arr(s.RemoteManagers)
      .filter(isObj)
      .map((m) => ({ nodeId: str(m.NodeID) ?? '', addr: str(m.Addr) ?? '' })),
    dataPathPort: num(cluster.DataPathPort),
  };
}
