// docknet reach <source> <destination>: whether a connection gets through, the walk, and the rule that decides.
import type { DestinationArg, SourceArg } from '../correlate/reach/endpoints.js';
import { hostView } from '../correlate/reach/host-view.js';
import type { Protocol } from '../correlate/reach/packet.js';
import { exposure } from '../correlate/reach/exposure.js';
import { reach } from '../correlate/reach/reach.js';
import { UsageError } from '../model/errors.js';
import { hostSettingsFact } from '../parse/host-settings.js';
import { buildHostModel } from '../parse/host-model.js';
import { containerSocketsOf } from '../parse/container-sockets.js';
import { exposureJson, reachJson, renderExposureText, renderReachText } from '../render/reach.js';
import { isValidIp } from '../util/address.js';
import type { CommandIO } from './io.js';
import { type CommandOutput, jsonOutput, textOutput } from './output.js';
import { DESTINATION_FORMS, SOURCE_FORMS } from './reach-forms.js';
import type { SnapshotProvider } from './source.js';
import { portNumber, splitHostPort, splitProtocol } from './port-arg.js';

export interface ReachOptions {
  source: string | null;
  destination: string | null;
  json: boolean;
  /** Who can reach every published port and container address, instead of one question. */
  exposure: boolean;
}

export { DESTINATION_FORMS, SOURCE_FORMS };

/** Reads the source argument, before any I/O. */
export function parseSource(input: string): SourceArg {
  const s = input.trim();
  if (s === '') throw new UsageError(`invalid source '': reach takes a source: ${SOURCE_FORMS}`);
  if (s === 'outside') return { kind: 'outside', ip: null };
  if (s.startsWith('outside:')) {
    const ip = s.slice('outside:'.length).replace(/^\[|\]$/g, '');
    if (!isValidIp(ip)) throw new UsageError(`invalid source '${input}': '${ip}' is not an IP address; the source is ${SOURCE_FORMS}`);
    return { kind: 'outside', ip };
  }
  if (s === 'host') return { kind: 'host' };
  if (isValidIp(s.replace(/^\[|\]$/g, ''))) return { kind: 'ip', ip: s.replace(/^\[|\]$/g, '') };
  return { kind: 'container', ref: s };
}

/** Reads the destination argument, before any I/O. */
export function parseDestination(input: string): DestinationArg {
  const bad = (why: string) => new UsageError(`invalid destination '${input}': ${why}; the destination is ${DESTINATION_FORMS}`);
  const { rest, protocol: proto } = splitProtocol(input.trim());
  if (proto !== null && proto !== 'tcp' && proto !== 'udp') throw bad(`'${proto}' is not tcp or udp`);
  const protocol: Protocol = proto ?? 'tcp';
  const { host: where, port: portText } = splitHostPort(rest);
  if (where === null) throw bad('no port');
  const port = portNumber(portText, bad);
  if (where === '') throw bad('nothing before the port');
  if (where === 'host') return { kind: 'host', port, protocol };
  if (isValidIp(where)) return { kind: 'ip', ip: where, port, protocol };
  if (where.includes(':')) throw bad(`'${where}' is neither an IP address nor a container name`);
  return { kind: 'container', ref: where, port, protocol };
}

export async function runReach(opts: ReachOptions, io: CommandIO, snapshotOf: SnapshotProvider): Promise<CommandOutput> {
  if (opts.exposure && (opts.source !== null || opts.destination !== null))
    throw new UsageError('--exposure takes no source or destination: it walks every published port and container address');
  if (!opts.exposure && (opts.source === null || opts.destination === null))
    throw new UsageError(`reach takes a source (${SOURCE_FORMS}) and a destination (${DESTINATION_FORMS}), or --exposure`);
  const source = opts.source === null ? null : parseSource(opts.source);
  const destination = opts.destination === null ? null : parseDestination(opts.destination);
  // Every container's socket tables: whether something listens decides between "connects" and "refused".
  const snapshot = await snapshotOf(['engine', 'container-net', 'links', 'routes', 'routes6', 'nat', 'settings'], { filesOf: () => true });
  const model = buildHostModel(snapshot);
  const view = hostView(model, hostSettingsFact(snapshot).fact, containerSocketsOf(snapshot, model));
  if (source === null || destination === null) {
    const e = exposure(view);
    return opts.json ? jsonOutput(exposureJson(e, snapshot)) : textOutput(renderExposureText(io, e, snapshot));
  }
  const result = reach(view, source, destination);
  return opts.json ? jsonOutput(reachJson(result, snapshot)) : textOutput(renderReachText(result, snapshot));
}
