// docknet veth-map: which host veth is each container's, and which container owns each veth.
import type { IO } from '../cli/io.js';
import { DocknetError } from '../cli/errors.js';
import { correlateVethMap, type VethMap } from '../correlate/veth-map.js';
import { buildHostModel } from '../parse/host-model.js';
import { renderVethMapText, vethMapJson } from '../render/veth-map.js';
import { closest } from '../util/closest.js';
import type { SnapshotProvider } from './source.js';

export interface VethMapOptions {
  targets: string[];
  json: boolean;
  all: boolean;
}

type Target = { kind: 'container'; id: string } | { kind: 'veth'; name: string };

/** A target is a host veth name, a container name, or a container id prefix (ambiguity is an error). */
function resolveTarget(map: VethMap, input: string): Target {
  if (map.hostVeths.some((v) => v.name === input)) return { kind: 'veth', name: input };
  const containers = new Map(map.interfaces.map((r) => [r.containerId ?? `name:${r.container}`, r.container]));
  for (const [id, name] of containers) if (name === input || name === input.replace(/^\//, '')) return { kind: 'container', id };
  const byId = [...containers].filter(([id]) => /^[0-9a-f]+$/i.test(input) && id.startsWith(input.toLowerCase()));
  if (byId.length === 1) return { kind: 'container', id: (byId[0] as [string, string])[0] };
  if (byId.length > 1) {
    throw new DocknetError(`'${input}' is ambiguous: it matches ${byId.map(([id, n]) => `${n} (${id.slice(0, 12)})`).join(', ')}`, 'give more characters of the id, or the name');
  }
  const near = closest(input, [...containers.values(), ...map.hostVeths.map((v) => v.name)]);
  throw new DocknetError(`no container or host veth matches '${input}'`, near.length ? `closest names: ${near.join(', ')}` : 'run `docknet veth-map --all` to list every container and veth');
}

function filterMap(map: VethMap, targets: string[], all: boolean): VethMap {
  if (targets.length === 0) {
    return all ? map : { ...map, interfaces: map.interfaces.filter((r) => r.running) };
  }
  const resolved = targets.map((t) => resolveTarget(map, t));
  const ids = new Set(resolved.flatMap((t) => (t.kind === 'container' ? [t.id] : [])));
  const veths = new Set(resolved.flatMap((t) => (t.kind === 'veth' ? [t.name] : [])));
  const interfaces = map.interfaces.filter((r) => ids.has(r.containerId ?? `name:${r.container}`) || (r.hostVeth !== null && veths.has(r.hostVeth)));
  const names = new Set(interfaces.map((r) => r.container));
  const hostVeths = map.hostVeths.filter((v) => veths.has(v.name) || (v.owner !== null && names.has(v.owner) && interfaces.some((r) => r.hostVeth === v.name)));
  return { ...map, interfaces, hostVeths };
}

export async function runVethMap(opts: VethMapOptions, io: IO, snapshotOf: SnapshotProvider): Promise<number> {
  const snapshot = await snapshotOf(['engine', 'container-net', 'links']);
  const map = filterMap(correlateVethMap(buildHostModel(snapshot)), opts.targets, opts.all);
  if (opts.json) io.out(`${JSON.stringify(vethMapJson(map, snapshot), null, 2)}\n`);
  else io.out(renderVethMapText(io, map, snapshot));
  return 0;
}
