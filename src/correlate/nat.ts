// Follows every published port and every DNAT rule to a container: the Engine's publications
// (per container, on the network whose address the rule targets), the DNAT rule Docker wrote, the
// hairpin MASQUERADE rule, the docker-proxy serving the binding, and the veth and bridge on the way.
// What does not fit is an anomaly: stale rules, missing rules, foreign rules, swarm ingress.
import { containerKey, type ContainerInfo, type NetworkInfo, type NetworkMember } from '../model/engine.js';
import type { NatRule, NatTable } from '../model/nat-rule.js';
import {
  hostAddress,
  type DockerProxy,
  type NatAnomaly,
  type NatReport,
  type PortMapping,
  type PortPath,
  type ProxyRef,
  type PublishedBy,
  type RuleRef,
} from '../model/port-path.js';
import { publicationsKnown, type HostModel } from '../model/host.js';
import type { SourcedTable } from '../model/port-facts.js';
import { naturalCompare } from '../util/natural-compare.js';
import {
  bareAddress as bare,
  familyOf,
  inPrefix as inNet,
  isLoopback,
  isWildcard as isAnyAddress,
  normaliseHostIp,
  sameHostIp,
} from '../util/address.js';
import { netnsOwnerRef, netnsSharing, type NetnsSharing } from './find-container.js';
import { lookupIn } from '../model/fact.js';
import { correlateVethMap, type InterfaceRow, type VethMap } from './veth-map.js';

// ---- the rules ----

interface RuleCtx {
  rule: NatRule;
  table: NatTable;
  from: string;
  /** Written by Docker: its DOCKER / DOCKER-INGRESS chains, or its nftables tables. */
  docker: boolean;
  ingress: boolean;
  used: boolean;
}

function isDockerNftTable(t: NatTable): boolean {
  return t.origin.tool === 'nft' && /^docker-/.test(t.name);
}

function hookOf(t: NatTable, chain: string): string | null {
  const c = t.chains.find((x) => x.name === chain);
  if (c?.hook) return c.hook;
  if (t.origin.tool === 'nft') return null;
  return ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'].includes(chain) ? chain.toLowerCase() : null;
}

/** Does a jump/DNAT rule's destination match let a packet to `dst` through? */
function destinationAllows(r: NatRule, dst: string | null): boolean {
  if (r.destination === null) return true;
  if (dst === null) return !r.destinationNegated;
  const inside = inNet(dst, r.destination);
  return r.destinationNegated ? !inside : inside;
}

/**
 * The chains a packet from `hook` to `dst` passes to reach `chain` (jumps whose destination match lets
 * it through), e.g. ["PREROUTING", "DOCKER"]; null when no such way exists. dst null: any local address.
 */
interface TableIndex {
  names: Set<string>;
  rulesByChain: Map<string, NatRule[]>;
  /** Jumps from the output hook's chains to user chains: the exclusions (`! -d 127.0.0.0/8`) live there. */
  outputJumps: NatRule[];
  paths: Map<string, string[] | null>;
}

// Indexed once per table: per-mapping scans of every rule made `nat` quadratic on hosts with many rules.
const indexes = new WeakMap<NatTable, TableIndex>();

function indexOf(t: NatTable): TableIndex {
  let ix = indexes.get(t);
  if (ix) return ix;
  const names = new Set(t.chains.map((c) => c.name));
  const rulesByChain = new Map<string, NatRule[]>();
  for (const r of t.rules) {
    const list = rulesByChain.get(r.chain);
    if (list) list.push(r);
    else rulesByChain.set(r.chain, [r]);
  }
  const outputJumps = t.rules.filter((r) => hookOf(t, r.chain) === 'output' && r.target !== '' && names.has(r.target));
  ix = { names, rulesByChain, outputJumps, paths: new Map() };
  indexes.set(t, ix);
  return ix;
}

function hookPath(t: NatTable, chain: string, hook: 'prerouting' | 'output', dst: string | null): string[] | null {
  const ix = indexOf(t);
  const key = `${chain}\u0000${hook}\u0000${dst ?? ''}`;
  if (ix.paths.has(key)) return ix.paths.get(key) ?? null;
  const path = searchHookPath(t, ix, chain, hook, dst);
  ix.paths.set(key, path);
  return path;
}

function searchHookPath(t: NatTable, ix: TableIndex, chain: string, hook: 'prerouting' | 'output', dst: string | null): string[] | null {
  const starts = t.chains.filter((c) => hookOf(t, c.name) === hook).map((c) => c.name);
  if (starts.length === 0 && t.origin.tool !== 'nft') starts.push(hook.toUpperCase());
  const seen = new Set<string>();
  const queue: string[][] = starts.map((s) => [s]);
  while (queue.length > 0) {
    const path = queue.shift() as string[];
    const at = path[path.length - 1] as string;
    if (at === chain) return path;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const r of ix.rulesByChain.get(at) ?? []) {
      if (!(ix.names.has(r.target) || r.target === chain)) continue;
      if (!destinationAllows(r, dst)) continue;
      queue.push([...path, r.target]);
    }
  }
  return null;
}

function tableWord(t: NatTable, from: string): string {
  if (t.origin.tool === 'nft') return `${t.family === 'ipv6' ? 'ip6' : t.family === 'ipv4' ? 'ip' : t.family} ${t.name}`;
  const legacy = t.origin.backend === 'legacy' && /legacy/.test(from) ? ' (legacy)' : '';
  return `${t.family === 'ipv6' ? 'ip6tables ' : ''}${t.name}${legacy}`;
}

function ruleRef(rc: RuleCtx): RuleRef {
  const r = rc.rule;
  const path = hookPath(rc.table, r.chain, 'prerouting', null) ?? hookPath(rc.table, r.chain, 'output', null) ?? [r.chain];
  return {
    family: rc.table.family,
    backend: backendOf(rc.table),
    table: rc.table.name,
    chain: r.chain,
    number: r.number,
    handle: r.handle,
    packets: r.packets,
    bytes: r.bytes,
    countersExact: r.countersExact,
    target: r.target,
    text: r.text,
    hookPath: path,
    from: rc.from,
  };
}

function counters(r: RuleRef): string {
  if (r.packets === null || r.bytes === null) return 'no counters';
  const approx = r.countersExact ? '' : '~';
  return `pkts ${approx}${r.packets}, bytes ${approx}${r.bytes}`;
}

function familyFits(t: NatTable, ip: string): boolean {
  if (t.family === 'inet') return true;
  return familyOf(ip) === 'ipv6' ? t.family === 'ipv6' : t.family === 'ipv4';
}

/** The container ip:port a DNAT rule sends `hostPort` to, when the rule is for this binding. */
/** Whether a rule matches packets to hostIp:hostPort/protocol (family, protocol, port and destination). */
function matchesHostPort(rc: RuleCtx, hostIp: string, hostPort: number, protocol: string): boolean {
  const r = rc.rule;
  if (!familyFits(rc.table, normaliseHostIp(hostIp))) return false;
  if (r.protocol !== protocol || r.protocolNegated) return false;
  if (!r.dport || r.dportNegated || hostPort < r.dport.from || hostPort > r.dport.to) return false;
  if (isAnyAddress(hostIp)) return r.destination === null;
  return r.destination !== null && !r.destinationNegated && inNet(hostIp, r.destination);
}

function dnatFor(rc: RuleCtx, hostIp: string, hostPort: number, protocol: string): { ip: string; port: number } | null {
  const r = rc.rule;
  if (r.target !== 'DNAT' || !r.dnatTo?.ip || r.dnatTo.ip.includes('-') || !r.dport) return null;
  if (!matchesHostPort(rc, hostIp, hostPort, protocol)) return null;
  const to = r.dnatTo.port;
  let port = hostPort;
  if (to) port = to.to - to.from === r.dport.to - r.dport.from ? to.from + (hostPort - r.dport.from) : to.from;
  return { ip: r.dnatTo.ip, port };
}

/** A Docker DNAT rule on the publication's host address and port whose target the listing does not show. */
function blindDnatFor(ctx: Ctx, dnatRules: RuleCtx[], p: Publication): RuleCtx | null {
  for (const rc of rulesForPort(ctx, dnatRules, p.protocol, p.hostPort)) {
    if (!rc.docker || rc.used || rc.ingress || rc.rule.target !== 'DNAT' || rc.rule.dnatTo !== null) continue;
    if (matchesHostPort(rc, p.hostIp, p.hostPort, p.protocol)) return rc;
  }
  return null;
}

// ---- the publications ----

interface Publication {
  container: ContainerInfo;
  hostIp: string;
  hostPort: number;
  protocol: string;
  containerPort: number;
  publishedBy: PublishedBy;
  note: string | null;
}

function range(text: string): { from: number; to: number } | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from > 0 && to >= from && to <= 65535 ? { from, to } : null;
}

function publicationsOf(ctx: Ctx, c: ContainerInfo): Publication[] {
  const fromPorts = Object.values(c.ports).some((b) => b && b.length > 0);
  const source = fromPorts ? c.ports : c.portBindings;
  const publishedBy: PublishedBy = ctx.model.containers.portsFrom.has(containerKey(c))
    ? 'docker port'
    : c.networkMode === 'unknown'
      ? 'docker ps'
      : fromPorts
        ? 'NetworkSettings.Ports'
        : 'HostConfig.PortBindings';
  const out: Publication[] = [];
  const seen = new Set<string>();
  for (const [key, bindings] of Object.entries(source)) {
    const [portText, protoText] = key.split('/');
    const cr = range(portText ?? '');
    if (!cr || !bindings) continue;
    const protocol = (protoText ?? 'tcp').toLowerCase();
    for (const b of bindings) {
      const hr = range(b.hostPort);
      if (!hr) continue;
      const hostIp = normaliseHostIp(b.hostIp);
      const pairs: [number, number, string | null][] = [];
      if (hr.to - hr.from === cr.to - cr.from) for (let i = 0; i <= hr.to - hr.from; i += 1) pairs.push([hr.from + i, cr.from + i, null]);
      else pairs.push([hr.from, cr.from, `host port range ${b.hostPort} for ${key}: the engine picks one; ${hr.from} assumed`]);
      for (const [hostPort, containerPort, note] of pairs) {
        const k = `${hostIp}|${hostPort}|${protocol}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ container: c, hostIp, hostPort, protocol, containerPort, publishedBy, note });
      }
    }
  }
  return out;
}

function ownsNamespace(c: ContainerInfo): boolean {
  return c.networkMode !== 'host' && c.networkMode !== 'none' && netnsOwnerRef(c) === null;
}

// ---- who holds an address ----

interface Holder {
  container: ContainerInfo | null;
  /** A Docker sandbox with no container: the swarm ingress sandbox, a load balancer endpoint. */
  sandbox: NetworkMember | null;
  network: string | null;
  row: InterfaceRow | null;
}

interface Ctx {
  model: HostModel;
  vethMap: VethMap;
  containers: ContainerInfo[];
  networks: NetworkInfo[];
  holders: Map<string, Holder[]>;
  rowsOf: Map<string, InterfaceRow[]>;
  rules: RuleCtx[];
  proxies: DockerProxy[];
  usedProxies: Set<DockerProxy>;
  /** Whether Docker would write an IPv6 DNAT rule for this mapping (ip6tables NAT on, container with IPv6). */
  ipv6Expected: (m: PortMapping) => boolean;
  notes: string[];
  /** Indexes built once, so that each publication looks up its rules instead of scanning them all. */
  ipsOf?: Map<ContainerInfo, string[]>;
  rulesByPort?: Map<string, RuleCtx[]>;
  proxiesByPort?: Map<string, DockerProxy[]>;
  masqueradeBySource?: Map<string, RuleCtx[]>;
  sharing?: NetnsSharing;
  unknownInside?: ContainerInfo[];
  byName?: Map<string, ContainerInfo>;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// A DNAT rule over a range wider than this is kept in one list that every lookup reads.
const WIDE_RANGE = 4096;

/** Rules in table order, indexed by "protocol/port" of their dport match (DNAT needs one). */
function rulesForPort(ctx: Ctx, rules: RuleCtx[], protocol: string, port: number): RuleCtx[] {
  if (!ctx.rulesByPort) {
    ctx.rulesByPort = new Map();
    for (const rc of rules) {
      const d = rc.rule.dport;
      if (!d || rc.rule.protocol === null) continue;
      if (d.to - d.from > WIDE_RANGE) pushTo(ctx.rulesByPort, '*', rc);
      else for (let p = d.from; p <= d.to; p++) pushTo(ctx.rulesByPort, `${rc.rule.protocol}/${p}`, rc);
    }
  }
  const exact = ctx.rulesByPort.get(`${protocol}/${port}`) ?? [];
  const wide = ctx.rulesByPort.get('*') ?? [];
  if (wide.length === 0) return exact;
  const order = new Map(rules.map((rc, i) => [rc, i]));
  return [...exact, ...wide].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

function addHolder(ctx: Ctx, ip: string | null, h: Holder): void {
  if (!ip) return;
  const list = ctx.holders.get(ip) ?? [];
  if (list.some((x) => x.container === h.container && x.sandbox?.key === h.sandbox?.key && x.network === h.network)) return;
  list.push(h);
  ctx.holders.set(ip, list);
}

function indexHolders(ctx: Ctx): void {
  const byKey = new Map(ctx.containers.map((c) => [containerKey(c), c]));
  for (const row of ctx.vethMap.interfaces) {
    if (row.mode === 'container') continue;
    const c = byKey.get(row.containerId ?? `name:${row.container}`) ?? ctx.containers.find((x) => x.name === row.container) ?? null;
    if (!c) continue;
    const rows = ctx.rowsOf.get(containerKey(c)) ?? [];
    rows.push(row);
    ctx.rowsOf.set(containerKey(c), rows);
    for (const ip of [bare(row.ipv4), bare(row.ipv6)]) addHolder(ctx, ip, { container: c, sandbox: null, network: row.network, row });
  }
  for (const c of ctx.containers) {
    for (const ep of c.endpoints) {
      for (const ip of [bare(ep.ipv4), bare(ep.ipv6)]) addHolder(ctx, ip, { container: c, sandbox: null, network: ep.network, row: null });
    }
  }
  const ids = new Set(ctx.containers.map((c) => c.id));
  for (const n of ctx.networks) {
    for (const m of n.members) {
      if (ids.has(m.key)) continue;
      for (const ip of [bare(m.ipv4), bare(m.ipv6)]) addHolder(ctx, ip, { container: null, sandbox: m, network: n.name, row: null });
    }
  }
}

function knownIps(ctx: Ctx, c: ContainerInfo): string[] {
  if (!ctx.ipsOf) {
    ctx.ipsOf = new Map();
    for (const [ip, hs] of ctx.holders) {
      for (const h of hs) if (h.container && !(ctx.ipsOf.get(h.container) ?? []).includes(ip)) pushTo(ctx.ipsOf, h.container, ip);
    }
  }
  return ctx.ipsOf.get(c) ?? [];
}

/** Running containers with their own namespace whose addresses are nowhere in the data. */
function addressless(ctx: Ctx): ContainerInfo[] {
  return ctx.containers.filter((c) => c.running && ownsNamespace(c) && knownIps(ctx, c).length === 0);
}

// ---- the way to the container ----

interface Leg {
  network: string | null;
  bridge: string | null;
  hostVeth: string | null;
  probableHostVeth: string | null;
  interface: string | null;
  note: string | null;
}

function bridgeByAddress(ctx: Ctx, ip: string): { bridge: string | null; network: string | null } {
  for (const n of ctx.networks) {
    if (n.subnets.some((s) => inNet(ip, s.subnet))) return { bridge: n.bridgeName, network: n.name };
  }
  for (const l of lookupIn(ctx.model.hostLinks)) {
    for (const a of l.addresses) {
      if (a.address !== ip && inNet(ip, `${a.address}/${a.prefixlen}`)) return { bridge: l.name, network: null };
    }
  }
  return { bridge: null, network: null };
}

function legOf(ctx: Ctx, c: ContainerInfo | null, ip: string | null): Leg {
  const leg: Leg = { network: null, bridge: null, hostVeth: null, probableHostVeth: null, interface: null, note: null };
  if (!ip) return leg;
  const row = c ? (ctx.rowsOf.get(containerKey(c)) ?? []).find((r) => bare(r.ipv4) === ip || bare(r.ipv6) === ip) : undefined;
  if (row) {
    leg.network = row.network;
    leg.bridge = row.bridge;
    leg.hostVeth = row.hostVeth;
    leg.interface = row.interface;
  }
  const ep = c?.endpoints.find((e) => bare(e.ipv4) === ip || bare(e.ipv6) === ip);
  if (ep) leg.network ??= ep.network;
  if (leg.bridge === null) {
    const found = bridgeByAddress(ctx, ip);
    leg.bridge = found.bridge;
    leg.network ??= found.network;
  }
  if (leg.hostVeth === null && c && leg.bridge) {
    // As veth-map does: one unowned veth on the bridge, and this the one container whose inside is unknown.
    const unowned = ctx.vethMap.hostVeths.filter((v) => v.owner === null && v.bridge === leg.bridge);
    const unknownInside = (ctx.unknownInside ??= ctx.containers.filter(
      (x) => x.running && ownsNamespace(x) && !(ctx.rowsOf.get(containerKey(x)) ?? []).some((r) => r.interface !== null),
    ));
    if (unowned.length === 1 && unknownInside.length === 1 && unknownInside[0] === c) {
      leg.probableHostVeth = (unowned[0] as (typeof unowned)[number]).name;
      leg.note = `host veth probably ${leg.probableHostVeth} (inference, not confirmed): the one veth on ${leg.bridge} with no known owner, and ${c.name} the one container whose interfaces are unknown`;
    }
  }
  return leg;
}

function followersOf(ctx: Ctx, c: ContainerInfo): string[] {
  ctx.sharing ??= netnsSharing(ctx.containers);
  return ctx.sharing.followersOf(c).map((f) => f.name);
}

function proxyFor(ctx: Ctx, hostIp: string, hostPort: number, protocol: string): DockerProxy | null {
  if (!ctx.proxiesByPort) {
    ctx.proxiesByPort = new Map();
    for (const p of ctx.proxies) pushTo(ctx.proxiesByPort, `${p.proto}/${p.hostPort}`, p);
  }
  return (ctx.proxiesByPort.get(`${protocol}/${hostPort}`) ?? []).find((p) => sameHostIp(p.hostIp, hostIp)) ?? null;
}

function proxyRef(p: DockerProxy): ProxyRef {
  return { pid: p.pid, hostIp: p.hostIp, hostPort: p.hostPort, containerIp: p.containerIp, containerPort: p.containerPort, proto: p.proto };
}

function hairpinFor(ctx: Ctx, ip: string, port: number, protocol: string): RuleRef | null {
  if (!ctx.masqueradeBySource) {
    ctx.masqueradeBySource = new Map();
    for (const rc of ctx.rules)
      if (rc.rule.target === 'MASQUERADE' && rc.rule.source !== null) pushTo(ctx.masqueradeBySource, rc.rule.source, rc);
  }
  for (const rc of ctx.masqueradeBySource.get(ip) ?? []) {
    const r = rc.rule;
    if (r.target !== 'MASQUERADE' || !familyFits(rc.table, ip)) continue;
    if (r.source !== ip || r.destination !== ip || r.sourceNegated || r.destinationNegated) continue;
    if (r.protocol !== protocol || !r.dport || r.dportNegated || port < r.dport.from || port > r.dport.to) continue;
    return ruleRef(rc);
  }
  return null;
}

// ---- paths in words ----

function proxyWords(p: ProxyRef): string {
  return `docker-proxy pid ${p.pid} (-host-ip ${p.hostIp} -host-port ${p.hostPort})`;
}

function endWords(m: PortMapping): string {
  const who = m.container ?? 'no known container';
  const iface = m.interface ? ` ${m.interface}` : '';
  return `${who}${iface} ${m.containerIp ? hostAddress(m.containerIp, m.containerPort, m.protocol).replace(/\/\w+$/, '') : `?:${m.containerPort}`}`;
}

function hopsToContainer(m: PortMapping): string {
  const hops: string[] = [];
  if (m.bridge) hops.push(m.bridge);
  if (m.hostVeth) hops.push(m.hostVeth);
  else if (m.probableHostVeth) hops.push(`${m.probableHostVeth}? (probably)`);
  hops.push(endWords(m));
  return hops.join(' -> ');
}

function dnatWords(m: PortMapping, r: RuleRef, chains: string[], tableText: string): string {
  const [first, ...rest] = chains;
  const via = rest.length > 0 ? `${tableText} ${first} -> ${rest.join(' -> ')}` : `${tableText} ${first ?? r.chain}`;
  return `${via}: DNAT to ${hostAddress(m.containerIp ?? '?', m.containerPort, m.protocol).replace(/\/\w+$/, '')} (${counters(r)})`;
}

function outputExclusion(rc: RuleCtx, loop: string): string {
  const excl = indexOf(rc.table).outputJumps.find((r) => r.destination !== null && r.destinationNegated && inNet(loop, r.destination));
  const out = `${tableWord(rc.table, rc.from)} ${rc.table.chains.find((c) => hookOf(rc.table, c.name) === 'output')?.name ?? 'OUTPUT'}`;
  if (excl) return `${out} sends only ! -d ${excl.destination} to ${excl.target}`;
  return `no ${out} jump reaches ${rc.rule.chain} for ${loop}`;
}

function buildPaths(ctx: Ctx, m: PortMapping, rc: RuleCtx | null, natKnown: boolean): PortPath[] {
  const paths: PortPath[] = [];
  const address = hostAddress(m.hostIp, m.hostPort, m.protocol);
  const proxy = m.proxy;
  const tableText = rc ? tableWord(rc.table, rc.from) : 'nat';
  const viaProxy = (addr: string, from: PortPath['from'], why: string): PortPath => {
    if (proxy)
      return {
        address: addr,
        from,
        via: 'docker-proxy',
        text: `${addr}${from === 'this host' ? ' (from this host)' : ''} -> ${proxyWords(proxy)} -> ${hopsToContainer(m)}: ${why}`,
      };
    const unknown = ctx.model.portFacts.dockerProxies === null;
    return {
      address: addr,
      from,
      via: unknown ? 'unknown' : 'none',
      text: `${addr}${from === 'this host' ? ' (from this host)' : ''}: ${why}, and ${unknown ? 'docker-proxy processes were not read' : 'no docker-proxy serves it: refused'}`,
    };
  };

  if (!natKnown) {
    const reason = `NAT rules unavailable: ${ctx.model.portFacts.nat.unavailable ?? 'unknown'}`;
    if (proxy && isLoopback(m.hostIp)) paths.push(viaProxy(address, 'this host', 'a loopback binding bypasses DNAT'));
    else paths.push({ address, from: 'outside', via: 'unknown', text: `${address} -> (${reason}) -> ${hopsToContainer(m)}` });
    return paths;
  }

  if (isLoopback(m.hostIp)) {
    const reach = rc ? hookPath(rc.table, rc.rule.chain, 'output', m.hostIp) : null;
    if (rc && reach && destinationAllows(rc.rule, m.hostIp)) {
      paths.push({
        address,
        from: 'this host',
        via: 'dnat',
        text: `${address} (from this host) -> ${dnatWords(m, ruleRef(rc), reach, tableText)} -> ${hopsToContainer(m)}`,
      });
    } else {
      const why = rc
        ? `bypasses DNAT (${outputExclusion(rc, m.hostIp)}; ${rc.rule.chain} rule ${rc.rule.number} is not reached)`
        : 'no DNAT rule for it';
      paths.push(viaProxy(address, 'this host', why));
    }
    return paths;
  }

  const prer = rc ? hookPath(rc.table, rc.rule.chain, 'prerouting', isAnyAddress(m.hostIp) ? null : m.hostIp) : null;
  if (rc && prer) {
    paths.push({
      address,
      from: 'outside',
      via: 'dnat',
      text: `${address} -> ${dnatWords(m, ruleRef(rc), prer, tableText)} -> ${hopsToContainer(m)}`,
    });
  } else if (rc) {
    paths.push(viaProxy(address, 'outside', `${rc.rule.chain} rule ${rc.rule.number} is not reached from PREROUTING`));
  } else if (familyOf(m.hostIp) === 'ipv6' && !ctx.ipv6Expected(m)) {
    paths.push(
      viaProxy(
        address,
        'outside',
        ctx.model.portFacts.nat.ipv6Known ? 'no IPv6 DNAT rule (Docker writes none for this container)' : 'no ip6tables facts',
      ),
    );
  } else if (onInternalNetwork(ctx, m)) {
    paths.push(viaProxy(address, 'outside', `no DNAT rule: ${INTERNAL_WORDS}`));
  } else {
    paths.push(viaProxy(address, 'outside', 'no DNAT rule (missing)'));
  }
  // The host's own connections to loopback: nat OUTPUT usually skips 127.0.0.0/8, so docker-proxy answers.
  if (isAnyAddress(m.hostIp) && rc !== null) {
    const loop = familyOf(m.hostIp) === 'ipv6' ? '::1' : '127.0.0.1';
    const loopAddr = hostAddress(loop, m.hostPort, m.protocol);
    const reach = rc ? hookPath(rc.table, rc.rule.chain, 'output', loop) : null;
    if (rc && reach)
      paths.push({
        address: loopAddr,
        from: 'this host',
        via: 'dnat',
        text: `${loopAddr} (from this host) -> ${dnatWords(m, ruleRef(rc), reach, tableText)} -> ${hopsToContainer(m)}`,
      });
    else if (rc) paths.push(viaProxy(loopAddr, 'this host', `bypasses DNAT (${outputExclusion(rc, loop)})`));
  }
  return paths;
}

// ---- the report ----

function anomaly(kind: NatAnomaly['kind'], text: string, fields: Partial<NatAnomaly>): NatAnomaly {
  return {
    kind,
    text,
    hostIp: null,
    hostPort: null,
    protocol: null,
    containerIp: null,
    containerPort: null,
    container: null,
    network: null,
    bridge: null,
    hostVeth: null,
    rule: null,
    proxy: null,
    proxyServes: null,
    confirmed: true,
    ...fields,
  };
}

function ruleWords(r: RuleRef): string {
  return `${r.table === 'nat' && r.backend !== 'nftables' ? 'nat' : r.table} ${r.chain} rule ${r.number}`;
}

function ruleHost(rc: RuleCtx): string {
  const r = rc.rule;
  const ip =
    r.destination && !r.destinationNegated ? (bare(r.destination) ?? r.destination) : rc.table.family === 'ipv6' ? '::' : '0.0.0.0';
  const port = r.dport ? (r.dport.from === r.dport.to ? String(r.dport.from) : `${r.dport.from}-${r.dport.to}`) : '*';
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}/${r.protocol ?? 'all'}`;
}

function ruleTo(r: NatRule): string {
  const to = r.dnatTo;
  if (!to) return r.target;
  const port = to.port ? (to.port.from === to.port.to ? `:${to.port.from}` : `:${to.port.from}-${to.port.to}`) : '';
  return `${r.target} to ${to.ip ? (to.ip.includes(':') && port ? `[${to.ip}]` : to.ip) : ''}${port}`;
}

function byPort(a: { hostPort: number | null; protocol: string | null; hostIp: string | null }, b: typeof a): number {
  const rank = (ip: string | null) => (ip === null ? 9 : ip === '0.0.0.0' ? 0 : ip === '::' ? 2 : familyOf(ip) === 'ipv6' ? 3 : 1);
  return (
    (a.hostPort ?? 0) - (b.hostPort ?? 0) ||
    (a.protocol ?? '').localeCompare(b.protocol ?? '') ||
    rank(a.hostIp) - rank(b.hostIp) ||
    naturalCompare(a.hostIp ?? '', b.hostIp ?? '')
  );
}

/**
 * A mapping read from a Docker DNAT rule alone, when the publications are not in the data: to the
 * container that holds its target address when another file names it, else to an unknown container.
 */
function ruleMapping(
  ctx: Ctx,
  rc: RuleCtx,
  c: ContainerInfo | null,
  hostIp: string,
  hostPort: number | null,
  ref: RuleRef,
  ruleOf: Map<PortMapping, RuleCtx | null>,
): PortMapping {
  const r = rc.rule;
  const to = r.dnatTo?.ip ?? null;
  const port = r.dnatTo?.port?.from ?? null;
  const protocol = r.protocol ?? 'tcp';
  const leg = legOf(ctx, c, to);
  const row = c ? (ctx.rowsOf.get(containerKey(c)) ?? []).find((x) => bare(x.ipv4) === to || bare(x.ipv6) === to) : undefined;
  const why = c
    ? `${c.name}'s publications are not in the data: this mapping is read from the DNAT rule and ${c.name}'s own address`
    : `publications are not in the data (${ctx.model.containers.complete.known ? 'no container names' : 'no container list'}): this mapping is read from the DNAT rule; which container holds ${to ?? 'its target'} is unknown`;
  const m: PortMapping = {
    hostIp,
    hostPort: hostPort ?? 0,
    protocol,
    containerIp: to,
    containerPort: port ?? hostPort ?? 0,
    container: c?.name ?? null,
    containerId: c?.id || null,
    network: leg.network,
    bridge: leg.bridge,
    hostVeth: leg.hostVeth,
    probableHostVeth: leg.probableHostVeth,
    interface: leg.interface,
    rule: ref,
    hairpin: to && port ? hairpinFor(ctx, to, port, protocol) : null,
    proxy: null,
    via: 'unknown',
    publishedBy: null,
    containerIpFrom: c ? (row?.network ? 'endpoint' : row ? 'interface' : 'endpoint') : 'rule',
    followers: c ? followersOf(ctx, c) : [],
    paths: [],
    notes: [why, ...(leg.note ? [leg.note] : [])],
  };
  const proxy = hostPort !== null ? proxyFor(ctx, hostIp, hostPort, protocol) : null;
  if (proxy) {
    m.proxy = proxyRef(proxy);
    ctx.usedProxies.add(proxy);
  }
  rc.used = true;
  ruleOf.set(m, rc);
  return m;
}

const KIND_ORDER = ['stale-rule', 'missing-rule', 'foreign-rule', 'ingress'];

export function correlateNat(model: HostModel, vethMap: VethMap = correlateVethMap(model)): NatReport {
  const facts = model.portFacts;
  const nat = facts.nat;
  const ctx: Ctx = {
    model,
    vethMap,
    containers: model.containers.all,
    networks: lookupIn(model.networks),
    holders: new Map(),
    rowsOf: new Map(),
    rules: [],
    proxies: facts.dockerProxies ?? [],
    usedProxies: new Set(),
    ipv6Expected: () => false,
    notes: [],
  };
  indexHolders(ctx);
  for (const st of nat.tables as SourcedTable[]) {
    for (const rule of st.table.rules) {
      // iptables' nat table (also as nft lists iptables-nft's `table ip nat`) holds Docker's rules in chain DOCKER.
      const iptablesDocker = st.table.name === 'nat' && (rule.chain === 'DOCKER' || rule.chain === 'DOCKER-INGRESS');
      ctx.rules.push({
        rule,
        table: st.table,
        from: st.from,
        docker: iptablesDocker || isDockerNftTable(st.table),
        ingress: rule.chain === 'DOCKER-INGRESS',
        used: false,
      });
    }
  }
  const dnatRules = ctx.rules.filter((rc) => rc.rule.target === 'DNAT' || rc.rule.target === 'REDIRECT');
  const ip6DockerRules = dnatRules.some((rc) => rc.docker && rc.table.family === 'ipv6');
  ctx.ipv6Expected = (m) => {
    if (!nat.ipv6Known || !ip6DockerRules || !m.container) return false;
    const c = (ctx.byName ??= new Map(ctx.containers.map((x) => [x.name, x]))).get(m.container);
    return Boolean(c && knownIps(ctx, c).some((ip) => familyOf(ip) === 'ipv6'));
  };

  const mappings: PortMapping[] = [];
  const anomalies: NatAnomaly[] = [];
  const ruleOf = new Map<PortMapping, RuleCtx | null>();

  // Every publication of every running container with its own namespace.
  const pubs = ctx.containers.filter((c) => c.running && ownsNamespace(c)).flatMap((c) => publicationsOf(ctx, c));
  for (const p of pubs) {
    const ips = knownIps(ctx, p.container);
    let match: { rc: RuleCtx; ip: string; port: number } | null = null;
    for (const pass of [true, false]) {
      for (const rc of rulesForPort(ctx, dnatRules, p.protocol, p.hostPort)) {
        if (!rc.docker || rc.used || rc.ingress) continue;
        const to = dnatFor(rc, p.hostIp, p.hostPort, p.protocol);
        if (!to || to.port !== p.containerPort) continue;
        // First the rule to one of the container's own addresses; a rule by ports alone only when they are unknown.
        if (pass ? !ips.includes(to.ip) : ips.length > 0 || (ctx.holders.get(to.ip) ?? []).some((h) => h.container !== p.container))
          continue;
        match = { rc, ip: to.ip, port: to.port };
        break;
      }
      if (match) break;
    }
    // iptables-nft's rules listed by `nft -j` show no DNAT target: such a Docker rule on this host port is the publication's.
    const blind = match ? null : blindDnatFor(ctx, dnatRules, p);
    if (blind) blind.used = true;
    if (match) match.rc.used = true;
    const proxy = proxyFor(ctx, p.hostIp, p.hostPort, p.protocol);
    if (proxy) ctx.usedProxies.add(proxy);
    let containerIp: string | null = match?.ip ?? null;
    let containerIpFrom: PortMapping['containerIpFrom'] = match ? (ips.includes(match.ip) ? 'endpoint' : 'rule') : null;
    if (!containerIp && proxy && (ips.length === 0 || ips.includes(proxy.containerIp))) {
      containerIp = proxy.containerIp;
      containerIpFrom = ips.includes(proxy.containerIp) ? 'endpoint' : 'docker-proxy';
    }
    if (!containerIp) {
      // Docker maps ports on the container's bridge network; prefer an IPv4 address there.
      const rows = ctx.rowsOf.get(containerKey(p.container)) ?? [];
      const row = rows.find((r) => r.bridge && r.ipv4) ?? rows.find((r) => r.ipv4);
      containerIp = bare(row?.ipv4) ?? bare(p.container.endpoints.find((e) => e.ipv4)?.ipv4) ?? null;
      containerIpFrom = containerIp ? 'endpoint' : null;
    }
    if (containerIpFrom === 'endpoint') {
      const row = (ctx.rowsOf.get(containerKey(p.container)) ?? []).find(
        (r) => bare(r.ipv4) === containerIp || bare(r.ipv6) === containerIp,
      );
      if (row && row.network === null && row.interface !== null) containerIpFrom = 'interface';
    }
    const leg = legOf(ctx, p.container, containerIp);
    const m: PortMapping = {
      hostIp: p.hostIp,
      hostPort: p.hostPort,
      protocol: p.protocol,
      containerIp,
      containerPort: p.containerPort,
      container: p.container.name,
      containerId: p.container.id || null,
      network: leg.network,
      bridge: leg.bridge,
      hostVeth: leg.hostVeth,
      probableHostVeth: leg.probableHostVeth,
      interface: leg.interface,
      rule: match ? ruleRef(match.rc) : blind ? ruleRef(blind) : null,
      hairpin: containerIp ? hairpinFor(ctx, containerIp, p.containerPort, p.protocol) : null,
      proxy: proxy ? proxyRef(proxy) : null,
      via: 'unknown',
      publishedBy: p.publishedBy,
      containerIpFrom,
      followers: followersOf(ctx, p.container),
      paths: [],
      notes: [p.note, leg.note].filter((n): n is string => n !== null),
    };
    if (containerIpFrom === 'rule')
      m.notes.push(`${p.container.name}'s addresses are not in the data: ${containerIp} is the DNAT rule's target`);
    if (blind)
      m.notes.push(
        `${blind.rule.chain} rule ${blind.rule.number}'s DNAT target is not shown by this listing (iptables-nft rules read from nft -j): matched by its host port alone`,
      );
    ruleOf.set(m, match?.rc ?? blind);
    mappings.push(m);
  }

  // Rules Docker wrote that no publication claimed.
  const blindRules: string[] = [];
  const missingIps = addressless(ctx);
  for (const rc of dnatRules) {
    if (rc.used) continue;
    const r = rc.rule;
    const ref = ruleRef(rc);
    const to = r.dnatTo?.ip ?? null;
    const port = r.dnatTo?.port?.from ?? null;
    const holders = to ? (ctx.holders.get(to) ?? []) : [];
    const holder = holders.find((h) => h.container) ?? holders[0] ?? null;
    const hostPort = r.dport && !r.dportNegated ? r.dport.from : null;
    const hostIp: string =
      r.destination && !r.destinationNegated ? (bare(r.destination) ?? r.destination) : rc.table.family === 'ipv6' ? '::' : '0.0.0.0';
    const common: Partial<NatAnomaly> = { hostIp, hostPort, protocol: r.protocol, containerIp: to, containerPort: port, rule: ref };
    const where = `${ruleWords(ref)} (${ruleHost(rc)} -> ${ruleTo(r)}; ${counters(ref)})`;
    const ingressSandbox = holder?.sandbox && /ingress/.test(holder.sandbox.key);
    if (rc.ingress || ingressSandbox) {
      const leg = to ? legOf(ctx, null, to) : null;
      const sbox = ctx.vethMap.hostVeths.find((v) => v.ownerKind === 'ingress-sbox');
      anomalies.push(
        anomaly(
          'ingress',
          `${where} goes to the swarm ingress sandbox${holder?.sandbox ? ` (${holder.sandbox.key}, ${to})` : ''} on ${leg?.bridge ?? 'docker_gwbridge'}${sbox ? ` via ${sbox.name}` : ''}, which forwards to the service's tasks (routing mesh), not to one container`,
          {
            ...common,
            network: holder?.network ?? leg?.network ?? null,
            bridge: leg?.bridge ?? null,
            hostVeth: sbox?.name ?? null,
          },
        ),
      );
      continue;
    }
    if (!rc.docker) {
      const leg = to ? legOf(ctx, holder?.container ?? null, to) : null;
      const target = holder?.container ? ` to ${holder.container.name}'s address` : to ? ', to an address no container has' : '';
      anomalies.push(
        anomaly('foreign-rule', `not written by Docker: ${where}${target}`, {
          ...common,
          container: holder?.container?.name ?? null,
          network: holder?.network ?? null,
          bridge: leg?.bridge ?? null,
          hostVeth: leg?.hostVeth ?? null,
        }),
      );
      continue;
    }
    if (!ctx.model.containers.complete.known && r.target === 'DNAT' && r.dnatTo === null) {
      // No publication to match it to and no target shown (iptables-nft read through nft -j): only that it exists.
      blindRules.push(ruleHost(rc));
      continue;
    }
    if (!ctx.model.containers.complete.known || (holder?.container && !publicationsKnown(ctx.model, holder.container))) {
      // Publications are not in the data (no container list, or a container known only from other
      // files), the rule is: the mapping is read from the rule, to whoever holds its target address.
      // Several containers holding the address (a namespace they share, or a snapshot of two moments): whose is unknown.
      const holding = new Set(holders.map((h) => h.container).filter((x) => x !== null));
      mappings.push(ruleMapping(ctx, rc, holding.size === 1 ? (holder?.container ?? null) : null, hostIp, hostPort, ref, ruleOf));
      continue;
    }
    const twin = dnatRules.find(
      (o) => o !== rc && o.used && o.table === rc.table && o.rule.chain === r.chain && o.rule.number < r.number && sameMatch(o.rule, r),
    );
    let why: string;
    if (twin) why = `duplicate of ${r.chain} rule ${twin.rule.number}, which matches first: this one is never reached`;
    else if (holder?.container)
      why = `${to} is now ${holder.container.name}'s address, and ${holder.container.name} publishes no ${ruleHost(rc)} there: left over from an earlier container`;
    else if (holder?.sandbox) why = `${to} is Docker's sandbox ${holder.sandbox.key} on ${holder.network}, not a container`;
    else
      why = `no container has ${to ?? 'its target'}${
        missingIps.length
          ? ` (unconfirmed: the addresses of ${missingIps
              .map((c) => c.name)
              .sort(naturalCompare)
              .join(', ')} are unknown)`
          : ''
      }`;
    anomalies.push(
      anomaly('stale-rule', `${where}: ${why}`, {
        ...common,
        container: holder?.container?.name ?? null,
        network: holder?.network ?? null,
        // A rule whose target the listing does not show cannot be proven to point at no one.
        confirmed: to !== null && (twin !== undefined || Boolean(holder?.container) || missingIps.length === 0),
      }),
    );
  }

  // A binding with no rule or proxy of its own (e.g. [::] with no proxy read) goes where its siblings go.
  const siblingKey = (m: PortMapping) => `${m.container}\u0000${m.containerPort}\u0000${m.protocol}`;
  const withIp = new Map<string, PortMapping>();
  for (const m of mappings) if (m.containerIp !== null && m.container !== null && !withIp.has(siblingKey(m))) withIp.set(siblingKey(m), m);
  for (const m of mappings) {
    if (m.containerIp !== null || m.container === null) continue;
    const twin = withIp.get(siblingKey(m));
    if (!twin) continue;
    m.containerIp = twin.containerIp;
    m.containerIpFrom = twin.containerIpFrom;
    m.network = twin.network;
    m.bridge = twin.bridge;
    m.hostVeth = twin.hostVeth;
    m.probableHostVeth = twin.probableHostVeth;
    m.interface = twin.interface;
    m.hairpin = twin.hairpin;
  }

  // Paths and missing rules, now that every rule has found its place.
  for (const m of mappings) {
    const rc = ruleOf.get(m) ?? null;
    const natKnown = familyOf(m.hostIp) === 'ipv6' ? nat.ipv6Known || nat.ipv4Known : nat.ipv4Known;
    m.paths = buildPaths(ctx, m, rc, natKnown);
    m.via = m.paths[0]?.via ?? 'unknown';
    if (rc && m.via !== 'dnat' && isLoopback(m.hostIp)) {
      m.notes.push(
        `${rc.rule.chain} rule ${rc.rule.number} exists but is not reached from this host (${outputExclusion(rc, m.hostIp)}): docker-proxy serves ${m.hostIp}`,
      );
    }
    if (!natKnown || rc) continue;
    const expected = familyOf(m.hostIp) === 'ipv6' ? ctx.ipv6Expected(m) : true;
    if (!expected) {
      m.notes.push(
        nat.ipv6Known
          ? "no IPv6 DNAT rule, as expected (Docker's IPv6 NAT is off or the container has no IPv6 address): docker-proxy forwards [::] to the IPv4 address"
          : 'no ip6tables facts: [::] is served by docker-proxy unless Docker writes IPv6 NAT rules',
      );
      continue;
    }
    if (onInternalNetwork(ctx, m)) {
      m.notes.push(`${m.network} is an --internal network: no DNAT rule is expected`);
      continue;
    }
    const serves = m.proxy !== null;
    anomalies.push(
      anomaly(
        'missing-rule',
        `${hostAddress(m.hostIp, m.hostPort, m.protocol)} is published by ${m.container} (-> ${m.containerIp ?? '?'}:${m.containerPort}) but no DNAT rule sends it there; ${
          serves
            ? `docker-proxy pid ${m.proxy?.pid} still serves it (clients then appear to come from the bridge's gateway, not their own address)`
            : ctx.model.portFacts.dockerProxies === null
              ? 'docker-proxy processes were not read'
              : 'no docker-proxy serves it either: connections from outside fail'
        }`,
        {
          hostIp: m.hostIp,
          hostPort: m.hostPort,
          protocol: m.protocol,
          containerIp: m.containerIp,
          containerPort: m.containerPort,
          container: m.container,
          network: m.network,
          bridge: m.bridge,
          hostVeth: m.hostVeth,
          proxy: m.proxy,
          proxyServes: facts.dockerProxies === null ? null : serves,
        },
      ),
    );
  }

  if (blindRules.length)
    ctx.notes.push(
      `${blindRules.length} Docker DNAT rule(s) whose target this listing does not show (iptables-nft rules read from nft -j), for ${blindRules.join(', ')}: where they lead is unknown without iptables-save or the container list`,
    );
  const list = model.containers.complete;
  for (const p of ctx.proxies) {
    if (!ctx.usedProxies.has(p))
      ctx.notes.push(
        `docker-proxy pid ${p.pid} serves ${hostAddress(p.hostIp, p.hostPort, p.proto)} -> ${p.containerIp}:${p.containerPort}, ${list.known ? 'which no running container publishes' : 'which no known container publishes (the container list is not in the data)'}`,
      );
  }

  mappings.sort((a, b) => byPort(a, b) || naturalCompare(a.container ?? '', b.container ?? ''));
  anomalies.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || byPort(a, b));
  return {
    available: nat.ipv4Known,
    reason: nat.ipv4Known ? null : nat.unavailable,
    backend: dockerBackend(ctx),
    publicationsKnown: list.known,
    publicationsReason: list.known ? null : list.reason,
    mappings,
    anomalies,
    notes: [...sourceNotes(ctx, dockerBackend(ctx)), ...ctx.notes],
    otherNetnsProxies: ctx.model.portFacts.otherNetnsProxies,
  };
}

// Docker 26+ lists a publication of a container on an --internal network (20.10 lists none), and writes
// no DNAT rule or docker-proxy for it: by design, not a missing rule.
const INTERNAL_WORDS = 'Docker publishes no port of a container on an --internal network (unreachable from outside, by design)';

function onInternalNetwork(ctx: Ctx, m: PortMapping): boolean {
  const nets = ctx.model.networks;
  return m.network !== null && nets.known && nets.value.some((n) => n.name === m.network && n.internal);
}

function sameMatch(a: NatRule, b: NatRule): boolean {
  const range = (r: { from: number; to: number } | null) => (r ? `${r.from}-${r.to}` : '');
  return (
    a.protocol === b.protocol &&
    range(a.dport) === range(b.dport) &&
    a.destination === b.destination &&
    a.destinationNegated === b.destinationNegated &&
    a.inInterface === b.inInterface &&
    a.inNegated === b.inNegated
  );
}

/** nftables for Docker's own nftables tables; iptables' tables keep their backend, also when nft listed them (iptables-nft). */
function backendOf(t: NatTable): string | null {
  if (isDockerNftTable(t)) return 'nftables';
  if (t.origin.tool === 'nft') return 'nf_tables';
  return t.origin.backend;
}

function dockerBackend(ctx: Ctx): string | null {
  const kinds = new Set<string>();
  for (const rc of ctx.rules) {
    if (!rc.docker || rc.rule.target !== 'DNAT') continue;
    kinds.add(backendOf(rc.table) ?? 'iptables');
  }
  if (kinds.size === 0) return null;
  return [...kinds].sort().join(' and ');
}

function sourceNotes(ctx: Ctx, backend: string | null): string[] {
  const m = ctx.model;
  const facts = m.portFacts;
  const out: string[] = [...facts.nat.sources];
  if (!facts.nat.ipv4Known) out.push(`NAT rules unavailable: ${facts.nat.unavailable}`);
  else if (backend) out.push(`Docker's DNAT rules are in ${backendWords(backend)}`);
  else out.push("no DNAT rule of Docker's in the rules read");
  const legacyWarned = facts.nat.tables.some((t) => t.table.origin.legacyTablesPresent);
  if (legacyWarned && !facts.nat.sources.some((s) => s.includes('legacy-backend')))
    out.push('iptables-nft says legacy-backend tables exist too, and they were not read');
  if (facts.dockerProxies === null)
    out.push(
      facts.dockerProxiesUnknown ? `docker-proxy processes unknown: ${facts.dockerProxiesUnknown}` : 'docker-proxy processes not read',
    );
  else {
    const unknown = facts.dockerProxies.filter((p) => !p.netns || !m.hostNetns.known).length;
    out.push(
      `${facts.dockerProxies.length} docker-proxy process(es) from host/docker-proxy.json` +
        (unknown ? ` (${unknown} whose network namespace is unknown: they may not be this host's)` : ''),
    );
  }
  const other = facts.otherNetnsProxies;
  if (other?.count)
    out.push(
      `${other.count} docker-proxy process(es) of other network namespaces (${other.namespaces.join(', ')}: another engine's) were seen and left out`,
    );
  if (facts.listening === null) out.push('host sockets not read: whether a host process listens on a port is unknown');
  const natPaths = /^host\/(iptables|ip6tables|nft|docker-proxy|proc-net)/;
  for (const miss of m.missing) if (natPaths.test(miss.path)) out.push(`missing ${miss.path}: ${miss.reason}`);
  for (const fi of m.fileIssues) {
    if (natPaths.test(fi.path))
      out.push(`${fi.path}: ${fi.issues.length} line(s) not understood (first: line ${fi.issues[0]?.line}: ${fi.issues[0]?.reason})`);
  }
  return out;
}

function backendWords(backend: string): string {
  return backend
    .split(' and ')
    .map((b) =>
      b === 'nf_tables'
        ? 'the nf_tables backend (iptables-nft)'
        : b === 'legacy'
          ? 'the legacy backend (iptables-legacy)'
          : b === 'nftables'
            ? "Docker's own nftables tables"
            : 'iptables (the listing does not say which backend)',
    )
    .join(' and ');
}
