// A NAT anomaly with every field not given left unknown (null), and the order anomalies and mappings are listed in.
import type { AnomalyReason } from '../../model/nat-path.js';
import type { NatAnomaly } from '../../model/port-path.js';
import { familyOf } from '../../util/address.js';
import { naturalCompare } from '../../util/natural-compare.js';

export function anomaly(kind: NatAnomaly['kind'], reason: AnomalyReason, fields: Partial<NatAnomaly>): NatAnomaly {
  return {
    kind,
    reason,
    match: null,
    hostIp: null,
    hostPort: null,
    protocol: null,
    containerIp: null,
    containerPort: null,
    container: null,
    network: null,
    bridge: null,
    hostVeth: null,
    rule: null,
    proxy: null,
    proxyServes: null,
    confirmed: true,
    ...fields,
  };
}

export const KIND_ORDER = ['stale-rule', 'missing-rule', 'foreign-rule', 'ingress'];

/** By host port, protocol, then 0.0.0.0, IPv4, ::, IPv6 host addresses. */
export function byPort(a: { hostPort: number | null; protocol: string | null; hostIp: string | null }, b: typeof a): number {
  const rank = (ip: string | null) => (ip === null ? 9 : ip === '0.0.0.0' ? 0 : ip === '::' ? 2 : familyOf(ip) === 'ipv6' ? 3 : 1);
  return (
    (a.hostPort ?? 0) - (b.hostPort ?? 0) ||
    (a.protocol ?? '').localeCompare(b.protocol ?? '') ||
    rank(a.hostIp) - rank(b.hostIp) ||
    naturalCompare(a.hostIp ?? '', b.hostIp ?? '')
  );
}
