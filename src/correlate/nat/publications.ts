// The Engine's publications: every host ip:port/protocol a container publishes, one per host port,
// read from NetworkSettings.Ports, HostConfig.PortBindings, `docker port` or `docker ps`.
import { containerKey, type ContainerInfo } from '../../model/engine.js';
import type { HostModel } from '../../model/host.js';
import type { MappingNote } from '../../model/nat-path.js';
import type { PublishedBy } from '../../model/port-path.js';
import { normaliseHostIp } from '../../util/address.js';
import { netnsOwnerRef } from '../find-container.js';

export interface Publication {
  container: ContainerInfo;
  hostIp: string;
  hostPort: number;
  protocol: string;
  containerPort: number;
  publishedBy: PublishedBy;
  note: MappingNote | null;
  /** The engine maps no host port (NetworkSettings.Ports HostPort ""): hostPort is 0. */
  unmapped: boolean;
}

function range(text: string): { from: number; to: number } | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from > 0 && to >= from && to <= 65535 ? { from, to } : null;
}

function publishedByOf(model: HostModel, c: ContainerInfo, fromPorts: boolean): PublishedBy {
  if (model.containers.portsFrom.has(containerKey(c))) return 'docker port';
  if (c.networkMode === 'unknown') return 'docker ps';
  return fromPorts ? 'NetworkSettings.Ports' : 'HostConfig.PortBindings';
}

export function publicationsOf(model: HostModel, c: ContainerInfo): Publication[] {
  const fromPorts = Object.values(c.ports).some((b) => b && b.length > 0);
  const source = fromPorts ? c.ports : c.portBindings;
  const publishedBy = publishedByOf(model, c, fromPorts);
  const out: Publication[] = [];
  const seen = new Set<string>();
  for (const [key, bindings] of Object.entries(source)) {
    const [portText, protoText] = key.split('/');
    const cr = range(portText ?? '');
    if (!cr || !bindings) continue;
    const protocol = (protoText ?? 'tcp').toLowerCase();
    for (const b of bindings) {
      const hostIp = normaliseHostIp(b.hostIp);
      // A routed network's IPv4 binding: an address and no host port (Docker 27+; `docker ps` shows 0.0.0.0:0).
      if (fromPorts && (b.hostPort === '' || b.hostPort === '0') && b.hostIp !== '') {
        const k = `${hostIp}|0|${protocol}|${cr.from}`;
        if (!seen.has(k))
          out.push({ container: c, hostIp, hostPort: 0, protocol, containerPort: cr.from, publishedBy, note: null, unmapped: true });
        seen.add(k);
        continue;
      }
      const hr = range(b.hostPort);
      if (!hr) continue;
      const pairs: [number, number, MappingNote | null][] = [];
      if (hr.to - hr.from === cr.to - cr.from) for (let i = 0; i <= hr.to - hr.from; i += 1) pairs.push([hr.from + i, cr.from + i, null]);
      else pairs.push([hr.from, cr.from, { code: 'host-port-range', hostPorts: b.hostPort, key, assumed: hr.from }]);
      for (const [hostPort, containerPort, note] of pairs) {
        const k = `${hostIp}|${hostPort}|${protocol}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ container: c, hostIp, hostPort, protocol, containerPort, publishedBy, note, unmapped: false });
      }
    }
  }
  return out;
}

/** A container with a network namespace of its own (not host, none, or another container's). */
export function ownsNamespace(c: ContainerInfo): boolean {
  return c.networkMode !== 'host' && c.networkMode !== 'none' && netnsOwnerRef(c) === null;
}
