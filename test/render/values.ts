// Small correlated values for the renderer tests, built by hand so each test shows every field it
// renders; and the IOs a report is rendered for: piped, a terminal with colour, a terminal without.
import { memoryIO } from '../../src/cli/io.js';
import type { HostVethRow, InterfaceRow } from '../../src/correlate/veth-map.js';
import type { PortMapping, RuleRef } from '../../src/model/port-path.js';
import { emptySnapshot, type Snapshot } from '../../src/snapshot/snapshot.js';

export const PIPED = () => memoryIO();
export const TTY_COLOUR = () => memoryIO({ isTTY: true, color: true, width: 200 });
/** A terminal with NO_COLOR or --no-color. */
export const TTY_NO_COLOUR = () => memoryIO({ isTTY: true, color: false, width: 200 });

/**
 * The pipe form of the terminal table whose header line starts with `header`: its lines up to the next
 * blank line, columns split at the blanks between them (three or more; no cell holds three), joined by tabs.
 */
export function pipeFormOf(text: string, header: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  if (start < 0) throw new Error(`no table headed ${header} in:\n${text}`);
  for (let i = start; i < lines.length && lines[i] !== ''; i++) lines[i] = (lines[i] as string).split(/ {3,}/).join('\t');
  return lines.join('\n');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape sequences are what is looked for
const ANSI = /\u001b\[[0-9;]*m/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');
export const hasAnsi = (s: string): boolean => s.includes('\u001b[');

export function liveSnapshot(): Snapshot {
  return emptySnapshot({ kind: 'live', location: null });
}

export function savedSnapshot(): Snapshot {
  const s = emptySnapshot({ kind: 'saved', location: 'snaps/host-a.tar.gz' });
  s.takenAt = '2026-11-28T10:00:00.000Z';
  s.hostname = 'host-a';
  return s;
}

export function interfaceRow(over: Partial<InterfaceRow>): InterfaceRow {
  return {
    container: 'web',
    containerId: 'a'.repeat(64),
    shortId: 'aaaaaaaaaaaa',
    state: 'running',
    running: true,
    mode: 'bridge',
    networkMode: 'bridge',
    interface: 'eth0',
    ifindex: 10,
    peerIfindex: 11,
    hostVeth: 'veth1f00e42',
    hostIfindex: 11,
    bridge: 'docker0',
    network: 'bridge',
    driver: 'bridge',
    ipv4: '172.17.0.2/16',
    ipv6: null,
    mac: '02:42:ac:11:00:02',
    mtu: 1500,
    parent: null,
    sharesNetnsWith: null,
    netns: 'net:[4026532281]',
    pairedBy: 'both-sides',
    notes: [],
    ...over,
  };
}

export function hostVethRow(over: Partial<HostVethRow>): HostVethRow {
  return {
    name: 'veth1f00e42',
    ifindex: 11,
    peerIfindex: 10,
    linkNetnsId: 0,
    bridge: 'docker0',
    owner: 'web',
    ownerKind: 'container',
    ownerInterface: 'eth0',
    ownerUnknown: false,
    ownerStatus: 'owned',
    bridgeDocker: true,
    bridgeInferred: false,
    note: null,
    ...over,
  };
}

export function ruleRef(over: Partial<RuleRef>): RuleRef {
  return {
    family: 'ipv4',
    backend: 'nf_tables',
    table: 'nat',
    chain: 'DOCKER',
    number: 2,
    handle: null,
    packets: 6,
    bytes: 312,
    countersExact: true,
    target: 'DNAT',
    text: '-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49154 -j DNAT --to-destination 172.17.0.2:8080',
    hookPath: ['PREROUTING', 'DOCKER'],
    from: 'host/iptables-save.txt',
    ...over,
  };
}

export function mapping(over: Partial<PortMapping>): PortMapping {
  return {
    hostIp: '0.0.0.0',
    hostPort: 49154,
    protocol: 'tcp',
    containerIp: '172.17.0.2',
    containerPort: 8080,
    container: 'web',
    containerId: 'a'.repeat(64),
    network: 'bridge',
    bridge: 'docker0',
    hostVeth: 'veth1f00e42',
    probableHostVeth: null,
    interface: 'eth0',
    rule: ruleRef({}),
    hairpin: null,
    openedBy: null,
    proxy: null,
    via: 'dnat',
    publishedBy: 'NetworkSettings.Ports',
    containerIpFrom: 'endpoint',
    followers: [],
    paths: [
      {
        address: '0.0.0.0:49154/tcp',
        from: 'outside',
        via: 'dnat',
        hops: [
          {
            kind: 'dnat',
            table: { tool: 'iptables', family: 'ipv4', name: 'nat', legacy: false },
            chains: ['PREROUTING', 'DOCKER'],
            to: '172.17.0.2:8080',
            counters: { packets: 6, bytes: 312, exact: true },
          },
          { kind: 'bridge', name: 'docker0' },
          { kind: 'host-veth', name: 'veth1f00e42', probable: false },
          { kind: 'container', name: 'web', interface: null, address: '172.17.0.2:8080' },
        ],
        reason: null,
      },
    ],
    notes: [],
    ...over,
  };
}
