// A port no container publishes, in words (from correlate/nat/port-query.ts's NotPublished): the one-line
// message, the lines of what is near it, and its JSON (the facts with those words beside them).
import { hostAddress, type PortQuery } from '../model/port-path.js';
import type { NotPublished } from '../correlate/nat/port-query.js';
import { anomalyJson, anomalyText } from './nat-words.js';

function queryText(q: PortQuery): string {
  return q.hostIp === null ? `${q.port}/${q.protocol}` : hostAddress(q.hostIp, q.port, q.protocol);
}

/** `no container publishes 49156/tcp`, or, with the publications unknown, that none is in the data. */
export function notPublishedMessage(np: NotPublished): string {
  return np.publicationsKnown
    ? `no container publishes ${queryText(np.query)}`
    : `no mapping in the data for ${queryText(np.query)} (the container list is unknown, so whether a container publishes it cannot be told)`;
}

/** What is near it, a fact a line. */
export function notPublishedLines(np: NotPublished): string[] {
  const q = np.query;
  const lines: string[] = [
    np.nearest.length
      ? `published ports nearest to it: ${np.nearest.map((n) => `${n.hostPort}/${n.protocol} (${n.container ?? 'unknown container'})`).join(', ')}`
      : np.publicationsKnown
        ? 'no container publishes any port'
        : `no mapping in the data at all (publications unknown: ${np.publicationsReason})`,
  ];
  for (const a of np.anomalies) lines.push(`${a.kind}: ${anomalyText(a)}`);
  for (const p of np.proxies)
    lines.push(
      `docker-proxy pid ${p.pid} listens on ${hostAddress(p.hostIp, p.hostPort, p.proto)} (-> ${p.containerIp}:${p.containerPort}), for no running container`,
    );
  if (np.listeners === null) lines.push('whether a host process listens on it is unknown: the host socket tables were not read');
  else
    lines.push(
      np.listeners.length
        ? `a host process listens on ${np.listeners.map((s) => hostAddress(s.ip, s.port, s.protocol)).join(', ')} (not through Docker)`
        : `no host process listens on ${q.port}/${q.protocol}`,
    );
  for (const name of np.stoppedPublishers) lines.push(`stopped container ${name} is configured to publish it: start it to publish`);
  return lines;
}

/** The facts, with the message and lines beside them. */
export function notPublishedJson(np: NotPublished): unknown {
  return {
    ...np,
    anomalies: np.anomalies.map(anomalyJson),
    text: notPublishedMessage(np),
    lines: notPublishedLines(np),
  };
}
