// Renders `docknet inspect`: one container's network story in sections, top to bottom.
import type { OutputMedium } from './medium.js';
import type { InspectNote, InspectReport } from '../correlate/inspect.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { colours } from './colour.js';
import { modeDescription, modeJson } from './container-mode-words.js';
import { escapeText } from './escape.js';
import { mappingPathLines } from './nat.js';
import { mappingJson } from './nat-words.js';
import { behaviourJson } from './network-words.js';
import { directAccessLine } from './reach.js';
import { jsonDocument, snapshotNotice } from './snapshot-notice.js';
import { interfaceNotesJson, interfaceNotesText } from './veth-words.js';

/**
 * 3: each interface's `notes` are { code, ...facts, text }, its `note` the sentence of all (veth-map's);
 * each `networkBehaviour` carries codes beside its words (`rules[].kind`; `ipv4`/`ipv6` `optionName`,
 * `feature`, `release`); `mtuOverUplink` beside `mtuWarning`.
 */
export const INSPECT_SCHEMA_VERSION = 3;

function section(io: OutputMedium, title: string, lines: string[]): string {
  if (lines.length === 0) return '';
  return `\n${colours(io.color).bold(title)}\n${lines.map((l) => `  ${l}\n`).join('')}`;
}

const v = (x: string | number | null | undefined, unknown = 'unknown') =>
  x === null || x === undefined || x === '' ? unknown : escapeText(String(x));

type Interface = InspectReport['interfaces'][number];

/** An MTU larger than the uplink's, and what it does. */
export function mtuWarningText(o: NonNullable<Interface['mtuOverUplink']>): string {
  return `MTU ${o.mtu} is larger than the uplink ${o.uplink}'s ${o.uplinkMtu}: packets over ${o.uplinkMtu} bytes leaving the host are dropped or fragmented (set the network's com.docker.network.driver.mtu, or the daemon's "mtu")`;
}

/** The name, id, image and state, its namespace and when it started. */
function headerText(r: InspectReport): string {
  const c = r.container;
  let out = `${escapeText(c.name)} (${v(c.shortId, 'no id')})  image ${v(c.image)}  ${v(c.state)}${c.pid ? `, pid ${c.pid}` : ''}\n`;
  if (c.netns) out += `network namespace ${escapeText(c.netns)}${c.sandboxKey ? `, sandbox ${escapeText(c.sandboxKey)}` : ''}\n`;
  if (c.created || c.startedAt) out += `created ${v(c.created)}, started ${v(c.startedAt)}\n`;
  return out;
}

/** One interface: its addresses and network, then its host side. */
function interfaceLines(i: Interface): string[] {
  const said = interfaceNotesText(i.notes);
  if (!i.interface) return [said ? escapeText(said) : 'no interface'];
  const lines = [
    `${escapeText(i.interface)}${i.peerIfindex !== null && i.peerIfindex !== i.ifindex ? `@if${i.peerIfindex}` : ''} (ifindex ${v(i.ifindex)})  mac ${v(i.mac)}  mtu ${v(i.mtu)}`,
    `  ipv4 ${v(i.ipv4, i.network ? 'none' : 'unknown')}${i.ipv6 ? `  ipv6 ${escapeText(i.ipv6)}` : ''}  gateway ${v(i.gateway, i.network ? 'none' : 'unknown')}`,
    `  network ${v(i.network)}${i.driver ? ` (${escapeText(i.driver)})` : ''}${i.subnet ? `, subnet ${escapeText(i.subnet)}` : ''}`,
  ];
  if (i.hostVeth)
    lines.push(
      `  host side: ${escapeText(i.hostVeth)} (ifindex ${v(i.hostIfindex)}, mtu ${v(i.hostVethMtu)})${i.bridge ? ` on bridge ${escapeText(i.bridge)}${i.bridgeAddress ? ` (${escapeText(i.bridgeAddress)})` : ''}` : ''}`,
    );
  else if (i.parent) lines.push(`  host side: parent interface ${escapeText(i.parent)} (no veth)`);
  // The mode section says whose namespace it shares; the interface says the rest.
  const own = interfaceNotesText(i.notes.filter((n) => n.code !== 'shares-namespace' && n.code !== 'undeclared-sharing'));
  if (own) lines.push(`  ${escapeText(own)}`);
  if (i.mtuOverUplink) lines.push(`  ! ${escapeText(mtuWarningText(i.mtuOverUplink))}`);
  return lines;
}

/** Each port as its paths, or exposed only; unknown is not none. */
function portLines(r: InspectReport): string[] {
  const ports = r.ports.flatMap((p) =>
    p.exposedOnly
      ? [`${p.containerPort}/${p.protocol}: exposed, not published (reachable only from its networks)`]
      : mappingPathLines(p).map((l) => l.replace(/^ {4}/, '  ')),
  );
  if (r.nat && !r.nat.available) ports.unshift(`NAT rules unavailable: ${escapeText(r.nat.reason ?? 'unknown reason')}`);
  return ports.length
    ? ports
    : [r.portsKnown ? 'none exposed or published' : 'unknown: the publications of this container are not in the data'];
}

function neighbourLine(n: InspectReport['neighbours'][number]): string {
  const who = n.containers.length
    ? n.containers.map((o) => `${escapeText(o.name)} ${v(o.ipv4, '')}`.trim()).join(', ')
    : n.complete
      ? 'no other container'
      : 'no other container the data names';
  const more = n.complete || !n.containers.length ? '' : ' (and perhaps others: the container list is not in the data)';
  return `on ${escapeText(n.network)}${n.nameResolution ? ' (reach them by name)' : n.network === 'bridge' ? ' (default bridge: by IP only, no name resolution)' : n.nameResolution === null ? ' (whether names resolve is unknown: the network list is not in the data)' : ''}: ${who}${more}`;
}

export function renderInspectText(io: OutputMedium, r: InspectReport, snapshot: Snapshot): string {
  const c = r.container;
  let out = '';
  const notice = snapshotNotice(snapshot);
  if (notice) out += `${escapeText(notice)}\n\n`;
  out += headerText(r);
  out += section(io, 'Network mode', [escapeText(modeDescription(r.mode))]);
  out += section(io, 'Interfaces', r.interfaces.flatMap(interfaceLines));
  out += section(io, r.mode.kind === 'container' ? `Ports (published on ${r.mode.owner})` : 'Ports', portLines(r));
  if (r.directAccess?.length)
    out += section(
      io,
      'Direct access (a client beyond the uplink, to its own address, not a host port)',
      r.directAccess.map(directAccessLine),
    );
  if (r.sharedWith.length)
    out += section(
      io,
      'Shares its network namespace with',
      r.sharedWith.map((n) => `${escapeText(n)} (network mode container:${escapeText(c.name)})`),
    );
  out += section(io, 'Neighbours', r.neighbours.map(neighbourLine));
  if (r.dns) {
    out += section(io, 'DNS', [
      `nameserver ${r.dns.nameservers.map(escapeText).join(', ') || 'none'}: ${escapeText(r.dns.explanation)}`,
      ...(r.dns.search.length ? [`search ${r.dns.search.map(escapeText).join(' ')}`] : []),
    ]);
  }
  if (r.listening) {
    out += section(
      io,
      `Listening (sockets of its main process${c.pid ? `, pid ${c.pid}` : ''})`,
      r.listening.length ? r.listening.map((l) => `${l.protocol} ${l.ip.includes(':') ? `[${l.ip}]` : l.ip}:${l.port}`) : ['nothing'],
    );
  }
  if (r.notes.length)
    out += section(
      io,
      'Notes',
      r.notes.map((n) => escapeText(inspectNoteText(n))),
    );
  return out;
}

/** An inspect note in words. */
export function inspectNoteText(n: InspectNote): string {
  switch (n.code) {
    case 'not-running':
      return 'not running: no network namespace to read; networks and ports are as configured';
    case 'dns-unknown':
      return `DNS unknown: ${n.error ?? 'resolv.conf not in the data'}`;
    case 'sockets-unknown':
      return `listening sockets unknown: ${n.error ?? 'not in the data'}`;
    case 'uplink-unknown':
      return `uplink unknown (${n.routesUnknown ?? 'no default route'}): MTU not compared`;
    case 'containers-incomplete':
      return `neighbours and namespace sharers as far as the data names them: ${n.reason}`;
    case 'publications-unknown':
      return `published ports unknown: ${n.container} is known from ${n.source ?? 'other files'}, not the engine's list; only DNAT rules to its address are shown`;
  }
}

export function inspectJson(r: InspectReport, snapshot: Snapshot): unknown {
  const ports = r.ports.map((p) => (p.exposedOnly ? p : mappingJson(p)));
  const interfaces = r.interfaces.map((i) => ({
    ...i,
    ...interfaceNotesJson(i.notes),
    mtuWarning: i.mtuOverUplink ? mtuWarningText(i.mtuOverUplink) : null,
    networkBehaviour: i.networkBehaviour ? behaviourJson(i.networkBehaviour) : null,
  }));
  return jsonDocument(INSPECT_SCHEMA_VERSION, snapshot, {
    ...r,
    mode: modeJson(r.mode),
    interfaces,
    ports,
    notes: r.notes.map((n) => ({ ...n, text: inspectNoteText(n) })),
  });
}
