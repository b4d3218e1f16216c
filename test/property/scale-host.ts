// Generates a large Docker host as a snapshot: N containers, each with a veth pair on one of a few
// bridge networks, and about M nat rules. Every shape is copied from a real capture (inspect and
// network JSON of the lab, `ip -j -d addr` of a live host, DNAT/MASQUERADE lines of the seed's
// `iptables -t nat -vnL` and a live `iptables-save`), with names, indexes, addresses and ports varied.
import { readFileSync } from 'node:fs';
import { FACT, emptySnapshot, type Snapshot } from '../../src/snapshot/snapshot.js';
import { repoPath } from '../repo-path.js';

// The fixtures are read as loose JSON and reshaped; the parsers under test check every field.
type Json = Record<string, any>;

export interface ScaleHost {
  containers: number;
  /** nat rules written (DNAT + MASQUERADE per publication, per-network MASQUERADE and RETURN, two jumps), in each listing. */
  natRules: number;
  /** `docker inspect` of every container, compact as the gatherer stores it. */
  containersJson: string;
  networksJson: string;
  /** `ip -j -d addr` of the host. */
  hostLinksJson: string;
  /** docknet's net.json of each container, by name. */
  containerNet: Map<string, string>;
  iptablesSave: string;
  /** `iptables -t nat -vnL` of the same rules. */
  iptablesNatText: string;
  /** All of the above as a live-looking snapshot. */
  snapshot: Snapshot;
}

const read = (rel: string): string => readFileSync(repoPath(rel), 'utf8');
const clone = <T>(v: T): T => structuredClone(v);

interface Templates {
  container: Json;
  network: Json;
  lo: Json;
  bridge: Json;
  veth: Json;
  saveDnat: string;
  saveMasq: string;
  saveNetMasq: string;
  listDnat: string;
  listMasq: string;
  listNetMasq: string;
  listReturn: string;
  listJump: string;
  listOutputJump: string;
}

let cached: Templates | null = null;

function templates(): Templates {
  if (cached) return cached;
  const inspect = JSON.parse(read('test/property/fixtures/lab-engine/containers-inspect.json')) as Json[];
  const networks = JSON.parse(read('test/property/fixtures/lab-engine/networks.json')) as Json[];
  const links = JSON.parse(read('test/fixtures/live-debian12-docker20.10/host-ip-j-d-addr.json')) as Json[];
  const save = read('test/fixtures/live-debian12-docker20.10/iptables-save.txt').split('\n');
  const list = read('test/fixtures/seed/iptables-nat.txt').split('\n');
  const find = <T>(items: T[], pred: (x: T) => boolean, what: string): T => {
    const hit = items.find(pred);
    if (hit === undefined) throw new Error(`scale-host: no ${what} in the fixtures`);
    return hit;
  };
  cached = {
    container: find(inspect, (c) => c.Name === '/tomcat-tml', 'tomcat-tml inspect'),
    network: find(networks, (n) => n.Name === 'bridge', 'bridge network'),
    lo: find(links, (l) => l.ifname === 'lo', 'lo link'),
    bridge: find(links, (l) => l.ifname === 'docker0', 'docker0 link'),
    veth: find(links, (l) => l.linkinfo?.info_kind === 'veth', 'veth link'),
    saveDnat: find(
      save,
      (l) => /^-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49154 -j DNAT --to-destination 172\.17\.0\.3:8080$/.test(l),
      'DNAT line',
    ),
    saveMasq: find(
      save,
      (l) => /^-A POSTROUTING -s 172\.17\.0\.3\/32 -d 172\.17\.0\.3\/32 -p tcp -m tcp --dport 8080 -j MASQUERADE$/.test(l),
      'MASQUERADE line',
    ),
    saveNetMasq: find(save, (l) => l === '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', 'network MASQUERADE line'),
    listDnat: find(list, (l) => /DNAT .*dpt:49154 to:172\.17\.0\.3:8080$/.test(l), 'DNAT -L line'),
    listMasq: find(list, (l) => /MASQUERADE {2}tcp .*172\.17\.0\.3 +172\.17\.0\.3 +tcp dpt:8080$/.test(l), 'MASQUERADE -L line'),
    listNetMasq: find(list, (l) => /MASQUERADE {2}all .*!docker0 {2}172\.17\.0\.0\/16/.test(l), 'network MASQUERADE -L line'),
    listReturn: find(list, (l) => /RETURN {5}all {2}-- {2}docker0 /.test(l), 'RETURN -L line'),
    listJump: find(list, (l) => /DOCKER .*0\.0\.0\.0\/0 +ADDRTYPE/.test(l), 'PREROUTING jump -L line'),
    listOutputJump: find(list, (l) => /DOCKER .*!127\.0\.0\.0\/8 +ADDRTYPE/.test(l), 'OUTPUT jump -L line'),
  };
  return cached;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0').slice(-width);
const macOf = (i: number): string =>
  `02:42:${hex(10 + (i >> 16), 2)}:${hex((i >> 8) & 0xff, 2)}:${hex(i & 0xff, 2)}:${hex((i * 7) & 0xff, 2)}`.toLowerCase();

/** `-L` columns are padded: keep the template's column widths when a value gets longer or shorter. */
function swap(line: string, from: string, to: string): string {
  const at = line.indexOf(from);
  if (at < 0) throw new Error(`scale-host: "${from}" not in template "${line}"`);
  const pad = from.length > to.length ? ' '.repeat(from.length - to.length) : '';
  let rest = line.slice(at + from.length);
  // A longer value eats the blanks after it, as iptables' own padding would.
  if (to.length > from.length) rest = rest.replace(new RegExp(`^ {0,${to.length - from.length}}`), '');
  return `${line.slice(0, at)}${to}${pad}${rest}`;
}

/** A host with n containers and about m nat rules (2 per publication, ports spread over the containers). */
export function scaleHost(n: number, m: number): ScaleHost {
  const t = templates();
  const bridges = Math.max(1, Math.ceil(n / 250));
  const perContainer = Math.max(1, Math.ceil((m - 2 * bridges) / 2 / n));

  const nets: Json[] = [];
  const bridgeLinks: Json[] = [];
  for (let b = 0; b < bridges; b++) {
    const net = clone(t.network);
    net.Id = hex(0xb000 + b, 4).repeat(16);
    net.Name = b === 0 ? 'bridge' : `scale-net-${b}`;
    net.Options = { ...net.Options, 'com.docker.network.bridge.name': b === 0 ? 'docker0' : `br-${net.Id.slice(0, 12)}` };
    net.IPAM = { ...net.IPAM, Config: [{ Subnet: `172.${17 + b}.0.0/16`, Gateway: `172.${17 + b}.0.1` }] };
    net.Containers = {};
    nets.push(net);
    const link = clone(t.bridge);
    link.ifindex = 3 + b;
    link.ifname = net.Options['com.docker.network.bridge.name'];
    link.address = macOf(0xfff000 + b);
    link.addr_info = [{ family: 'inet', local: `172.${17 + b}.0.1`, prefixlen: 16, scope: 'global', label: link.ifname }];
    bridgeLinks.push(link);
  }

  const containers: Json[] = [];
  const hostVeths: Json[] = [];
  const containerNet = new Map<string, string>();
  const saveDocker: string[] = [];
  const savePost: string[] = [];
  const listDocker: string[] = [];
  const listPost: string[] = [];
  for (let b = 0; b < bridges; b++) {
    const br = bridgeLinks[b]!.ifname as string;
    savePost.push(t.saveNetMasq.replace('172.17.0.0/16', `172.${17 + b}.0.0/16`).replace('docker0', br));
    listPost.push(swap(swap(t.listNetMasq, '172.17.0.0/16', `172.${17 + b}.0.0/16`), '!docker0', `!${br}`));
  }
  let nextHostPort = 10000;
  for (let i = 0; i < n; i++) {
    const b = i % bridges;
    const net = nets[b]!;
    const br = bridgeLinks[b]!.ifname as string;
    const k = Math.floor(i / bridges) + 2;
    const ip = `172.${17 + b}.${k >> 8}.${k & 0xff}`;
    const name = `scale-${i}`;
    const id = `${hex(i, 8)}${'c0ffee'.repeat(10)}`.slice(0, 64);
    const mac = macOf(i);
    const containerIfindex = 1000 + 2 * i;
    const hostIfindex = 1001 + 2 * i;
    const c = clone(t.container);
    c.Id = id;
    c.Name = `/${name}`;
    c.State = { ...c.State, Pid: 100000 + i, Running: true, Status: 'running' };
    c.HostConfig = { ...c.HostConfig, NetworkMode: net.Name === 'bridge' ? 'default' : net.Name, PortBindings: {} };
    const endpoint = {
      ...c.NetworkSettings.Networks.bridge,
      NetworkID: net.Id,
      EndpointID: hex(i, 8).repeat(8),
      IPAddress: ip,
      Gateway: `172.${17 + b}.0.1`,
      MacAddress: mac,
    };
    c.NetworkSettings = {
      ...c.NetworkSettings,
      Networks: { [net.Name]: endpoint },
      Ports: {},
      IPAddress: net.Name === 'bridge' ? ip : '',
      MacAddress: net.Name === 'bridge' ? mac : '',
    };
    c.Config = { ...c.Config, ExposedPorts: {}, Labels: { 'scale.index': String(i) } };
    net.Containers[id] = { Name: name, EndpointID: endpoint.EndpointID, MacAddress: mac, IPv4Address: `${ip}/16`, IPv6Address: '' };
    for (let p = 0; p < perContainer; p++) {
      const port = 8000 + p;
      const hostPort = nextHostPort++;
      const key = `${port}/tcp`;
      c.NetworkSettings.Ports[key] = [{ HostIp: '0.0.0.0', HostPort: String(hostPort) }];
      c.HostConfig.PortBindings[key] = [{ HostIp: '', HostPort: String(hostPort) }];
      c.Config.ExposedPorts[key] = {};
      saveDocker.push(t.saveDnat.replace('docker0', br).replace('49154', String(hostPort)).replace('172.17.0.3:8080', `${ip}:${port}`));
      savePost.push(t.saveMasq.replaceAll('172.17.0.3', ip).replace('8080', String(port)));
      listDocker.push(
        swap(swap(swap(t.listDnat, '!docker0', `!${br}`), 'dpt:49154', `dpt:${hostPort}`), 'to:172.17.0.3:8080', `to:${ip}:${port}`),
      );
      listPost.push(swap(swap(swap(t.listMasq, '172.17.0.3', ip), '172.17.0.3', ip), 'dpt:8080', `dpt:${port}`));
    }
    containers.push(c);

    const veth = clone(t.veth);
    veth.ifindex = hostIfindex;
    veth.link_index = containerIfindex;
    veth.ifname = `veth${hex(i * 2654435761, 7)}`;
    veth.master = br;
    veth.link_netnsid = i;
    veth.address = macOf(0x800000 + i);
    veth.addr_info = [{ ...veth.addr_info[0], local: `fe80::${hex(i, 4)}:ff:fe00:1` }];
    hostVeths.push(veth);
    containerNet.set(
      name,
      JSON.stringify({
        pid: 100000 + i,
        netns: `net:[${4026540000 + i}]`,
        via: 'sysfs',
        interfaces: [{ name: 'eth0', ifindex: containerIfindex, iflink: hostIfindex, mac, mtu: 1500, operstate: null }],
        error: null,
      }),
    );
  }

  const eth0 = {
    ...clone(t.bridge),
    ifindex: 2,
    ifname: 'eth0',
    linkinfo: undefined,
    address: '52:54:00:12:34:56',
    addr_info: [{ family: 'inet', local: '192.0.2.2', prefixlen: 24, scope: 'global' }],
  };
  const hostLinks = [clone(t.lo), eth0, ...bridgeLinks, ...hostVeths];

  const iptablesSave = [
    '# Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 28 12:00:00 2026',
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ':DOCKER - [0:0]',
    '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
    '-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER',
    ...savePost,
    ...bridgeLinks.map((l) => `-A DOCKER -i ${l.ifname} -j RETURN`),
    ...saveDocker,
    'COMMIT',
    '# Completed on Sat Nov 28 12:00:00 2026',
    '',
  ].join('\n');
  const header = ' pkts bytes target     prot opt in     out     source               destination         ';
  const iptablesNatText = [
    'Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)',
    header,
    t.listJump,
    '',
    'Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)',
    header,
    t.listOutputJump,
    '',
    'Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)',
    header,
    ...listPost,
    '',
    'Chain DOCKER (2 references)',
    header,
    ...bridgeLinks.map((l) => swap(t.listReturn, 'docker0', l.ifname as string)),
    ...listDocker,
    '',
  ].join('\n');

  const containersJson = JSON.stringify(containers);
  const networksJson = JSON.stringify(nets);
  const hostLinksJson = JSON.stringify(hostLinks);
  const snapshot = emptySnapshot({ kind: 'live', location: null });
  const put = (path: string, text: string, what: string): void => {
    snapshot.facts.set(path, { path, text, origin: { kind: 'file', what } });
  };
  put(FACT.containers, containersJson, 'scale-host generator');
  put(FACT.networks, networksJson, 'scale-host generator');
  put(FACT.ipAddrJson, hostLinksJson, 'scale-host generator');
  put(FACT.hostNetns, 'net:[4026531840]\n', 'scale-host generator');
  put(FACT.iptablesSave, iptablesSave, 'scale-host generator');
  put(FACT.iptablesNat, iptablesNatText, 'scale-host generator');
  for (const [name, text] of containerNet) put(FACT.containerNet(name), text, 'scale-host generator');

  return {
    containers: n,
    natRules: iptablesSave.split('\n').filter((l) => l.startsWith('-A ')).length,
    containersJson,
    networksJson,
    hostLinksJson,
    containerNet,
    iptablesSave,
    iptablesNatText,
    snapshot,
  };
}
