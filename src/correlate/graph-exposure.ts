// graph --exposure: each published port and container address in the picture coloured by who can reach
// it, from reach's walk of every pair (correlate/reach/exposure.ts): a client beyond the uplink, the host
// itself, a container on each Docker network. An answer reach cannot give stays unknown.
import type { Verdict } from './reach/path-result.js';
import type { Exposure, ExposureRow } from './reach/exposure.js';
import type { GraphExposure, GraphNode, HostGraph } from './graph-builder.js';

function sourceName(e: Exposure, i: number): string {
  const s = e.sources[i];
  if (!s) return '?';
  return s.kind === 'network' ? `from ${s.network}` : s.kind === 'outside' ? 'from outside' : 'from the host';
}

/** One row's class: reached from beyond the uplink, only from this host and its containers, from nobody, or unknown. */
function classOf(e: Exposure, row: ExposureRow): GraphExposure {
  const verdicts = row.cells.map((c) => c.verdict);
  const outside = e.sources.findIndex((s) => s.kind === 'outside');
  if (outside >= 0 && verdicts[outside] === 'delivered') return 'outside';
  if (verdicts.some((v) => v === 'delivered')) return outside >= 0 && verdicts[outside] === 'unknown' ? 'unknown' : 'local';
  return verdicts.some((v) => v === 'unknown') ? 'unknown' : 'none';
}

const RANK: Record<GraphExposure, number> = { outside: 3, unknown: 2, local: 1, none: 0 };

function line(e: Exposure, row: ExposureRow, what: string): string {
  const words = (v: Verdict) => (v === 'delivered' ? 'yes' : v === 'unknown' ? 'unknown' : `no (${v})`);
  return `${what}: ${row.cells.map((c, i) => `${sourceName(e, i)} ${words(c.verdict)}`).join(', ')}`;
}

function mark(node: GraphNode, cls: GraphExposure, text: string): void {
  if (node.exposure === null || RANK[cls] > RANK[node.exposure]) node.exposure = cls;
  if (!node.label.includes(text)) node.label.push(text);
}

export function applyExposure(graph: HostGraph, e: Exposure): HostGraph {
  for (const row of e.rows) {
    const cls = classOf(e, row);
    if (row.kind === 'published' && row.publication) {
      const p = row.publication;
      const node = graph.nodes.find(
        (n) => n.kind === 'port' && n.id.startsWith(`port:${p.hostPort}/${row.protocol}>`) && n.container === row.container,
      );
      const at = p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
      if (node) mark(node, cls, line(e, row, `${at}:${p.hostPort}`));
      continue;
    }
    const ip = row.destination.kind === 'ip' ? row.destination.ip : null;
    const node = graph.nodes.find(
      (n) => n.kind === 'interface' && n.container === row.container && (ip === null || n.label.some((l) => l.split('/')[0] === ip)),
    );
    if (node) mark(node, cls, line(e, row, `${ip ?? row.container}:${row.destination.port}/${row.protocol}`));
  }
  const flagged = e.rows.filter((r) => r.flags.length).length;
  const notes = [
    ...graph.notes,
    `exposure (reach): red is reachable from beyond the uplink, amber only from this host or its containers, green from nobody, grey unknown${flagged ? `; ${flagged} exposure(s) to check: docknet reach --exposure` : ''}`,
  ];
  return { ...graph, notes };
}
