// docknet graph: a picture of the host as the kernel wires it (SVG, DOT or Mermaid), or its graph as JSON.
import type { CommandIO } from './io.js';
import { type CommandOutput, jsonOutput, outputText, textOutput } from './output.js';
import { natWords } from '../render/nat-words.js';
import { vethWords } from '../render/veth-words.js';
import { UsageError } from '../model/errors.js';
import { buildHostGraph } from '../correlate/graph.js';
import { applyExposure } from '../correlate/graph-exposure.js';
import { exposure } from '../correlate/reach/exposure.js';
import { hostView } from '../correlate/reach/host-view.js';
import { containerSocketsOf } from '../parse/container-sockets.js';
import { hostSettingsFact } from '../parse/host-settings.js';
import { correlateNat } from '../correlate/nat.js';
import { correlateVethMap } from '../correlate/veth-map.js';
import { findContainer } from '../correlate/find-container.js';
import { buildHostModel } from '../parse/host-model.js';
import { renderGraphDot } from '../render/graph-dot.js';
import { graphJson } from '../render/graph-json.js';
import { renderGraphSvg } from '../render/graph-svg.js';
import { renderGraphMermaid } from '../render/graph-mermaid.js';
import type { SnapshotProvider } from './source.js';
import { writeOutputFile } from './output-file.js';

export const GRAPH_FORMATS = ['svg', 'dot', 'mermaid'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface GraphOptions {
  /** null: from --out's extension, else svg. */
  format: string | null;
  out: string | null;
  containers: string[];
  json: boolean;
  group: boolean;
  /** Colour ports and container addresses by who can reach them (reach's walk of every pair). */
  exposure: boolean;
}

const BY_EXTENSION: [RegExp, GraphFormat][] = [
  [/\.svg$/i, 'svg'],
  [/\.(dot|gv)$/i, 'dot'],
  [/\.(mmd|mermaid)$/i, 'mermaid'],
];

/** Validates --format before any I/O; without it, --out's extension chooses, and SVG is the default. */
export function graphFormat(format: string | null, out: string | null): GraphFormat {
  if (format !== null) {
    const f = format.toLowerCase();
    if (!(GRAPH_FORMATS as readonly string[]).includes(f))
      throw new UsageError(`invalid --format '${format}': graph draws ${GRAPH_FORMATS.join(', ')}`);
    return f as GraphFormat;
  }
  return BY_EXTENSION.find(([re]) => out !== null && re.test(out))?.[1] ?? 'svg';
}

export async function runGraph(opts: GraphOptions, io: CommandIO, snapshotOf: SnapshotProvider): Promise<CommandOutput> {
  const format = graphFormat(opts.format, opts.out);
  // --exposure walks every pair as reach does: it needs the settings and every container's sockets too.
  const snapshot = opts.exposure
    ? await snapshotOf(['engine', 'container-net', 'links', 'routes', 'routes6', 'nat', 'settings'], { filesOf: () => true })
    : await snapshotOf(['engine', 'container-net', 'links', 'routes', 'nat']);
  const model = buildHostModel(snapshot);
  const map = correlateVethMap(model);
  const nat = correlateNat(model, map);
  const drawn = buildHostGraph(model, map, nat, {
    // Each name the user gave, as the container it names (ambiguity and absence are errors naming the input).
    containers: opts.containers.map((c) => findContainer(model.containers.all, c, model.containers.complete).name),
    group: opts.group,
    natWords,
    vethWords,
  });
  const graph = opts.exposure
    ? applyExposure(drawn, exposure(hostView(model, hostSettingsFact(snapshot).fact, containerSocketsOf(snapshot, model))))
    : drawn;
  let drawing: CommandOutput;
  if (opts.json) drawing = jsonOutput(graphJson(graph, snapshot));
  else if (format === 'dot') drawing = textOutput(renderGraphDot(graph));
  else if (format === 'mermaid') drawing = textOutput(renderGraphMermaid(graph));
  else drawing = textOutput(await renderGraphSvg(graph));
  if (opts.out === null) return drawing;
  await writeOutputFile(io, opts.out, outputText(drawing));
  return textOutput(`Wrote ${opts.out} (${opts.json ? 'json' : format}: ${graph.nodes.length} nodes, ${graph.edges.length} edges).\n`);
}
