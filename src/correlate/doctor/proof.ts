// What a host-changing fix depends on, and which of those facts were not read: `ip link delete`,
// `kill` and `iptables -D` are advised only when this finds nothing missing.
import { containerKey, type ContainerInfo } from '../../model/engine.js';
import type { HostModel } from '../../model/host.js';
import type { DockerProxy, NatAnomaly } from '../../model/port-path.js';
import { bareAddress } from '../../util/address.js';
import { netnsOwnerRef } from '../find-container.js';
import type { HostVethRow } from '../veth-map.js';

function listMissing(model: HostModel): string[] {
  return model.containers.complete.known ? [] : [`the full container list (${model.containers.complete.reason})`];
}

/** Running containers with a namespace of their own whose addresses (IPv4 and IPv6) were not both read. */
function addressesUnread(model: HostModel): ContainerInfo[] {
  return model.containers.all.filter((c) => {
    if (!c.running || c.networkMode === 'host' || c.networkMode === 'none' || netnsOwnerRef(c) !== null) return false;
    const source = model.containers.sourceOf.get(containerKey(c));
    // The engine's inspect states both families per endpoint; docker ps and pasted files do not.
    return source !== 'container-list';
  });
}

/** Every address any container or Docker sandbox holds, both families. */
export function addressesInUse(model: HostModel): Set<string> {
  const out = new Set<string>();
  for (const c of model.containers.all)
    for (const e of c.endpoints) for (const a of [bareAddress(e.ipv4), bareAddress(e.ipv6)]) if (a) out.add(a);
  for (const f of model.containerNet.values())
    for (const i of f.interfaces) for (const a of i.addresses ?? []) out.add(bareAddress(a) as string);
  if (model.networks.known)
    for (const n of model.networks.value)
      for (const m of n.members) for (const a of [bareAddress(m.ipv4), bareAddress(m.ipv6)]) if (a) out.add(a);
  return out;
}

export function missingForVethRemoval(model: HostModel, v: HostVethRow): string[] {
  const missing = listMissing(model);
  if (v.ownerStatus !== 'none') missing.push("every container's interfaces (some could not be read)");
  if (!model.networks.known) missing.push("Docker's network list (its sandboxes, such as ingress-sbox, own veths with no container)");
  if (!model.hostLinks.known) missing.push("the host's links");
  return missing;
}

export function missingForProxyKill(model: HostModel, p: DockerProxy): string[] {
  const missing = listMissing(model);
  const unread = addressesUnread(model);
  if (unread.length) missing.push(`both address families of ${unread.map((c) => c.name).join(', ')}`);
  if (!model.hostNetns.known) missing.push("this host's network namespace");
  if (p.netns === undefined || p.netns === null) missing.push(`the network namespace of pid ${p.pid} (it may be another engine's)`);
  else if (model.hostNetns.known && p.netns !== model.hostNetns.value)
    missing.push(`pid ${p.pid} runs in another network namespace (${p.netns})`);
  return missing;
}

export function missingForRuleDelete(model: HostModel, a: NatAnomaly): string[] {
  const missing = listMissing(model);
  if (!a.confirmed) missing.push('the addresses of every container (the target may still be one of theirs)');
  if (!a.rule) missing.push('the rule itself');
  return missing;
}
