// docknet overlay [network]: each swarm overlay on each node, the kernel against the control plane, and
// the findings (peers, IPsec, blocked ports, MTU, addresses, IPVS) with their evidence. Exit 1 on an error finding.
import { correlateOverlay } from '../correlate/overlay/overlay.js';
import { DocknetError, EXIT } from '../model/errors.js';
import { readNodeOverlayFacts } from '../parse/overlay-facts.js';
import { overlayJson, renderOverlayText } from '../render/overlay.js';
import { isRead, type Fleet } from '../snapshot/fleet.js';
import type { IO } from './io.js';

export interface OverlayOptions {
  network: string | null;
  json: boolean;
}

export type FleetProvider = () => Promise<Fleet>;

export async function runOverlay(opts: OverlayOptions, io: IO, fleetOf: FleetProvider): Promise<number> {
  const fleet = await fleetOf();
  const nodes = fleet.filter(isRead).map((m) => readNodeOverlayFacts(m.host, m.snapshot));
  const unreadable = fleet.flatMap((m) => (isRead(m) ? [] : [{ host: m.host, reason: m.error.message }]));
  const report = correlateOverlay({ nodes, unreadable, network: opts.network });
  if (report.notFound !== null) {
    const names = [...new Set(nodes.flatMap((n) => (n.overlays.known ? n.overlays.value.map((o) => o.network.name) : [])))].sort();
    throw new DocknetError(
      `no overlay network '${report.notFound}' on ${nodes.length === 1 ? 'this node' : 'any of the nodes'}`,
      names.length ? `overlays: ${names.join(', ')}` : 'run `docknet overlay` to list the overlays',
    );
  }
  io.out(opts.json ? `${JSON.stringify(overlayJson(report), null, 2)}\n` : renderOverlayText(io, report));
  return report.findings.some((f) => f.severity === 'error') ? EXIT.failure : EXIT.ok;
}
