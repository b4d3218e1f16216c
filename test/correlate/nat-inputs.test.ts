// The inputs of `docknet nat` besides the rules: docker-proxy command lines (docknet's own JSON, a
// pasted `ps` listing) and how the NAT facts of a snapshot are chosen and named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerProxies } from '../../src/parse/docker-proxy.js';
import { readPortFacts } from '../../src/parse/nat-facts.js';
import { emptySnapshot, FACT } from '../../src/snapshot/snapshot.js';
import type { Parsed } from '../../src/model/parsed.js';

// Command lines as Docker 20.10 starts docker-proxy (seen on the lab host, `ps -eo pid,args`).
const PS = `    PID COMMAND
  25910 /usr/sbin/docker-proxy -proto tcp -host-ip 127.0.0.1 -host-port 8081 -container-ip 172.17.0.147 -container-port 8080
  25922 /usr/sbin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 49154 -container-ip 172.17.0.147 -container-port 8080
  25999 /usr/sbin/docker-proxy -proto udp -host-ip :: -host-port 5353 -container-ip 172.17.0.147 -container-port 5353
   3754 dockerd
`;

test('docker-proxy from a ps listing: pid, protocol, host and container ends; other processes skipped', () => {
  const r = parseDockerProxies(PS);
  assert.deepEqual(r.issues, []);
  assert.deepEqual(
    r.value.map((p) => [p.pid, p.proto, p.hostIp, p.hostPort, p.containerIp, p.containerPort]),
    [
      [25999, 'udp', '::', 5353, '172.17.0.147', 5353],
      [25910, 'tcp', '127.0.0.1', 8081, '172.17.0.147', 8080],
      [25922, 'tcp', '0.0.0.0', 49154, '172.17.0.147', 8080],
    ],
  );
});

test("docker-proxy from docknet's JSON: argv arrays, -flag=value, a string cmdline; unreadable entries reported", () => {
  const json = JSON.stringify([
    {
      pid: 10,
      cmdline: [
        '/usr/bin/docker-proxy',
        '-proto',
        'tcp',
        '-host-ip',
        '0.0.0.0',
        '-host-port',
        '80',
        '-container-ip',
        '10.0.0.2',
        '-container-port',
        '8080',
        '-use-listen-fd',
      ],
    },
    { pid: 11, cmdline: ['docker-proxy', '--proto=udp', '-host-ip=::', '-host-port=53', '-container-ip=10.0.0.3', '-container-port=53'] },
    {
      pid: 12,
      cmdline:
        'docker-proxy\u0000-proto\u0000tcp\u0000-host-ip\u0000127.0.0.1\u0000-host-port\u00009000\u0000-container-ip\u000010.0.0.4\u0000-container-port\u00009000',
    },
    { pid: 13, cmdline: ['/usr/bin/docker-proxy', '-proto', 'tcp'] },
    { nothing: true },
  ]);
  const r = parseDockerProxies(json);
  assert.deepEqual(
    r.value.map((p) => `${p.pid} ${p.proto} ${p.hostIp}:${p.hostPort} -> ${p.containerIp}:${p.containerPort}`),
    ['11 udp :::53 -> 10.0.0.3:53', '10 tcp 0.0.0.0:80 -> 10.0.0.2:8080', '12 tcp 127.0.0.1:9000 -> 10.0.0.4:9000'],
  );
  assert.equal(r.issues.length, 2);
  assert.match(r.issues[0]?.reason ?? '', /without -host-ip, -host-port, -container-ip and -container-port/);
  assert.match(r.issues[1]?.reason ?? '', /without a numeric pid and a cmdline/);
});

test('NAT facts: iptables-save is preferred to the -L text, and an unreadable iptables says why', () => {
  const issues: string[] = [];
  const take = <T>(path: string, p: Parsed<T>): T => {
    if (p.issues.length) issues.push(path);
    return p.value;
  };
  const s = emptySnapshot({ kind: 'saved', location: 'test' });
  const fact = (path: string, text: string) => s.facts.set(path, { path, text, origin: { kind: 'manual', what: path } });
  fact(FACT.iptablesNat, 'Chain PREROUTING (policy ACCEPT)\ntarget     prot opt source               destination\n');
  fact(
    FACT.iptablesSave,
    '*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n[1:2] -A DOCKER -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.2:80\nCOMMIT\n',
  );
  const both = readPortFacts(s, take);
  assert.equal(both.nat.ipv4Known, true);
  assert.deepEqual(
    both.nat.tables.map((t) => t.from),
    [FACT.iptablesSave],
  );
  assert.equal(both.dockerProxies, null);
  assert.equal(both.listening, null);

  const denied = emptySnapshot({ kind: 'live', location: null });
  denied.missing.push({
    path: FACT.iptablesSave,
    what: 'iptables-save -c',
    reason: 'iptables-save needs root (Permission denied (you must be root)): run with sudo',
  });
  const none = readPortFacts(denied, take);
  assert.equal(none.nat.ipv4Known, false);
  assert.equal(none.nat.unavailable, 'iptables needs root (run with sudo)');
  assert.deepEqual(issues, []);
});
