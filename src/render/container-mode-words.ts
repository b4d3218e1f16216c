// A container's network mode in words, from correlate/inspect.ts's ContainerMode: for inspect's
// "Network mode" section, its JSON `description`, and explain's container items.
import type { ContainerMode } from '../correlate/inspect.js';
import { behaviourSummaryText } from './network-words.js';

const NAT_WORDS = 'the bridge is its gateway, and published ports reach it through NAT (DNAT) rules';

/** The bridge mode: plain NAT, or what each network's gateway mode, --internal and enable_icc make of it. */
function bridgeText(m: ContainerMode): string {
  const head = `bridge: its own network namespace, joined to the host by a veth pair on bridge ${m.bridges.join(', ') || '(unknown)'}`;
  if (!m.special.length) return `${head}; ${NAT_WORDS}.`;
  const own = m.special
    .map((b) => {
      const summary = behaviourSummaryText(b) as string;
      return m.special.length > 1 || m.interfaces > 1 ? `on ${b.network}: ${summary}` : summary;
    })
    .join(' ');
  return `${head}${m.nat && m.interfaces > 1 ? `; where NAT applies, ${NAT_WORDS}` : m.nat ? `; ${NAT_WORDS}` : ''}. ${own}`;
}

/** The network mode in words. */
export function modeDescription(m: ContainerMode): string {
  const { kind, owner } = m;
  switch (kind) {
    case 'bridge':
      return bridgeText(m);
    case 'host':
      return "host: it runs in the host's network namespace, so it has the host's IPs and ports: no veth, no bridge, no NAT. A port it listens on is a host port, and -p is ignored.";
    case 'none':
      return 'none: its own network namespace with loopback only: no veth, no IP but 127.0.0.1, no way in or out. Isolated on purpose.';
    case 'container':
      return `container:${owner ?? '?'}: it shares ${owner ?? 'another container'}'s network namespace: the same interfaces, IP, ports and veth. The two reach each other on localhost, and ports are published on ${owner ?? 'the owner'}, not on this container.`;
    case 'macvlan':
    case 'ipvlan': {
      const parent = m.parent ?? 'its parent interface';
      return `${kind}: its own ${kind === 'macvlan' ? 'MAC and ' : ''}IP directly on host interface ${parent}, as if it were another machine on that network: no veth, no bridge, no NAT. The host itself cannot reach it through ${parent} (the kernel isolates ${kind} children from their parent): a classic surprise; a ${kind} sub-interface on the host is the usual fix.`;
    }
    case 'overlay':
      return "overlay: eth0 on the overlay network lives in a VXLAN network namespace of Docker's that spans swarm nodes (its peer is not on the host); traffic leaving the node goes through eth1, a veth on docker_gwbridge, with NAT.";
    case 'unknown':
      return 'unknown: the data does not say which network mode (it holds no `docker inspect` of this container).';
    default:
      return `${kind}: a network of the ${kind} driver.`;
  }
}

/** The mode as JSON: `kind`, `owner` and `description`, as schemaVersion 2 had them. */
export function modeJson(m: ContainerMode): { kind: string; owner: string | null; description: string } {
  return { kind: m.kind, owner: m.owner, description: modeDescription(m) };
}
