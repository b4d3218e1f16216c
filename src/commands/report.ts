// docknet report --html FILE: one self-contained HTML file (picture, veth map, NAT paths, findings, notebook).
import type { CommandIO } from './io.js';
import { type CommandOutput, textOutput } from './output.js';
import { UsageError } from '../model/errors.js';
import { explainHost } from '../correlate/explain.js';
import { buildHostGraph } from '../correlate/graph.js';
import { correlateNat } from '../correlate/nat.js';
import { correlateVethMap } from '../correlate/veth-map.js';
import { buildHostModel } from '../parse/host-model.js';
import { engineVersionFact } from '../parse/engine-version.js';
import { renderGraphSvg } from '../render/graph-svg.js';
import { modeDescription } from '../render/container-mode-words.js';
import { natWords } from '../render/nat-words.js';
import { vethWords } from '../render/veth-words.js';
import { renderReportHtml } from '../render/report-html.js';
import { docknetVersion } from '../version.js';
import { DOCTOR_GROUPS, doctorOutcomes } from './doctor.js';
import { writeOutputFile } from './output-file.js';
import type { SnapshotProvider } from './source.js';

export interface ReportOptions {
  /** The HTML file to write; required (the one format so far). */
  html: string | null;
  group: boolean;
}

export async function runReport(opts: ReportOptions, io: CommandIO, snapshotOf: SnapshotProvider): Promise<CommandOutput> {
  if (!opts.html) throw new UsageError('report needs --html FILE: the file to write the report to');
  const snapshot = await snapshotOf([...DOCTOR_GROUPS]);
  const model = buildHostModel(snapshot);
  const map = correlateVethMap(model);
  const nat = correlateNat(model, map);
  const graph = buildHostGraph(model, map, nat, { containers: [], group: opts.group, natWords, vethWords });
  const version = engineVersionFact(snapshot);
  const engineVersion = version.known ? version.value.version : null;
  const html = renderReportHtml({
    snapshot,
    svg: await renderGraphSvg(graph, { links: true }),
    graph,
    map,
    nat,
    outcomes: doctorOutcomes(snapshot, model, map),
    notebook: explainHost({ snapshot, model, map, nat, natWords, vethWords, modeWords: modeDescription, engineVersion }),
    engineVersion,
    docknetVersion: docknetVersion(),
  });
  await writeOutputFile(io, opts.html, html);
  return textOutput(
    `Wrote ${opts.html} (${Math.round(Buffer.byteLength(html) / 1024)} KiB, self-contained: open it in any browser, offline).\n`,
  );
}
