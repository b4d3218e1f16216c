// Reads the container-side facts of a snapshot: docknet's own net.json, or a pasted `ip addr`.
import type { ContainerIface, ContainerNetFacts } from '../model/container-net.js';
import { isUnknownCause } from '../model/fact.js';
import type { Link } from '../model/link.js';
import { issue, splitLines, type ParseIssue, type Parsed } from '../model/parsed.js';
import { jsonPreview } from './json-preview.js';

type Json = Record<string, unknown>;

const IGMP_DEVICE_LINE = /^(\d+)\s+(\S+)\s*:/;
// "\t\t\t\t010000E0     1 0:00000000\t\t0": a multicast group joined by the device above.
const IGMP_GROUP_LINE = /^\s+[0-9A-Fa-f]{8}\s+\d+\s+\d+:[0-9A-Fa-f]{8}\s+\d+\s*$/;

/** /proc/<pid>/net/igmp lists every device of the namespace with its index ("2\teth0 : 1 V3"). */
export function parseProcNetIgmp(text: string): Parsed<ContainerIface[]> {
  const value: ContainerIface[] = [];
  const issues: ParseIssue[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('Idx') || IGMP_GROUP_LINE.test(line)) return;
    const m = IGMP_DEVICE_LINE.exec(line);
    if (m) value.push({ name: m[2] as string, ifindex: Number(m[1]), iflink: null, mac: null, mtu: null, operstate: null });
    else issues.push(issue(i + 1, line, 'not a device line of /proc/net/igmp'));
  });
  return { value, issues };
}

function intOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}
function strOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function parseContainerNetJson(text: string): Parsed<ContainerNetFacts | null> {
  let raw: Json;
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('expected an object');
    raw = v as Json;
  } catch (err) {
    return { value: null, issues: [issue(0, text.slice(0, 80), `not a docknet net.json: ${(err as Error).message}`)] };
  }
  const issues: ParseIssue[] = [];
  const interfaces: ContainerIface[] = [];
  if (Array.isArray(raw.interfaces)) {
    for (const item of raw.interfaces) {
      const it = (item ?? {}) as Json;
      const name = strOrNull(it.name);
      if (!name) {
        issues.push(issue(0, jsonPreview(item).slice(0, 80), 'interface without a name: skipped'));
        continue;
      }
      interfaces.push({
        name,
        ifindex: intOrNull(it.ifindex),
        iflink: intOrNull(it.iflink),
        mac: strOrNull(it.mac)?.toLowerCase() ?? null,
        mtu: intOrNull(it.mtu),
        operstate: strOrNull(it.operstate),
      });
    }
  }
  const via = raw.via === 'sysfs' || raw.via === 'proc-net' || raw.via === 'ip-addr-text' ? raw.via : null;
  if (via === 'proc-net' && typeof raw.procNetIgmp === 'string') {
    const igmp = parseProcNetIgmp(raw.procNetIgmp);
    interfaces.push(...igmp.value);
    issues.push(...igmp.issues);
  }
  return {
    value: {
      pid: intOrNull(raw.pid) ?? 0,
      netns: strOrNull(raw.netns),
      via,
      interfaces,
      error: strOrNull(raw.error),
      ...(isUnknownCause(raw.errorCause) ? { errorCause: raw.errorCause } : {}),
    },
    issues,
  };
}

/** A container's pasted `ip addr` as container-side facts: names, indexes and peers, no namespace id. */
export function containerNetFromLinks(links: Link[]): ContainerNetFacts {
  return {
    pid: 0,
    netns: null,
    via: 'ip-addr-text',
    interfaces: links.map((l) => ({
      name: l.name,
      ifindex: l.ifindex,
      // `ip` prints "@ifN" only for a peer in another namespace, and "lo" has its own index as iflink.
      iflink: l.peerIfindex ?? (l.peerName ? null : l.ifindex),
      mac: l.mac,
      mtu: l.mtu,
      operstate: l.state,
      addresses: l.addresses.map((a) => `${a.address}/${a.prefixlen}`),
    })),
    error: null,
  };
}
