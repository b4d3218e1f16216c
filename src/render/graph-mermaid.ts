// The host graph as a Mermaid flowchart (GitHub and GitLab draw it in Markdown): namespaces as subgraphs.
import type { GraphEdge, GraphNode, HostGraph } from '../correlate/graph.js';
import { escapeText } from './escape.js';
import { UNDIRECTED, wrapLines } from './graph-dot.js';

/** Mermaid's entity codes for the characters its syntax gives a meaning to; lines joined with <br>. */
export function mermaidText(lines: string[]): string {
  const esc = (s: string) =>
    escapeText(s).replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/`/g, '#96;');
  return `"${wrapLines(lines).map(esc).join('<br>')}"`;
}

function shape(n: GraphNode, id: string): string {
  const text = mermaidText(n.label);
  switch (n.kind) {
    case 'bridge':
      return `${id}[[${text}]]`;
    case 'port':
      return `${id}>${text}]`;
    case 'container':
    case 'group':
    case 'sandbox':
      return `${id}(${text})`;
    case 'unknown':
      return `${id}{{${text}}}`;
    default:
      return `${id}[${text}]`;
  }
}

function arrow(e: GraphEdge): string {
  const undirected = UNDIRECTED.has(e.kind);
  if (e.unknown || e.inferred) return undirected ? '-.-' : '-.->';
  return undirected ? '---' : '-->';
}

export function renderGraphMermaid(graph: HostGraph): string {
  const ids = new Map<string, string>();
  for (const [i, n] of graph.nodes.entries()) ids.set(n.id, `n${i + 1}`);
  const out: string[] = ['flowchart LR'];
  const clustered = new Set<string>();
  graph.clusters.forEach((c, i) => {
    const members = graph.nodes.filter((n) => n.cluster === c.id);
    if (!members.length) return;
    clustered.add(c.id);
    out.push(`  subgraph s${i + 1}[${mermaidText(c.label)}]`);
    for (const n of members) out.push(`    ${shape(n, ids.get(n.id) as string)}`);
    out.push('  end');
  });
  for (const n of graph.nodes) if (n.cluster === null || !clustered.has(n.cluster)) out.push(`  ${shape(n, ids.get(n.id) as string)}`);
  for (const e of graph.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (!from || !to) continue;
    out.push(`  ${from} ${arrow(e)}|${mermaidText(e.label)}| ${to}`);
  }
  const unknown = graph.nodes.filter((n) => n.unknown).map((n) => ids.get(n.id) as string);
  out.push('  classDef unknown stroke-dasharray: 5 5');
  if (unknown.length) out.push(`  class ${unknown.join(',')} unknown`);
  return `${out.join('\n')}\n`;
}
