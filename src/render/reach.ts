// Renders a reach verdict: the packet's walk, hop by hop, then the verdict, what a client would see,
// and the rule that decided. JSON is versioned and carries the same structure.
import type { DirectAccess } from '../correlate/direct-access.js';
import type { RuleRef, Step } from '../correlate/reach/hooks.js';
import type { DestinationArg, SourceArg } from '../correlate/reach/endpoints.js';
import type { Hop, Listener, PacketView } from '../correlate/reach/path-result.js';
import type { Exposure, ExposureFlag, ExposureRow, ExposureSource, HostFirewall } from '../correlate/reach/exposure.js';
import type { ReachResult } from '../correlate/reach/reach.js';
import type { Advice } from '../correlate/reach/advice.js';
import { shellLine } from '../util/shell-quote.js';
import type { OutputMedium } from './medium.js';
import { renderTable } from './table.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { escapeText } from './escape.js';
import { snapshotJson, snapshotNotice } from './snapshot-notice.js';

export const REACH_SCHEMA_VERSION = 1;

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function packetText(p: PacketView): string {
  return `${endpoint(p.src, p.sport)} -> ${endpoint(p.dst, p.dport)}/${p.protocol}`;
}

export function sourceText(s: SourceArg): string {
  if (s.kind === 'outside') return s.ip ? `outside:${s.ip}` : 'outside';
  if (s.kind === 'host') return 'host';
  return s.kind === 'ip' ? s.ip : s.ref;
}

export function destinationText(d: DestinationArg): string {
  const where = d.kind === 'host' ? 'host' : d.kind === 'ip' ? (d.ip.includes(':') ? `[${d.ip}]` : d.ip) : d.ref;
  return `${where}:${d.port}/${d.protocol}`;
}

/** `iptables filter FORWARD`, `nft inet firewalld filter_FORWARD`. */
function chainName(r: RuleRef): string {
  return r.kind === 'iptables'
    ? `${r.family === 'ip6' ? 'ip6tables' : 'iptables'} ${r.table} ${r.chain}`
    : `nft ${r.family} ${r.table} ${r.chain}`;
}

function counters(r: RuleRef): string {
  return r.packets === null ? '' : ` [${r.packets} packets, ${r.bytes ?? '?'} bytes]`;
}

/** A rule by its place only: `iptables filter DOCKER-USER rule 1`, `iptables filter FORWARD policy`. */
function ruleName(r: RuleRef): string {
  return r.number === 0 ? `${chainName(r)} policy` : `${chainName(r)} rule ${r.number}`;
}

export function ruleText(r: RuleRef): string {
  if (r.number === 0) return `${chainName(r)} ${r.text}`;
  return `${chainName(r)} rule ${r.number}: ${escapeText(r.text.replace(/^\[\d+:\d+\]\s+/, ''))}${counters(r)}`;
}

const ACTION_WORDS: Readonly<Record<Step['action'], string>> = {
  accept: 'accepts',
  drop: 'drops',
  reject: 'rejects',
  return: 'returns',
  continue: 'matches (no verdict)',
  jump: 'jumps',
  goto: 'goes to',
  vmap: 'looks up its verdict map',
  dnat: 'rewrites the destination',
  snat: 'rewrites the source',
  masquerade: 'masquerades',
  redirect: 'redirects',
  mark: 'marks',
  unmodelled: 'ends in a target docknet does not model',
  policy: 'ends the chain:',
};

function stepLine(s: Step): string {
  const assumed = s.assumedMatch === true ? ' (taken as matching: docknet cannot tell)' : '';
  const taken = s.assumed.length ? ` (${s.assumed.join('; ')})` : '';
  if (s.action === 'policy') return `${chainName(s.rule)}: no rule decides; policy ${s.rule.text.replace(/^policy /, '')}`;
  return `${ruleText(s.rule)} ${ACTION_WORDS[s.action]}${assumed}${taken}`;
}

function listenerText(l: Listener): string {
  if (l.state === 'listening') return `a socket listens (${endpoint(l.socket.ip, l.socket.port)}/${l.socket.protocol})`;
  if (l.state === 'not-listening') return 'nothing listens there';
  if (l.state === 'client') return "the client's own socket takes it";
  return `whether anything listens is unknown: ${l.why}`;
}

function hopLines(h: Hop): string[] {
  switch (h.kind) {
    case 'enter':
      if (h.from === 'outside') return [`enters on ${h.iface}: ${packetText(h.packet)}`];
      if (h.from === 'host') return [`sent by a process on the host: ${packetText(h.packet)}`];
      return [`sent by ${h.container}${h.iface ? ` (its veth on ${h.iface})` : ''}: ${packetText(h.packet)}`];
    case 'hook': {
      const head = `${h.hook}${h.loopback ? ' (looped back through lo)' : ''}:`;
      if (h.steps.length === 0) return [`${head} no rule applies`];
      return [head, ...h.steps.map((s) => `  ${stepLine(s)}`)];
    }
    case 'nat':
      return [`${h.rewrite.kind.toUpperCase()}: ${h.rewrite.before} -> ${h.rewrite.after}`];
    case 'route':
      if (h.local) return [`routing: ${h.dst} is this host's own address: delivered locally`];
      if (h.route === null) return [`routing: no route to ${h.dst}`];
      return [`routing: ${h.dst} by route ${h.route.dst}${h.route.gateway ? ` via ${h.route.gateway}` : ''} dev ${h.route.dev}`];
    case 'forwarding':
      return [`forwarding: ${h.sysctl} = ${h.value ?? 'absent'}${h.assumed ? ' (taken as such: not in the data)' : ''}`];
    case 'martian':
      return [
        h.routeLocalnet
          ? `${h.dst} arrived on ${h.iface}, and route_localnet lets it be routed${h.assumed ? ' (taken as such: not in the data)' : ''}`
          : `${h.dst} arrived on ${h.iface}: a loopback address from outside is dropped by routing (route_localnet is off${h.assumed ? ', taken as such: not in the data' : ''})`,
      ];
    case 'bridged':
      return [
        h.iptables
          ? `bridged on ${h.bridge}; ${h.sysctl} = 1: iptables sees it${h.assumed ? ' (taken as such: not in the data)' : ''}`
          : `bridged on ${h.bridge} without iptables (${h.sysctl} = ${h.value ?? 'absent: br_netfilter not loaded'}${h.assumed ? ', taken as such: not in the data' : ''})`,
      ];
    case 'deliver-container':
      return [`delivered to ${h.container} at ${endpoint(h.ip, h.port)}${h.bridge ? ` on ${h.bridge}` : ''}: ${listenerText(h.listener)}`];
    case 'deliver-host': {
      const lines = [`delivered to this host at ${endpoint(h.ip, h.port)}: ${listenerText(h.listener)}`];
      if (h.proxy) {
        lines.push(
          `  the listener is docker-proxy (pid ${h.proxy.pid}), which connects on to ${endpoint(h.proxy.containerIp, h.proxy.containerPort)}:`,
        );
        if (h.proxied) for (const x of h.proxied.hops) lines.push(...hopLines(x).map((l) => `    ${l}`));
        if (h.proxied) lines.push(`    that leg: ${h.proxied.verdict}`);
      }
      return lines;
    }
    case 'leave':
      return [`leaves the host by ${h.iface}${h.gateway ? ` towards ${h.gateway}` : ''}: ${packetText(h.packet)}`];
  }
}

const EXPECT_WORDS: Readonly<Record<ReachResult['expect'], string>> = {
  connect: 'a client connects',
  refused: 'a client is refused',
  timeout: 'a client times out',
  unreachable: 'a client gets "unreachable"',
  unknown: 'what a client sees cannot be told',
};

/** One direct-access verdict in a line: `10.228.0.2:8080/tcp: dropped: a client times out (iptables raw PREROUTING rule 2: ...)`. */
export function directAccessLine(d: DirectAccess): string {
  const why = d.decidedBy ? ` (${ruleText(d.decidedBy)})` : d.unknown ? ` (${escapeText(d.unknown)})` : '';
  return `${d.address}: ${d.verdict}: ${EXPECT_WORDS[d.expect]}${why}`;
}

function socketText(s: { ip: string; port: number; protocol: string }): string {
  return `${endpoint(s.ip, s.port)}/${s.protocol}`;
}

function dockerUserLines(command: string[] | null): string[] {
  return command ? ["  or make an exception before Docker's rules, in DOCKER-USER:", `    ${shellLine(command)}`] : [];
}

/** A suggestion in words, then the command that would carry it out where there is one (never run by docknet). */
export function adviceLines(a: Advice): string[] {
  switch (a.code) {
    case 'listens-on-loopback':
      return [
        `${a.container} listens on ${socketText(a.socket)} only: inside a container, 127.0.0.1 is the container's own. Make the service listen on 0.0.0.0 (all addresses) in ${a.container}.`,
      ];
    case 'nothing-listens': {
      const where = a.container ?? 'this host';
      const same = a.listening.filter((s) => s.protocol === a.protocol);
      const ports = same.length ? ` It listens on: ${same.map(socketText).join(', ')}.` : '';
      return [
        `Nothing in ${where} listens on port ${a.port}/${a.protocol}: start the service there, or connect to a port it listens on.${ports}`,
      ];
    }
    case 'published-elsewhere':
      return [
        `Port ${a.port}/${a.protocol} of ${a.container} is published on ${a.hostIps.join(', ')} only: connect there, or publish it on this address too (docker run -p <address>:${a.port}:<container port>).`,
      ];
    case 'docker-direct-access': {
      const mode = 'com.docker.network.bridge.gateway_mode_ipv4=nat-unprotected (or routed)';
      const network =
        a.network === null
          ? ''
          : a.network === 'bridge'
            ? `, or run ${a.container ?? 'it'} on a network of your own created with -o ${mode}`
            : `, or create ${a.network} with -o ${mode} to allow direct access`;
      const join = a.from
        ? ` Or connect ${a.from} to ${a.network ?? "the container's network"}: docker network connect ${a.network ?? '<network>'} ${a.from}.`
        : '';
      return [
        `Docker (28+) drops packets to a container address from beyond its bridge (${ruleName(a.rule)}). Publish the port (docker run -p HOSTPORT:PORT) and connect to the host's address${network}.${join}`,
      ];
    }
    case 'docker-isolation':
      return [
        a.internal
          ? `${a.network ?? 'The network'} is --internal: Docker isolates it from everything beyond it (${ruleName(a.rule)}). ${
              a.from
                ? `Containers on it reach each other: docker network connect ${a.network ?? '<network>'} ${a.from}.`
                : `Connect ${a.container ?? 'the container'} to a network that is not internal as well, and publish the port there.`
            }`
          : `Docker isolates its networks from each other (${ruleName(a.rule)}). Put both containers on one network: docker network connect ${a.network ?? '<network>'} ${a.from ?? '<source container>'}.`,
        ...dockerUserLines(a.dockerUser),
      ];
    case 'docker-unpublished':
      return [
        `Docker drops what no publication opened (${ruleName(a.rule)}): publish ${a.port}/${a.protocol}${a.container ? ` of ${a.container}` : ''} (docker run -p HOSTPORT:${a.port}/${a.protocol}).`,
        ...dockerUserLines(a.dockerUser),
      ];
    case 'docker-icc':
      return [
        `${a.network} was created with enable_icc=false: Docker drops traffic between its containers (${ruleName(a.rule)}). Put the two on another network together, or recreate ${a.network} without -o com.docker.network.bridge.enable_icc=false.`,
        ...dockerUserLines(a.dockerUser),
      ];
    case 'docker-rule':
      return [
        `Docker's own rule decides (${ruleName(a.rule)}); Docker rewrites its chains, so do not edit them.`,
        ...dockerUserLines(a.dockerUser),
      ];
    case 'allow-before': {
      const flow = `${packetText(a.packet)}${a.reply ? ' (the reply)' : ''}`;
      const lines = [`A rule before ${ruleName(a.rule)} that accepts ${flow} would let it through, if that is intended:`];
      if (a.command) lines.push(`  ${shellLine(a.command)}`);
      else
        lines.push(
          '  (an nftables rule: insert it before that rule with nft insert rule ... position <its handle>; nft -a list ruleset shows the handles)',
        );
      if (a.ufw) lines.push(`  or, as ufw manages its own chains: ${shellLine(a.ufw)}`);
      return lines;
    }
    case 'enable-forwarding':
      return [`The host does not forward packets: sysctl -w ${a.sysctl}=1 (Docker sets it when it starts; something turned it off).`];
    case 'loopback-from-outside':
      return [
        `A loopback address from ${a.iface} is dropped${a.rule ? ` (${ruleName(a.rule)}, Docker's)` : ' by routing'}: a port published on 127.0.0.1 serves this host only. Publish it on the host's address to serve the network (docker run -p <host address>:PORT:PORT).`,
      ];
    case 'no-gateway':
      return [
        `${a.container} has no route beyond ${a.network ?? 'its networks'} (an --internal network has no gateway): connect it to a network that is not internal to reach beyond.`,
      ];
  }
}

export function renderReachText(r: ReachResult, snapshot: Snapshot): string {
  const out: string[] = [];
  const notice = snapshotNotice(snapshot);
  if (notice) out.push(notice.trimEnd());
  const to = r.target ? ` (${endpoint(r.target.ip, r.target.port)}/${r.target.protocol})` : '';
  out.push(`reach ${escapeText(sourceText(r.source))} -> ${escapeText(destinationText(r.destination))}${to}`);
  for (const n of r.resolution) out.push(`  ${escapeText(n)}`);
  out.push('');
  const numbered = (hops: readonly Hop[], from: number) =>
    hops.forEach((h, i) => {
      const [first, ...rest] = hopLines(h);
      out.push(`${String(from + i + 1).padStart(3)}. ${escapeText(first ?? '')}`);
      for (const l of rest) out.push(`     ${escapeText(l)}`);
    });
  numbered(r.hops, 0);
  if (r.reply) {
    out.push('', 'the reply (conntrack ESTABLISHED: nat chains do not see it; conntrack undoes the NAT):');
    numbered(r.reply.hops, r.hops.length);
  }
  if (r.hops.length) out.push('');
  out.push(`verdict: ${r.verdict}${r.decidedOnReply ? ' on the way back (the request got through)' : ''}: ${EXPECT_WORDS[r.expect]}`);
  if (r.decidedBy) out.push(`decided by: ${ruleText(r.decidedBy)}`);
  if (r.rejectWith) out.push(`rejected with: ${r.rejectWith}`);
  for (const a of r.advice) {
    const [first, ...rest] = adviceLines(a);
    out.push(`suggestion (docknet changes nothing): ${escapeText(first ?? '')}`);
    for (const l of rest) out.push(`  ${escapeText(l)}`);
  }
  if (r.unknown) out.push(`${r.verdict === 'unknown' ? 'unknown' : 'not known'}: ${escapeText(r.unknown)}`);
  const open = r.questions.filter((q) => !q.matters);
  if (open.length) out.push(`the same whatever: ${open.map((q) => escapeText(q.why)).join('; ')}`);
  for (const n of r.rulesetNotes) out.push(`note: ${escapeText(n)}`);
  return `${out.join('\n')}\n`;
}

export function reachJson(r: ReachResult, snapshot: Snapshot): Record<string, unknown> {
  return {
    schemaVersion: REACH_SCHEMA_VERSION,
    snapshot: snapshotJson(snapshot),
    source: { ...r.source, text: sourceText(r.source), resolved: r.start },
    destination: { ...r.destination, text: destinationText(r.destination), resolved: r.target },
    verdict: r.verdict,
    expect: r.expect,
    decidedBy: r.decidedBy,
    rejectWith: r.rejectWith,
    hops: r.hops,
    reply: r.reply && { verdict: r.reply.verdict, decidedBy: r.reply.decidedBy, rejectWith: r.reply.rejectWith, hops: r.reply.hops },
    decidedOnReply: r.decidedOnReply,
    advice: r.advice.map((a) => ({ ...a, text: adviceLines(a).join('\n') })),
    unknown: r.unknown,
    questions: r.questions,
    notes: [...r.resolution, ...r.rulesetNotes],
  };
}

function shortRule(r: RuleRef | null): string {
  if (r === null) return '';
  return r.number === 0 ? ` (${r.table} ${r.chain} policy)` : ` (${r.table} ${r.chain} ${r.number})`;
}

function sourceHead(s: ExposureSource): string {
  if (s.kind === 'outside') return 'OUTSIDE';
  if (s.kind === 'host') return 'HOST';
  return `FROM ${s.network} (${s.container})`;
}

function rowTarget(r: ExposureRow): string {
  if (r.publication) {
    const host = r.publication.hostIp.includes(':') ? `[${r.publication.hostIp}]` : r.publication.hostIp;
    return `${host}:${r.publication.hostPort}->${r.publication.containerPort}/${r.protocol}`;
  }
  return destinationText(r.destination);
}

function firewallWords(f: HostFirewall): string {
  if (f.kind === 'ufw') return `ufw is enabled${f.forwardRule ? ` (its ufw-before-forward is FORWARD rule ${f.forwardRule.number})` : ''}`;
  if (f.kind === 'firewalld') return 'firewalld is enabled (nft table inet firewalld)';
  return `the ${f.table} INPUT policy is DROP`;
}

function flagWords(row: ExposureRow, f: ExposureFlag): string {
  const what = `${row.container} ${rowTarget(row)}`;
  const by = f.decidedBy ? `: ${ruleText(f.decidedBy)} lets it through` : '';
  if (f.code === 'direct-from-outside') return `${what}: the container address is reachable directly from beyond the uplink${by}`;
  if (f.code === 'loopback-published-reachable')
    return `${what}: published on loopback, yet a neighbour on the uplink's network that sends packets to 127.0.0.1 reaches it (DNAT comes before routing drops loopback from outside)${by}`;
  return `${what}: reachable from beyond the uplink although ${firewallWords(f.firewall)}: Docker's forwarding rules decide before the host's input rules${by}`;
}

export function renderExposureText(io: OutputMedium, e: Exposure, snapshot: Snapshot): string {
  const out: string[] = [];
  const notice = snapshotNotice(snapshot);
  if (notice) out.push(notice.trimEnd());
  const headers = ['KIND', 'CONTAINER', 'DESTINATION', ...e.sources.map(sourceHead)];
  const rows = e.rows.map((r) => [
    r.kind,
    r.container,
    rowTarget(r),
    ...r.cells.map((c) => `${c.expect === 'unknown' ? `${c.verdict}?` : c.expect}${shortRule(c.decidedBy)}`),
  ]);
  out.push(e.rows.length ? renderTable(io, headers, rows).trimEnd() : 'No published port or container address with a known port.');
  const flagged = e.rows.flatMap((r) => r.flags.map((f) => flagWords(r, f)));
  if (flagged.length) {
    out.push('', 'Exposures to check:');
    for (const f of flagged) out.push(`  ! ${escapeText(f)}`);
  }
  if (e.skipped.length) {
    out.push('', 'Not walked:');
    for (const s of e.skipped) out.push(`  ${escapeText(s.container)}: ${escapeText(s.why)}`);
  }
  out.push(
    '',
    'connect / refused / timeout / unreachable: what a client would see; "?" where it cannot be told (docknet reach <source> <destination> says why).',
  );
  return `${out.join('\n')}\n`;
}

/**
 * The exposure table as JSON. Each cell's and flag's `decidedBy` is an index into `rules`, which lists
 * every deciding rule once: a host of 2,000 containers has 400,000 cells and a few hundred such rules.
 */
export function exposureJson(e: Exposure, snapshot: Snapshot): Record<string, unknown> {
  const rules: RuleRef[] = [];
  const index = new Map<string, number>();
  const ref = (r: RuleRef | null): number | null => {
    if (r === null) return null;
    const key = `${r.kind}/${r.family}/${r.table}/${r.chain}/${r.number}/${r.from}`;
    let i = index.get(key);
    if (i === undefined) {
      i = rules.push(r) - 1;
      index.set(key, i);
    }
    return i;
  };
  const rows = e.rows.map((r) => ({
    ...r,
    cells: r.cells.map((c) => ({ verdict: c.verdict, expect: c.expect, decidedBy: ref(c.decidedBy), unknown: c.unknown })),
    flags: r.flags.map((f) => ({ ...f, decidedBy: ref(f.decidedBy) })),
  }));
  return {
    schemaVersion: REACH_SCHEMA_VERSION,
    snapshot: snapshotJson(snapshot),
    sources: e.sources,
    rows,
    rules,
    hostFirewalls: e.hostFirewalls,
    skipped: e.skipped,
  };
}
