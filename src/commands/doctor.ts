// docknet doctor: every check over the host's facts; findings by severity, each with evidence and a fix.
import type { IO } from '../cli/io.js';
import { runChecks, type DoctorInputs } from '../correlate/doctor/checks.js';
import { correlateNat } from '../correlate/nat.js';
import { correlateVethMap } from '../correlate/veth-map.js';
import type { CheckOutcome, Evidence } from '../model/finding.js';
import { engineInfoFact, type EngineInfo } from '../parse/engine-info.js';
import { buildHostModel } from '../parse/host-model.js';
import { hostSettingsFact, settingUnknown, type HostSettings } from '../parse/host-settings.js';
import type { ReadFact } from '../parse/snapshot-fact.js';
import { parseIpRouteJson } from '../parse/ip-route-json.js';
import { doctorJson, renderDoctorText, summarize } from '../render/doctor.js';
import { FACT, factText, type Snapshot } from '../snapshot/snapshot.js';
import type { SnapshotProvider } from './source.js';

export interface DoctorOptions {
  json: boolean;
}

// Until the checks take Facts (the lead's rework of correlate/doctor/checks.ts): a check that
// skipped, or that read an unknown setting as a value, is corrected here from what the parsers say.
const SETTINGS_CHECKS = new Set(['forwarding', 'br-netfilter']);

function skipped(o: CheckOutcome, reason: string): CheckOutcome {
  return { ...o, status: 'skipped', reason, findings: [] };
}

/** Each outcome, saying why a group or a setting it needed is unknown instead of "not in the data" or a value. */
export function explainUnknowns(
  outcomes: CheckOutcome[],
  settings: ReadFact<HostSettings>['fact'],
  info: ReadFact<EngineInfo>['fact'],
  hasBridgeNetworks: boolean,
): CheckOutcome[] {
  return outcomes.map((o) => {
    if (o.status === 'skipped') {
      if (SETTINGS_CHECKS.has(o.check) && !settings.known && settings.cause !== 'not-in-data') return { ...o, reason: settings.reason };
      if (o.check === 'rootless' && !info.known && info.cause !== 'not-in-data') return { ...o, reason: info.reason };
      return o;
    }
    if (!settings.known) return o;
    const s = settings.value;
    if (o.check === 'forwarding' && o.findings.length === 0) {
      const why = settingUnknown(s, 'sysctl', 'net.ipv4.ip_forward');
      if (why) return skipped(o, why);
    }
    if (o.check === 'br-netfilter' && hasBridgeNetworks) {
      const why =
        settingUnknown(s, 'module', 'br_netfilter') ??
        (s.modules.br_netfilter && o.findings.length === 0 ? settingUnknown(s, 'sysctl', 'net.bridge.bridge-nf-call-iptables') : null);
      if (why) return skipped(o, why);
    }
    return o;
  });
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
  const settings = hostSettingsFact(snapshot);
  const info = engineInfoFact(snapshot);
  const infoValue = info.fact.known ? info.fact.value : null;
  const routes = factText(snapshot, FACT.ipRouteJson);
  const ran = runChecks({
    model,
    vethMap,
    nat: hasNatFacts ? correlateNat(model, vethMap) : null,
    settings: settings.fact.known ? settings.fact.value : null,
    routes: routes !== null ? parseIpRouteJson(routes).value : null,
    engineInfo: infoValue,
    backends: backendsOf(snapshot),
    hostListeners: model.portFacts?.listening ?? null,
    proxies: model.portFacts?.dockerProxies ?? null,
    warnings: warningsOf(snapshot, infoValue),
  });
  const hasBridges = (model.networks ?? []).some((n) => n.driver === 'bridge');
  const outcomes = explainUnknowns(ran, settings.fact, info.fact, hasBridges);
  io.out(opts.json ? `${JSON.stringify(doctorJson(outcomes, snapshot), null, 2)}\n` : renderDoctorText(io, outcomes, snapshot));
  // Documented: 1 when any error-level finding, else 0.
  return summarize(outcomes).error > 0 ? 1 : 0;
}
