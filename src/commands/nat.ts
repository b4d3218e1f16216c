// docknet nat: where each published host port goes, rule by rule, and what does not add up.
import type { CommandIO } from './io.js';
import { type CommandOutput, jsonOutput, textOutput } from './output.js';
import { EXIT, UsageError } from '../model/errors.js';
import { correlateNat } from '../correlate/nat.js';
import type { PortQuery } from '../model/port-path.js';
import { portNumber, splitHostPort, splitProtocol } from './port-arg.js';
import { buildHostModel } from '../parse/host-model.js';
import { escapeText } from '../render/escape.js';
import { isValidIp } from '../util/address.js';
import { natJson, renderNatPathsText, renderNatText } from '../render/nat.js';
import { notPublishedJson, notPublishedLines, notPublishedMessage } from '../render/nat-not-published.js';
import { notPublished, selectPort } from '../correlate/nat/port-query.js';
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

export type { PortQuery };

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

export const PORT_FORMS =
  'PORT, PORT/PROTO, HOSTIP:PORT or HOSTIP:PORT/PROTO, e.g. 49154, 5353/udp, 127.0.0.1:8081, [::]:49154/tcp (PORT 1-65535; PROTO tcp, udp or sctp; tcp when not given)';

/** Reads --port, before any I/O: a UsageError naming the accepted forms when it is not one of them. */
export function parsePortQuery(input: string): PortQuery {
  const bad = (why: string) => new UsageError(`invalid --port '${input}': ${why}; --port takes ${PORT_FORMS}`);
  const { rest, protocol: proto } = splitProtocol(input.trim());
  const protocol = proto ?? 'tcp';
  if (!PROTOCOLS.has(protocol)) throw bad(`'${protocol}' is not a protocol Docker publishes`);
  const { host: hostIp, port: portText } = splitHostPort(rest);
  if (hostIp !== null && !isValidIp(hostIp)) throw bad(`'${hostIp}' is not an IP address`);
  const port = portNumber(portText, bad);
  return { hostIp, port, protocol };
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
    // The message and what is near it, a fact a line; with --json, the same as a document too (exit 1 still).
    const np = notPublished(model, report, query, selected);
    io.err(
      `docknet: ${escapeText(notPublishedMessage(np))}\n${notPublishedLines(np)
        .map((l) => `  ${escapeText(l)}\n`)
        .join('')}`,
    );
    return opts.json
      ? jsonOutput({ ...(natJson(selected, snapshot) as object), directAccess: [], notPublished: notPublishedJson(np) }, EXIT.failure)
      : textOutput('', EXIT.failure);
  }
  const direct = directAccessOf(hostView(model, hostSettingsFact(snapshot).fact, containerSocketsOf(snapshot, model)), selected.mappings);
  return opts.json
    ? jsonOutput({ ...(natJson(selected, snapshot) as object), directAccess: direct, notPublished: null })
    : textOutput(renderNatPathsText(selected, snapshot, direct));
}
