// What the lab builds, as data: every name, address, port and label, so lab.ts and tests share one truth.
// The lab exists once per Docker generation (lab/hosts.ts makes each newer engine its own host, in its
// own network namespace); this process works on the one DOCKNET_TEST_ENGINE names (default 20.10).

export const GENERATION_IDS = ['20.10', '26', '28'] as const;
export type GenerationId = (typeof GENERATION_IDS)[number];

/** Addresses of one generation's lab; each generation's differ, so no two hosts' subnets ever collide. */
interface LabAddresses {
  front: string;
  back: string;
  /** The /24s of the gateway-mode, internal and icc=false networks (x.y.z without the last part). */
  internal: string;
  noIcc: string;
  routed: string;
  natUnprotected: string;
  macvlan: string;
  overlay: string;
  swarmAddr: string;
  swarmPool: string;
}

export interface Generation {
  id: GenerationId;
  /** Debian suite the engine's packages are fetched from; null for the system's own docker.io. */
  suite: 'trixie' | 'sid' | null;
  /** The upstream version the suite must hold (checked after the fetch: suites move on). */
  versionPrefix: string;
  /** Network namespace the engine runs in; null: the root namespace, as a normal install. */
  netns: string | null;
  /** The engine's socket. */
  socket: string;
  /** Veth from the root namespace into the host's: its "LAN"; eth0 inside, as on a real host. */
  uplink: { rootEnd: string; hostEnd: string; rootAddr: string; hostAddr: string; prefix: number } | null;
  /** dockerd --bip and --default-address-pool; null: the engine's defaults (172.17.0.0/16, ...). */
  bip: string | null;
  addressPool: string | null;
  lab: LabAddresses;
  /** The client namespace beyond the host's uplink, a LAN machine that routes the host's container subnets to it. */
  outside: OutsideSpec;
}

/**
 * A client beyond the host: namespace `netns`, joined by a veth (`hostEnd` on the host, `eth0` inside)
 * to the host's namespace, with routes to the host's container subnets via the host and nothing else.
 */
export interface OutsideSpec {
  netns: string;
  hostEnd: string;
  clientEnd: string;
  hostAddr: string;
  clientAddr: string;
  prefix: number;
  /** The container subnets the client routes via the host (and the only ones the host forwards for it). */
  routes: string[];
  /** ip rule priorities in the host's namespace: `allow` lets `routes` through, `deny` the rest. */
  rulePriority: { allow: number; deny: number };
}

function outsideSpec(n: number, routes: string[]): OutsideSpec {
  return {
    netns: `docknet-out${n}`,
    hostEnd: 'dnlab-lan0',
    clientEnd: 'eth0',
    hostAddr: `10.219.${n}.5`,
    clientAddr: `10.219.${n}.6`,
    prefix: 30,
    routes,
    rulePriority: { allow: 21700 + n, deny: 21800 + n },
  };
}

/** Debian's packages hold these generations: bookworm's docker.io (the system's), trixie's and sid's. */
export const GENERATIONS: Readonly<Record<GenerationId, Generation>> = {
  '20.10': {
    id: '20.10',
    suite: null,
    versionPrefix: '20.10.',
    netns: null,
    socket: '/var/run/docker.sock',
    uplink: null,
    bip: null,
    addressPool: null,
    lab: {
      front: '10.213.0',
      back: '10.213.1',
      internal: '10.213.2',
      noIcc: '10.213.3',
      routed: '10.213.4',
      natUnprotected: '10.213.5',
      macvlan: '10.214.0',
      overlay: '10.216.0',
      swarmAddr: '10.215.0.1',
      swarmPool: '10.217.0.0/16',
    },
    // The system engine's default bridge and pools (172.17-31) and the lab's own 10.213 networks.
    outside: outsideSpec(20, ['172.16.0.0/12', '10.213.0.0/16']),
  },
  '26': netnsGeneration('26', 'trixie', '26.1.', 30),
  '28': netnsGeneration('28', 'sid', '28.5.', 20),
};

/**
 * A generation that runs as its own host: namespace docknet-e<id>, uplink 10.219.<id>.0/30, and every
 * subnet of its engine and lab in 10.(200+base+k): 28 uses 10.220-10.229, 26 uses 10.230-10.239.
 */
function netnsGeneration(id: '26' | '28', suite: 'trixie' | 'sid', versionPrefix: string, base: number): Generation {
  const o = (k: number) => `10.${200 + base + k}`;
  // 10.(200+base) .. 10.(200+base+9) as CIDR prefixes (28: 10.220-10.229; 26: 10.230-10.239).
  const routes = base % 4 === 0 ? [`${o(0)}.0.0/14`, `${o(4)}.0.0/14`, `${o(8)}.0.0/15`] : [`${o(0)}.0.0/15`, `${o(2)}.0.0/13`];
  return {
    id,
    suite,
    versionPrefix,
    netns: `docknet-e${id}`,
    socket: `/run/docknet-engines/${id}/docker.sock`,
    uplink: { rootEnd: `dn-e${id}`, hostEnd: 'eth0', rootAddr: `10.219.${id}.1`, hostAddr: `10.219.${id}.2`, prefix: 30 },
    bip: `${o(8)}.0.1/16`,
    addressPool: `base=${o(9)}.0.0/16,size=24`,
    lab: {
      front: `${o(3)}.0`,
      back: `${o(3)}.1`,
      internal: `${o(3)}.2`,
      noIcc: `${o(3)}.3`,
      routed: `${o(3)}.4`,
      natUnprotected: `${o(3)}.5`,
      macvlan: `${o(4)}.0`,
      overlay: `${o(6)}.0`,
      swarmAddr: `${o(5)}.0.1`,
      swarmPool: `${o(7)}.0.0/16`,
    },
    outside: outsideSpec(Number(id), routes),
  };
}

/** The variable naming the generation a lab or test process works on. */
export const GENERATION_ENV = 'DOCKNET_TEST_ENGINE';

/** "28", "28.5", "28.5.2" -> 28; "20", "20.10" -> 20.10; null when it names no generation. */
export function generationId(text: string): GenerationId | null {
  const t = text.trim();
  if (/^20(\.10(\.\d+)?)?$/.test(t)) return '20.10';
  if (/^26(\.1(\.\d+)?)?$/.test(t)) return '26';
  if (/^28(\.5(\.\d+)?)?$/.test(t)) return '28';
  return null;
}

/** The generation DOCKNET_TEST_ENGINE names (unset: 20.10, the system's engine); throws on a value that names none. */
export function currentGeneration(env: NodeJS.ProcessEnv = process.env): Generation {
  const raw = env[GENERATION_ENV]?.trim();
  if (!raw) return GENERATIONS['20.10'];
  const id = generationId(raw);
  if (!id) throw new Error(`${GENERATION_ENV}=${raw} names no Docker generation the lab has (${GENERATION_IDS.join(', ')})`);
  return GENERATIONS[id];
}

/** The generation of this process: chosen once, at start, by its environment. */
export const GENERATION = currentGeneration();
const suffix = GENERATION.id === '20.10' ? '' : `-${GENERATION.id}`;

/** Every container, network and service of the lab carries this label; `down` removes by it. */
export const LAB_LABEL = 'docknet.lab';
export const LAB_LABEL_VALUE = '1';
export const LAB_FILTER = `label=${LAB_LABEL}=${LAB_LABEL_VALUE}`;

/** Containers and networks made by tests carry `docknet.test=<run id>`; `lab down` removes them all. */
export const TEST_LABEL = 'docknet.test';

/** Set on the test image. Not LAB_LABEL or TEST_LABEL: containers inherit image labels. */
export const IMAGE_LABEL = 'docknet.image';

/** Built offline from the host's static busybox by ensureImage(). */
export const LAB_IMAGE = 'docknet-test/busybox:latest';

/** Where `up` records what it did (swarm, fallbacks, skips) for `status` and `down`. */
export const LAB_STATE_FILE = `/tmp/docknet-lab-state${suffix}.json`;

/** Log of a dockerd started by ensureEngine(). */
export const DOCKERD_LOG = `/tmp/docknet-dockerd${suffix}.log`;

/** One lab operation at a time per generation (tests and people may both run it). */
export const LAB_LOCK_DIR = `/tmp/docknet-lab${suffix}.lock`;

/** The port httpd listens on inside every web container, as in the seed's tomcat. */
export const HTTP_PORT = 8080;

const A = GENERATION.lab;
export const NET = {
  /** User bridge with a custom Linux bridge name (com.docker.network.bridge.name). */
  front: { name: 'docknet-lab-net', subnet: `${A.front}.0/24`, gateway: `${A.front}.1`, bridgeName: 'dnlab0' },
  /** User bridge with Docker's default br-<id> name. */
  back: { name: 'docknet-lab-back', subnet: `${A.back}.0/24`, gateway: `${A.back}.1` },
  macvlan: { name: 'docknet-lab-macvlan', subnet: `${A.macvlan}.0/24`, gateway: `${A.macvlan}.1` },
  overlay: { name: 'docknet-lab-overlay', subnet: `${A.overlay}.0/24`, gateway: `${A.overlay}.1` },
  /** `--internal`: no gateway out of the host, no NAT. */
  internal: { name: 'docknet-lab-internal', subnet: `${A.internal}.0/24`, gateway: `${A.internal}.1`, bridgeName: 'dnlab-int' },
  /** com.docker.network.bridge.enable_icc=false: containers on it may not talk to each other. */
  noIcc: { name: 'docknet-lab-noicc', subnet: `${A.noIcc}.0/24`, gateway: `${A.noIcc}.1`, bridgeName: 'dnlab-noicc' },
  /** gateway_mode_ipv4=routed (Docker 27+): no NAT, container addresses routed, published ports opened in the filter table. */
  routed: { name: 'docknet-lab-routed', subnet: `${A.routed}.0/24`, gateway: `${A.routed}.1`, bridgeName: 'dnlab-routed' },
  /** gateway_mode_ipv4=nat-unprotected (Docker 27+): NAT, without the protection of unpublished container ports. */
  natUnprotected: {
    name: 'docknet-lab-natunprot',
    subnet: `${A.natUnprotected}.0/24`,
    gateway: `${A.natUnprotected}.1`,
    bridgeName: 'dnlab-nunp',
  },
} as const;

/** Bridge-network options (`--opt`) the lab passes to every generation; one that predates an option ignores it. */
export const NET_OPTS: Readonly<Record<'internal' | 'noIcc' | 'routed' | 'natUnprotected', readonly string[]>> = {
  internal: [],
  noIcc: ['com.docker.network.bridge.enable_icc=false'],
  routed: ['com.docker.network.bridge.gateway_mode_ipv4=routed'],
  natUnprotected: ['com.docker.network.bridge.gateway_mode_ipv4=nat-unprotected'],
};

/** Host interfaces the lab adds itself; both isolated, with no path to eth0. */
export const IFACE = {
  /** Parent of the macvlan network. */
  macvlanParent: 'dnlab-dummy0',
  /** Carries the swarm advertise address so swarm traffic never leaves the machine. */
  swarm: 'dnlab-swarm0',
} as const;

export const SWARM_ADDR = A.swarmAddr;
export const SWARM_ADDR_CIDR = `${SWARM_ADDR}/32`;
/** Subnets the swarm hands out itself (ingress), kept in an unlikely range instead of 10.0.0.0/8. */
export const SWARM_ADDR_POOL = A.swarmPool;
/** Node label meaning "the lab ran `docker swarm init`", so `down` leaves only a swarm it made. */
export const SWARM_NODE_LABEL = 'docknet.lab.swarm';

export const C = {
  tomcat01: 'tomcat01',
  tomcatTml: 'tomcat-tml',
  web: 'lab-web',
  multi: 'lab-multi',
  host: 'lab-host',
  none: 'lab-none',
  sidecar: 'lab-sidecar',
  macvlan: 'lab-macvlan',
  overlay: 'lab-overlay',
  internal: 'lab-internal',
  noIccA: 'lab-noicc-a',
  noIccB: 'lab-noicc-b',
  routed: 'lab-routed',
  natUnprotected: 'lab-natunprot',
} as const;

export const SERVICE = { name: 'lab-svc', publishedPort: 18090, targetPort: HTTP_PORT } as const;

/** tomcat-tml's fixed publications, the odd shapes `docker port` and iptables show. */
export const TOMCAT_TML_PORTS = {
  tcp: 49154,
  udp: 5353,
  range: [7000, 7001] as const,
  loopback: { hostIp: '127.0.0.1', hostPort: 8081 },
} as const;

/** lab-web's publication; below the ephemeral range so `-P` can never take it. */
export const LAB_WEB_PORT = 18080;

/** A second TCP port every listening container of the gateway-mode networks serves, published by none. */
export const UNPUBLISHED_PORT = 9090;

/** lab-routed's publications: TCP to HTTP_PORT, and a UDP port (its responder is started by the tests that use it). */
export const LAB_ROUTED_PORTS = { tcp: 18081, udp: 5354 } as const;

/** lab-natunprot's publication. */
export const LAB_NAT_UNPROTECTED_PORT = 18082;

export type Optional = 'macvlan' | 'overlay';

export interface ContainerSpec {
  name: string;
  /** `--network` value for `docker run`. */
  network: string;
  /** More networks joined afterwards with `docker network connect`. */
  connect?: string[];
  /** `-p` values. */
  publish?: string[];
  /** Extra `docker run` flags (kept as an argument array). */
  flags?: string[];
  /** Serves /www/index.html on HTTP_PORT; otherwise just sleeps. */
  httpd: boolean;
  /** More TCP ports httpd serves besides HTTP_PORT. */
  alsoListen?: number[];
  /** Depends on a part of the lab that may be unavailable here; then it is skipped, not failed. */
  needs?: Optional;
}

/**
 * Containers in creation order. tomcat-tml comes before tomcat01 so that `-P` cannot be handed
 * 49154 first; the sidecar comes after the container whose namespace it joins.
 */
export const CONTAINERS: readonly ContainerSpec[] = [
  {
    name: C.tomcatTml,
    network: 'bridge',
    publish: [
      `${TOMCAT_TML_PORTS.tcp}:${HTTP_PORT}`,
      `${TOMCAT_TML_PORTS.udp}:${TOMCAT_TML_PORTS.udp}/udp`,
      `${TOMCAT_TML_PORTS.range[0]}-${TOMCAT_TML_PORTS.range[1]}:${TOMCAT_TML_PORTS.range[0]}-${TOMCAT_TML_PORTS.range[1]}`,
      `${TOMCAT_TML_PORTS.loopback.hostIp}:${TOMCAT_TML_PORTS.loopback.hostPort}:${HTTP_PORT}`,
    ],
    httpd: true,
  },
  { name: C.tomcat01, network: 'bridge', flags: ['-P', '--expose', String(HTTP_PORT)], httpd: true },
  { name: C.web, network: NET.front.name, publish: [`${LAB_WEB_PORT}:${HTTP_PORT}`], httpd: true },
  { name: C.multi, network: NET.front.name, connect: [NET.back.name], httpd: false },
  { name: C.host, network: 'host', httpd: false },
  { name: C.none, network: 'none', httpd: false },
  { name: C.sidecar, network: `container:${C.tomcat01}`, httpd: false },
  {
    name: C.macvlan,
    network: NET.macvlan.name,
    // No IPv6: no router solicitations or DAD probes out of the macvlan, even onto a dummy parent.
    flags: ['--sysctl', 'net.ipv6.conf.all.disable_ipv6=1'],
    httpd: false,
    needs: 'macvlan',
  },
  { name: C.overlay, network: NET.overlay.name, httpd: false, needs: 'overlay' },
  { name: C.internal, network: NET.internal.name, httpd: true, alsoListen: [UNPUBLISHED_PORT] },
  { name: C.noIccA, network: NET.noIcc.name, httpd: true, alsoListen: [UNPUBLISHED_PORT] },
  { name: C.noIccB, network: NET.noIcc.name, httpd: true, alsoListen: [UNPUBLISHED_PORT] },
  {
    name: C.routed,
    network: NET.routed.name,
    publish: [`${LAB_ROUTED_PORTS.tcp}:${HTTP_PORT}`, `${LAB_ROUTED_PORTS.udp}:${LAB_ROUTED_PORTS.udp}/udp`],
    httpd: true,
    alsoListen: [UNPUBLISHED_PORT],
  },
  {
    name: C.natUnprotected,
    network: NET.natUnprotected.name,
    publish: [`${LAB_NAT_UNPROTECTED_PORT}:${HTTP_PORT}`],
    httpd: true,
    alsoListen: [UNPUBLISHED_PORT],
  },
];

/** Containers whose absence means the lab is not up (the optional ones depend on the kernel/engine). */
export const CORE_CONTAINERS: readonly string[] = CONTAINERS.filter((c) => !c.needs).map((c) => c.name);

/** `docker network create` of an attachable overlay labelled `label` (the lab's or the swarm lab's); `extra` before its name. */
export function overlayCreateArgs(name: string, subnet: string, label: string, extra: readonly string[] = []): string[] {
  return ['network', 'create', '--driver', 'overlay', '--attachable', '--subnet', subnet, '--label', label, ...extra, name];
}
