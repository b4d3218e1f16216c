// The host graph as Graphviz DOT: one cluster per network namespace, nodes styled by kind, unknowns dashed.
import type { GraphCluster, GraphEdge, GraphNode, GraphNodeKind, HostGraph } from '../correlate/graph.js';
import { escapeText } from './escape.js';

const STYLE: Record<GraphNodeKind, { shape: string; fill: string }> = {
  'host-interface': { shape: 'box', fill: '#f4f4f4' },
  bridge: { shape: 'box', fill: '#cfe3ff' },
  'host-veth': { shape: 'box', fill: '#fff2c2' },
  interface: { shape: 'box', fill: '#d6f5d6' },
  container: { shape: 'box', fill: '#d6f5d6' },
  port: { shape: 'box', fill: '#ffd9b3' },
  'overlay-netns': { shape: 'box', fill: '#e8dcff' },
  sandbox: { shape: 'box', fill: '#e8dcff' },
  group: { shape: 'box', fill: '#d6f5d6' },
  unknown: { shape: 'box', fill: '#ffffff' },
};

const EDGE_COLOUR: Record<string, string> = {
  dnat: '#c05a00',
  'docker-proxy': '#7a4fbf',
  'no-path': '#b00020',
  masquerade: '#2b6cb0',
  probable: '#777777',
};

/** A DOT quoted string: backslashes and quotes escaped, control characters made visible first. */
export function dotString(s: string): string {
  return `"${escapeText(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Long lines broken at spaces, so that a box stays narrow: the sentences of a role stay whole, over lines. */
export function wrapLines(lines: string[], width = 44): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(' ', width);
      if (cut <= 0) break;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
    }
    out.push(rest);
  }
  return out;
}

/** Label lines joined with DOT's centred line break. */
function dotLabel(lines: string[]): string {
  return `"${wrapLines(lines)
    .map((l) => escapeText(l).replace(/\\/g, '\\\\').replace(/"/g, '\\"'))
    .join('\\n')}"`;
}

/** The anchor a report uses for a container's section (render/report-html.ts links to it). */
export function containerAnchor(name: string): string {
  return `container-${[...name].map((c) => (/[A-Za-z0-9_-]/.test(c) ? c : `_${c.codePointAt(0)?.toString(16)}`)).join('')}`;
}

function attrs(pairs: [string, string | null][]): string {
  return pairs
    .filter((p): p is [string, string] => p[1] !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

const EXPOSURE_FILL = { outside: '#ff9c9c', local: '#ffe08a', none: '#b8ebb8', unknown: '#dddddd' } as const;

function nodeLine(n: GraphNode, links: boolean): string {
  const s = STYLE[n.kind];
  const fill = n.exposure ? EXPOSURE_FILL[n.exposure] : s.fill;
  const dashed = n.unknown || n.kind === 'unknown';
  return `${dotString(n.id)} [${attrs([
    ['id', dotString(n.id)],
    ['class', dotString(n.kind)],
    ['label', dotLabel(n.label)],
    ['shape', s.shape],
    ['style', dashed ? '"rounded,filled,dashed"' : '"rounded,filled"'],
    ['fillcolor', dotString(fill)],
    ['tooltip', n.detail ? dotString(n.detail) : null],
    ['href', links && n.container ? dotString(`#${containerAnchor(n.container)}`) : null],
  ])}];`;
}

/** Peers joined without an arrowhead; the ports' arrows show the packet's way. */
export const UNDIRECTED = new Set(['veth-pair', 'bridge-port', 'parent', 'overlay', 'host-namespace', 'shares-netns']);
/**
 * Edges written head first, so that the layout ranks left to right as the host is wired: uplink, bridges,
 * veths, containers, then the published ports pointing back at them (the arrowhead stays where it belongs).
 */
const WRITTEN_BACKWARDS = new Set([
  'overlay',
  'veth-pair',
  'bridge-port',
  'parent',
  'host-namespace',
  'masquerade',
  'dnat',
  'docker-proxy',
  'no-path',
  'probable',
]);

/**
 * Past this many boxes, edge labels cost most of Graphviz's time (each is laid out as a box): the pair and
 * port edges lose their one-word labels, and the others are placed after the layout.
 */
const LABELLED_PAIRS_UP_TO = 200;

function edgeLine(e: GraphEdge, big: boolean): string {
  const colour = e.unknown ? '#777777' : (EDGE_COLOUR[e.kind] ?? '#333333');
  const back = WRITTEN_BACKWARDS.has(e.kind);
  const [tail, head] = back ? [e.to, e.from] : [e.from, e.to];
  return `${dotString(tail)} -> ${dotString(head)} [${attrs([
    ['id', dotString(e.id)],
    ['class', dotString(e.kind)],
    // Big graphs: labels placed after the layout (xlabel) rather than laid out as boxes of their own: half the time.
    [big ? 'xlabel' : 'label', big && (e.kind === 'veth-pair' || e.kind === 'bridge-port') ? null : dotLabel(e.label)],
    ['tooltip', big ? dotLabel(e.label) : null],
    ['color', dotString(colour)],
    ['fontcolor', dotString(colour)],
    ['style', e.unknown || e.inferred ? 'dashed' : null],
    ['dir', UNDIRECTED.has(e.kind) ? 'none' : back ? 'back' : null],
  ])}];`;
}

function clusterBlock(c: GraphCluster, nodes: GraphNode[], links: boolean, index: number): string {
  const style = c.kind === 'host' ? '"rounded"' : c.kind === 'group' ? '"rounded,dashed"' : '"rounded"';
  const colour = c.kind === 'host' ? '#555555' : '#2f855a';
  const body = nodes.map((n) => `    ${nodeLine(n, links)}`).join('\n');
  return `  subgraph ${dotString(`cluster_${index}`)} {\n    id=${dotString(`cluster:${c.id}`)};\n    label=${dotLabel(c.label)};\n    style=${style};\n    color=${dotString(colour)};\n${body}\n  }`;
}

export interface DotOptions {
  /** Add links from containers to the report's sections (the HTML report). */
  links?: boolean;
  title?: string | null;
}

export function renderGraphDot(graph: HostGraph, opts: DotOptions = {}): string {
  const links = Boolean(opts.links);
  const out: string[] = ['digraph docknet {'];
  out.push(
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.7, newrank=true${opts.title ? `, label=${dotString(opts.title)}, labelloc=t` : ''}];`,
  );
  out.push('  node [fontname="Helvetica", fontsize=10, margin="0.12,0.05"];');
  out.push('  edge [fontname="Helvetica", fontsize=9];');
  graph.clusters.forEach((c, i) => {
    const members = graph.nodes.filter((n) => n.cluster === c.id);
    if (members.length) out.push(clusterBlock(c, members, links, i));
  });
  const clustered = new Set(graph.clusters.map((c) => c.id));
  for (const n of graph.nodes) if (n.cluster === null || !clustered.has(n.cluster)) out.push(`  ${nodeLine(n, links)}`);
  const big = graph.nodes.length > LABELLED_PAIRS_UP_TO;
  for (const e of graph.edges) out.push(`  ${edgeLine(e, big)}`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
