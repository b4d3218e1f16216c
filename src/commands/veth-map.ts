// docknet veth-map: which host veth is each container's, and which container owns each veth.
import type { CommandIO } from './io.js';
import { type CommandOutput, jsonOutput, textOutput } from './output.js';
import { DocknetError } from '../model/errors.js';
import { correlateVethMap, type VethMap } from '../correlate/veth-map.js';
import { buildHostModel } from '../parse/host-model.js';
import { renderVethMapText, vethMapJson } from '../render/veth-map.js';
import { closest } from '../util/closest.js';
import { ambiguous, matchContainer } from '../correlate/find-container.js';
import type { ContainerInfo } from '../model/engine.js';
import type { SnapshotProvider } from './source.js';

export interface VethMapOptions {
  targets: string[];
  json: boolean;
  all: boolean;
}

type Target = { kind: 'container'; name: string } | { kind: 'veth'; name: string };

/** A target is a host veth name, a container name, or a container id prefix (ambiguity is an error). */
function resolveTarget(map: VethMap, containers: ContainerInfo[], input: string): Target {
  if (map.hostVeths.some((v) => v.name === input)) return { kind: 'veth', name: input };
  const m = matchContainer(containers, input);
  if (m.kind === 'one') return { kind: 'container', name: m.container.name };
  if (m.kind === 'many') throw ambiguous(input, m.containers);
  const near = closest(input, [...containers.map((c) => c.name), ...map.hostVeths.map((v) => v.name)]);
  throw new DocknetError(
    `no container or host veth matches '${input}'`,
    near.length ? `closest names: ${near.join(', ')}` : 'run `docknet veth-map --all` to list every container and veth',
  );
}

function filterMap(map: VethMap, containers: ContainerInfo[], targets: string[], all: boolean): VethMap {
  if (targets.length === 0) {
    return all ? map : { ...map, interfaces: map.interfaces.filter((r) => r.running) };
  }
  const resolved = targets.map((t) => resolveTarget(map, containers, t));
  const names = new Set(resolved.flatMap((t) => (t.kind === 'container' ? [t.name] : [])));
  const veths = new Set(resolved.flatMap((t) => (t.kind === 'veth' ? [t.name] : [])));
  const interfaces = map.interfaces.filter((r) => names.has(r.container) || (r.hostVeth !== null && veths.has(r.hostVeth)));
  const shown = new Set(interfaces.map((r) => r.container));
  const shownVeths = new Set(interfaces.map((r) => r.hostVeth));
  const hostVeths = map.hostVeths.filter((v) => veths.has(v.name) || (v.owner !== null && shown.has(v.owner) && shownVeths.has(v.name)));
  return { ...map, interfaces, hostVeths };
}

export async function runVethMap(opts: VethMapOptions, io: CommandIO, snapshotOf: SnapshotProvider): Promise<CommandOutput> {
  const snapshot = await snapshotOf(['engine', 'container-net', 'links', 'routes']);
  const model = buildHostModel(snapshot);
  const map = filterMap(correlateVethMap(model), model.containers.all, opts.targets, opts.all);
  return opts.json ? jsonOutput(vethMapJson(map, snapshot)) : textOutput(renderVethMapText(io, map, snapshot));
}
