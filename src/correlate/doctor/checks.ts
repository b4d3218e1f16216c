// docknet doctor's checks: each a small pure function over the correlated facts of one host.
import type { Evidence, Finding, CheckOutcome, Severity } from '../../model/finding.js';
import type { Link } from '../../model/link.js';
import type { DockerProxy, ListeningSocket, NatReport } from '../../model/port-path.js';
import type { HostModel } from '../../parse/host-model.js';
import type { Route } from '../../parse/ip-route-json.js';
import type { VethMap } from '../veth-map.js';
import { naturalCompare } from '../../util/natural-compare.js';
import { cidrsOverlap } from '../../util/cidr.js';

export interface HostSettings {
  sysctl: Record<string, string | null>;
  modules: Record<string, boolean>;
}

export interface DoctorInputs {
  model: HostModel;
  vethMap: VethMap;
  nat: NatReport | null;
  settings: HostSettings | null;
  routes: Route[] | null;
  /** GET /info of the engine. */
  engineInfo: Record<string, unknown> | null;
  /** Rule counts per iptables backend: `iptables-legacy-save` and `iptables-nft-save`, null when not readable. */
  backends: { legacy: string | null; nft: string | null } | null;
  hostListeners: ListeningSocket[] | null;
  proxies: DockerProxy[] | null;
  /** Warnings the engine printed (GET /info Warnings, or a saved `docker run` output): evidence where settings are unknown. */
  warnings: Evidence[];
}

export interface Check {
  id: string;
  title: string;
  /** A reason the check cannot run on these inputs, or null. */
  needs(i: DoctorInputs): string | null;
  run(i: DoctorInputs): Finding[];
}

function finding(check: string, severity: Severity, title: string, evidence: Evidence[], why: string, fix: string): Finding {
  return { check, severity, title, evidence, why, fix };
}

const SYSCTL_SOURCE = (name: string) => `/proc/sys/${name.replace(/\./g, '/')}`;

// Docker's own bridge names, used when the data has no network list to say which bridges are Docker's.
const DOCKER_BRIDGE_NAME = /^(docker0|docker_gwbridge|br-[0-9a-f]{12})$/;

function dockerBridgesOf(i: DoctorInputs): (name: string) => boolean {
  if (!i.model.networks) return (name) => DOCKER_BRIDGE_NAME.test(name);
  const names = new Set(i.model.networks.map((n) => n.bridgeName).filter(Boolean));
  return (name) => names.has(name);
}

const linksSource = (i: DoctorInputs) => i.model.hostLinksFrom ?? 'ip';

const FORWARDING_WARNING = /IPv4 forwarding is disabled/i;

const forwarding: Check = {
  id: 'forwarding',
  title: 'IP forwarding',
  needs: (i) =>
    i.settings || i.warnings.some((w) => FORWARDING_WARNING.test(w.text))
      ? null
      : 'kernel settings (/proc/sys) are not in the data: forwarding unknown',
  run(i) {
    const out: Finding[] = [];
    const v4 = i.settings?.sysctl['net.ipv4.ip_forward'];
    const warned = i.warnings.filter((w) => FORWARDING_WARNING.test(w.text));
    if (v4 === '0' || (v4 === undefined && warned.length)) {
      const evidence = v4 === '0' ? [{ source: SYSCTL_SOURCE('net.ipv4.ip_forward'), text: 'net.ipv4.ip_forward = 0' }, ...warned] : warned;
      out.push(
        finding(
          'forwarding',
          'error',
          `IPv4 forwarding is off${v4 === '0' ? '' : ' (the engine said so; the sysctl itself is not in the data)'}: containers cannot reach outside the host, and published ports are unreachable from other machines.`,
          evidence,
          'Packets between a bridge and the uplink are routed by the host; with forwarding off the kernel drops them (Docker warns "IPv4 forwarding is disabled. Networking will not work.").',
          'sysctl -w net.ipv4.ip_forward=1 (and set it in /etc/sysctl.d/ to persist)',
        ),
      );
    }
    const ipv6Nets = (i.model.networks ?? []).filter(
      (n) => n.options['com.docker.network.enable_ipv6'] === 'true' || n.subnets.some((s) => s.subnet.includes(':')),
    );
    if (ipv6Nets.length && i.settings?.sysctl['net.ipv6.conf.all.forwarding'] === '0') {
      out.push(
        finding(
          'forwarding',
          'error',
          `IPv6 forwarding is off while ${ipv6Nets.length} Docker network(s) have IPv6.`,
          [
            { source: SYSCTL_SOURCE('net.ipv6.conf.all.forwarding'), text: 'net.ipv6.conf.all.forwarding = 0' },
            {
              source: 'docker/networks.json',
              text: ipv6Nets.map((n) => `${n.name}: ${n.subnets.map((s) => s.subnet).join(', ')}`).join('; '),
            },
          ],
          'IPv6 traffic from those networks is not routed off the host.',
          'sysctl -w net.ipv6.conf.all.forwarding=1',
        ),
      );
    }
    return out;
  },
};

const brNetfilter: Check = {
  id: 'br-netfilter',
  title: 'bridge netfilter',
  needs: (i) => (i.settings ? null : 'kernel settings (/proc/sys, /sys/module) are not in the data'),
  run(i) {
    const bridges = (i.model.networks ?? []).filter((n) => n.driver === 'bridge');
    if (!bridges.length) return [];
    if (!i.settings?.modules.br_netfilter) {
      return [
        finding(
          'br-netfilter',
          'warning',
          'The br_netfilter module is not loaded: iptables rules do not see traffic between containers on the same bridge.',
          [{ source: '/sys/module/br_netfilter', text: 'absent' }],
          'Docker relies on it for inter-container isolation (icc=false) and for rules on bridged traffic; without it such rules silently do nothing.',
          'modprobe br_netfilter',
        ),
      ];
    }
    const v = i.settings.sysctl['net.bridge.bridge-nf-call-iptables'];
    if (v === '0') {
      return [
        finding(
          'br-netfilter',
          'warning',
          'net.bridge.bridge-nf-call-iptables is 0: bridged traffic bypasses iptables.',
          [{ source: SYSCTL_SOURCE('net.bridge.bridge-nf-call-iptables'), text: 'net.bridge.bridge-nf-call-iptables = 0' }],
          'Rules Docker writes for traffic between containers on one bridge (icc=false, published-port hairpin) are skipped.',
          'sysctl -w net.bridge.bridge-nf-call-iptables=1',
        ),
      ];
    }
    return [];
  },
};

/** The rule lines of an iptables-save dump, with or without `-c` counters ("[12:720] -A ..."). */
function ruleLines(save: string | null): string[] {
  return (save ?? '')
    .split('\n')
    .map((l) => l.replace(/^\[\d+:\d+\]\s+/, ''))
    .filter((l) => l.startsWith('-A '));
}

const backends: Check = {
  id: 'iptables-backends',
  title: 'iptables backends',
  needs: (i) => (i.backends || i.nat ? null : 'neither iptables backend could be read (needs root and iptables)'),
  run(i) {
    const out: Finding[] = [];
    if (i.nat?.backend === 'nftables') {
      out.push(
        finding(
          'iptables-backends',
          'info',
          "Docker's firewall backend is nftables: its rules live in nftables tables (docker-bridges), and iptables listings show none of them, by design.",
          [{ source: 'nft ruleset', text: 'tables ip/ip6 docker-bridges' }],
          'Tools and people reading `iptables -t nat -L` will find no Docker rules.',
          'nft list table ip docker-bridges',
        ),
      );
    }
    if (!i.backends) return out;
    const legacy = ruleLines(i.backends.legacy);
    const nft = ruleLines(i.backends.nft);
    const dockerIn = (lines: string[]) => lines.some((l) => /^-A DOCKER\b/.test(l));
    const [withDocker, other, otherName, dockerName] = dockerIn(nft)
      ? [nft, legacy, 'legacy', 'nf_tables']
      : [legacy, nft, 'nf_tables', 'legacy'];
    if (dockerIn(withDocker) && other.length > 0) {
      out.push(
        finding(
          'iptables-backends',
          'warning',
          `Docker's rules are in the ${dockerName} backend, while the ${otherName} backend also holds ${other.length} rule(s).`,
          [{ source: `iptables-${otherName === 'legacy' ? 'legacy' : 'nft'}-save`, text: other.slice(0, 3).join('\n') }],
          "Both backends filter packets, but each tool shows only its own: a firewall (or a person) using the other backend does not see Docker's rules, and rules there can drop container traffic unseen.",
          `iptables-${otherName === 'legacy' ? 'legacy' : 'nft'}-save   # then move those rules to one backend (update-alternatives --config iptables)`,
        ),
      );
    }
    return out;
  },
};

const mtu: Check = {
  id: 'mtu',
  title: 'MTU against the uplink',
  needs: (i) => (!i.routes ? 'routes (`ip route`) are not in the data' : !i.model.hostLinks ? 'host links are not in the data' : null),
  run(i) {
    const dev = i.routes?.find((r) => r.dst === 'default')?.dev;
    const links = i.model.hostLinks ?? [];
    const uplink = links.find((l) => l.name === dev);
    if (!uplink?.mtu) return [];
    const isDocker = dockerBridgesOf(i);
    const big = links.filter((l) => isDocker(l.name) && l.mtu !== null && l.mtu > (uplink.mtu as number));
    const containers = i.vethMap.interfaces.filter(
      (r) => r.mtu !== null && r.mtu > (uplink.mtu as number) && r.mode !== 'container' && (r.driver === 'bridge' || r.mode === 'bridge'),
    );
    if (!big.length && !containers.length) return [];
    return [
      finding(
        'mtu',
        'warning',
        `MTU larger than the uplink ${uplink.name}'s ${uplink.mtu}: ${[...big.map((l) => `${l.name} ${l.mtu}`), ...(containers.length ? [`${containers.length} container interface(s)`] : [])].join(', ')}.`,
        [
          {
            source: linksSource(i),
            text: `${uplink.name} mtu ${uplink.mtu}; ${big.map((l: Link) => `${l.name} mtu ${l.mtu}`).join('; ')}`,
          },
          ...containers
            .slice(0, 5)
            .map((r) => ({ source: `containers/${r.container}/net.json`, text: `${r.container} ${r.interface} mtu ${r.mtu}` })),
        ],
        'Packets larger than the uplink MTU leaving the host are dropped when Path MTU discovery is blocked: TLS handshakes and large responses hang while small requests work.',
        `set "mtu": ${uplink.mtu} in /etc/docker/daemon.json (default bridge) and -o com.docker.network.driver.mtu=${uplink.mtu} on user networks`,
      ),
    ];
  },
};

const natAnomalies: Check = {
  id: 'nat',
  title: 'NAT rules and docker-proxy',
  needs: (i) => (!i.nat ? 'NAT facts are not in the data' : !i.nat.available ? `NAT rules unavailable: ${i.nat.reason}` : null),
  run(i) {
    const out: Finding[] = [];
    for (const a of i.nat?.anomalies ?? []) {
      if (a.kind === 'stale-rule') {
        out.push(
          finding(
            'nat',
            a.confirmed ? 'warning' : 'info',
            a.text,
            a.rule ? [{ source: a.rule.from, text: a.rule.text }] : [],
            'A DNAT rule to an address no container has sends that port into nothing (or to whichever container gets the address next).',
            a.rule
              ? `iptables -t ${a.rule.table} -D ${a.rule.chain} ${a.rule.number}   # after checking: iptables -t ${a.rule.table} -L ${a.rule.chain} --line-numbers -n`
              : 'iptables -t nat -L DOCKER --line-numbers -n',
          ),
        );
      } else if (a.kind === 'missing-rule') {
        out.push(
          finding(
            'nat',
            a.proxyServes ? 'warning' : 'error',
            a.text,
            [{ source: 'docker/containers.json', text: `${a.container ?? '?'} publishes ${a.hostIp ?? ''}:${a.hostPort}/${a.protocol}` }],
            a.proxyServes
              ? 'Only docker-proxy serves it: traffic works, but client addresses are lost and it is slower.'
              : 'Nothing forwards the port: connections are refused or time out.',
            `docker restart ${a.container ?? '<container>'}   # Docker rewrites its rules; or restart dockerd`,
          ),
        );
      }
    }
    const live = new Set((i.model.containers ?? []).flatMap((c) => c.endpoints.map((e) => e.ipv4?.split('/')[0])).filter(Boolean));
    for (const p of i.proxies ?? []) {
      if (live.has(p.containerIp) || !i.model.containers) continue;
      const forwards = `docker-proxy pid ${p.pid} forwards ${p.hostIp}:${p.hostPort}/${p.proto} to ${p.containerIp}:${p.containerPort}`;
      const evidence = [{ source: `/proc/${p.pid}/cmdline`, text: p.argv.join(' ') }];
      // A kill only with proof that the process is this host's: its namespace read and equal to the host's.
      if (p.thisHost !== true) {
        out.push(
          finding(
            'nat',
            'info',
            `${forwards}, which no container has; its network namespace is unknown, so whether it is this host's (or another engine's) cannot be told.`,
            evidence,
            "docker-proxy processes of another engine (rootless Docker, an engine in another network namespace) are in this /proc too; only one in this host's namespace is this host's leftover.",
            `readlink /proc/${p.pid}/ns/net /proc/self/ns/net   # as root: the same namespace means it is this host's`,
          ),
        );
        continue;
      }
      out.push(
        finding(
          'nat',
          'warning',
          `${forwards}, which no container has.`,
          [...evidence, { source: `/proc/${p.pid}/ns/net`, text: `${p.netns} (this host's)` }],
          'A leftover proxy holds the host port, so a new container cannot publish it, and connections go nowhere.',
          `kill ${p.pid}   # after checking: ps -fp ${p.pid}`,
        ),
      );
    }
    const other = i.nat?.otherNetnsProxies;
    if (other?.count) {
      out.push(
        finding(
          'nat',
          'info',
          `${other.count} docker-proxy process(es) of other network namespaces were seen and left out: another engine's, not this host's.`,
          other.namespaces.map((ns) => ({ source: '/proc/<pid>/ns/net', text: `${ns} (this host: ${i.model.hostNetns ?? 'unknown'})` })),
          "Every network namespace's processes are in /proc; a docker-proxy of another namespace serves that namespace's engine.",
          'nsenter --net=/proc/<pid>/ns/net -- docknet nat   # with DOCKER_HOST set to that engine, to see its ports',
        ),
      );
    }
    return out;
  },
};

const veths: Check = {
  id: 'veths',
  title: 'veths and bridges',
  needs: (i) => (i.model.hostLinks ? null : 'host links are not in the data'),
  run(i) {
    const out: Finding[] = [];
    const isDocker = dockerBridgesOf(i);
    for (const v of i.vethMap.hostVeths) {
      if (v.owner) continue;
      if (v.ownerUnknown) {
        out.push(
          finding(
            'veths',
            'info',
            `Host veth ${v.name}'s owner is not in the data, so whether it is a leftover cannot be told.`,
            [{ source: 'docknet veth-map', text: v.note ?? '' }],
            "Its container's interfaces could not be read (not running as root, or not in the snapshot).",
            `docknet veth-map ${v.name}   # as root, on the live host`,
          ),
        );
        continue;
      }
      if (v.bridge && isDocker(v.bridge)) {
        out.push(
          finding(
            'veths',
            'warning',
            `Host veth ${v.name} on Docker bridge ${v.bridge} belongs to no container.`,
            [
              {
                source: linksSource(i),
                text: `${v.ifindex}: ${v.name}@if${v.peerIfindex ?? '?'} master ${v.bridge}${v.linkNetnsId !== null ? ` link-netnsid ${v.linkNetnsId}` : ''}`,
              },
              ...(v.note ? [{ source: 'docknet veth-map', text: v.note }] : []),
            ],
            'A leftover from a container that was not cleaned up (daemon crash, killed shim); harmless alone, but leftovers pile up and can hold addresses.',
            `docknet veth-map ${v.name}   # then, if truly orphaned: ip link delete ${v.name}`,
          ),
        );
      } else if (!v.bridge) {
        out.push(
          finding(
            'veths',
            'info',
            `Host veth ${v.name} is on no bridge and belongs to no container.`,
            [{ source: linksSource(i), text: `${v.ifindex}: ${v.name}@if${v.peerIfindex ?? '?'}` }],
            'A veth end with no bridge carries no container traffic; another tool may own it.',
            `ip -d link show ${v.name}`,
          ),
        );
      }
    }
    // Plain `ip addr` text names no kind: a link others are enslaved to is a bridge too.
    const masters = new Set((i.model.hostLinks ?? []).map((l) => l.master).filter(Boolean));
    const bridges = (i.model.hostLinks ?? []).filter((l) => (l.kind === 'bridge' || masters.has(l.name)) && !isDocker(l.name));
    for (const b of bridges.sort((a, c) => naturalCompare(a.name, c.name))) {
      const what = /^virbr/.test(b.name)
        ? "libvirt's bridge (KVM virtual machines' NAT network), not Docker's"
        : /^cni|^cbr|^flannel|^weave|^kube/.test(b.name)
          ? "a Kubernetes CNI bridge, not Docker's"
          : 'a bridge no Docker network uses';
      out.push(
        finding(
          'veths',
          'info',
          `Bridge ${b.name} is ${what}.`,
          [
            {
              source: linksSource(i),
              text: `${b.ifindex}: ${b.name} (bridge)${b.addresses[0] ? ` ${b.addresses[0].address}/${b.addresses[0].prefixlen}` : ''}`,
            },
          ],
          "Other tools' bridges add their own NAT and routes beside Docker's; good to know when reading iptables output.",
          `ip -d link show ${b.name}`,
        ),
      );
    }
    return out;
  },
};

const portClash: Check = {
  id: 'port-clash',
  title: 'published port clashes',
  needs: (i) => (i.model.containers ? null : 'no container list in the data'),
  run(i) {
    const out: Finding[] = [];
    const seen = new Map<string, string[]>();
    for (const c of i.model.containers ?? []) {
      if (!c.running) continue;
      for (const [key, bindings] of Object.entries(c.ports)) {
        for (const b of bindings ?? []) {
          const k = `${b.hostIp || '0.0.0.0'}:${b.hostPort}/${key.split('/')[1] ?? 'tcp'}`;
          seen.set(k, [...(seen.get(k) ?? []), c.name]);
        }
      }
    }
    for (const [k, names] of seen) {
      const unique = [...new Set(names)];
      if (unique.length > 1)
        out.push(
          finding(
            'port-clash',
            'error',
            `${unique.join(' and ')} both publish ${k}.`,
            [{ source: 'docker/containers.json', text: unique.map((n) => `${n}: ${k}`).join('; ') }],
            'Only one can receive the traffic; which one depends on rule order.',
            `docker port ${unique[0]}; docker port ${unique[1]}`,
          ),
        );
    }
    const published = new Set([...seen.keys()].map((k) => k.replace(/^.*:(\d+)\/(\w+)$/, '$1/$2')));
    // docker-proxy's own sockets are the publication itself: same address, port and protocol.
    const proxySockets = new Set((i.proxies ?? []).map((p) => `${p.hostIp}:${p.hostPort}/${p.proto}`));
    for (const l of i.hostListeners ?? []) {
      const key = `${l.port}/${l.protocol}`;
      if (published.has(key) && !proxySockets.has(`${l.ip}:${l.port}/${l.protocol}`)) {
        out.push(
          finding(
            'port-clash',
            'warning',
            `A host process (or host-mode container) listens on ${l.ip}:${l.port}/${l.protocol}, a port Docker also publishes.`,
            [{ source: `/proc/net/${l.protocol}${l.family === 'ipv6' ? '6' : ''}`, text: `${l.ip}:${l.port} inode ${l.inode ?? '?'}` }],
            'Traffic from outside is DNATed to the container before it reaches the host process; local clients may reach either.',
            `ss -lntup 'sport = :${l.port}'`,
          ),
        );
      }
    }
    return out;
  },
};

const subnetOverlap: Check = {
  id: 'subnet-overlap',
  title: 'Docker subnets against host routes',
  needs: (i) => (!i.routes ? 'routes (`ip route`) are not in the data' : !i.model.networks ? 'Docker networks are not in the data' : null),
  run(i) {
    const out: Finding[] = [];
    const isDocker = dockerBridgesOf(i);
    const foreign = (i.routes ?? []).filter((r) => r.dst !== 'default' && r.dev && !isDocker(r.dev));
    for (const n of i.model.networks ?? []) {
      for (const s of n.subnets) {
        for (const r of foreign) {
          if (cidrsOverlap(s.subnet, r.dst)) {
            out.push(
              finding(
                'subnet-overlap',
                'warning',
                `Docker network ${n.name} (${s.subnet}) overlaps the host route ${r.dst} via ${r.dev}.`,
                [
                  { source: 'docker/networks.json', text: `${n.name}: ${s.subnet}` },
                  { source: 'ip -j route', text: `${r.dst} dev ${r.dev}${r.gateway ? ` via ${r.gateway}` : ''}` },
                ],
                'Hosts in the overlapping range become unreachable from the host or from containers: packets go to the bridge instead.',
                `docker network inspect ${n.name}; move it with --subnet, or set "default-address-pools" in /etc/docker/daemon.json`,
              ),
            );
          }
        }
      }
    }
    return out;
  },
};

const rootless: Check = {
  id: 'rootless',
  title: 'rootless Docker / Docker Desktop',
  needs: (i) => (i.engineInfo ? null : 'engine info (GET /info) is not in the data'),
  run(i) {
    const info = i.engineInfo ?? {};
    const secopts = Array.isArray(info.SecurityOptions) ? (info.SecurityOptions as unknown[]).map(String) : [];
    const os = String(info.OperatingSystem ?? '');
    if (secopts.some((s) => s.includes('name=rootless'))) {
      return [
        finding(
          'rootless',
          'info',
          "The engine runs rootless: containers live in a user namespace behind slirp4netns/RootlessKit, not on the host's network.",
          [{ source: 'GET /info SecurityOptions', text: secopts.join(', ') }],
          "Host commands (ip, iptables) see the host, not the rootless network: veths and NAT rules docknet reads on the host are not the containers'. Container-side facts are still right.",
          'nsenter -U --preserve-credentials -n -t $(cat $XDG_RUNTIME_DIR/docker.pid) ip addr',
        ),
      ];
    }
    if (/Docker Desktop/i.test(os)) {
      return [
        finding(
          'rootless',
          'info',
          "The engine is Docker Desktop: containers run in a VM, so this host's interfaces and rules are not theirs.",
          [{ source: 'GET /info OperatingSystem', text: os }],
          "docknet can show what the Engine API says, not the VM's veths or NAT rules.",
          'docker run --rm --privileged --pid=host alpine nsenter -t 1 -n ip addr',
        ),
      ];
    }
    return [];
  },
};

const defaultBridgeDns: Check = {
  id: 'default-bridge-dns',
  title: 'name resolution on the default bridge',
  needs: (i) => (i.model.containers ? null : 'no container list in the data'),
  run(i) {
    const on = (i.model.containers ?? []).filter((c) => c.running && c.endpoints.some((e) => e.network === 'bridge'));
    if (on.length < 2) return [];
    const names = on.map((c) => c.name).sort(naturalCompare);
    return [
      finding(
        'default-bridge-dns',
        'info',
        `${on.length} containers share the default bridge, where they cannot reach each other by name.`,
        [{ source: 'docker/containers.json', text: names.join(', ') }],
        'The default bridge has no embedded DNS: `ping tomcat01` fails from tomcat-tml, only IPs work (and those change on restart).',
        'docker network create app && docker network connect app <container>   # names resolve on user-defined networks',
      ),
    ];
  },
};

export const CHECKS: Check[] = [
  forwarding,
  brNetfilter,
  backends,
  mtu,
  natAnomalies,
  veths,
  portClash,
  subnetOverlap,
  rootless,
  defaultBridgeDns,
];

export function runChecks(inputs: DoctorInputs, checks: Check[] = CHECKS): CheckOutcome[] {
  return checks.map((c) => {
    const missing = c.needs(inputs);
    if (missing) return { check: c.id, title: c.title, status: 'skipped', reason: missing, findings: [] };
    return { check: c.id, title: c.title, status: 'ran', reason: null, findings: c.run(inputs) };
  });
}
