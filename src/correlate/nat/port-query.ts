// `nat --port`: the mappings and anomalies of one port, and, when no container publishes it, what is
// near it (the published ports closest to it, its anomalies, a docker-proxy or host process on it, a
// stopped container configured to publish it), as facts. render/nat-not-published.ts words them.
import type { HostModel } from '../../model/host.js';
import type { DockerProxy, ListeningSocket, NatAnomaly, NatReport, PortQuery } from '../../model/port-path.js';
import { wildcardOf } from '../../util/address.js';

/** The mappings and anomalies of one port; a host IP falls back to the wildcard binding that serves it. */
export function selectPort(report: NatReport, q: PortQuery): NatReport {
  const samePort = (x: { hostPort: number | null; protocol: string | null }) => x.hostPort === q.port && x.protocol === q.protocol;
  let mappings = report.mappings.filter(samePort);
  let anomalies = report.anomalies.filter(samePort);
  // The same publication on a routed network's IPv4 side has no host port (0.0.0.0:0): shown beside it.
  const unmapped = report.mappings.filter(
    (u) =>
      u.hostPort === 0 &&
      mappings.some((m) => m.container === u.container && m.containerPort === u.containerPort && m.protocol === u.protocol),
  );
  if (q.hostIp !== null) {
    const ip = q.hostIp;
    const exact = mappings.filter((m) => m.hostIp === ip);
    mappings = exact.length ? exact : mappings.filter((m) => m.hostIp === wildcardOf(ip));
    anomalies = anomalies.filter((a) => a.hostIp === ip || a.hostIp === wildcardOf(ip));
  }
  if (q.hostIp === null || unmapped.some((u) => u.hostIp === q.hostIp || u.hostIp === wildcardOf(q.hostIp as string)))
    mappings = [
      ...unmapped.filter((u) => q.hostIp === null || u.hostIp === wildcardOf(q.hostIp as string) || u.hostIp === q.hostIp),
      ...mappings,
    ];
  return { ...report, mappings, anomalies };
}

/** What is near a port no container publishes, as the data holds it. */
export interface NotPublished {
  query: PortQuery;
  /** Whether the publications are known: false, nothing in the data may be a container that publishes it. */
  publicationsKnown: boolean;
  publicationsReason: string | null;
  /** The published ports closest to it (five at most), each with the first container that publishes it. */
  nearest: { hostPort: number; protocol: string | null; container: string | null }[];
  /** The anomalies on that port (a rule without its container, ...). */
  anomalies: NatAnomaly[];
  /** docker-proxy processes listening on it for no running container. */
  proxies: DockerProxy[];
  /** Host sockets on it, other than those proxies'; null when the socket tables were not read. */
  listeners: ListeningSocket[] | null;
  /** Stopped containers configured to publish it. */
  stoppedPublishers: string[];
}

export function notPublished(model: HostModel, report: NatReport, q: PortQuery, selected: NatReport): NotPublished {
  const published = new Map<string, NotPublished['nearest'][number]>();
  for (const m of report.mappings) {
    const key = `${m.hostPort}/${m.protocol}`;
    if (!published.has(key)) published.set(key, { hostPort: m.hostPort, protocol: m.protocol, container: m.container });
  }
  const nearest = [...published.values()]
    .sort((a, b) => Math.abs(a.hostPort - q.port) - Math.abs(b.hostPort - q.port) || a.hostPort - b.hostPort)
    .slice(0, 5);
  const facts = model.portFacts;
  const proxies = (facts?.dockerProxies ?? []).filter((p) => p.hostPort === q.port && p.proto === q.protocol);
  const sockets = facts?.listening ?? null;
  const listeners =
    sockets === null
      ? null
      : sockets.filter((s) => s.port === q.port && s.protocol === q.protocol && !proxies.some((p) => p.hostIp === s.ip));
  const stoppedPublishers = model.containers.all
    .filter(
      (c) =>
        !c.running &&
        Object.entries(c.portBindings).some(
          ([key, bs]) => key.endsWith(`/${q.protocol}`) && (bs ?? []).some((b) => Number(b.hostPort) === q.port),
        ),
    )
    .map((c) => c.name);
  return {
    query: q,
    publicationsKnown: report.publicationsKnown,
    publicationsReason: report.publicationsReason,
    nearest,
    anomalies: selected.anomalies,
    proxies,
    listeners,
    stoppedPublishers,
  };
}
