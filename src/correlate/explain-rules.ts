// One sentence for each netfilter rule and chain: what it matches and does, and what that means on this
// host (Docker's published ports, its bridges' NAT out, isolation; libvirt's rules; another tool's).
// Matches docknet does not know leave the rule unexplained, listed as such, rather than half-said.
import type { NatChain, NatRule } from '../model/nat-rule.js';
import type { NatReport } from '../model/port-path.js';
import type { BridgeIdentityOf } from './docker-bridges.js';

export interface RuleContext {
  identity: BridgeIdentityOf;
  /** Subnets to their owner's words: "Docker network 'bridge'", "libvirt's virbr0 network". */
  subnets: { prefix: string; owner: string; docker: boolean }[];
  /** Container addresses (bare IPv4/IPv6) to container names. */
  containerByIp: Map<string, string>;
  nat: NatReport;
  /** The Docker engine's major version, when known. */
  engineMajor: number | null;
}

export type RuleExplanation = { text: string } | { text: null; reason: string };

// Match and target options docknet knows, in both spellings (`-L` words, iptables-save options).
// Each one is removed from the rule's free text; whatever is left is not understood.
const KNOWN_OPTIONS: RegExp[] = [
  /(?:^|\s)ADDRTYPE match (?:src|dst)-type !?\s?\w+(?: limit-in| limit-out)?/g,
  /(?:^|\s)-m addrtype(?: !)?(?: --(?:src|dst)-type \w+| --limit-iface-(?:in|out))+/g,
  /(?:^|\s)(?:tcp|udp|sctp|udplite|dccp)(?: (?:spts?|dpts?):!?[\w-]+(?::\d+)?)+/g,
  /(?:^|\s)-m (?:tcp|udp|sctp|udplite|dccp)/g,
  /(?:^|\s)(?:! )?--[ds]port \d+(?::\d+)?/g,
  /(?:^|\s)to:\S+/g,
  /(?:^|\s)masq ports: \S+/g,
  /(?:^|\s)redir ports \S+/g,
  /(?:^|\s)random(?:-fully)?/g,
  /(?:^|\s)--random(?:-fully)?/g,
  /(?:^|\s)-j \S+/g,
  /(?:^|\s)-g \S+/g,
  /(?:^|\s)--to-(?:destination|source|ports) \S+/g,
  /(?:^|\s)ctstate [A-Z,]+/g,
  /(?:^|\s)state [A-Z,]+/g,
  /(?:^|\s)-m (?:conntrack|state)(?: (?:! )?--(?:ct)?state [A-Z,]+)+/g,
  /(?:^|\s)\/\* .*? \*\//g,
  /(?:^|\s)-m comment --comment (?:"[^"]*"|\S+)/g,
  /(?:^|\s)reject-with [\w-]+/g,
  /(?:^|\s)--reject-with [\w-]+/g,
  // nftables, as nft prints rules (Docker 29's own tables, iptables-nft's tables read through nft).
  /(?:^|\s)[io]ifname (?:!= )?(?:"[^"]*"|\S+)/g,
  /(?:^|\s)ip6? [sd]addr (?:!= )?\S+/g,
  /(?:^|\s)(?:tcp|udp|sctp|th) [sd]port (?:!= )?\S+/g,
  /(?:^|\s)meta l4proto (?:!= )?\S+/g,
  /(?:^|\s)fib daddr type (?:!= )?local/g,
  /(?:^|\s)ct state (?:!= )?\S+/g,
  /(?:^|\s)counter(?: packets \d+ bytes \d+)?/g,
  /(?:^|\s)(?:dnat|snat)(?: ip6?)? to \S+/g,
  /(?:^|\s)(?:masquerade|accept|drop|return)(?= |$)/g,
  /(?:^|\s)(?:jump|goto) \S+/g,
  /(?:^|\s)comment "[^"]*"/g,
];

/** The free text a rule holds beyond the options docknet knows; '' when every part is understood. */
export function unknownOptions(matches: string): string {
  let rest = ` ${matches}`;
  for (const re of KNOWN_OPTIONS) rest = rest.replace(re, ' ');
  return rest.replace(/\s+/g, ' ').trim();
}

function neg(n: boolean): string {
  return n ? 'not ' : '';
}

function who(ctx: RuleContext, ip: string): string {
  const c = ctx.containerByIp.get(ip.replace(/\/(32|128)$/, ''));
  return c ? ` (${c})` : '';
}

function subnetOwner(ctx: RuleContext, cidr: string | null): { owner: string; docker: boolean } | null {
  if (!cidr) return null;
  return ctx.subnets.find((s) => s.prefix === cidr) ?? null;
}

function bridgeWords(ctx: RuleContext, name: string, said?: Set<string>): string {
  if (said?.has(name)) return name;
  said?.add(name);
  const id = ctx.identity(name);
  if (id.network) return `${name} (the bridge of Docker network '${id.network.name}')`;
  if (id.docker === true) return `${name} (Docker's bridge)`;
  if (id.foreign === 'libvirt') return `${name} (libvirt's bridge)`;
  return name;
}

/** What the rule matches, in words: "tcp packets not arriving on docker0, to port 49154". */
function matchWords(r: NatRule, ctx: RuleContext): string {
  const parts: string[] = [];
  const said = new Set<string>();
  const proto = r.protocol && r.protocol !== 'all' ? `${r.protocolNegated ? 'non-' : ''}${r.protocol.toUpperCase()} packets` : 'packets';
  if (r.inInterface) parts.push(`${neg(r.inNegated)}arriving on ${bridgeWords(ctx, r.inInterface, said)}`);
  if (r.outInterface) parts.push(`${neg(r.outNegated)}leaving through ${bridgeWords(ctx, r.outInterface, said)}`);
  if (r.source) parts.push(`${r.sourceNegated ? 'from anywhere but' : 'from'} ${r.source}${who(ctx, r.source)}`);
  if (r.destination) parts.push(`${r.destinationNegated ? 'to anywhere but' : 'to'} ${r.destination}${who(ctx, r.destination)}`);
  if (r.dport)
    parts.push(
      `${r.dportNegated ? 'to any port but' : 'to port'} ${r.dport.from === r.dport.to ? r.dport.from : `${r.dport.from}-${r.dport.to}`}`,
    );
  if (r.sport) parts.push(`from port ${r.sport.from === r.sport.to ? r.sport.from : `${r.sport.from}-${r.sport.to}`}`);
  const m = r.matches;
  if (/dst-type !?\s?LOCAL/.test(m))
    parts.push(/dst-type !/.test(m) ? 'not addressed to this host' : "addressed to one of this host's own addresses");
  if (/ctstate|state /.test(m) && /RELATED,ESTABLISHED|ESTABLISHED,RELATED/.test(m))
    parts.push('of connections already under way (replies)');
  else if (/ctstate INVALID|state INVALID/.test(m)) parts.push('that conntrack finds invalid');
  const comment = /\/\* (.*?) \*\/|--comment (?:"([^"]*)"|(\S+))|comment "([^"]*)"/.exec(m);
  if (comment) parts.push(`(comment: ${comment[1] ?? comment[2] ?? comment[3] ?? comment[4]})`);
  return parts.length ? `${proto} ${parts.join(', ')}` : `all ${proto}`;
}

function targetWords(r: NatRule): string {
  const to = r.dnatTo
    ? `${r.dnatTo.ip ?? ''}${r.dnatTo.port ? `:${r.dnatTo.port.from}${r.dnatTo.port.to !== r.dnatTo.port.from ? `-${r.dnatTo.port.to}` : ''}` : ''}`
    : '?';
  switch (r.target) {
    case 'DNAT':
      return `have their destination rewritten to ${to}`;
    case 'SNAT':
      return `have their source rewritten to ${r.snatTo?.ip ?? '?'}`;
    case 'MASQUERADE': {
      const ports = /masq ports: (\S+)|--to-ports (\S+)/.exec(r.matches);
      return `leave with the address of the interface they go out by (MASQUERADE)${ports ? `, source ports mapped into ${ports[1] ?? ports[2]}` : ''}`;
    }
    case 'REDIRECT':
      return 'are redirected to a port of this host';
    case 'RETURN':
      return 'stop here and go back to the chain that jumped here';
    case 'ACCEPT':
      return 'are accepted';
    case 'DROP':
      return 'are dropped';
    case 'REJECT':
      return 'are refused';
    case 'LOG':
      return 'are logged';
    case '':
      return 'only count (the rule has no target)';
    default:
      return `go to chain ${r.target}`;
  }
}

/** What the rule means on this host, when it is one Docker (or libvirt) writes. */
function meaning(r: NatRule, ctx: RuleContext): string | null {
  const m = r.matches;
  const local = /dst-type LOCAL|fib daddr type local/.test(m);
  // Docker 29's nftables backend keeps its NAT in table docker-bridges.
  if (r.table === 'nat' || r.table === 'docker-bridges') {
    if (r.chain === 'PREROUTING' && r.target === 'DOCKER' && local)
      return "Docker's entry to its port publishing: connections from outside (and from containers) to any of this host's addresses are checked against the DNAT rules in chain DOCKER.";
    if (r.chain === 'OUTPUT' && r.target === 'DOCKER' && local && r.destination === '127.0.0.0/8' && r.destinationNegated)
      return "Connections from this host to its own addresses, except loopback, go through Docker's DNAT; loopback (127.0.0.1) is left to docker-proxy, which is why its DNAT counters stay at 0.";
    if (r.chain === 'OUTPUT' && r.target === 'DOCKER' && local)
      return "Connections from this host to any of its own addresses, loopback included, go through Docker's DNAT (the userland proxy is off, or hairpin NAT is on).";
    if (r.chain === 'DOCKER' && r.target === 'RETURN' && r.inInterface && !r.inNegated)
      return `Packets coming from ${r.inInterface}'s own containers leave chain DOCKER untouched: a container on that bridge reaching a published port is not DNATed here (docker-proxy serves it).`;
    if (r.target === 'DNAT' && r.dport) {
      const mapping = ctx.nat.mappings.find(
        (x) => x.rule && x.rule.chain === r.chain && x.rule.number === r.number && x.rule.family === r.family,
      );
      const container = mapping?.container ?? (r.dnatTo?.ip ? ctx.containerByIp.get(r.dnatTo.ip) : undefined);
      const counters = r.packets !== null ? ` ${r.packets} packet(s) have taken it.` : '';
      const only = r.destination && !r.destinationNegated ? ` only for ${r.destination}` : '';
      return `Docker's publication of host port ${r.dport.from}/${r.protocol}${only}: it goes to ${container ?? 'the container at'} ${r.dnatTo?.ip ?? '?'}${r.dnatTo?.port ? `:${r.dnatTo.port.from}` : ''}${container ? '' : ' (no container in the data has that address)'}.${counters}`;
    }
    if (r.chain === 'POSTROUTING' && r.target === 'MASQUERADE') {
      if (r.source && r.destination && r.source === r.destination && r.dport)
        return `Hairpin NAT for ${r.source}${who(ctx, r.source)}: when it reaches its own published port ${r.dport.from}, the source is rewritten so that the reply comes back through NAT.`;
      const owner = subnetOwner(ctx, r.source);
      if (owner && r.outInterface && r.outNegated)
        return `${owner.docker ? 'Docker' : owner.owner}: the containers of ${owner.owner} (${r.source}) reach beyond their bridge with the host's address (outbound NAT).`;
    }
  }
  if (r.table === 'filter') {
    if (r.chain === 'FORWARD' && r.target.startsWith('DOCKER'))
      return `Forwarded packets pass Docker's chain ${r.target} (Docker ${r.target === 'DOCKER-USER' ? 'puts it first, for your own rules' : 'adds it'}).`;
    if (r.chain === 'DOCKER-USER' && r.target === 'RETURN')
      return 'DOCKER-USER is empty but for this RETURN: the place where you put your own rules, which Docker never touches.';
    if (r.chain.startsWith('DOCKER-ISOLATION-STAGE-1') && r.target === 'DOCKER-ISOLATION-STAGE-2')
      return `Isolation between Docker networks, step 1: traffic from ${r.inInterface} to another interface is checked in stage 2.`;
    if (r.chain.startsWith('DOCKER-ISOLATION-STAGE-2') && r.target === 'DROP')
      return `Isolation between Docker networks, step 2: traffic from another Docker bridge into ${r.outInterface} is dropped: containers of different networks cannot talk.`;
    if (/^DOCKER-ISOLATION/.test(r.chain) && r.target === 'RETURN') return 'Not isolated: the packet goes on.';
    if (r.chain === 'DOCKER' && r.target === 'ACCEPT' && r.destination && r.dport)
      return `The filter side of a publication: connections to ${r.destination}${who(ctx, r.destination)} port ${r.dport.from} arriving from outside its bridge are let through.`;
    if (r.chain === 'DOCKER' && r.target === 'DROP' && r.outInterface && r.inInterface && r.inNegated)
      return `Docker 28 and later: anything else from outside ${r.outInterface} to its containers is dropped (only published ports get in).`;
    if (/ESTABLISHED/.test(m) && r.target === 'ACCEPT' && r.outInterface)
      return `Replies to connections the containers of ${r.outInterface} opened are let back in.`;
    if (r.target === 'DOCKER' && r.outInterface)
      return `Packets to ${r.outInterface}'s containers are checked against the published ports (chain DOCKER).`;
    if (r.target === 'ACCEPT' && r.inInterface && r.outInterface && !r.outNegated && r.inInterface === r.outInterface)
      return `Containers on ${r.inInterface} may talk to each other (inter-container communication is on).`;
    if (r.target === 'DROP' && r.inInterface && r.inInterface === r.outInterface && !r.outNegated)
      return `Containers on ${r.inInterface} may not talk to each other (icc disabled: docker_gwbridge always has it off).`;
    if (r.target === 'ACCEPT' && r.inInterface && (r.outNegated || !r.outInterface))
      return `Containers on ${r.inInterface} may reach out (to the uplink and beyond).`;
  }
  if (r.table === 'raw' && r.target === 'DROP' && r.destination && r.inNegated)
    return `Docker 28 and later: packets for container ${r.destination}${who(ctx, r.destination)} that do not arrive on its bridge ${r.inInterface} are dropped before routing (no direct access from other hosts).`;
  const owner = subnetOwner(ctx, r.source);
  if (owner && !owner.docker) return `A rule of ${owner.owner}, not Docker's.`;
  return null;
}

export function explainRule(r: NatRule, ctx: RuleContext): RuleExplanation {
  const rest = unknownOptions(r.matches);
  if (rest !== '') return { text: null, reason: `options docknet does not know: ${rest}` };
  const what = `${matchWords(r, ctx)} ${targetWords(r)}.`;
  const counters = r.packets !== null && r.target !== 'DNAT' ? ` Counters: ${r.packets} packets, ${r.bytes ?? '?'} bytes.` : '';
  const mean = meaning(r, ctx);
  return { text: `${what.charAt(0).toUpperCase()}${what.slice(1)}${mean ? ` ${mean}` : ''}${counters}` };
}

const BUILTIN: Record<string, Record<string, string>> = {
  nat: {
    PREROUTING: 'every packet arriving at the host (from outside or from a container), before routing: where DNAT decides the destination',
    INPUT: 'packets for this host itself, after routing (source NAT on local delivery; rarely used)',
    OUTPUT: "packets this host's own processes send, before routing: DNAT of locally made connections",
    POSTROUTING: 'every packet leaving, after routing: where SNAT and MASQUERADE rewrite the source',
  },
  filter: {
    INPUT: 'packets for this host itself',
    FORWARD: 'packets routed through the host: between containers and the outside, or between bridges',
    OUTPUT: "packets this host's own processes send",
  },
  raw: {
    PREROUTING: 'every arriving packet, before connection tracking',
    OUTPUT: 'locally sent packets, before connection tracking',
  },
  mangle: {
    PREROUTING: 'arriving packets, to alter their marks or headers',
    INPUT: 'packets for this host, to alter marks',
    FORWARD: 'routed packets, to alter marks',
    OUTPUT: 'locally sent packets, to alter marks',
    POSTROUTING: 'leaving packets, to alter marks',
  },
};

const DOCKER_CHAINS: Record<string, string> = {
  'nat/DOCKER': "Docker's chain of DNAT rules, one per published port (PREROUTING and OUTPUT jump here)",
  'filter/DOCKER': "Docker's chain that lets connections to published ports through to the containers",
  'filter/DOCKER-USER': 'the chain Docker leaves to you: FORWARD jumps here first, and Docker never writes to it but its RETURN',
  'filter/DOCKER-ISOLATION-STAGE-1':
    "Docker's isolation between networks, first step (packets leaving a Docker bridge for another interface)",
  'filter/DOCKER-ISOLATION-STAGE-2': "Docker's isolation between networks, second step (drops them when they enter another Docker bridge)",
  'filter/DOCKER-FORWARD':
    "Docker 28's forwarding chain: FORWARD jumps here; it holds the per-bridge rules that Docker 27 and earlier wrote into FORWARD",
  'filter/DOCKER-BRIDGE': "Docker 28's per-bridge jumps to chain DOCKER",
  'filter/DOCKER-CT': "Docker 28's per-bridge acceptance of replies (conntrack RELATED,ESTABLISHED)",
  'filter/DOCKER-INTERNAL': "Docker 28's chain for internal networks (no way out)",
  'filter/DOCKER-INGRESS': "Docker swarm's chain for the routing mesh's published ports",
  'nat/DOCKER-INGRESS': "Docker swarm's DNAT for the routing mesh (ports published by services, to the ingress sandbox)",
};

export function explainChain(c: NatChain, table: string): string {
  const builtin = BUILTIN[table]?.[c.name];
  const policy =
    c.policy !== null
      ? `; policy ${c.policy}${c.packets !== null ? ` (${c.packets} packets, ${c.bytes ?? '?'} bytes took it)` : ''}: what happens when no rule decides`
      : '';
  if (builtin) return `Built-in chain ${c.name} of the ${table} table: ${builtin}${policy}.`;
  const docker = DOCKER_CHAINS[`${table}/${c.name}`];
  const refs = c.references !== null ? ` (${c.references} rule(s) jump to it)` : '';
  if (docker) return `Chain ${c.name}${refs}: ${docker}.`;
  if (/^LIBVIRT_/.test(c.name)) return `Chain ${c.name}${refs}: libvirt's, for its virtual machines' networks.`;
  return `Chain ${c.name}${refs}: a chain of its own, not one Docker writes.`;
}
