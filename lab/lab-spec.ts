// What the lab builds, as data: every name, address, port and label, so lab.ts and tests share one truth.

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
export const LAB_STATE_FILE = '/tmp/docknet-lab-state.json';

/** Log of a dockerd started by ensureEngine(). */
export const DOCKERD_LOG = '/tmp/docknet-dockerd.log';

/** The port httpd listens on inside every web container, as in the seed's tomcat. */
export const HTTP_PORT = 8080;

export const NET = {
  /** User bridge with a custom Linux bridge name (com.docker.network.bridge.name). */
  front: { name: 'docknet-lab-net', subnet: '10.213.0.0/24', gateway: '10.213.0.1', bridgeName: 'dnlab0' },
  /** User bridge with Docker's default br-<id> name. */
  back: { name: 'docknet-lab-back', subnet: '10.213.1.0/24', gateway: '10.213.1.1' },
  macvlan: { name: 'docknet-lab-macvlan', subnet: '10.214.0.0/24', gateway: '10.214.0.1' },
  overlay: { name: 'docknet-lab-overlay', subnet: '10.216.0.0/24', gateway: '10.216.0.1' },
} as const;

/** Host interfaces the lab adds itself; both isolated, with no path to eth0. */
export const IFACE = {
  /** Parent of the macvlan network. */
  macvlanParent: 'dnlab-dummy0',
  /** Carries the swarm advertise address so swarm traffic never leaves the machine. */
  swarm: 'dnlab-swarm0',
} as const;

export const SWARM_ADDR = '10.215.0.1';
export const SWARM_ADDR_CIDR = `${SWARM_ADDR}/32`;
/** Subnets the swarm hands out itself (ingress), kept in an unlikely range instead of 10.0.0.0/8. */
export const SWARM_ADDR_POOL = '10.217.0.0/16';
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
];

/** Containers whose absence means the lab is not up (the optional ones depend on the kernel/engine). */
export const CORE_CONTAINERS: readonly string[] = CONTAINERS.filter((c) => !c.needs).map((c) => c.name);
