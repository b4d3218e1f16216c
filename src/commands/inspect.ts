// docknet inspect <container>: the whole network story of one container.
import type { CommandIO } from './io.js';
import { type CommandOutput, jsonOutput, textOutput } from './output.js';
import { correlateInspect } from '../correlate/inspect.js';
import { findContainer, mayMatch } from '../correlate/find-container.js';
import { correlateVethMap } from '../correlate/veth-map.js';
import { correlateNat } from '../correlate/nat.js';
import { parseContainerFiles } from '../parse/container-files.js';
import { buildHostModel } from '../parse/host-model.js';
import { containerSocketsOf } from '../parse/container-sockets.js';
import { hostSettingsFact } from '../parse/host-settings.js';
import { hostView } from '../correlate/reach/host-view.js';
import { inspectJson, renderInspectText } from '../render/inspect.js';
import { FACT, factText } from '../snapshot/snapshot.js';
import type { SnapshotProvider } from './source.js';

export interface InspectOptions {
  target: string;
  json: boolean;
}

export async function runInspect(opts: InspectOptions, io: CommandIO, snapshotOf: SnapshotProvider): Promise<CommandOutput> {
  const target = opts.target;
  const snapshot = await snapshotOf(['engine', 'container-net', 'links', 'routes', 'routes6', 'nat', 'settings'], {
    detail: 'inspect',
    filesOf: (name, id) => mayMatch(target, { name, id }),
  });
  const model = buildHostModel(snapshot);
  const container = findContainer(model.containers.all, target, model.containers.complete);
  const filesText = factText(snapshot, FACT.containerFiles(container.name));
  const files = filesText !== null ? parseContainerFiles(filesText).value : null;
  const vethMap = correlateVethMap(model);
  const report = correlateInspect({
    model,
    vethMap,
    nat: correlateNat(model, vethMap),
    container,
    resolv: files?.resolv ?? null,
    sockets: files?.sockets ?? null,
    filesErrors: files?.errors ?? [],
    view: hostView(model, hostSettingsFact(snapshot).fact, containerSocketsOf(snapshot, model)),
  });
  return opts.json ? jsonOutput(inspectJson(report, snapshot)) : textOutput(renderInspectText(io, report, snapshot));
}
