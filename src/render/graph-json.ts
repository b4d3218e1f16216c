// The host graph as versioned JSON: its nodes, edges and clusters as correlate/graph.ts builds them.
import type { HostGraph } from '../correlate/graph.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { jsonDocument } from './snapshot-notice.js';

export const GRAPH_SCHEMA_VERSION = 1;

export function graphJson(graph: HostGraph, snapshot: Snapshot): unknown {
  return jsonDocument(GRAPH_SCHEMA_VERSION, snapshot, {
    grouping: graph.grouping,
    clusters: graph.clusters,
    nodes: graph.nodes,
    edges: graph.edges,
    notes: graph.notes,
  });
}
