// What one correlation knows and looks up: the host model, the veth map, the rules, and the indexes
// (who holds an address, rules by port, proxies by port, hairpin rules by source), all built up front.
import { containerKey, type ContainerInfo, type NetworkInfo, type NetworkMember } from '../../model/engine.js';
import { lookupIn } from '../../model/fact.js';
import type { HostModel } from '../../model/host.js';
import type { DockerProxy, PortMapping, ProxyRef, RuleRef } from '../../model/port-path.js';
import { bareAddress as bare, familyOf, sameHostIp } from '../../util/address.js';
import { netnsSharing, type NetnsSharing } from '../find-container.js';
import type { InterfaceRow, VethMap } from '../veth-map.js';
import { ownsNamespace } from './publications.js';
import { familyFits, ruleContexts, ruleRef, type RuleCtx } from './rules.js';

/** Who holds an address. */
export interface Holder {
  container: ContainerInfo | null;
  /** A Docker sandbox with no container: the swarm ingress sandbox, a load balancer endpoint. */
  sandbox: NetworkMember | null;
  network: string | null;
  row: InterfaceRow | null;
}

export interface Ctx {
  model: HostModel;
  vethMap: VethMap;
  containers: ContainerInfo[];
  networks: NetworkInfo[];
  holders: Map<string, Holder[]>;
  rowsOf: Map<string, InterfaceRow[]>;
  rules: RuleCtx[];
  /** The DNAT and REDIRECT rules, in table order. */
  dnatRules: RuleCtx[];
  proxies: DockerProxy[];
  usedProxies: Set<DockerProxy>;
  /** Whether Docker would write an IPv6 DNAT rule for this mapping (ip6tables NAT on, container with IPv6). */
  ipv6Expected: (m: PortMapping) => boolean;
  notes: string[];
  /** Indexes built once, so that each publication looks up its rules instead of scanning them all. */
  ipsOf: Map<ContainerInfo, string[]>;
  rulesByPort: Map<string, RuleCtx[]>;
  dnatOrder: Map<RuleCtx, number>;
  proxiesByPort: Map<string, DockerProxy[]>;
  masqueradeBySource: Map<string, RuleCtx[]>;
  sharing: NetnsSharing;
  /** Running containers with their own namespace whose interfaces are unknown. */
  unknownInside: ContainerInfo[];
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// A DNAT rule over a range wider than this is kept in one list that every lookup reads.
const WIDE_RANGE = 4096;

export function correlationContext(model: HostModel, vethMap: VethMap): Ctx {
  const facts = model.portFacts;
  const containers = model.containers.all;
  const rules = ruleContexts(facts.nat.tables);
  const dnatRules = rules.filter((rc) => rc.rule.target === 'DNAT' || rc.rule.target === 'REDIRECT');
  const proxies = facts.dockerProxies ?? [];
  const networks = lookupIn(model.networks);
  const { holders, rowsOf } = indexHolders(containers, networks, vethMap);
  const ctx: Ctx = {
    model,
    vethMap,
    containers,
    networks,
    holders,
    rowsOf,
    rules,
    dnatRules,
    proxies,
    usedProxies: new Set(),
    ipv6Expected: () => false,
    notes: [],
    ipsOf: ipsOf(holders),
    rulesByPort: rulesByPort(dnatRules),
    dnatOrder: new Map(dnatRules.map((rc, i) => [rc, i])),
    proxiesByPort: new Map(),
    masqueradeBySource: new Map(),
    sharing: netnsSharing(containers),
    unknownInside: containers.filter(
      (x) => x.running && ownsNamespace(x) && !(rowsOf.get(containerKey(x)) ?? []).some((r) => r.interface !== null),
    ),
  };
  for (const p of proxies) pushTo(ctx.proxiesByPort, `${p.proto}/${p.hostPort}`, p);
  for (const rc of rules)
    if (rc.rule.target === 'MASQUERADE' && rc.rule.source !== null) pushTo(ctx.masqueradeBySource, rc.rule.source, rc);
  const ip6DockerRules = dnatRules.some((rc) => rc.docker && rc.table.family === 'ipv6');
  const byName = new Map(containers.map((x) => [x.name, x]));
  ctx.ipv6Expected = (m) => {
    if (!facts.nat.ipv6Known || !ip6DockerRules || !m.container) return false;
    const c = byName.get(m.container);
    return Boolean(c && knownIps(ctx, c).some((ip) => familyOf(ip) === 'ipv6'));
  };
  return ctx;
}

function indexHolders(
  containers: ContainerInfo[],
  networks: NetworkInfo[],
  vethMap: VethMap,
): { holders: Map<string, Holder[]>; rowsOf: Map<string, InterfaceRow[]> } {
  const holders = new Map<string, Holder[]>();
  const rowsOf = new Map<string, InterfaceRow[]>();
  const addHolder = (ip: string | null, h: Holder): void => {
    if (!ip) return;
    const list = holders.get(ip) ?? [];
    if (list.some((x) => x.container === h.container && x.sandbox?.key === h.sandbox?.key && x.network === h.network)) return;
    list.push(h);
    holders.set(ip, list);
  };
  const byKey = new Map(containers.map((c) => [containerKey(c), c]));
  for (const row of vethMap.interfaces) {
    if (row.mode === 'container') continue;
    const c = byKey.get(row.containerId ?? `name:${row.container}`) ?? containers.find((x) => x.name === row.container) ?? null;
    if (!c) continue;
    const rows = rowsOf.get(containerKey(c)) ?? [];
    rows.push(row);
    rowsOf.set(containerKey(c), rows);
    for (const ip of [bare(row.ipv4), bare(row.ipv6)]) addHolder(ip, { container: c, sandbox: null, network: row.network, row });
  }
  for (const c of containers) {
    for (const ep of c.endpoints) {
      for (const ip of [bare(ep.ipv4), bare(ep.ipv6)]) addHolder(ip, { container: c, sandbox: null, network: ep.network, row: null });
    }
  }
  const ids = new Set(containers.map((c) => c.id));
  for (const n of networks) {
    for (const m of n.members) {
      if (ids.has(m.key)) continue;
      for (const ip of [bare(m.ipv4), bare(m.ipv6)]) addHolder(ip, { container: null, sandbox: m, network: n.name, row: null });
    }
  }
  return { holders, rowsOf };
}

function ipsOf(holders: Map<string, Holder[]>): Map<ContainerInfo, string[]> {
  const out = new Map<ContainerInfo, string[]>();
  for (const [ip, hs] of holders) {
    for (const h of hs) if (h.container && !(out.get(h.container) ?? []).includes(ip)) pushTo(out, h.container, ip);
  }
  return out;
}

/** Rules indexed by "protocol/port" of their dport match (DNAT needs one). */
function rulesByPort(rules: RuleCtx[]): Map<string, RuleCtx[]> {
  const out = new Map<string, RuleCtx[]>();
  for (const rc of rules) {
    const d = rc.rule.dport;
    if (!d || rc.rule.protocol === null) continue;
    if (d.to - d.from > WIDE_RANGE) pushTo(out, '*', rc);
    else for (let p = d.from; p <= d.to; p++) pushTo(out, `${rc.rule.protocol}/${p}`, rc);
  }
  return out;
}

/** The DNAT rules, in table order, whose dport match may take protocol/port. */
export function rulesForPort(ctx: Ctx, protocol: string, port: number): RuleCtx[] {
  const exact = ctx.rulesByPort.get(`${protocol}/${port}`) ?? [];
  const wide = ctx.rulesByPort.get('*') ?? [];
  if (wide.length === 0) return exact;
  const order = ctx.dnatOrder;
  return [...exact, ...wide].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

export function knownIps(ctx: Ctx, c: ContainerInfo): string[] {
  return ctx.ipsOf.get(c) ?? [];
}

/** Running containers with their own namespace whose addresses are nowhere in the data. */
export function addressless(ctx: Ctx): ContainerInfo[] {
  return ctx.containers.filter((c) => c.running && ownsNamespace(c) && knownIps(ctx, c).length === 0);
}

export function followersOf(ctx: Ctx, c: ContainerInfo): string[] {
  return ctx.sharing.followersOf(c).map((f) => f.name);
}

export function proxyFor(ctx: Ctx, hostIp: string, hostPort: number, protocol: string): DockerProxy | null {
  return (ctx.proxiesByPort.get(`${protocol}/${hostPort}`) ?? []).find((p) => sameHostIp(p.hostIp, hostIp)) ?? null;
}

export function proxyRef(p: DockerProxy): ProxyRef {
  return { pid: p.pid, hostIp: p.hostIp, hostPort: p.hostPort, containerIp: p.containerIp, containerPort: p.containerPort, proto: p.proto };
}

/** The MASQUERADE rule that lets a container reach its own published port through the host (hairpin). */
export function hairpinFor(ctx: Ctx, ip: string, port: number, protocol: string): RuleRef | null {
  for (const rc of ctx.masqueradeBySource.get(ip) ?? []) {
    const r = rc.rule;
    if (r.target !== 'MASQUERADE' || !familyFits(rc.table, ip)) continue;
    if (r.source !== ip || r.destination !== ip || r.sourceNegated || r.destinationNegated) continue;
    if (r.protocol !== protocol || !r.dport || r.dportNegated || port < r.dport.from || port > r.dport.to) continue;
    return ruleRef(rc);
  }
  return null;
}
