// The reachability matrix as data: each scenario a real packet (from where, to which address and port)
// and the docknet question that asks about it, with what the packet does on each Docker generation and
// each host firewall set-up. The engine test (reach-matrix.test.ts) sends it and checks docknet's answer.
import type { ProbeResult } from '../../lab/probe.js';
import type { GenerationId } from '../../lab/lab-spec.js';

/** Host firewall set-ups, applied inside the engine host's network namespace only (reach-matrix-setups.ts). */
export const SETUP_IDS = ['none', 'ufw', 'docker-user-drop-source', 'docker-user-allow-port', 'docker-user-drop-replies'] as const;
export type SetupId = (typeof SETUP_IDS)[number];

export type From = { kind: 'outside' } | { kind: 'host' } | { kind: 'container'; name: string };

export interface Target {
  ip: string;
  port: number;
  protocol: 'tcp' | 'udp';
}

export interface Scenario {
  id: string;
  what: string;
  from: From;
  to: Target;
  /** What the real packet does: the point of the scenario; a probe that differs fails it (the lab is not what it says). */
  want: ProbeResult;
  /**
   * docknet cannot know it, and says so: the destination is beyond the host, so whether it answers is not a
   * fact of the host (verdict delivered, expect unknown with this reason).
   */
  unknownBecause?: RegExp;
}

/** The addresses a generation's lab has, read from the engine when the test starts. */
export interface LabFacts {
  gen: GenerationId;
  /** The host's end of the client's link: the address a LAN client connects to. */
  lan: string;
  client: string;
  /** The default bridge's gateway: another of the host's own addresses. */
  bridgeGateway: string;
  frontGateway: string;
  internalGateway: string;
  ip: (container: string) => string;
  /** tomcat01's -P host port for 8080/tcp. */
  tomcat01Port: number;
  /** The address beyond the host, in the egress namespace the test makes. */
  egress: string;
}

/** Ports the test itself uses (all free in the lab). */
export const PORTS = {
  /** mx-pub publishes 8080 on the LAN address only. */
  onLan: 18191,
  /** mx-pub publishes 8080 on the default bridge's gateway address only. */
  onOther: 18192,
  /** A TCP listener of the test process on the host, 0.0.0.0. */
  hostListener: 18193,
  /** Nothing listens or is published here. */
  nothing: 18194,
  /** The listener in the egress namespace. */
  egress: 8080,
} as const;

/** Containers the test makes (labelled, removed after). */
export const MX = { pub: 'mx-pub', internal: 'mx-internal' } as const;

const outside: From = { kind: 'outside' };
const host: From = { kind: 'host' };
const ctr = (name: string): From => ({ kind: 'container', name });
const tcp = (ip: string, port: number): Target => ({ ip, port, protocol: 'tcp' });
const udp = (ip: string, port: number): Target => ({ ip, port, protocol: 'udp' });
const BEYOND = /beyond this host/;

/** Every scenario of the "none" set-up, for one generation. */
export function baseScenarios(f: LabFacts): Scenario[] {
  // Docker 28's raw PREROUTING drops a container address from any other interface; 20.10 and 26 filter in FORWARD only.
  const rawDrop = f.gen === '28';
  // Gateway modes came with Docker 27: older engines ignore the option and NAT those networks as any other.
  const gatewayModes = f.gen === '28';
  // The 26 host's FORWARD policy is ACCEPT: its namespace had ip_forward on already, and Docker 26 then leaves the policy
  // alone; 20.10 (the machine's) and 28 have DROP. So on 26 an unpublished container port is open from the LAN.
  const forwardOpen = f.gen === '26';
  return [
    // ---- published ports, from the LAN client ----
    { id: 'pub-any', what: 'outside -> host:49154 (published on 0.0.0.0)', from: outside, to: tcp(f.lan, 49154), want: 'connect' },
    {
      id: 'pub-loopback',
      what: 'outside -> host:8081 (published on 127.0.0.1)',
      from: outside,
      to: tcp(f.lan, 8081),
      want: 'refused',
    },
    { id: 'pub-udp', what: 'outside -> host:5353/udp (published udp)', from: outside, to: udp(f.lan, 5353), want: 'connect' },
    {
      id: 'pub-user-bridge',
      what: 'outside -> host:18080 (lab-web, user bridge)',
      from: outside,
      to: tcp(f.lan, 18080),
      want: 'connect',
    },
    {
      id: 'pub-P',
      what: "outside -> host:tomcat01's -P port",
      from: outside,
      to: tcp(f.lan, f.tomcat01Port),
      want: 'connect',
    },
    {
      id: 'pub-no-listener',
      what: 'outside -> host:7000 (published, nothing listens in the container)',
      from: outside,
      to: tcp(f.lan, 7000),
      want: 'refused',
    },
    {
      id: 'host-nothing',
      what: 'outside -> host:18194 (nothing published or listening)',
      from: outside,
      to: tcp(f.lan, PORTS.nothing),
      want: 'refused',
    },
    {
      id: 'pub-on-lan',
      what: 'outside -> host:18191 (published on the LAN address only)',
      from: outside,
      to: tcp(f.lan, PORTS.onLan),
      want: 'connect',
    },
    {
      id: 'pub-on-other',
      what: "outside -> host:18192 (published on another of the host's addresses)",
      from: outside,
      to: tcp(f.lan, PORTS.onOther),
      want: 'refused',
    },
    {
      id: 'host-service',
      what: 'outside -> host:18193 (a service of the host, 0.0.0.0)',
      from: outside,
      to: tcp(f.lan, PORTS.hostListener),
      want: 'connect',
    },
    // ---- published ports, from the host itself ----
    { id: 'host-lo-any', what: 'host -> 127.0.0.1:49154', from: host, to: tcp('127.0.0.1', 49154), want: 'connect' },
    {
      id: 'host-lo-loopback',
      what: 'host -> 127.0.0.1:8081 (published on 127.0.0.1)',
      from: host,
      to: tcp('127.0.0.1', 8081),
      want: 'connect',
    },
    { id: 'host-lan-any', what: 'host -> LAN address:49154', from: host, to: tcp(f.lan, 49154), want: 'connect' },
    {
      id: 'host-lan-loopback',
      what: 'host -> LAN address:8081 (published on 127.0.0.1)',
      from: host,
      to: tcp(f.lan, 8081),
      want: 'refused',
    },
    { id: 'host-lo-udp', what: 'host -> 127.0.0.1:5353/udp', from: host, to: udp('127.0.0.1', 5353), want: 'connect' },
    {
      id: 'host-on-other',
      what: 'host -> bridge gateway:18192 (published on that address)',
      from: host,
      to: tcp(f.bridgeGateway, PORTS.onOther),
      want: 'connect',
    },
    {
      id: 'host-lan-on-other',
      what: 'host -> LAN address:18192 (published on another address)',
      from: host,
      to: tcp(f.lan, PORTS.onOther),
      want: 'refused',
    },
    // ---- container addresses, from the LAN client ----
    {
      id: 'direct-published',
      what: "outside -> tomcat-tml's address:8080 (a published container port)",
      from: outside,
      to: tcp(f.ip('tomcat-tml'), 8080),
      want: rawDrop ? 'timeout' : 'connect',
    },
    {
      id: 'direct-unpublished',
      what: "outside -> tomcat-tml's address:9090 (unpublished)",
      from: outside,
      to: tcp(f.ip('tomcat-tml'), 9090),
      want: forwardOpen ? 'refused' : 'timeout',
    },
    {
      id: 'direct-user-bridge',
      what: "outside -> lab-web's address:8080 (published)",
      from: outside,
      to: tcp(f.ip('lab-web'), 8080),
      want: rawDrop ? 'timeout' : 'connect',
    },
    {
      id: 'routed-published',
      what: "outside -> lab-routed's address:8080 (routed network, published)",
      from: outside,
      to: tcp(f.ip('lab-routed'), 8080),
      want: 'connect',
    },
    {
      id: 'routed-unpublished',
      what: "outside -> lab-routed's address:9090 (routed network, unpublished)",
      from: outside,
      to: tcp(f.ip('lab-routed'), 9090),
      want: forwardOpen ? 'connect' : 'timeout',
    },
    {
      id: 'routed-udp',
      what: "outside -> lab-routed's address:5354/udp (routed network, published)",
      from: outside,
      to: udp(f.ip('lab-routed'), 5354),
      want: 'connect',
    },
    {
      id: 'routed-host-port',
      what: "outside -> host:18081 (lab-routed's host port)",
      from: outside,
      to: tcp(f.lan, 18081),
      want: gatewayModes ? 'refused' : 'connect',
    },
    {
      id: 'natunprot-published',
      what: "outside -> lab-natunprot's address:8080 (nat-unprotected, published)",
      from: outside,
      to: tcp(f.ip('lab-natunprot'), 8080),
      want: 'connect',
    },
    {
      id: 'natunprot-unpublished',
      what: "outside -> lab-natunprot's address:9090 (nat-unprotected, unpublished)",
      from: outside,
      to: tcp(f.ip('lab-natunprot'), 9090),
      want: gatewayModes || forwardOpen ? 'connect' : 'timeout',
    },
    {
      id: 'natunprot-host-port',
      what: "outside -> host:18082 (lab-natunprot's host port)",
      from: outside,
      to: tcp(f.lan, 18082),
      want: 'connect',
    },
    {
      id: 'direct-internal',
      what: "outside -> lab-internal's address:8080 (--internal)",
      from: outside,
      to: tcp(f.ip('lab-internal'), 8080),
      want: 'timeout',
    },
    {
      id: 'direct-noicc',
      what: "outside -> lab-noicc-a's address:8080 (enable_icc=false)",
      from: outside,
      to: tcp(f.ip('lab-noicc-a'), 8080),
      want: forwardOpen ? 'connect' : 'timeout',
    },
    // ---- container addresses, from the host ----
    { id: 'host-ctr', what: 'host -> tomcat-tml:8080', from: host, to: tcp(f.ip('tomcat-tml'), 8080), want: 'connect' },
    {
      id: 'host-ctr-closed',
      what: 'host -> tomcat-tml:9090 (nothing listens)',
      from: host,
      to: tcp(f.ip('tomcat-tml'), 9090),
      want: 'refused',
    },
    {
      id: 'host-internal',
      what: 'host -> lab-internal:8080 (--internal)',
      from: host,
      to: tcp(f.ip('lab-internal'), 8080),
      want: 'connect',
    },
    {
      id: 'host-noicc',
      what: 'host -> lab-noicc-a:9090 (enable_icc=false)',
      from: host,
      to: tcp(f.ip('lab-noicc-a'), 9090),
      want: 'connect',
    },
    // ---- container to container ----
    {
      id: 'c2c-bridge',
      what: 'lab-multi -> lab-web:8080 (one user bridge)',
      from: ctr('lab-multi'),
      to: tcp(f.ip('lab-web'), 8080),
      want: 'connect',
    },
    {
      id: 'c2c-default',
      what: 'tomcat01 -> tomcat-tml:8080 (default bridge)',
      from: ctr('tomcat01'),
      to: tcp(f.ip('tomcat-tml'), 8080),
      want: 'connect',
    },
    {
      id: 'c2c-closed',
      what: 'tomcat01 -> tomcat-tml:9090 (one bridge, nothing listens)',
      from: ctr('tomcat01'),
      to: tcp(f.ip('tomcat-tml'), 9090),
      want: 'refused',
    },
    {
      id: 'c2c-across',
      what: 'lab-multi -> tomcat-tml:8080 (across bridges)',
      from: ctr('lab-multi'),
      to: tcp(f.ip('tomcat-tml'), 8080),
      want: 'timeout',
    },
    {
      id: 'c2c-across-routed',
      what: 'lab-web -> lab-routed:8080 (across bridges, to a routed network)',
      from: ctr('lab-web'),
      to: tcp(f.ip('lab-routed'), 8080),
      // A routed network's published port is open to every interface; on older engines the isolation chains drop it.
      want: gatewayModes ? 'connect' : 'timeout',
    },
    {
      id: 'c2c-noicc',
      what: 'lab-noicc-a -> lab-noicc-b:8080 (enable_icc=false)',
      from: ctr('lab-noicc-a'),
      to: tcp(f.ip('lab-noicc-b'), 8080),
      want: 'timeout',
    },
    {
      id: 'c2c-internal',
      what: 'mx-internal -> lab-internal:8080 (one --internal bridge)',
      from: ctr(MX.internal),
      to: tcp(f.ip('lab-internal'), 8080),
      want: 'connect',
    },
    {
      id: 'c2c-published-lan',
      what: "lab-multi -> host's LAN address:49154 (a published port, from a container)",
      from: ctr('lab-multi'),
      to: tcp(f.lan, 49154),
      want: 'connect',
    },
    // ---- container to the host ----
    {
      id: 'c2h-service',
      what: 'lab-web -> its gateway:18193 (a service of the host)',
      from: ctr('lab-web'),
      to: tcp(f.frontGateway, PORTS.hostListener),
      want: 'connect',
    },
    {
      id: 'c2h-nothing',
      what: 'lab-web -> its gateway:18194 (nothing listens)',
      from: ctr('lab-web'),
      to: tcp(f.frontGateway, PORTS.nothing),
      want: 'refused',
    },
    {
      id: 'c2h-internal',
      what: 'lab-internal -> its gateway:18193 (--internal, a service of the host)',
      from: ctr('lab-internal'),
      to: tcp(f.internalGateway, PORTS.hostListener),
      want: 'connect',
    },
    {
      id: 'c2h-default',
      what: 'tomcat-tml -> docker0 gateway:18193',
      from: ctr('tomcat-tml'),
      to: tcp(f.bridgeGateway, PORTS.hostListener),
      want: 'connect',
    },
    // ---- egress to an address beyond the host ----
    {
      id: 'egress-user-bridge',
      what: 'lab-web -> 198.18.x.2:8080 (beyond the host)',
      from: ctr('lab-web'),
      to: tcp(f.egress, PORTS.egress),
      want: 'connect',
      unknownBecause: BEYOND,
    },
    {
      id: 'egress-default',
      what: 'tomcat-tml -> 198.18.x.2:8080 (beyond the host)',
      from: ctr('tomcat-tml'),
      to: tcp(f.egress, PORTS.egress),
      want: 'connect',
      unknownBecause: BEYOND,
    },
    {
      id: 'egress-noicc',
      what: 'lab-noicc-a -> 198.18.x.2:8080 (enable_icc=false, beyond the host)',
      from: ctr('lab-noicc-a'),
      to: tcp(f.egress, PORTS.egress),
      want: 'connect',
      unknownBecause: BEYOND,
    },
    {
      id: 'egress-routed',
      what: 'lab-routed -> 198.18.x.2:8080 (routed: no NAT; the far side routes back)',
      from: ctr('lab-routed'),
      to: tcp(f.egress, PORTS.egress),
      want: 'connect',
      unknownBecause: BEYOND,
    },
    {
      id: 'egress-internal',
      what: 'lab-internal -> 198.18.x.2:8080 (--internal)',
      from: ctr('lab-internal'),
      to: tcp(f.egress, PORTS.egress),
      // 28 gives an --internal endpoint no gateway (no default route: ENETUNREACH); 20.10 gives one, and FORWARD drops it.
      want: f.gen === '20.10' ? 'timeout' : 'unreachable',
    },
  ];
}

/** What a set-up changes: `as-none` keeps the packet's fate without a set-up (it is decided before, or apart from, the set-up's rules). */
type SetupWant = ProbeResult | 'as-none';

/** The scenarios of a set-up, by id, with what the packet does under it on this generation. */
export function setupWants(setup: Exclude<SetupId, 'none'>, f: LabFacts): Readonly<Record<string, SetupWant>> {
  switch (setup) {
    // Debian's ufw, default deny incoming and routed: Docker's FORWARD rules come first, so published ports stay open;
    // what goes to the host itself (INPUT) is dropped.
    case 'ufw':
      return {
        'pub-any': 'as-none',
        'pub-loopback': 'timeout',
        'pub-udp': 'as-none',
        'pub-user-bridge': 'as-none',
        'pub-on-lan': 'as-none',
        'host-nothing': 'timeout',
        'host-service': 'timeout',
        'direct-published': 'as-none',
        'routed-published': 'as-none',
        // On 28 the routed network's host port is only docker-proxy's IPv6 socket: INPUT drops it; older engines DNAT it.
        'routed-host-port': f.gen === '28' ? 'timeout' : 'as-none',
        // ufw's FORWARD policy DROP closes what only an ACCEPT policy opened (26); 28's nat-unprotected ACCEPT rule comes first.
        'natunprot-unpublished': f.gen === '28' ? 'connect' : 'timeout',
        'host-lo-any': 'connect',
        'host-lan-any': 'connect',
        'c2c-bridge': 'connect',
        'c2c-noicc': 'timeout',
        'c2h-service': 'timeout',
        'c2h-default': 'timeout',
        'egress-user-bridge': 'connect',
        'egress-routed': 'connect',
      };
    // DOCKER-USER: -s <the LAN client> -j DROP.
    case 'docker-user-drop-source':
      return {
        'pub-any': 'timeout',
        'pub-udp': 'timeout',
        'pub-loopback': 'refused',
        'routed-published': 'timeout',
        'natunprot-unpublished': 'timeout',
        'host-service': 'connect',
        'host-lan-any': 'connect',
        'c2c-bridge': 'connect',
        'egress-user-bridge': 'connect',
      };
    // DOCKER-USER: from the LAN, tcp to container port 8080 RETURNs to Docker's rules; everything else from the LAN drops.
    case 'docker-user-allow-port':
      return {
        'pub-any': 'connect',
        'pub-udp': 'timeout',
        'pub-user-bridge': 'connect',
        'routed-published': 'connect',
        'routed-unpublished': 'timeout',
        'natunprot-published': 'connect',
        'natunprot-unpublished': 'timeout',
        'host-service': 'connect',
        'egress-user-bridge': 'connect',
      };
    // DOCKER-USER: -d <the LAN client> -m conntrack --ctstate ESTABLISHED -j DROP. The requests pass; what the containers
    // answer (a SYN-ACK, a reset, a UDP reply) is dropped on its way back, so the client waits. Replies of the host's own
    // (INPUT, OUTPUT) never pass FORWARD; 28's raw drops stop the requests before.
    case 'docker-user-drop-replies':
      return {
        'pub-any': 'timeout',
        'pub-udp': 'timeout',
        'pub-user-bridge': 'timeout',
        'pub-no-listener': 'timeout',
        'pub-on-lan': 'timeout',
        'host-service': 'as-none',
        'host-nothing': 'as-none',
        'direct-published': 'timeout',
        'direct-unpublished': 'timeout',
        'routed-published': 'timeout',
        'routed-udp': 'timeout',
        // On 28 only docker-proxy's IPv6 socket holds the routed network's host port: the host refuses it itself.
        'routed-host-port': f.gen === '28' ? 'as-none' : 'timeout',
        'natunprot-published': 'timeout',
        'natunprot-host-port': 'timeout',
        'c2c-bridge': 'as-none',
        'egress-user-bridge': 'as-none',
      };
  }
}
