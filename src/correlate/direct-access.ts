// Whether a client beyond the uplink reaches a container's own address directly (not through a host
// port): the reach evaluator's verdict for each published container port, for inspect and nat --port.
import type { PortMapping } from '../model/port-path.js';
import { familyOf } from '../util/address.js';
import type { RuleRef } from './reach/hooks.js';
import type { HostView } from './reach/host-view.js';
import type { Expect, Verdict } from './reach/path-result.js';
import { reach } from './reach/reach.js';

export interface DirectAccess {
  /** The container's own address, e.g. "10.228.0.2:8080/tcp". */
  address: string;
  ip: string;
  port: number;
  protocol: 'tcp' | 'udp';
  verdict: Verdict;
  /** What a client would see: connect, refused, timeout, unreachable, or unknown. */
  expect: Expect;
  /** The rule that decides (Docker 28's raw PREROUTING drop, a filter DOCKER ACCEPT, a policy); null when none or unknown. */
  decidedBy: RuleRef | null;
  /** Why the verdict is unknown, in the facts' words; null when known. */
  unknown: string | null;
}

/** The reach verdict from `outside` to ip:port. */
export function directAccessTo(view: HostView, ip: string, port: number, protocol: 'tcp' | 'udp'): DirectAccess {
  const r = reach(view, { kind: 'outside', ip: null }, { kind: 'ip', ip, port, protocol });
  return {
    address: `${ip}:${port}/${protocol}`,
    ip,
    port,
    protocol,
    verdict: r.verdict,
    expect: r.expect,
    decidedBy: r.decidedBy,
    unknown: r.unknown,
  };
}

/** One verdict per container address and port the mappings publish (IPv4, tcp or udp), in mapping order. */
export function directAccessOf(
  view: HostView,
  mappings: readonly Pick<PortMapping, 'containerIp' | 'containerPort' | 'protocol'>[],
): DirectAccess[] {
  const seen = new Set<string>();
  const out: DirectAccess[] = [];
  for (const m of mappings) {
    if (!m.containerIp || familyOf(m.containerIp) !== 'ipv4' || (m.protocol !== 'tcp' && m.protocol !== 'udp')) continue;
    const key = `${m.containerIp}:${m.containerPort}/${m.protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(directAccessTo(view, m.containerIp, m.containerPort, m.protocol));
  }
  return out;
}
