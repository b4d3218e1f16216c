// A container's exposed and published ports as the Engine API states them, one row per binding.
import type { ContainerInfo } from '../model/engine.js';
import { normaliseHostIp } from '../util/address.js';

export interface ContainerPort {
  containerPort: string;
  protocol: string;
  /** null when exposed only (no host binding). */
  hostIp: string | null;
  hostPort: string | null;
  exposedOnly: boolean;
}

function portKey(key: string): { port: string; protocol: string } {
  const [port, protocol] = key.split('/');
  return { port: port ?? key, protocol: protocol ?? 'tcp' };
}

export function containerPorts(c: ContainerInfo): ContainerPort[] {
  // A running container's NetworkSettings.Ports is the truth; a stopped one only has its configuration.
  const source =
    c.running && Object.keys(c.ports).length ? c.ports : { ...Object.fromEntries(c.exposedPorts.map((p) => [p, null])), ...c.portBindings };
  const rows: ContainerPort[] = [];
  for (const [key, bindings] of Object.entries(source)) {
    const { port, protocol } = portKey(key);
    if (!bindings || bindings.length === 0) {
      rows.push({ containerPort: port, protocol, hostIp: null, hostPort: null, exposedOnly: true });
      continue;
    }
    for (const b of bindings)
      rows.push({ containerPort: port, protocol, hostIp: normaliseHostIp(b.hostIp), hostPort: b.hostPort || null, exposedOnly: false });
  }
  return rows.sort(
    (a, b) => Number.parseInt(a.containerPort, 10) - Number.parseInt(b.containerPort, 10) || (a.hostIp ?? '').localeCompare(b.hostIp ?? ''),
  );
}
