// The words of veth-map's notes (model/veth-notes.ts): one sentence per code, for text, pipe and JSON alike.
import type { HostVethNote, NoteBridge, VethWords } from '../model/veth-notes.js';

/** The bridge in words: Docker's or not, and whether that is known or read from its name. */
function bridgeText(b: NoteBridge): string {
  if (b.docker === true)
    return `on Docker bridge ${b.bridge}${b.inferred ? " (Docker's by its name: the data holds no network list)" : ''}`;
  if (b.docker === false)
    return b.inferred
      ? `which is ${b.foreign}'s by its name (inference: the data holds no Docker network list)`
      : 'which no Docker network uses';
  return `on bridge ${b.bridge}, which cannot be told as Docker's or not (the data holds no Docker network list)`;
}

function ownerNotInData(unread: string[], listUnknown: string | null): string {
  const why = [
    unread.length ? `the interfaces of ${unread.join(', ')} are unknown` : null,
    listUnknown === null ? null : `the container list is unknown: ${listUnknown}`,
  ];
  const probably =
    unread.length === 1 ? ` (inference, not confirmed: probably ${unread[0]}'s, the one container whose interfaces are unknown)` : '';
  return `owner not in the data: ${why.filter(Boolean).join('; ')}${probably}`;
}

export function hostVethNoteText(n: HostVethNote): string {
  switch (n.code) {
    case 'shared-namespace':
      return `in use by the network namespace ${n.sharers.join(', ')} share; which of them owns it is not in the data`;
    case 'namespace-read-in':
      return `in the network namespace ${n.container} was read in; whether ${n.container} owns it or shares another container's (--network container:) is not in the data`;
    case 'owner-not-in-data':
      return ownerNotInData(n.unread, n.containerListUnknown);
    case 'sandbox-unknown':
      return `${bridgeText(n.bridge)}; no container's interface points back at it, and whether a Docker sandbox (ingress-sbox, a load balancer) owns it is unknown: ${n.networksUnknown}`;
    case 'no-owner-no-bridge':
      return 'belongs to no container and is on no bridge';
    case 'leftover-on-docker-bridge':
      return `${bridgeText(n.bridge)}, but no container's interface points back at it (leftover from a removed container, or a special Docker namespace)`;
    case 'foreign-bridge':
      return `${n.bridge.inferred ? "probably not Docker's" : "not Docker's"}: enslaved to ${n.bridge.bridge}, ${bridgeText(n.bridge)} (another tool's, e.g. libvirt or a CNI plugin)`;
    case 'no-owner':
      return `${bridgeText(n.bridge)}; no container's interface points back at it`;
    case 'bridge-port-unlisted': {
      const why = n.linksFrom !== null ? `the \`ip\` listing (${n.linksFrom}) does not hold it` : "no `ip` listing of the host's links";
      return `a port of ${n.bridge} (from brctl show); owner unknown: ${why}, so no ifindex to pair it by`;
    }
    case 'sandbox-by-elimination':
      return `attributed by elimination: the one veth on ${n.bridge} with no container, and ${n.sandbox} (${n.name}, ${n.ipv4 ?? 'no IPv4'}, MAC ${n.mac ?? '?'}) the one endpoint of '${n.network}' that is no container`;
    case 'sandboxes-ambiguous':
      return `on ${n.bridge}: one of ${n.sandboxes.join(', ')} (Docker sandboxes with no container), not told apart without entering their namespaces`;
  }
}

/** A host veth's note for JSON: its code and facts, and the sentence. */
export function hostVethNoteJson(n: HostVethNote | null): (HostVethNote & { text: string }) | null {
  return n ? { ...n, text: hostVethNoteText(n) } : null;
}

export const vethWords: VethWords = { hostVeth: hostVethNoteText };
