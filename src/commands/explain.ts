// docknet explain: the notebook of this host, a sentence for every interface, network, mode, veth and rule line.
import type { CommandIO } from './io.js';
import { type CommandOutput, jsonOutput, textOutput } from './output.js';
import { explainHost } from '../correlate/explain.js';
import { correlateNat } from '../correlate/nat.js';
import { correlateVethMap } from '../correlate/veth-map.js';
import { buildHostModel } from '../parse/host-model.js';
import { engineVersionFact } from '../parse/engine-version.js';
import { explainJson, renderExplainMarkdown, renderExplainText } from '../render/explain.js';
import { modeDescription } from '../render/container-mode-words.js';
import { natWords } from '../render/nat-words.js';
import { vethWords } from '../render/veth-words.js';
import type { SnapshotProvider } from './source.js';

export interface ExplainOptions {
  json: boolean;
  /** Markdown even on a terminal (it is the default when piped). */
  markdown: boolean;
}

export async function runExplain(opts: ExplainOptions, io: CommandIO, snapshotOf: SnapshotProvider): Promise<CommandOutput> {
  const snapshot = await snapshotOf(['engine', 'engine-info', 'container-net', 'links', 'routes', 'nat']);
  const model = buildHostModel(snapshot);
  const map = correlateVethMap(model);
  const nat = correlateNat(model, map);
  const version = engineVersionFact(snapshot);
  const notebook = explainHost({
    snapshot,
    model,
    map,
    nat,
    natWords,
    vethWords,
    modeWords: modeDescription,
    engineVersion: version.known ? version.value.version : null,
  });
  if (opts.json) return jsonOutput(explainJson(notebook, snapshot));
  return textOutput(io.isTTY && !opts.markdown ? renderExplainText(notebook, snapshot) : renderExplainMarkdown(notebook, snapshot));
}
