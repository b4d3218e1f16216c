// What every doctor check reads and returns: the host's model and its correlations, and a finding's shape.
import type { Fact } from '../../model/fact.js';
import type { Evidence, Finding } from '../../model/finding.js';
import type { HostModel } from '../../model/host.js';
import type { HostSettings } from '../../model/host-settings.js';
import type { IptablesBackends } from '../../model/iptables-backends.js';
import type { NatWords } from '../../model/nat-path.js';
import type { NatReport } from '../../model/port-path.js';
import type { VethWords } from '../veth-map-notes.js';
import type { VethMap } from '../veth-map.js';

export type { HostSettings };

export interface DoctorInputs {
  model: HostModel;
  vethMap: VethMap;
  /** null when no NAT facts were even looked for. */
  nat: NatReport | null;
  /** The sentences of nat's anomalies (render/nat-words.ts), which the NAT findings quote. */
  natWords: NatWords;
  vethWords: VethWords;
  settings: Fact<HostSettings>;
  /** GET /info of the engine. */
  engineInfo: Fact<Record<string, unknown>>;
  /** The rules of each iptables backend (`iptables-legacy-save`, `iptables-nft-save`), null when neither was read. */
  backends: IptablesBackends | null;
  /** Warnings the engine printed (GET /info Warnings, or a saved `docker run` output): evidence where settings are unknown. */
  warnings: Evidence[];
}

export interface Check {
  id: string;
  title: string;
  /** A reason the check cannot run on these inputs, or null. */
  needs(i: DoctorInputs): string | null;
  /** Facts it can run without but then may miss findings: what is missing, or null. */
  partial?(i: DoctorInputs): string | null;
  run(i: DoctorInputs): Finding[];
}

/** A finding as a check words it; whether its fix may be printed is decided below. */
export type FindingText = Omit<Finding, 'check' | 'changesHost' | 'unproven'>;

/** A finding whose fix only reads the host (or is a configuration change the user makes knowingly). */
export function finding(check: string, f: FindingText): Finding {
  return { check, ...f, changesHost: false, unproven: null };
}

/**
 * A finding whose fix changes the host: the fix is given only when `missing` is empty (every fact it
 * depends on was read); otherwise the finding says what cannot be told and gives the command that would tell.
 */
export function findingWithRemedy(check: string, f: FindingText, remedy: string, missing: string[]): Finding {
  if (missing.length === 0) return { check, ...f, fix: `${remedy}   # after checking: ${f.fix}`, changesHost: true, unproven: null };
  return { check, ...f, changesHost: false, unproven: missing.join('; ') };
}

export const SYSCTL_SOURCE = (name: string) => `/proc/sys/${name.replace(/\./g, '/')}`;

export const linksSource = (i: DoctorInputs) => (i.model.hostLinks.known ? i.model.hostLinks.from : 'ip');

/** The reasons among `parts` that are set, in one sentence; null when none is. */
export function missingOf(...parts: (string | false | null | undefined)[]): string | null {
  const set = parts.filter((p): p is string => typeof p === 'string' && p !== '');
  return set.length ? set.join('; ') : null;
}
