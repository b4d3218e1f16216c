// docknet nat: where each published host port goes, rule by rule, and what does not add up.
import type { CommandIO } from './io.js';
import { type CommandOutput, jsonOutput, textOutput } from './output.js';
import { EXIT, UsageError } from '../model/errors.js';
import { correlateNat } from '../correlate/nat.js';
import { hostAddress, type NatReport } from '../model/port-path.js';
import type { HostModel } from '../model/host.js';
import { buildHostModel } from '../parse/host-model.js';
import { escapeText } from '../render/escape.js';
import { isValidIp, wildcardOf } from '../util/address.js';
import { natJson, renderNatPathsText, renderNatText } from '../render/nat.js';
import { anomalyText } from '../render/nat-words.js';
import type { SnapshotProvider } from './source.js';
import { directAccessOf } from '../correlate/direct-access.js';
import { hostView } from '../correlate/reach/host-view.js';
import { containerSocketsOf } from '../parse/container-sockets.js';
import { hostSettingsFact } from '../parse/host-settings.js';

export interface NatOptions {
  /** --port as typed; null for every mapping. */
  port: string | null;
  json: boolean;
}

export interface PortQuery {
  hostIp: string | null;
  port: number;
  protocol: string;
}

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

export const PORT_FORMS =
  'PORT, PORT/PROTO, HOSTIP:PORT or HOSTIP:PORT/PROTO, e.g. 49154, 5353/udp, 127.0.0.1:8081, [::]:49154/tcp (PORT 1-65535; PROTO tcp, udp or sctp; tcp when not given)';

/** Reads --port, before any I/O: a UsageError naming the accepted forms when it is not one of them. */
export function parsePortQuery(input: string): PortQuery {
  const bad = (why: string) => new UsageError(`invalid --port '${input}': ${why}; --port takes ${PORT_FORMS}`);
  let rest = input.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (!PROTOCOLS.has(protocol)) throw bad(`'${protocol}' is not a protocol Docker publishes`);
  }
  let hostIp: string | null = null;
  let portText = rest;
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (bracketed) {
    hostIp = bracketed[1] as string;
    portText = bracketed[2] as string;
  } else if (rest.includes(':')) {
    const i = rest.lastIndexOf(':');
    hostIp = rest.slice(0, i);
    portText = rest.slice(i + 1);
  }
  if (hostIp !== null && !isValidIp(hostIp)) throw bad(`'${hostIp}' is not an IP address`);
  if (!/^\d+$/.test(portText)) throw bad(portText === '' ? 'no port' : `'${portText}' is not a port number`);
  const port = Number(portText);
  if (port < 1 || port > 65535) throw bad(`${port} is outside 1-65535`);
  return { hostIp, port, protocol };
}

function queryText(q: PortQuery): string {
  return q.hostIp === null ? `${q.port}/${q.protocol}` : hostAddress(q.hostIp, q.port, q.protocol);
}

/** The mappings and anomalies of one port; a host IP falls back to the wildcard binding that serves it. */
function selectPort(report: NatReport, q: PortQuery): NatReport {
  const samePort = (x: { hostPort: number | null; protocol: string | null }) => x.hostPort === q.port && x.protocol === q.protocol;
  let mappings = report.mappings.filter(samePort);
  let anomalies = report.anomalies.filter(samePort);
  // The same publication on a routed network's IPv4 side has no host port (0.0.0.0:0): shown beside it.
  const unmapped = report.mappings.filter(
    (u) =>
      u.hostPort === 0 &&
      mappings.some((m) => m.container === u.container && m.containerPort === u.containerPort && m.protocol === u.protocol),
  );
  if (q.hostIp !== null) {
    const ip = q.hostIp;
    const exact = mappings.filter((m) => m.hostIp === ip);
    mappings = exact.length ? exact : mappings.filter((m) => m.hostIp === wildcardOf(ip));
    anomalies = anomalies.filter((a) => a.hostIp === ip || a.hostIp === wildcardOf(ip));
  }
  if (q.hostIp === null || unmapped.some((u) => u.hostIp === q.hostIp || u.hostIp === wildcardOf(q.hostIp as string)))
    mappings = [
      ...unmapped.filter((u) => q.hostIp === null || u.hostIp === wildcardOf(q.hostIp as string) || u.hostIp === q.hostIp),
      ...mappings,
    ];
  return { ...report, mappings, anomalies };
}

/** Why nothing was found, and what is near: the published ports closest to it, rules, listeners. */
function notPublishedHint(model: HostModel, report: NatReport, q: PortQuery, selected: NatReport): string {
  const lines: string[] = [];
  const published = new Map<string, { port: number; text: string }>();
  for (const m of report.mappings) {
    const key = `${m.hostPort}/${m.protocol}`;
    const entry = published.get(key) ?? { port: m.hostPort, text: `${key} (${m.container ?? 'unknown container'})` };
    published.set(key, entry);
  }
  const nearest = [...published.values()]
    .sort((a, b) => Math.abs(a.port - q.port) - Math.abs(b.port - q.port) || a.port - b.port)
    .slice(0, 5);
  lines.push(
    nearest.length
      ? `published ports nearest to it: ${nearest.map((n) => n.text).join(', ')}`
      : report.publicationsKnown
        ? 'no container publishes any port'
        : `no mapping in the data at all (publications unknown: ${report.publicationsReason})`,
  );
  for (const a of selected.anomalies) lines.push(`${a.kind}: ${anomalyText(a)}`);
  const facts = model.portFacts;
  const proxies = (facts?.dockerProxies ?? []).filter((p) => p.hostPort === q.port && p.proto === q.protocol);
  for (const p of proxies)
    lines.push(
      `docker-proxy pid ${p.pid} listens on ${hostAddress(p.hostIp, p.hostPort, p.proto)} (-> ${p.containerIp}:${p.containerPort}), for no running container`,
    );
  const listeners = facts?.listening ?? null;
  if (listeners === null) lines.push('whether a host process listens on it is unknown: the host socket tables were not read');
  else {
    const on = listeners.filter((s) => s.port === q.port && s.protocol === q.protocol && !proxies.some((p) => p.hostIp === s.ip));
    lines.push(
      on.length
        ? `a host process listens on ${on.map((s) => hostAddress(s.ip, s.port, s.protocol)).join(', ')} (not through Docker)`
        : `no host process listens on ${q.port}/${q.protocol}`,
    );
  }
  for (const c of model.containers.all) {
    if (c.running) continue;
    const configured = Object.entries(c.portBindings).some(
      ([key, bs]) => key.endsWith(`/${q.protocol}`) && (bs ?? []).some((b) => Number(b.hostPort) === q.port),
    );
    if (configured) lines.push(`stopped container ${c.name} is configured to publish it: start it to publish`);
  }
  return lines.join('\n');
}

export async function runNat(opts: NatOptions, io: CommandIO, snapshotOf: SnapshotProvider): Promise<CommandOutput> {
  const query = opts.port === null ? null : parsePortQuery(opts.port);
  // One port's paths include whether its container addresses are reached directly (reach: routes, settings, the containers' sockets).
  const snapshot =
    query === null
      ? await snapshotOf(['engine', 'container-net', 'links', 'nat'])
      : await snapshotOf(['engine', 'container-net', 'links', 'routes', 'routes6', 'nat', 'settings'], { filesOf: () => true });
  const model = buildHostModel(snapshot);
  const report = correlateNat(model);
  if (query === null) return opts.json ? jsonOutput(natJson(report, snapshot)) : textOutput(renderNatText(io, report, snapshot));
  const selected = selectPort(report, query);
  if (selected.mappings.length === 0) {
    // Several facts to say, one per line: written here rather than squeezed into one error hint.
    const hint = notPublishedHint(model, report, query, selected);
    io.err(
      `docknet: ${report.publicationsKnown ? 'no container publishes' : 'no mapping in the data for'} ${queryText(query)}${report.publicationsKnown ? '' : ' (the container list is unknown, so whether a container publishes it cannot be told)'}\n${hint
        .split('\n')
        .map((l) => `  ${escapeText(l)}\n`)
        .join('')}`,
    );
    return textOutput('', EXIT.failure);
  }
  const direct = directAccessOf(hostView(model, hostSettingsFact(snapshot).fact, containerSocketsOf(snapshot, model)), selected.mappings);
  return opts.json
    ? jsonOutput({ ...(natJson(selected, snapshot) as object), directAccess: direct })
    : textOutput(renderNatPathsText(selected, snapshot, direct));
}
