// The host graph as SVG, laid out in-process by Graphviz compiled to WebAssembly (@viz-js/viz), loaded
// only when SVG is asked for: the module is about 1.2 MB and stays out of every other command's start-up.
import type { HostGraph } from '../correlate/graph.js';
import { DocknetError } from '../model/errors.js';
import { renderGraphDot, type DotOptions } from './graph-dot.js';

/** The Graphviz layout of a DOT text as SVG; a DocknetError naming Graphviz's own words when it fails. */
export async function dotToSvg(dot: string): Promise<string> {
  const viz = await import('@viz-js/viz');
  const instance = await viz.instance();
  const result = instance.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const words = result.errors.map((e) => e.message).join('; ');
    throw new DocknetError(
      `Graphviz could not lay out the graph: ${words || 'no reason given'}`,
      'run with --format dot to see the graph text',
    );
  }
  return result.output;
}

export async function renderGraphSvg(graph: HostGraph, opts: DotOptions = {}): Promise<string> {
  return dotToSvg(renderGraphDot(graph, opts));
}
