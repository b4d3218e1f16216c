// Renders a veth map: a table of container interfaces, a table of host veths, then the notes.
import type { OutputMedium } from './medium.js';
import {
  hostRoleText,
  hostVethNoteJson,
  hostVethNoteText,
  interfaceNotesJson,
  interfaceNotesText,
  sourceNoteText,
  vethsIncompleteText,
} from './veth-words.js';
import type { HostVethRow, InterfaceRow, VethMap } from '../correlate/veth-map.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { escapeText } from './escape.js';
import { Footnotes } from './footnotes.js';
import { paragraph } from './wrap.js';
import { jsonDocument, snapshotNotice } from './snapshot-notice.js';
import { renderTable, type Cell } from './table.js';

/**
 * 3: each interface's `notes` are { code, ...facts, text } (its `note` the sentence of all, as before); a host
 * interface's `role`, `hostVethsIncomplete` and the source `notes` are { code, ...facts, text } too.
 * 2: a host veth's note is { code, ...facts, text } (1 gave the text alone).
 */
export const VETH_MAP_SCHEMA_VERSION = 3;

function inside(r: InterfaceRow): string | null {
  if (!r.interface) return null;
  return r.peerIfindex !== null && r.peerIfindex !== r.ifindex ? `${r.interface}@if${r.peerIfindex}` : r.interface;
}

function hostPeer(r: InterfaceRow): string | null {
  if (r.hostVeth) return `${r.hostVeth} (${r.hostIfindex})`;
  if (r.parent) return `parent ${r.parent}`;
  return null;
}

function network(r: { network: string | null; driver: string | null }): string | null {
  if (!r.network) return null;
  return r.driver && r.driver !== r.network ? `${r.network} (${r.driver})` : r.network;
}

export function renderVethMapText(io: OutputMedium, map: VethMap, snapshot: Snapshot): string {
  const notes = new Footnotes();
  let out = '';
  const notice = snapshotNotice(snapshot);
  if (notice) out += `${escapeText(notice)}\n\n`;
  const rows: Cell[][] = map.interfaces.map((r) => [
    r.container,
    r.shortId,
    r.mode,
    inside(r),
    r.ifindex,
    hostPeer(r),
    r.bridge,
    network(r),
    r.ipv4,
    r.mac,
    notes.mark(interfaceNotesText(r.notes)),
  ]);
  out += rows.length
    ? renderTable(
        io,
        ['CONTAINER', 'ID', 'MODE', 'INSIDE', 'IFINDEX', 'HOST PEER (IFINDEX)', 'BRIDGE', 'NETWORK (DRIVER)', 'IPV4', 'MAC', 'NOTE'],
        rows,
      )
    : 'No container interfaces to show.\n';
  out += '\n';
  const vethRows: Cell[][] = map.hostVeths.map((v: HostVethRow) => [
    v.peerIfindex !== null ? `${v.name}@if${v.peerIfindex}` : v.name,
    v.ifindex,
    v.linkNetnsId,
    v.bridge,
    v.owner
      ? `${v.owner}${v.ownerInterface ? ` ${v.ownerInterface}` : ''}${v.ownerKind === 'ingress-sbox' ? ' (swarm ingress sandbox)' : ''}`
      : null,
    notes.mark(v.note ? hostVethNoteText(v.note) : null),
  ]);
  out += vethRows.length
    ? renderTable(io, ['HOST VETH', 'IFINDEX', 'NETNSID', 'BRIDGE', 'OWNER', 'NOTE'], vethRows)
    : map.hostVethsComplete
      ? 'No veth interfaces on the host.\n'
      : map.hostLinksKnown
        ? `No veth in the listing, which may not be whole: ${escapeText(map.hostVethsIncomplete ? vethsIncompleteText(map.hostVethsIncomplete) : '')}.\n`
        : "Host veths unknown: the data holds no listing of the host's links (ip addr).\n";
  if (map.hostInterfaces.length) {
    out += `\n${renderTable(
      io,
      ['HOST INTERFACE', 'IFINDEX', 'IPV4', { header: 'ROLE', wrap: true }],
      map.hostInterfaces.map((h) => [h.name, h.ifindex, h.ipv4, hostRoleText(h.role, h.listed)]),
    )}`;
  }
  const footnotes = notes.render(io);
  if (footnotes) out += `\nNotes:\n${footnotes}`;
  if (map.notes.length) out += `\nSources:\n${map.notes.map((n) => paragraph(io, '  ', escapeText(sourceNoteText(n)), 4)).join('')}`;
  return out;
}

export function vethMapJson(map: VethMap, snapshot: Snapshot): unknown {
  const { interfaces, hostLinksKnown, hostVethsComplete, hostVethsIncomplete, hostVeths, hostInterfaces, notes } = map;
  return jsonDocument(VETH_MAP_SCHEMA_VERSION, snapshot, {
    interfaces: interfaces.map((r) => ({ ...r, ...interfaceNotesJson(r.notes) })),
    hostLinksKnown,
    hostVethsComplete,
    hostVethsIncomplete: hostVethsIncomplete && { ...hostVethsIncomplete, text: vethsIncompleteText(hostVethsIncomplete) },
    hostVeths: hostVeths.map((v) => ({ ...v, note: hostVethNoteJson(v.note) })),
    hostInterfaces: hostInterfaces.map((h) => ({ ...h, role: { ...h.role, text: hostRoleText(h.role, h.listed) } })),
    notes: notes.map((n) => ({ ...n, text: sourceNoteText(n) })),
  });
}
