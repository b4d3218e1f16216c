// Maps Engine API JSON (`docker inspect`, `docker network inspect`) to docknet's model; the one
// place that knows the engine's field names, across engine versions.
import type { ContainerInfo, Endpoint, NetworkInfo, NetworkMember, PortBinding } from '../model/engine.js';
import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === 'string') out[k] = val;
  return out;
}

function cidr(ip: string | null, prefix: number | null): string | null {
  if (!ip) return null;
  return prefix !== null && prefix > 0 ? `${ip}/${prefix}` : ip;
}

function bindings(v: unknown): Record<string, PortBinding[] | null> {
  const out: Record<string, PortBinding[] | null> = {};
  for (const [port, list] of Object.entries(obj(v))) {
    out[port] = Array.isArray(list)
      ? list.map((b) => ({ hostIp: String(obj(b).HostIp ?? ''), hostPort: String(obj(b).HostPort ?? '') }))
      : null;
  }
  return out;
}

function endpoint(network: string, raw: Json): Endpoint {
  return {
    network,
    networkId: str(raw.NetworkID),
    endpointId: str(raw.EndpointID),
    ipv4: cidr(str(raw.IPAddress), num(raw.IPPrefixLen)),
    ipv6: cidr(str(raw.GlobalIPv6Address), num(raw.GlobalIPv6PrefixLen)),
    mac: str(raw.MacAddress)?.toLowerCase() ?? null,
    gateway: str(raw.Gateway),
    aliases: Array.isArray(raw.Aliases) ? raw.Aliases.filter((a): a is string => typeof a === 'string') : [],
  };
}

function parseArray(text: string, what: string, issues: ParseIssue[]): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value;
    issues.push(issue(0, text.slice(0, 80), `${what}: expected a JSON array (as \`docker inspect\` prints)`));
  } catch (err) {
    issues.push(issue(0, text.slice(0, 80), `${what}: not valid JSON (${(err as Error).message})`));
  }
  return [];
}

/** `GET /containers/json` entries ("Names", "State": "running", "Ports": [...]): no pid, no exposed-only ports. */
function mapListedContainer(c: Json, id: string): ContainerInfo {
  const names = Array.isArray(c.Names) ? c.Names : [];
  const state = str(c.State) ?? 'unknown';
  const ports: Record<string, PortBinding[] | null> = {};
  for (const p of Array.isArray(c.Ports) ? c.Ports : []) {
    const port = obj(p);
    const key = `${port.PrivatePort}/${str(port.Type) ?? 'tcp'}`;
    if (port.PublicPort === undefined) ports[key] ??= null;
    else (ports[key] ??= []).push({ hostIp: str(port.IP) ?? '', hostPort: String(port.PublicPort) });
  }
  const created = num(c.Created);
  // Seconds since the epoch; a value outside what a Date can hold would make toISOString throw.
  const createdAt = created !== null ? new Date(created * 1000) : null;
  return {
    id,
    name: (typeof names[0] === 'string' ? names[0] : id.slice(0, 12)).replace(/^\//, ''),
    image: str(c.Image) ?? '',
    state,
    running: state === 'running',
    pid: null,
    created: createdAt !== null && Number.isFinite(createdAt.getTime()) ? createdAt.toISOString() : null,
    startedAt: null,
    networkMode: str(obj(c.HostConfig).NetworkMode) ?? 'default',
    sandboxKey: null,
    endpoints: Object.entries(obj(obj(c.NetworkSettings).Networks)).map(([name, ep]) => endpoint(name, obj(ep))),
    ports,
    portBindings: ports,
    exposedPorts: Object.keys(ports),
    labels: strMap(c.Labels),
  };
}

/** Maps one container of `docker inspect` (or of the container list) to the model. */
export function mapContainer(raw: unknown): ContainerInfo | null {
  const c = obj(raw);
  const id = str(c.Id);
  if (!id) return null;
  if (Array.isArray(c.Names) && typeof c.State === 'string') return mapListedContainer(c, id);
  const state = obj(c.State);
  const host = obj(c.HostConfig);
  const settings = obj(c.NetworkSettings);
  const config = obj(c.Config);
  const pid = num(state.Pid);
  return {
    id,
    name: (str(c.Name) ?? id.slice(0, 12)).replace(/^\//, ''),
    image: str(config.Image) ?? str(c.Image) ?? '',
    state: str(state.Status) ?? (state.Running === true ? 'running' : 'unknown'),
    running: state.Running === true,
    pid: pid !== null && Number.isSafeInteger(pid) && pid > 0 ? pid : null,
    created: str(c.Created),
    startedAt: str(state.StartedAt),
    networkMode: str(host.NetworkMode) ?? 'default',
    sandboxKey: str(settings.SandboxKey),
    endpoints: Object.entries(obj(settings.Networks)).map(([name, ep]) => endpoint(name, obj(ep))),
    ports: bindings(settings.Ports),
    portBindings: bindings(host.PortBindings),
    exposedPorts: Object.keys(obj(config.ExposedPorts)),
    labels: strMap(config.Labels),
  };
}

function bridgeName(name: string, id: string, driver: string, options: Record<string, string>): string | null {
  if (driver !== 'bridge') return null;
  const custom = options['com.docker.network.bridge.name'];
  if (custom) return custom;
  return name === 'bridge' ? 'docker0' : `br-${id.slice(0, 12)}`;
}

export function mapNetwork(raw: unknown): NetworkInfo | null {
  const n = obj(raw);
  const id = str(n.Id) ?? str(n.ID);
  const name = str(n.Name);
  if (!id || !name) return null;
  const driver = str(n.Driver) ?? 'unknown';
  const options = strMap(n.Options);
  const members: NetworkMember[] = Object.entries(obj(n.Containers)).map(([key, m]) => {
    const mm = obj(m);
    return {
      key,
      name: str(mm.Name) ?? key,
      endpointId: str(mm.EndpointID),
      mac: str(mm.MacAddress)?.toLowerCase() ?? null,
      ipv4: str(mm.IPv4Address),
      ipv6: str(mm.IPv6Address),
    };
  });
  const ipamConfig = obj(n.IPAM).Config;
  return {
    id,
    name,
    driver,
    scope: str(n.Scope),
    internal: n.Internal === true,
    ingress: n.Ingress === true,
    bridgeName: bridgeName(name, id, driver, options),
    parent: options.parent ?? null,
    subnets: Array.isArray(ipamConfig)
      ? ipamConfig.map((cfg) => ({ subnet: String(obj(cfg).Subnet ?? ''), gateway: str(obj(cfg).Gateway) })).filter((s) => s.subnet)
      : [],
    options,
    members,
  };
}

export function parseContainersJson(text: string): Parsed<ContainerInfo[]> {
  const issues: ParseIssue[] = [];
  const value: ContainerInfo[] = [];
  parseArray(text, 'containers', issues).forEach((raw, i) => {
    const c = mapContainer(raw);
    if (c) value.push(c);
    else issues.push(issue(0, `entry ${i}`, 'container entry without an Id: skipped'));
  });
  return { value, issues };
}

export function parseNetworksJson(text: string): Parsed<NetworkInfo[]> {
  const issues: ParseIssue[] = [];
  const value: NetworkInfo[] = [];
  parseArray(text, 'networks', issues).forEach((raw, i) => {
    const n = mapNetwork(raw);
    if (n) value.push(n);
    else issues.push(issue(0, `entry ${i}`, 'network entry without an Id or Name: skipped'));
  });
  return { value, issues };
}
