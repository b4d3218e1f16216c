// Renders the NAT report: one row per published mapping, or (with --port) each mapping's paths as
// readable chains of hops; then the anomalies and where the facts came from. JSON is versioned.
import type { DirectAccess } from '../correlate/direct-access.js';
import { directAccessLine } from './reach.js';
import type { OutputMedium } from './medium.js';
import { hostAddress, type NatAnomaly, type NatReport, type PortMapping } from '../model/port-path.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { escapeText } from './escape.js';
import { anomalyJson, anomalyText, mappingJson, mappingNoteText, pathText } from './nat-words.js';
import { Footnotes } from './footnotes.js';
import { paragraph } from './wrap.js';
import { jsonDocument, snapshotNotice } from './snapshot-notice.js';
import { renderTable, type Cell } from './table.js';

export const NAT_SCHEMA_VERSION = 2;

function to(m: PortMapping): string | null {
  return m.containerIp ? hostAddress(m.containerIp, m.containerPort, m.protocol).replace(/\/\w+$/, '') : `?:${m.containerPort}`;
}

function via(m: PortMapping): string {
  if (m.via === 'dnat') return 'DNAT';
  if (m.via === 'docker-proxy' && m.proxy) return `docker-proxy ${m.proxy.pid}`;
  if (m.via === 'routed') return 'routed';
  if (m.via === 'none') return 'nothing';
  return '?';
}

/** The missing-rule anomaly of each host address, port and protocol: looked up once per mapping, not searched. */
function missingRules(report: NatReport): Map<string, NatAnomaly> {
  const byKey = new Map<string, NatAnomaly>();
  for (const a of report.anomalies) {
    const key = `${a.hostIp}|${a.hostPort}|${a.protocol}`;
    if (a.kind === 'missing-rule' && !byKey.has(key)) byKey.set(key, a);
  }
  return byKey;
}

function mappingNotes(m: PortMapping, missing: Map<string, NatAnomaly>): string[] {
  const notes = m.notes.map(mappingNoteText);
  if (m.followers.length) notes.push(`also serves ${m.followers.join(', ')} (--network container:${m.container}: same namespace)`);
  const rule = missing.get(`${m.hostIp}|${m.hostPort}|${m.protocol}`);
  if (rule) notes.push(`missing DNAT rule: ${anomalyText(rule)}`);
  return [...new Set(notes)];
}

function unavailableLine(report: NatReport): string {
  return report.available ? '' : `NAT rules unavailable: ${escapeText(report.reason ?? 'unknown reason')}\n\n`;
}

function anomaliesText(anomalies: NatAnomaly[]): string {
  if (anomalies.length === 0) return '';
  const width = anomalies.reduce((w, a) => Math.max(w, a.kind.length), 0);
  return `\nAnomalies:\n${anomalies.map((a) => `  ${a.kind.padEnd(width)}  ${escapeText(anomalyText(a))}${a.confirmed ? '' : ' (unconfirmed)'}\n`).join('')}`;
}

function sourcesText(io: OutputMedium | null, report: NatReport): string {
  return report.notes.length
    ? `\nSources:\n${report.notes.map((n) => (io ? paragraph(io, '  ', escapeText(n), 4) : `  ${escapeText(n)}\n`)).join('')}`
    : '';
}

/** Only a known container list proves that nothing is published; rules alone can only show what they map. */
function noMappingsLine(report: NatReport): string {
  if (report.publicationsKnown) return 'No published ports.\n';
  if (report.available)
    return `No DNAT rule maps a port; whether containers publish any is unknown: ${escapeText(report.publicationsReason ?? '')}.\n`;
  return `Published ports unknown: ${escapeText(report.publicationsReason ?? '')}, and ${escapeText(report.reason ?? 'no NAT rules were read')}.\n`;
}

/** Every mapping, one row each, then the anomalies. */
export function renderNatText(io: OutputMedium, report: NatReport, snapshot: Snapshot): string {
  const notes = new Footnotes();
  let out = '';
  const notice = snapshotNotice(snapshot);
  if (notice) out += `${escapeText(notice)}\n\n`;
  out += unavailableLine(report);
  const missing = missingRules(report);
  const rows: Cell[][] = report.mappings.map((m) => [
    hostAddress(m.hostIp, m.hostPort, m.protocol),
    m.container,
    to(m),
    m.network,
    m.bridge,
    m.hostVeth ?? (m.probableHostVeth ? `${m.probableHostVeth}?` : null),
    m.rule ? `${m.rule.chain} ${m.rule.number}` : report.available ? 'none' : '?',
    m.rule?.packets ?? null,
    m.rule?.bytes ?? null,
    via(m),
    notes.mark(mappingNotes(m, missing)),
  ]);
  out += rows.length
    ? renderTable(io, ['PUBLISHED', 'CONTAINER', 'TO', 'NETWORK', 'BRIDGE', 'HOST VETH', 'DNAT RULE', 'PKTS', 'BYTES', 'VIA', 'NOTE'], rows)
    : noMappingsLine(report);
  const footnotes = notes.render(io);
  if (footnotes) out += `\nNotes:\n${footnotes}`;
  out += anomaliesText(report.anomalies);
  out += sourcesText(io, report);
  return out;
}

/** One mapping as its paths (the DNAT path and the ones that bypass it), then its rule, hairpin and notes. */
export function mappingPathLines(m: PortMapping): string[] {
  const lines = m.paths.map((p) => escapeText(pathText(p)));
  if (m.rule)
    lines.push(
      `    rule: ${escapeText(m.rule.chain)} ${m.rule.number} of ${escapeText(m.rule.table)} (${escapeText(m.rule.from)}): ${escapeText(m.rule.text.trim())}`,
    );
  if (m.openedBy && m.via === 'routed')
    lines.push(
      `    opened by: ${escapeText(m.openedBy.chain)} ${m.openedBy.number} of ${escapeText(m.openedBy.table)} (${escapeText(m.openedBy.from)}): ${escapeText(m.openedBy.text.trim())}`,
    );
  if (m.hairpin && m.rule)
    lines.push(`    hairpin: ${escapeText(m.hairpin.chain)} ${m.hairpin.number}: ${escapeText(m.hairpin.text.trim())}`);
  for (const n of m.notes) lines.push(`    note: ${escapeText(mappingNoteText(n))}`);
  return lines;
}

/** The mappings of one port, each as its paths: the DNAT path and the ones that bypass it. */
export function renderNatPathsText(report: NatReport, snapshot: Snapshot, direct: readonly DirectAccess[] = []): string {
  let out = '';
  const notice = snapshotNotice(snapshot);
  if (notice) out += `${escapeText(notice)}\n\n`;
  out += unavailableLine(report);
  const followers = new Set<string>();
  for (const m of report.mappings) {
    out += mappingPathLines(m)
      .map((l) => `${l}\n`)
      .join('');
    for (const f of m.followers) followers.add(`${f} (shares ${m.container}'s network namespace: --network container:${m.container})`);
  }
  if (direct.length)
    out += `\nDirect access (a client beyond the uplink, to the container's own address, not the host port):\n${direct.map((d) => `  ${directAccessLine(d)}\n`).join('')}`;
  if (followers.size) out += `\nAlso reached through this port:\n${[...followers].map((f) => `  ${escapeText(f)}\n`).join('')}`;
  out += anomaliesText(report.anomalies);
  out += sourcesText(null, report);
  return out;
}

export function natJson(report: NatReport, snapshot: Snapshot): unknown {
  return jsonDocument(NAT_SCHEMA_VERSION, snapshot, {
    available: report.available,
    reason: report.reason,
    backend: report.backend,
    publications: { known: report.publicationsKnown, reason: report.publicationsReason },
    mappings: report.mappings.map(mappingJson),
    anomalies: report.anomalies.map(anomalyJson),
    notes: report.notes,
    otherNetnsProxies: report.otherNetnsProxies,
  });
}
