// The extractors of the information-loss and no-harm tests find what the full lab snapshot says,
// so that a change of JSON shape cannot make those tests pass by extracting nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disagreements, doctorAnswers, inspectAnswers, natAnswers, vethMapAnswers, type DefiniteAnswers } from './definite-answers.js';
import { adviceOf, commandsIn, harmOf, inUseOfReal } from './harmful-advice.js';
import { loadReal, runOn } from './snapshot-subsets.js';

const lab = await loadReal('test/fixtures/lab-snapshot');
const json = async (argv: string[]) => JSON.parse((await runOn(lab.snapshot, argv)).stdout) as unknown;
const value = (a: DefiniteAnswers, q: string) => a.answers.get(q)?.value;

test('veth-map answers on the full lab snapshot: owners, pairings, bridges, and the host veth list as complete', async () => {
  const a = vethMapAnswers(await json(['veth-map', '--json', '--all']));
  assert.equal(value(a, 'veth-map: host veth veth9dbd643: owner'), 'container tomcat01');
  assert.equal(value(a, 'veth-map: host veth vethe0c1b79: owner'), 'no container: a Docker sandbox');
  assert.equal(value(a, 'veth-map: container lab-web: interface eth0: host veth'), 'veth48f34d9');
  assert.equal(value(a, 'veth-map: container lab-macvlan: interface eth0: host veth'), 'none');
  assert.equal(value(a, "veth-map: host interface dnlab0: is Docker's bridge"), 'yes');
  assert.equal(value(a, "veth-map: host interface dnlab-swarm0: is Docker's bridge"), 'no');
  assert.ok(a.complete.some((c) => c.prefix === 'veth-map: host veth '));
  assert.ok(a.answers.size > 150, `only ${a.answers.size} answers`);
});

test('nat, inspect and doctor answers on the full lab snapshot', async () => {
  const n = natAnswers(await json(['nat', '--json']));
  assert.equal(value(n, 'nat: published 0.0.0.0:5353/udp: container'), 'tomcat-tml');
  assert.equal(value(n, 'nat: DNAT rule 0.0.0.0:18080/tcp -> 10.213.0.2:8080 serves container'), 'lab-web');
  const i = inspectAnswers(await json(['inspect', 'lab-web', '--json']));
  assert.equal(value(i, 'inspect lab-web: mode'), 'bridge');
  assert.equal(value(i, 'inspect lab-web: on docknet-lab-net: neighbour lab-multi'), 'yes');
  assert.equal(value(i, 'inspect lab-web: published 0.0.0.0:18080/tcp: host veth'), 'veth48f34d9');
  const d = doctorAnswers(await json(['doctor', '--json']));
  assert.equal(value(d, "doctor: veths: bridge dnlab-dummy0 is not Docker's"), 'info');
  assert.equal(value(d, 'doctor: mtu: MTU above uplink eth0 1400'), 'warning');
  assert.ok(d.complete.some((c) => c.prefix === 'doctor: nat: '));
});

test('disagreements: a different answer, an answer the full snapshot does not give, and a list called complete that is not', () => {
  const answers = (xs: [string, string, string][], complete: string[] = []): DefiniteAnswers => ({
    answers: new Map(xs.map(([kind, question, v]) => [question, { kind, question, value: v }])),
    complete: complete.map((prefix) => ({ kind: 'list', prefix, statement: 'none' })),
  });
  const full = answers([
    ['veth owner', 'owner of v1', 'container a'],
    ['mapping exists', 'published 80', 'yes'],
  ]);
  assert.deepEqual(disagreements(answers([['veth owner', 'owner of v1', 'container a']]), full), []);
  assert.equal(disagreements(answers([['veth owner', 'owner of v1', 'no container']]), full)[0]?.why, 'differs');
  assert.equal(disagreements(answers([['veth owner', 'owner of v2', 'no container']]), full)[0]?.why, 'not answered on the full snapshot');
  const d = disagreements(answers([], ['published ']), full);
  assert.equal(d.length, 1);
  assert.equal(d[0]?.why, 'missing from a list the subset called complete');
});

test('host-changing commands are found in doctor fixes, comments included, and judged against what is in use', async () => {
  assert.deepEqual(
    commandsIn('docknet veth-map veth1   # then, if truly orphaned: ip link delete veth1').map((c) => c.command),
    ['ip link delete veth1'],
  );
  assert.deepEqual(
    commandsIn('iptables -t nat -D DOCKER 9   # after checking: iptables -t nat -L DOCKER --line-numbers -n').map((c) => c.command),
    ['iptables -t nat -D DOCKER 9'],
  );
  assert.deepEqual(
    commandsIn('kill 25978   # after checking: ps -fp 25978').map((c) => c.command),
    ['kill 25978'],
  );
  assert.deepEqual(commandsIn('modprobe br_netfilter; sysctl -w net.ipv4.ip_forward=1; ip -d link show virbr0'), []);
  const inUse = await inUseOfReal(lab);
  const advice = adviceOf(
    {
      findings: [
        { title: 't', fix: 'ip link delete veth9dbd643; kill 25992; iptables -t nat -D DOCKER 9; docker rm lab-web', evidence: [] },
      ],
    },
    'ip link delete dnlab-swarm0',
  );
  assert.deepEqual(
    advice.map((a) => harmOf(a, inUse) !== null),
    [true, true, true, true, false],
  );
});
