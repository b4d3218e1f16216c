// Doctor checks of published ports: stale and missing NAT rules, leftover docker-proxy processes,
// two publications of one host port, host processes on a published port.
import type { Finding } from '../../model/finding.js';
import { hostAddress, type NatAnomaly } from '../../model/port-path.js';
import { normaliseHostIp } from '../../util/address.js';
import { finding, findingWithRemedy, missingOf, type Check, type DoctorInputs } from './inputs.js';
import { addressesInUse, missingForProxyKill, missingForRuleDelete } from './proof.js';

function staleRule(i: DoctorInputs, a: NatAnomaly): Finding {
  const r = a.rule;
  const look = r ? `iptables -t ${r.table} -L ${r.chain} --line-numbers -n` : 'iptables -t nat -L DOCKER --line-numbers -n';
  const text = {
    kind: 'stale-rule',
    subject: r ? `${r.table} ${r.chain} ${r.number}` : `${a.hostIp}:${a.hostPort}`,
    severity: a.confirmed ? ('warning' as const) : ('info' as const),
    title: i.natWords.anomaly(a),
    evidence: r ? [{ source: r.from, text: r.text }] : [],
    why: 'A DNAT rule to an address no container has sends that port into nothing (or to whichever container gets the address next).',
    fix: look,
  };
  if (!r) return finding('nat', text);
  return findingWithRemedy('nat', text, `iptables -t ${r.table} -D ${r.chain} ${r.number}`, missingForRuleDelete(i.model, a));
}

function missingRule(i: DoctorInputs, a: NatAnomaly): Finding {
  return finding('nat', {
    kind: 'missing-rule',
    subject: `${a.hostIp ?? ''}:${a.hostPort}/${a.protocol}`,
    severity: a.proxyServes ? 'warning' : 'error',
    title: i.natWords.anomaly(a),
    evidence: [{ source: 'docker/containers.json', text: `${a.container ?? '?'} publishes ${a.hostIp ?? ''}:${a.hostPort}/${a.protocol}` }],
    why: a.proxyServes
      ? 'Only docker-proxy serves it: traffic works, but client addresses are lost and it is slower.'
      : 'Nothing forwards the port: connections are refused or time out.',
    fix: `docker restart ${a.container ?? '<container>'}   # Docker rewrites its rules; or restart dockerd`,
  });
}

/** docker-proxy processes whose target no container (nor Docker sandbox) holds, in either family. */
function leftoverProxies(i: DoctorInputs): Finding[] {
  const proxies = i.model.portFacts.dockerProxies;
  // Only a complete container list can say that no container has an address.
  if (proxies === null || !i.model.containers.complete.known) return [];
  const inUse = addressesInUse(i.model);
  const out: Finding[] = [];
  for (const p of proxies) {
    if (inUse.has(p.containerIp)) continue;
    out.push(
      findingWithRemedy(
        'nat',
        {
          kind: 'leftover-proxy',
          subject: `pid ${p.pid}`,
          severity: 'warning',
          title: `docker-proxy pid ${p.pid} forwards ${hostAddress(p.hostIp, p.hostPort, p.proto)} to ${p.containerIp}:${p.containerPort}, which no container has.`,
          evidence: [{ source: `/proc/${p.pid}/cmdline`, text: p.argv.join(' ') }],
          why: 'A leftover proxy holds the host port, so a new container cannot publish it, and connections go nowhere.',
          fix: `ps -fp ${p.pid}; readlink /proc/${p.pid}/ns/net /proc/self/ns/net`,
        },
        `kill ${p.pid}`,
        missingForProxyKill(i.model, p),
      ),
    );
  }
  return out;
}

export const natAnomalies: Check = {
  id: 'nat',
  title: 'NAT rules and docker-proxy',
  needs: (i) => (!i.nat ? 'NAT facts are not in the data' : !i.nat.available ? `NAT rules unavailable: ${i.nat.reason}` : null),
  partial: (i) =>
    missingOf(
      !i.model.containers.complete.known && `container list unknown: ${i.model.containers.complete.reason}`,
      i.model.portFacts.dockerProxies === null && 'docker-proxy processes not read',
    ),
  run(i) {
    const out: Finding[] = [];
    for (const a of i.nat?.anomalies ?? []) {
      if (a.kind === 'stale-rule') out.push(staleRule(i, a));
      else if (a.kind === 'missing-rule') out.push(missingRule(i, a));
    }
    return [...out, ...leftoverProxies(i), ...otherNetnsProxies(i)];
  },
};

/** docker-proxy processes of other network namespaces (another engine's): left out of the model, said here. */
function otherNetnsProxies(i: DoctorInputs): Finding[] {
  const other = i.model.portFacts.otherNetnsProxies;
  if (!other?.count) return [];
  return [
    finding('nat', {
      kind: 'other-netns-proxies',
      subject: other.namespaces.join(' '),
      severity: 'info',
      title: `${other.count} docker-proxy process(es) of other network namespaces were seen and left out: another engine's, not this host's.`,
      evidence: other.namespaces.map((ns) => ({
        source: '/proc/<pid>/ns/net',
        text: `${ns} (this host: ${i.model.hostNetns.known ? i.model.hostNetns.value : 'unknown'})`,
      })),
      why: "Every network namespace's processes are in /proc; a docker-proxy of another namespace serves that namespace's engine.",
      fix: 'nsenter --net=/proc/<pid>/ns/net -- docknet nat   # with DOCKER_HOST set to that engine, to see its ports',
    }),
  ];
}

export const portClash: Check = {
  id: 'port-clash',
  title: 'published port clashes',
  needs: (i) => (i.model.containers.complete.known ? null : `container list unknown: ${i.model.containers.complete.reason}`),
  partial: (i) =>
    missingOf(
      i.model.portFacts.listening === null && 'host sockets not read',
      i.model.portFacts.dockerProxies === null && 'docker-proxy processes not read (a listener could be docker-proxy itself)',
    ),
  run(i) {
    const out: Finding[] = [];
    const seen = new Map<string, string[]>();
    for (const c of i.model.containers.all) {
      if (!c.running) continue;
      for (const [key, bindings] of Object.entries(c.ports)) {
        for (const b of bindings ?? []) {
          const k = `${normaliseHostIp(b.hostIp)}:${b.hostPort}/${key.split('/')[1] ?? 'tcp'}`;
          seen.set(k, [...(seen.get(k) ?? []), c.name]);
        }
      }
    }
    for (const [k, names] of seen) {
      const unique = [...new Set(names)];
      if (unique.length > 1)
        out.push(
          finding('port-clash', {
            kind: 'double-publication',
            subject: k,
            severity: 'error',
            title: `${unique.join(' and ')} both publish ${k}.`,
            evidence: [{ source: 'docker/containers.json', text: unique.map((n) => `${n}: ${k}`).join('; ') }],
            why: 'Only one can receive the traffic; which one depends on rule order.',
            fix: `docker port ${unique[0]}; docker port ${unique[1]}`,
          }),
        );
    }
    out.push(...hostListeners(i, new Set([...seen.keys()].map((k) => k.replace(/^.*:(\d+)\/(\w+)$/, '$1/$2')))));
    return out;
  },
};

function hostListeners(i: DoctorInputs, published: Set<string>): Finding[] {
  const out: Finding[] = [];
  // Without the docker-proxy processes, a listener on a published port may be docker-proxy itself.
  if (i.model.portFacts.dockerProxies === null) return out;
  // docker-proxy's own sockets are the publication itself: same address, port and protocol.
  const proxySockets = new Set((i.model.portFacts.dockerProxies ?? []).map((p) => `${p.hostIp}:${p.hostPort}/${p.proto}`));
  for (const l of i.model.portFacts.listening ?? []) {
    const key = `${l.port}/${l.protocol}`;
    if (!published.has(key) || proxySockets.has(`${l.ip}:${l.port}/${l.protocol}`)) continue;
    out.push(
      finding('port-clash', {
        kind: 'host-listener',
        subject: `${l.ip}:${l.port}/${l.protocol}`,
        severity: 'warning',
        title: `A host process (or host-mode container) listens on ${l.ip}:${l.port}/${l.protocol}, a port Docker also publishes.`,
        evidence: [
          { source: `/proc/net/${l.protocol}${l.family === 'ipv6' ? '6' : ''}`, text: `${l.ip}:${l.port} inode ${l.inode ?? '?'}` },
        ],
        why: 'Traffic from outside is DNATed to the container before it reaches the host process; local clients may reach either.',
        fix: `ss -lntup 'sport = :${l.port}'`,
      }),
    );
  }
  return out;
}
