// What the phases of correlateNat find, handed from one phase to the next.
import type { NatAnomaly, PortMapping } from '../../model/port-path.js';
import type { RuleCtx } from './rules.js';

export interface Found {
  mappings: PortMapping[];
  anomalies: NatAnomaly[];
  /** The rule each mapping goes through (null: none), for its paths once every rule has found its place. */
  ruleOf: Map<PortMapping, RuleCtx | null>;
}
