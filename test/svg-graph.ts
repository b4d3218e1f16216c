// Reads back the SVG Graphviz writes for `docknet graph`: each node's id, classes, label lines and box,
// each edge's ends and label, so tests check the picture itself (labels, overlaps, who joins whom).

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface SvgNode {
  id: string;
  classes: string[];
  texts: string[];
  box: Box;
}

export interface SvgEdge {
  id: string;
  classes: string[];
  /** The ends as written in DOT (tail, head): graph-dot.ts writes some edges head first. */
  tail: string;
  head: string;
  texts: string[];
}

export interface SvgGraph {
  nodes: SvgNode[];
  edges: SvgEdge[];
  clusters: { id: string; texts: string[] }[];
}

export function decodeXml(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function boxOf(chunk: string): Box {
  // Every coordinate of the shape's outline: polygon points and path data (rounded boxes are paths).
  const coords: number[][] = [];
  for (const m of chunk.matchAll(/\s(?:points|d)="([^"]+)"/g)) {
    const nums = (m[1] ?? '').match(/-?\d+(?:\.\d+)?/g)?.map(Number) ?? [];
    for (let i = 0; i + 1 < nums.length; i += 2) coords.push([nums[i] as number, nums[i + 1] as number]);
    break; // the first shape is the node's box; later ones are decorations
  }
  const xs = coords.map((c) => c[0] as number);
  const ys = coords.map((c) => c[1] as number);
  return { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
}

export function parseGraphvizSvg(svg: string): SvgGraph {
  const out: SvgGraph = { nodes: [], edges: [], clusters: [] };
  // Graphviz writes a comment before each cluster, node and edge: the chunks between them are one each.
  for (const chunk of svg.split(/\n<!-- /).slice(1)) {
    const g = /<g id="([^"]*)" class="(node|edge|cluster)([^"]*)"/.exec(chunk);
    if (!g) continue;
    const id = decodeXml(g[1] ?? '');
    const classes = decodeXml(g[3] ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    const texts = [...chunk.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1] ?? ''));
    const title = decodeXml(/<title>([^<]*)<\/title>/.exec(chunk)?.[1] ?? '');
    if (g[2] === 'node') out.nodes.push({ id, classes, texts, box: boxOf(chunk) });
    else if (g[2] === 'cluster') out.clusters.push({ id, texts });
    else {
      const [tail = '', head = ''] = title.split('->');
      out.edges.push({ id, classes, tail, head, texts });
    }
  }
  return out;
}

/** Pairs of node boxes that overlap (touching edges allowed). */
export function overlaps(nodes: SvgNode[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = (nodes[i] as SvgNode).box;
      const b = (nodes[j] as SvgNode).box;
      if (a.x1 < b.x2 - 0.5 && b.x1 < a.x2 - 0.5 && a.y1 < b.y2 - 0.5 && b.y1 < a.y2 - 0.5)
        found.push(`${(nodes[i] as SvgNode).id} overlaps ${(nodes[j] as SvgNode).id}`);
    }
  }
  return found;
}
