// What is known of the docker-proxy processes: how many were read, those of other network namespaces
// (another engine's) left out, and those no container publishes (orphans).
import type { HostModel } from '../../model/host.js';
import { hostAddress } from '../../model/port-path.js';
import type { Ctx } from './context.js';

/** The source notes about the docker-proxy processes read, and those of other network namespaces. */
export function proxySourceNotes(m: HostModel): string[] {
  const facts = m.portFacts;
  const out: string[] = [];
  if (facts.dockerProxies === null)
    out.push(
      facts.dockerProxiesUnknown ? `docker-proxy processes unknown: ${facts.dockerProxiesUnknown}` : 'docker-proxy processes not read',
    );
  else {
    const unknown = facts.dockerProxies.filter((p) => !p.netns || !m.hostNetns.known).length;
    out.push(
      `${facts.dockerProxies.length} docker-proxy process(es) from host/docker-proxy.json` +
        (unknown ? ` (${unknown} whose network namespace is unknown: they may not be this host's)` : ''),
    );
  }
  const other = facts.otherNetnsProxies;
  if (other?.count)
    out.push(
      `${other.count} docker-proxy process(es) of other network namespaces (${other.namespaces.join(', ')}: another engine's) were seen and left out`,
    );
  return out;
}

/** The docker-proxy processes no mapping claimed. */
export function orphanProxyNotes(ctx: Ctx): string[] {
  const list = ctx.model.containers.complete;
  const out: string[] = [];
  for (const p of ctx.proxies) {
    if (!ctx.usedProxies.has(p))
      out.push(
        `docker-proxy pid ${p.pid} serves ${hostAddress(p.hostIp, p.hostPort, p.proto)} -> ${p.containerIp}:${p.containerPort}, ${list.known ? 'which no running container publishes' : 'which no known container publishes (the container list is not in the data)'}`,
      );
  }
  return out;
}
