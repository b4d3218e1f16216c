// Renders a reach verdict: the packet's walk, hop by hop, then the verdict, what a client would see,
// and the rule that decided. JSON is versioned and carries the same structure.
import type { DirectAccess } from '../correlate/direct-access.js';
import type { RuleRef, Step } from '../correlate/reach/hooks.js';
import type { DestinationArg, SourceArg } from '../correlate/reach/endpoints.js';
import type { Hop, Listener } from '../correlate/reach/path-result.js';
import type { Exposure, ExposureFlag, ExposureRow, ExposureSource, HostFirewall } from '../correlate/reach/exposure.js';
import type { ReachResult } from '../correlate/reach/reach.js';
import { adviceLines } from './reach-advice.js';
import { chainName, EXPECT_WORDS, endpoint, numberedHops, packetText, ruleText, verdictJson, verdictLine } from './reach-words.js';
import type { OutputMedium } from './medium.js';
import { renderTable } from './table.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { escapeText } from './escape.js';
import { jsonDocument, snapshotNotice } from './snapshot-notice.js';

export const REACH_SCHEMA_VERSION = 1;

export function sourceText(s: SourceArg): string {
  if (s.kind === 'outside') return s.ip ? `outside:${s.ip}` : 'outside';
  if (s.kind === 'host') return 'host';
  return s.kind === 'ip' ? s.ip : s.ref;
}

export function destinationText(d: DestinationArg): string {
  const where = d.kind === 'host' ? 'host' : d.kind === 'ip' ? (d.ip.includes(':') ? `[${d.ip}]` : d.ip) : d.ref;
  return `${where}:${d.port}/${d.protocol}`;
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

export function stepLine(s: Step): string {
  const assumed = s.assumedMatch === true ? ' (taken as matching: docknet cannot tell)' : '';
  const taken = s.assumed.length ? ` (${s.assumed.join('; ')})` : '';
  if (s.action === 'policy') return `${chainName(s.rule)}: no rule decides; policy ${s.rule.text.replace(/^policy /, '')}`;
  return `${ruleText(s.rule)} ${ACTION_WORDS[s.action]}${assumed}${taken}`;
}

export function listenerText(l: Listener): string {
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

/** One direct-access verdict in a line: `10.228.0.2:8080/tcp: dropped: a client times out (iptables raw PREROUTING rule 2: ...)`. */
export function directAccessLine(d: DirectAccess): string {
  const why = d.decidedBy ? ` (${ruleText(d.decidedBy)})` : d.unknown ? ` (${escapeText(d.unknown)})` : '';
  return `${d.address}: ${d.verdict}: ${EXPECT_WORDS[d.expect]}${why}`;
}

export function renderReachText(r: ReachResult, snapshot: Snapshot): string {
  const out: string[] = [];
  const notice = snapshotNotice(snapshot);
  if (notice) out.push(notice.trimEnd());
  const to = r.target ? ` (${endpoint(r.target.ip, r.target.port)}/${r.target.protocol})` : '';
  out.push(`reach ${escapeText(sourceText(r.source))} -> ${escapeText(destinationText(r.destination))}${to}`);
  for (const n of r.resolution) out.push(`  ${escapeText(n)}`);
  out.push('');
  out.push(...numberedHops(r.hops, 0, hopLines));
  if (r.reply) {
    out.push('', 'the reply (conntrack ESTABLISHED: nat chains do not see it; conntrack undoes the NAT):');
    out.push(...numberedHops(r.reply.hops, r.hops.length, hopLines));
  }
  if (r.hops.length) out.push('');
  out.push(verdictLine(r.verdict, r.decidedOnReply, r.expect));
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
  return jsonDocument(REACH_SCHEMA_VERSION, snapshot, {
    source: { ...r.source, text: sourceText(r.source), resolved: r.start },
    destination: { ...r.destination, text: destinationText(r.destination), resolved: r.target },
    ...verdictJson(r),
    advice: r.advice.map((a) => ({ ...a, text: adviceLines(a).join('\n') })),
    unknown: r.unknown,
    questions: r.questions,
    notes: [...r.resolution, ...r.rulesetNotes],
  });
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
  return jsonDocument(REACH_SCHEMA_VERSION, snapshot, {
    sources: e.sources,
    rows,
    rules,
    hostFirewalls: e.hostFirewalls,
    skipped: e.skipped,
  });
}
