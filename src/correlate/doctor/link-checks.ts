// Doctor checks of the host's links: MTU against the uplink, veths no container owns, other tools'
// bridges, Docker subnets overlapping host routes.
import { lookupIn } from '../../model/fact.js';
import { FACT } from '../../snapshot/snapshot.js';
import type { Finding } from '../../model/finding.js';
import type { Link } from '../../model/link.js';
import { prefixesOverlap } from '../../util/address.js';
import { naturalCompare } from '../../util/natural-compare.js';
import { bridgeIdentities } from '../docker-bridges.js';
import type { HostVethRow } from '../veth-map.js';
import { finding, findingWithRemedy, linksSource, missingOf, type Check, type DoctorInputs } from './inputs.js';
import { missingForVethRemoval } from './proof.js';

export const mtu: Check = {
  id: 'mtu',
  title: 'MTU against the uplink',
  needs: (i) =>
    !i.model.routes.known
      ? `routes unknown: ${i.model.routes.reason}`
      : !i.model.hostLinks.known
        ? `host links unknown: ${i.model.hostLinks.reason}`
        : null,
  run(i) {
    const dev = lookupIn(i.model.routes).find((r) => r.dst === 'default')?.dev;
    const links = lookupIn(i.model.hostLinks);
    const uplink = links.find((l) => l.name === dev);
    if (!uplink?.mtu) return [];
    const limit = uplink.mtu;
    const identity = bridgeIdentities(i.model.networks);
    const big = links.filter((l) => identity(l.name).docker === true && l.mtu !== null && l.mtu > limit);
    const containers = i.vethMap.interfaces.filter(
      (r) => r.mtu !== null && r.mtu > limit && r.mode !== 'container' && (r.driver === 'bridge' || r.mode === 'bridge'),
    );
    if (!big.length && !containers.length) return [];
    const what = [...big.map((l) => `${l.name} ${l.mtu}`), ...(containers.length ? [`${containers.length} container interface(s)`] : [])];
    return [
      finding('mtu', {
        kind: 'mtu-above-uplink',
        subject: uplink.name,
        severity: 'warning',
        title: `MTU larger than the uplink ${uplink.name}'s ${uplink.mtu}: ${what.join(', ')}.`,
        evidence: [
          {
            source: linksSource(i),
            text: `${uplink.name} mtu ${uplink.mtu}; ${big.map((l: Link) => `${l.name} mtu ${l.mtu}`).join('; ')}`,
          },
          ...containers
            .slice(0, 5)
            .map((r) => ({ source: `containers/${r.container}/net.json`, text: `${r.container} ${r.interface} mtu ${r.mtu}` })),
        ],
        why: 'Packets larger than the uplink MTU leaving the host are dropped when Path MTU discovery is blocked: TLS handshakes and large responses hang while small requests work.',
        fix: `set "mtu": ${uplink.mtu} in /etc/docker/daemon.json (default bridge) and -o com.docker.network.driver.mtu=${uplink.mtu} on user networks`,
      }),
    ];
  },
};

function vethEvidence(i: DoctorInputs, v: HostVethRow) {
  const index = v.ifindex === null ? '?' : String(v.ifindex);
  return [
    {
      source: linksSource(i),
      text: `${index}: ${v.name}@if${v.peerIfindex ?? '?'}${v.bridge ? ` master ${v.bridge}` : ''}${v.linkNetnsId !== null ? ` link-netnsid ${v.linkNetnsId}` : ''}`,
    },
    ...(v.note ? [{ source: 'docknet veth-map', text: i.vethWords.hostVeth(v.note) }] : []),
  ];
}

/** Host link listings that carry no addresses. */
const LISTS_NO_ADDRESSES = new Set<string>([FACT.ipLinkJson, FACT.ipLinkText, FACT.ipBriefLink]);

function unownedVeth(i: DoctorInputs, v: HostVethRow): Finding | null {
  if (v.ownerStatus === 'unknown') {
    return finding('veths', {
      kind: 'veth-owner-unknown',
      subject: v.name,
      severity: 'info',
      title: `Host veth ${v.name}'s owner is not in the data, so whether it is a leftover cannot be told.`,
      evidence: vethEvidence(i, v),
      why: "Its container's interfaces, or the container list itself, could not be read (not running as root, or not in the snapshot).",
      fix: `docknet veth-map ${v.name}   # as root, on the live host`,
    });
  }
  if (v.bridge && v.bridgeDocker === true) {
    return findingWithRemedy(
      'veths',
      {
        kind: 'orphan-veth',
        subject: v.name,
        severity: 'warning',
        title: `Host veth ${v.name} on Docker bridge ${v.bridge} belongs to no container.`,
        evidence: vethEvidence(i, v),
        why: 'A leftover from a container that was not cleaned up (daemon crash, killed shim); harmless alone, but leftovers pile up and can hold addresses.',
        fix: `docknet veth-map ${v.name}`,
      },
      `ip link delete ${v.name}`,
      missingForVethRemoval(i.model, v),
    );
  }
  if (!v.bridge) {
    // A veth with an address of its own is a routed link, not a container's end: the uplink of a host
    // that is itself a container or a network namespace (eth0@ifN, as in the lab's Docker 28 host).
    // A link listing (ip link) shows no addresses: then which it is cannot be told, and nothing is said.
    if (!i.model.hostLinks.known || LISTS_NO_ADDRESSES.has(i.model.hostLinks.from)) return null;
    const link = i.model.hostLinks.value.find((l) => l.name === v.name);
    if (link?.addresses.some((a) => a.scope !== 'link' && !a.address.toLowerCase().startsWith('fe80:'))) return null;
    return finding('veths', {
      kind: 'veth-no-bridge',
      subject: v.name,
      severity: 'info',
      title: `Host veth ${v.name} is on no bridge and belongs to no container.`,
      evidence: vethEvidence(i, v),
      why: 'A veth end with no bridge carries no container traffic; another tool may own it.',
      fix: `ip -d link show ${v.name}`,
    });
  }
  return null;
}

/** Bridges that are not Docker's (or cannot be told as such), with what they are for. */
function otherBridges(i: DoctorInputs): Finding[] {
  const identity = bridgeIdentities(i.model.networks);
  const links = lookupIn(i.model.hostLinks);
  // Plain `ip addr` text names no kind: a link others are enslaved to is a bridge too.
  const masters = new Set([...links.map((l) => l.master), ...lookupIn(i.model.bridges).map((b) => b.name)].filter(Boolean));
  // A bridge that cannot be told as Docker's or not has nothing to report.
  const bridges = links.filter((l) => (l.kind === 'bridge' || masters.has(l.name)) && identity(l.name).docker === false);
  return bridges
    .sort((a, c) => naturalCompare(a.name, c.name))
    .map((b) => {
      const id = identity(b.name);
      const by = id.inferred ? ', by its name' : '';
      const what =
        id.foreign === 'libvirt'
          ? `libvirt's bridge (KVM virtual machines' NAT network), not Docker's${by}`
          : id.foreign === 'kubernetes'
            ? `a Kubernetes CNI bridge, not Docker's${by}`
            : 'a bridge no Docker network uses';
      const address = b.addresses[0] ? ` ${b.addresses[0].address}/${b.addresses[0].prefixlen}` : '';
      return finding('veths', {
        kind: 'other-bridge',
        subject: b.name,
        severity: 'info',
        title: `Bridge ${b.name} is ${what}.`,
        evidence: [{ source: linksSource(i), text: `${b.ifindex}: ${b.name} (bridge)${address}` }],
        why: "Other tools' bridges add their own NAT and routes beside Docker's; good to know when reading iptables output.",
        fix: `ip -d link show ${b.name}`,
      });
    });
}

export const veths: Check = {
  id: 'veths',
  title: 'veths and bridges',
  needs: (i) => (i.model.hostLinks.known || i.model.bridges.known ? null : `host links unknown: ${i.model.hostLinks.reason}`),
  partial: (i) =>
    missingOf(
      !i.model.hostLinks.known && `host links unknown: ${i.model.hostLinks.reason}`,
      !i.model.containers.complete.known && `container list unknown: ${i.model.containers.complete.reason}`,
      !i.model.networks.known && `Docker networks unknown: ${i.model.networks.reason}`,
      i.model.hostLinks.known &&
        !i.model.bridges.known &&
        i.model.hostLinks.from.endsWith('.txt') &&
        `${i.model.hostLinks.from} names no link kinds: a bridge with no ports cannot be told`,
    ),
  run(i) {
    const out: Finding[] = [];
    for (const v of i.vethMap.hostVeths) {
      if (v.owner || v.ownerStatus === 'owned') continue;
      const f = unownedVeth(i, v);
      if (f) out.push(f);
    }
    return [...out, ...otherBridges(i)];
  },
};

export const subnetOverlap: Check = {
  id: 'subnet-overlap',
  title: 'Docker subnets against host routes',
  needs: (i) =>
    !i.model.routes.known
      ? `routes unknown: ${i.model.routes.reason}`
      : !i.model.networks.known
        ? `Docker networks unknown: ${i.model.networks.reason}`
        : null,
  run(i) {
    const out: Finding[] = [];
    const identity = bridgeIdentities(i.model.networks);
    const foreign = lookupIn(i.model.routes).filter((r) => r.dst !== 'default' && r.dev && identity(r.dev).docker !== true);
    for (const n of lookupIn(i.model.networks)) {
      for (const s of n.subnets) {
        for (const r of foreign) {
          if (!prefixesOverlap(s.subnet, r.dst)) continue;
          out.push(
            finding('subnet-overlap', {
              kind: 'subnet-overlap',
              subject: `${n.name} ${r.dst}`,
              severity: 'warning',
              title: `Docker network ${n.name} (${s.subnet}) overlaps the host route ${r.dst} via ${r.dev}.`,
              evidence: [
                { source: 'docker/networks.json', text: `${n.name}: ${s.subnet}` },
                { source: 'ip -j route', text: `${r.dst} dev ${r.dev}${r.gateway ? ` via ${r.gateway}` : ''}` },
              ],
              why: 'Hosts in the overlapping range become unreachable from the host or from containers: packets go to the bridge instead.',
              fix: `docker network inspect ${n.name}; move it with --subnet, or set "default-address-pools" in /etc/docker/daemon.json`,
            }),
          );
        }
      }
    }
    return out;
  },
};
