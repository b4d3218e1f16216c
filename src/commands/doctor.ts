// docknet doctor: every check over the host's facts; findings by severity, each with evidence and a fix.
import type { CommandIO } from './io.js';
import { type CommandOutput, jsonOutput, textOutput } from './output.js';
import { EXIT } from '../model/errors.js';
import { runChecks } from '../correlate/doctor/checks.js';
import { correlateNat } from '../correlate/nat.js';
import { correlateVethMap, type VethMap } from '../correlate/veth-map.js';
import type { Fact } from '../model/fact.js';
import { engineInfoFact } from '../parse/engine-info.js';
import { engineVersionFact } from '../parse/engine-version.js';
import { hostSettingsFact } from '../parse/host-settings.js';
import { iptablesBackendsOf } from '../parse/iptables-backends.js';
import type { CheckOutcome, Evidence } from '../model/finding.js';
import type { HostModel } from '../model/host.js';
import { buildHostModel } from '../parse/host-model.js';
import { doctorJson, renderDoctorText, summarize } from '../render/doctor.js';
import { natWords } from '../render/nat-words.js';
import { vethWords } from '../render/veth-words.js';
import { FACT, factText, type Snapshot } from '../snapshot/snapshot.js';
import type { SnapshotProvider } from './source.js';

export interface DoctorOptions {
  json: boolean;
  /** Every finding in text, not the first few of each kind. */
  all: boolean;
}

function warningsOf(snapshot: Snapshot, info: Fact<Record<string, unknown>>): Evidence[] {
  const out: Evidence[] = [];
  if (info.known && Array.isArray(info.value.Warnings))
    for (const w of info.value.Warnings) out.push({ source: 'GET /info Warnings', text: String(w) });
  for (const line of (factText(snapshot, FACT.dockerWarnings) ?? '').split('\n')) {
    if (line.trim()) out.push({ source: FACT.dockerWarnings, text: line.trim() });
  }
  return out;
}

/** The fact groups every check reads. */
export const DOCTOR_GROUPS = ['engine', 'engine-info', 'container-net', 'links', 'routes', 'nat', 'settings', 'backends'] as const;

/** Every check over one snapshot (also the findings of `docknet report`). */
export function doctorOutcomes(snapshot: Snapshot, model: HostModel, vethMap: VethMap): CheckOutcome[] {
  const hasNatFacts = [FACT.iptablesSave, FACT.iptablesNat, FACT.nftRulesetJson, FACT.nftRulesetText].some(
    (p) => snapshot.facts.has(p) || snapshot.missing.some((m) => m.path === p),
  );
  const info = engineInfoFact(snapshot).fact;
  return runChecks({
    model,
    vethMap,
    nat: hasNatFacts ? correlateNat(model, vethMap) : null,
    natWords,
    vethWords,
    settings: hostSettingsFact(snapshot).fact,
    engineInfo: info,
    backends: iptablesBackendsOf(snapshot),
    warnings: warningsOf(snapshot, info),
  });
}

export async function runDoctor(opts: DoctorOptions, io: CommandIO, snapshotOf: SnapshotProvider): Promise<CommandOutput> {
  const snapshot = await snapshotOf([...DOCTOR_GROUPS]);
  const model = buildHostModel(snapshot);
  const vethMap = correlateVethMap(model);
  const outcomes = doctorOutcomes(snapshot, model, vethMap);
  const engine = engineVersionFact(snapshot);
  // Documented: 1 when any error-level finding, else 0.
  const code = summarize(outcomes).error > 0 ? EXIT.failure : EXIT.ok;
  return opts.json
    ? jsonOutput(doctorJson(outcomes, snapshot, engine), code)
    : textOutput(renderDoctorText(io, outcomes, snapshot, engine, opts.all), code);
}
