// docknet doctor: every check over the host's facts; findings by severity, each with evidence and a fix.
import type { IO } from '../cli/io.js';
import { runChecks, type DoctorInputs, type HostSettings } from '../correlate/doctor/checks.js';
import { correlateNat } from '../correlate/nat.js';
import { correlateVethMap } from '../correlate/veth-map.js';
import type { Evidence } from '../model/finding.js';
import { buildHostModel } from '../parse/host-model.js';
import { parseIpRouteJson } from '../parse/ip-route-json.js';
import { doctorJson, renderDoctorText, summarize } from '../render/doctor.js';
import { FACT, factText, type Snapshot } from '../snapshot/snapshot.js';
import type { SnapshotProvider } from './source.js';

export interface DoctorOptions {
  json: boolean;
}

function json<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function warningsOf(snapshot: Snapshot, info: Record<string, unknown> | null): Evidence[] {
  const out: Evidence[] = [];
  if (Array.isArray(info?.Warnings)) for (const w of info.Warnings) out.push({ source: 'GET /info Warnings', text: String(w) });
  for (const line of (factText(snapshot, FACT.dockerWarnings) ?? '').split('\n')) {
    if (line.trim()) out.push({ source: FACT.dockerWarnings, text: line.trim() });
  }
  return out;
}

/** The iptables-save output of each backend, told apart by the header iptables writes. */
function backendsOf(snapshot: Snapshot): DoctorInputs['backends'] {
  const legacy = factText(snapshot, FACT.iptablesLegacySave);
  let nft = factText(snapshot, FACT.iptablesNftSave);
  const save = factText(snapshot, FACT.iptablesSave);
  if (nft === null && save !== null && /\(nf_tables\)|iptables-nft-save/.test(save)) nft = save;
  const legacyOrSave = legacy ?? (save !== null && /\(legacy\)/.test(save) ? save : null);
  return legacyOrSave === null && nft === null ? null : { legacy: legacyOrSave, nft };
}

export async function runDoctor(opts: DoctorOptions, io: IO, snapshotOf: SnapshotProvider): Promise<number> {
  const snapshot = await snapshotOf(['engine', 'engine-info', 'container-net', 'links', 'routes', 'nat', 'settings', 'backends']);
  const model = buildHostModel(snapshot);
  const vethMap = correlateVethMap(model);
  const hasNatFacts = [FACT.iptablesSave, FACT.iptablesNat, FACT.nftRulesetJson].some(
    (p) => snapshot.facts.has(p) || snapshot.missing.some((m) => m.path === p),
  );
  const info = json<Record<string, unknown>>(factText(snapshot, FACT.engineInfo));
  const routes = factText(snapshot, FACT.ipRouteJson);
  const outcomes = runChecks({
    model,
    vethMap,
    nat: hasNatFacts ? correlateNat(model, vethMap) : null,
    settings: json<HostSettings>(factText(snapshot, FACT.hostSettings)),
    routes: routes !== null ? parseIpRouteJson(routes).value : null,
    engineInfo: info,
    backends: backendsOf(snapshot),
    hostListeners: model.portFacts?.listening ?? null,
    proxies: model.portFacts?.dockerProxies ?? null,
    warnings: warningsOf(snapshot, info),
  });
  io.out(opts.json ? `${JSON.stringify(doctorJson(outcomes, snapshot), null, 2)}\n` : renderDoctorText(io, outcomes, snapshot));
  // Documented: 1 when any error-level finding, else 0.
  return summarize(outcomes).error > 0 ? 1 : 0;
}
