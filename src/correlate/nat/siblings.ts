// A binding with no rule or proxy of its own (e.g. [::] with no proxy read) goes where its siblings
// (the same container, container port and protocol) go.
import type { PortMapping } from '../../model/port-path.js';

export function fillFromSiblings(mappings: PortMapping[]): void {
  const siblingKey = (m: PortMapping) => `${m.container}\u0000${m.containerPort}\u0000${m.protocol}`;
  const withIp = new Map<string, PortMapping>();
  for (const m of mappings) if (m.containerIp !== null && m.container !== null && !withIp.has(siblingKey(m))) withIp.set(siblingKey(m), m);
  for (const m of mappings) {
    if (m.containerIp !== null || m.container === null) continue;
    const twin = withIp.get(siblingKey(m));
    if (!twin) continue;
    // Where the sibling leads, not how it is served: its rule, proxy and paths stay its own.
    const { containerIp, containerIpFrom, network, bridge, hostVeth, probableHostVeth, interface: iface, hairpin } = twin;
    Object.assign(m, { containerIp, containerIpFrom, network, bridge, hostVeth, probableHostVeth, interface: iface, hairpin });
  }
}
