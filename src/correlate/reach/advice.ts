// For a negative verdict, the smallest change that would allow it, as a suggestion docknet never
// applies. Given only when the verdict is known (every fact it rests on was read): a rule docknet
// named, a socket table it read, a sysctl it read. Structure only; render words it.
import type { FwRule, Hook, IpFamily } from '../../model/firewall.js';
import type { ListeningSocket } from '../../model/port-path.js';
import { isDirectAccessDrop, isDockerChain } from '../../model/docker-generation.js';
import { familyOf, isLoopback, isWildcard, normaliseHostIp, sameAddress } from '../../util/address.js';
import type { RuleRef } from './hooks.js';
import type { HostView } from './host-view.js';
import type { Hop, PacketView, PathResult, Start, Target } from './path-result.js';

export type Advice =
  /** The container has a socket on the port, bound to its own loopback only: the service must listen on all addresses. */
  | { code: 'listens-on-loopback'; container: string; socket: ListeningSocket }
  /** Nothing listens on the port; `listening` is what does listen there (read from its socket table). */
  | { code: 'nothing-listens'; container: string | null; port: number; protocol: Target['protocol']; listening: ListeningSocket[] }
  /** The host port is published, but on other host addresses than the one asked. */
  | { code: 'published-elsewhere'; container: string; port: number; protocol: Target['protocol']; hostIps: string[] }
  /** Docker 28's raw PREROUTING drop of direct access to a container address from beyond its bridge. */
  | { code: 'docker-direct-access'; rule: RuleRef; container: string | null; network: string | null; from: string | null }
  /**
   * Docker's own filter rules decide (its chains are rewritten by Docker: never edit them). `dockerUser`:
   * the exception Docker's documentation gives, an ACCEPT in DOCKER-USER for exactly this flow.
   */
  | {
      code: 'docker-isolation';
      rule: RuleRef;
      container: string | null;
      network: string | null;
      internal: boolean;
      /** The source container, when the source is one. */
      from: string | null;
      dockerUser: string[] | null;
    }
  /** Docker drops what no publication opened (Docker 28's DOCKER chain drop). */
  | {
      code: 'docker-unpublished';
      rule: RuleRef;
      container: string | null;
      port: number;
      protocol: Target['protocol'];
      dockerUser: string[] | null;
    }
  /** Both ends on one network created with enable_icc=false. */
  | { code: 'docker-icc'; rule: RuleRef; network: string; dockerUser: string[] | null }
  | { code: 'docker-rule'; rule: RuleRef; dockerUser: string[] | null }
  /**
   * Another rule or policy (the user's, ufw's, firewalld's) decides: a rule accepting exactly this flow
   * before it. `command` is an iptables insert (RETURN in DOCKER-USER, so Docker's own rules still
   * apply), or null for nftables, whose rule handles are not in the data.
   */
  | { code: 'allow-before'; rule: RuleRef; hook: Hook; reply: boolean; packet: PacketView; command: string[] | null; ufw: string[] | null }
  | { code: 'enable-forwarding'; sysctl: string }
  /** A loopback address reached from another interface: routing drops it (route_localnet off). */
  | { code: 'loopback-from-outside'; iface: string; rule: RuleRef | null }
  /** The container has no route beyond its networks (an --internal network gives no gateway). */
  | { code: 'no-gateway'; container: string; network: string | null };

function decidingHook(hops: readonly Hop[], rule: RuleRef): Extract<Hop, { kind: 'hook' }> | null {
  for (const h of hops) if (h.kind === 'hook' && h.steps.some((s) => s.rule === rule)) return h;
  return null;
}

function containerOf(host: HostView, ip: string) {
  const at = host.containerAt(ip);
  return at === null || typeof at === 'string' ? null : at;
}

/** The model's rule behind a reference, for what the reference does not carry (its conditions). */
function modelRule(host: HostView, ref: RuleRef, family: IpFamily): FwRule | null {
  const fw = host.firewall(family);
  if (!fw.known) return null;
  const table = fw.value.tables.find((t) => t.kind === ref.kind && t.family === ref.family && t.name === ref.table && t.from === ref.from);
  return table?.chains.get(ref.chain)?.rules.find((r) => r.number === ref.number) ?? null;
}

/**
 * An iptables command for exactly this flow (a reply's: by its source port, conntrack ESTABLISHED): `table`
 * null leaves iptables' default (filter), `where` places it (`-I CHAIN N`, `-A CHAIN`).
 */
function iptablesFor(
  family: RuleRef['family'],
  p: PacketView,
  o: { table: string | null; where: string[]; reply: boolean; target: 'ACCEPT' | 'RETURN' },
): string[] {
  const tool = family === 'ip6' ? 'ip6tables' : 'iptables';
  const table = o.table === null ? [] : ['-t', o.table];
  const ports = o.reply ? ['--sport', String(p.sport), '-m', 'conntrack', '--ctstate', 'ESTABLISHED'] : ['--dport', String(p.dport)];
  return [tool, ...table, ...o.where, '-s', p.src, '-d', p.dst, '-p', p.protocol, '-m', p.protocol, ...ports, '-j', o.target];
}

/** ufw's own words for the same allowance, when ufw's chains decided (its rules are rewritten by ufw itself). */
function ufwAllow(rule: RuleRef, hook: Hook, p: PacketView, reply: boolean): string[] | null {
  if (!rule.chain.startsWith('ufw') || reply) return null;
  const route = hook === 'forward' ? ['route'] : [];
  return ['ufw', ...route, 'allow', 'proto', p.protocol, 'from', p.src, 'to', p.dst, 'port', String(p.dport)];
}

function ruleAdvice(host: HostView, start: Start, target: Target, r: PathResult, reply: PathResult | null, rule: RuleRef): Advice | null {
  const onReply = reply !== null && decidingHook(reply.hops, rule) !== null;
  const hook = decidingHook(onReply && reply ? reply.hops : r.hops, rule);
  if (hook === null) return null;
  const at = containerOf(host, hook.packet.dst) ?? containerOf(host, target.ip);
  const container = at?.container.name ?? null;
  const network = at?.network?.name ?? at?.endpoint.network ?? null;
  const fwRule = rule.kind === 'iptables' ? modelRule(host, rule, familyOf(target.ip)) : null;
  if (!onReply && fwRule && isDirectAccessDrop(rule.table, fwRule)) {
    const enter = r.hops[0];
    if (isLoopback(hook.packet.dst))
      return { code: 'loopback-from-outside', iface: enter?.kind === 'enter' ? (enter.iface ?? '') : '', rule };
    return { code: 'docker-direct-access', rule, container, network, from: start.kind === 'container' ? start.at.container.name : null };
  }
  const dockerUser =
    hook.hook === 'forward' && !onReply && rule.kind === 'iptables'
      ? iptablesFor(rule.family, hook.packet, { table: null, where: ['-I', 'DOCKER-USER', '1'], reply: false, target: 'ACCEPT' })
      : null;
  // enable_icc=false is a FORWARD rule of Docker's own in 20.10 (in FORWARD itself) and 28 (DOCKER-FORWARD): told by the network.
  const icc =
    start.kind === 'container' &&
    at?.network &&
    at.network === start.at.network &&
    at.network.options['com.docker.network.bridge.enable_icc'] === 'false';
  if (!onReply && icc && at?.network && rule.kind === 'iptables' && rule.table === 'filter')
    return { code: 'docker-icc', rule, network: at.network.name, dockerUser };
  if (rule.kind === 'iptables' && isDockerChain(rule.chain) && rule.chain !== 'DOCKER-USER') {
    if (rule.chain.startsWith('DOCKER-ISOLATION') || rule.chain === 'DOCKER-INTERNAL') {
      const internal = at?.network?.internal ?? false;
      const from = start.kind === 'container' ? start.at.container.name : null;
      // An --internal network's containers have no route back beyond it: an exception in DOCKER-USER would not bring a reply.
      return { code: 'docker-isolation', rule, container, network, internal, from, dockerUser: internal ? null : dockerUser };
    }
    if (rule.chain === 'DOCKER')
      return { code: 'docker-unpublished', rule, container, port: hook.packet.dport, protocol: hook.packet.protocol, dockerUser };
    return { code: 'docker-rule', rule, dockerUser };
  }
  return {
    code: 'allow-before',
    rule,
    hook: hook.hook,
    reply: onReply,
    packet: hook.packet,
    command:
      rule.kind === 'iptables'
        ? iptablesFor(rule.family, hook.packet, {
            table: rule.table,
            where: rule.number === 0 ? ['-A', rule.chain] : ['-I', rule.chain, String(rule.number)],
            reply: onReply,
            target: rule.chain === 'DOCKER-USER' ? 'RETURN' : 'ACCEPT',
          })
        : null,
    ufw: ufwAllow(rule, hook.hook, hook.packet, onReply),
  };
}

function listenerAdvice(host: HostView, r: PathResult): Advice | null {
  const last = r.hops[r.hops.length - 1];
  const protocol = r.hops[0]?.kind === 'enter' ? r.hops[0].packet.protocol : 'tcp';
  if (last?.kind === 'deliver-container') {
    const sockets = host.containerListening(last.container);
    if (!sockets.known) return null;
    const loopback = sockets.value.find((s) => s.port === last.port && s.protocol === protocol && isLoopback(s.ip));
    if (loopback) return { code: 'listens-on-loopback', container: last.container, socket: loopback };
    return { code: 'nothing-listens', container: last.container, port: last.port, protocol, listening: sockets.value };
  }
  if (last?.kind !== 'deliver-host' || !host.containerList.known) return null;
  for (const c of host.containers) {
    const bindings = Object.entries(c.ports).flatMap(([key, list]) => (key.endsWith(`/${protocol}`) ? (list ?? []) : []));
    const elsewhere = bindings.filter(
      (b) => Number(b.hostPort) === last.port && !isWildcard(normaliseHostIp(b.hostIp)) && !sameAddress(normaliseHostIp(b.hostIp), last.ip),
    );
    if (elsewhere.length)
      return { code: 'published-elsewhere', container: c.name, port: last.port, protocol, hostIps: elsewhere.map((b) => b.hostIp) };
  }
  return host.hostListening ? { code: 'nothing-listens', container: null, port: last.port, protocol, listening: [] } : null;
}

/** The suggestions for a verdict; none for a positive or unknown one. */
export function adviceFor(host: HostView, start: Start, target: Target, result: PathResult, reply: PathResult | null): Advice[] {
  if (result.expect === 'connect' || result.expect === 'unknown' || result.verdict === 'unknown') return [];
  if (result.decidedBy && result.decidedBy.number >= 0 && (result.verdict === 'dropped' || result.verdict === 'rejected')) {
    const a = ruleAdvice(host, start, target, result, reply, result.decidedBy);
    return a ? [a] : [];
  }
  if (result.verdict === 'no-listener') {
    const a = listenerAdvice(host, result);
    return a ? [a] : [];
  }
  if (result.verdict === 'forwarding-off') {
    const hop = result.hops.find((h) => h.kind === 'forwarding');
    return hop && !hop.assumed ? [{ code: 'enable-forwarding', sysctl: hop.sysctl }] : [];
  }
  const martian = result.hops.find((h) => h.kind === 'martian');
  if (result.verdict === 'dropped' && martian && !martian.assumed)
    return [{ code: 'loopback-from-outside', iface: martian.iface, rule: null }];
  if (result.verdict === 'no-route' && start.kind === 'container' && !start.at.container.endpoints.some((e) => Boolean(e.gateway)))
    return [{ code: 'no-gateway', container: start.at.container.name, network: start.at.network?.name ?? start.at.endpoint.network }];
  return [];
}
