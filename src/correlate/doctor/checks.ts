// docknet doctor's checks, in report order: each a small pure function over the correlated facts of one host.
import type { CheckOutcome } from '../../model/finding.js';
import { defaultBridgeDns, rootless } from './engine-checks.js';
import { dockerRules } from './generation-checks.js';
import type { Check, DoctorInputs } from './inputs.js';
import { backends, brNetfilter, forwarding } from './kernel-checks.js';
import { mtu, subnetOverlap, veths } from './link-checks.js';
import { natAnomalies, portClash } from './port-checks.js';

export type { Check, DoctorInputs, HostSettings } from './inputs.js';

export const CHECKS: Check[] = [
  forwarding,
  brNetfilter,
  backends,
  dockerRules,
  mtu,
  natAnomalies,
  veths,
  portClash,
  subnetOverlap,
  rootless,
  defaultBridgeDns,
];

export function runChecks(inputs: DoctorInputs, checks: Check[] = CHECKS): CheckOutcome[] {
  return checks.map((c) => {
    const missing = c.needs(inputs);
    if (missing) return { check: c.id, title: c.title, status: 'skipped', reason: missing, partial: null, findings: [] };
    return { check: c.id, title: c.title, status: 'ran', reason: null, partial: c.partial?.(inputs) ?? null, findings: c.run(inputs) };
  });
}
