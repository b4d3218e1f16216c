// Which bridges are Docker's: the one definition every report uses. Known from the network list
// (each bridge network names its device); without one, an inference from the names Docker and other
// tools give their bridges, said as one; otherwise unknown.
import type { NetworkInfo } from '../model/engine.js';
import type { Fact } from '../model/fact.js';

/** Names Docker gives the bridges it creates: docker0, br-<network id12>, docker_gwbridge. */
const DOCKER_NAME = /^(docker0|docker_gwbridge|br-[0-9a-f]{12})$/;

/** Other tools' bridges, by the names they give them. */
const FOREIGN_NAMES: [RegExp, ForeignTool][] = [
  [/^virbr\d+(-nic)?$/, 'libvirt'],
  [/^(cni|cbr|flannel|cilium|weave|kube|calico)/, 'kubernetes'],
  [/^lxcbr\d+$|^lxdbr\d+$/, 'lxc'],
];

export type ForeignTool = 'libvirt' | 'kubernetes' | 'lxc';

export interface BridgeIdentity {
  /** true: Docker's; false: not Docker's; null: cannot be told from the data. */
  docker: boolean | null;
  /** The Docker network whose bridge it is (when the network list says so). */
  network: NetworkInfo | null;
  /** True when the verdict rests on the name alone, not on a network list. */
  inferred: boolean;
  /** The tool whose naming the name follows, when it is another tool's. */
  foreign: ForeignTool | null;
}

export function foreignToolOf(name: string): ForeignTool | null {
  return FOREIGN_NAMES.find(([re]) => re.test(name))?.[1] ?? null;
}

export type BridgeIdentityOf = (name: string) => BridgeIdentity;

/** The identity of every bridge name, against one network list (built once per report). */
export function bridgeIdentities(networks: Fact<NetworkInfo[]>): BridgeIdentityOf {
  const byBridge = new Map<string, NetworkInfo>();
  if (networks.known) for (const n of networks.value) if (n.bridgeName) byBridge.set(n.bridgeName, n);
  return (name) => {
    const foreign = foreignToolOf(name);
    if (networks.known) {
      const network = byBridge.get(name) ?? null;
      return { docker: network !== null, network, inferred: false, foreign: network ? null : foreign };
    }
    if (DOCKER_NAME.test(name)) return { docker: true, network: null, inferred: true, foreign: null };
    if (foreign) return { docker: false, network: null, inferred: true, foreign };
    return { docker: null, network: null, inferred: false, foreign: null };
  };
}

/** A network's bridge or macvlan/ipvlan parent: Docker's names for interfaces it created or uses. */
export function dockerUsesInterface(networks: Fact<NetworkInfo[]>, name: string): boolean | null {
  if (!networks.known) return DOCKER_NAME.test(name) ? true : null;
  return networks.value.some((n) => n.bridgeName === name || n.parent === name);
}
