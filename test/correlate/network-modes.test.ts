// Gateway modes, --internal and enable_icc on the labs saved on Docker 26.1 and 28.5 (test/fixtures/
// lab-snapshot-26 and -28, see their SOURCE.md). What each network is and which rule does it is read
// here from the snapshots' own files (docker/networks.json, host/iptables-save.txt), not from docknet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import { isPlainNat, networkBehaviours } from '../../src/correlate/network-modes.js';
import { gatewayText } from '../../src/render/network-words.js';
import { correlateNat } from '../../src/correlate/nat.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { repoPath } from '../repo-path.js';

const dir = (g: string) => repoPath(`test/fixtures/lab-snapshot-${g}`);
const file = (g: string, p: string) => readFileSync(`${dir(g)}/${p}`, 'utf8');
interface Net {
  Name: string;
  Internal: boolean;
  Options: Record<string, string>;
}
const networks = (g: string) => JSON.parse(file(g, 'docker/networks.json')) as Net[];
const bridgeOf = (g: string, name: string) => networks(g).find((n) => n.Name === name)?.Options['com.docker.network.bridge.name'] as string;

/** `-A CHAIN ...` lines of one table of the saved iptables-save, counters dropped, with their number in the chain. */
function rules(g: string, table: string): { chain: string; number: number; text: string }[] {
  const out: { chain: string; number: number; text: string }[] = [];
  const count = new Map<string, number>();
  let t = '';
  for (const raw of file(g, 'host/iptables-save.txt').split('\n')) {
    if (raw.startsWith('*')) t = raw.slice(1);
    const m = /^(?:\[\d+:\d+\] )?(-A (\S+) .*)$/.exec(raw);
    if (t !== table || !m) continue;
    const n = (count.get(m[2]!) ?? 0) + 1;
    count.set(m[2]!, n);
    out.push({ chain: m[2]!, number: n, text: m[1]! });
  }
  return out;
}

async function behaviours(g: string) {
  return networkBehaviours(buildHostModel(await loadSnapshot(dir(g))));
}

test('Docker 28.5: the routed, nat-unprotected, internal and icc=false networks, each with the filter rule that does it', async () => {
  const b = await behaviours('28');
  const filter = rules('28', 'filter');
  const routed = b.get('docknet-lab-routed');
  assert.equal(
    networks('28').find((n) => n.Name === 'docknet-lab-routed')?.Options['com.docker.network.bridge.gateway_mode_ipv4'],
    'routed',
  );
  assert.deepEqual([routed?.ipv4.mode, routed?.ipv4.basis], ['routed', 'option']);
  const br = bridgeOf('28', 'docknet-lab-routed');
  const closed = filter.find((r) => r.chain === 'DOCKER' && r.text === `-A DOCKER ! -i ${br} -o ${br} -j DROP`);
  assert.ok(closed, 'the saved rules close the routed bridge');
  assert.deepEqual(
    routed?.rules.map((r) => [r.rule.chain, r.rule.number]),
    [[closed.chain, closed.number]],
  );
  assert.ok(
    !rules('28', 'nat').some((r) => r.text.includes(br)) ||
      rules('28', 'nat').every((r) => !/MASQUERADE|DNAT/.test(r.text) || !r.text.includes(br)),
  );

  const nunp = b.get('docknet-lab-natunprot');
  const nbr = bridgeOf('28', 'docknet-lab-natunprot');
  const open = filter.find((r) => r.text === `-A DOCKER ! -i ${nbr} -o ${nbr} -j ACCEPT`);
  assert.ok(open);
  assert.deepEqual([nunp?.ipv4.mode, nunp?.rules.map((r) => r.rule.number)], ['nat-unprotected', [open.number]]);

  const internal = b.get('docknet-lab-internal');
  const ibr = bridgeOf('28', 'docknet-lab-internal');
  assert.equal(internal?.internal, true);
  assert.deepEqual(
    internal?.rules.map((r) => r.rule.text.replace(/^\[\d+:\d+\] /, '')).sort(),
    filter
      .filter((r) => r.text.includes(ibr) && r.text.endsWith('-j DROP'))
      .map((r) => r.text)
      .sort(),
  );

  const noicc = b.get('docknet-lab-noicc');
  const cbr = bridgeOf('28', 'docknet-lab-noicc');
  const drop = filter.find((r) => r.text === `-A DOCKER-FORWARD -i ${cbr} -o ${cbr} -j DROP`);
  assert.ok(drop, '28.5 drops icc=false traffic in DOCKER-FORWARD');
  assert.deepEqual([noicc?.icc, noicc?.rules.map((r) => [r.rule.chain, r.rule.number])], [false, [[drop.chain, drop.number]]]);
  const plain = b.get('docknet-lab-net');
  assert.ok(plain && isPlainNat(plain), 'a plain bridge is plain NAT');
  assert.deepEqual(
    [routed, nunp, internal, noicc].map((x) => x && isPlainNat(x)),
    [false, false, false, false],
  );
  assert.deepEqual(
    [routed, nunp, internal, noicc].map((x) => x?.rules.map((r) => r.kind)),
    [['routed'], ['nat-unprotected'], internal?.rules.map(() => 'internal'), ['icc']],
  );
});

test('Docker 26.1 keeps the gateway-mode options and ignores them: NAT, as its own rules show', async () => {
  const b = await behaviours('26');
  const nat = rules('26', 'nat');
  for (const name of ['docknet-lab-routed', 'docknet-lab-natunprot']) {
    const br = bridgeOf('26', name);
    assert.ok(
      networks('26').find((n) => n.Name === name)?.Options['com.docker.network.bridge.gateway_mode_ipv4'],
      `${name} keeps its option`,
    );
    assert.ok(
      nat.some((r) => r.text.includes(`! -o ${br} -j MASQUERADE`)),
      `26.1 masquerades ${name} like any bridge`,
    );
    const g = b.get(name);
    assert.deepEqual([g?.ipv4.mode, g?.ipv4.basis], ['nat', 'ignored']);
    // routed came with 27.0.0, nat-unprotected with 28.0.0.
    assert.deepEqual([g?.ipv4.release?.major, g?.ipv4.release?.minor], [26, 1]);
    assert.match(g ? gatewayText(g.ipv4) : '', /is set, but Docker 26\.1 predates .*(27|28)\.0\.0, and ignores it/);
  }
  const cbr = bridgeOf('26', 'docknet-lab-noicc');
  const drop = rules('26', 'filter').find((r) => r.text === `-A FORWARD -i ${cbr} -o ${cbr} -j DROP`);
  assert.ok(drop, '26.1 drops icc=false traffic in FORWARD itself');
  assert.deepEqual(
    b.get('docknet-lab-noicc')?.rules.map((r) => [r.rule.chain, r.rule.number]),
    [[drop.chain, drop.number]],
  );
});

test("Docker 28.5's routed publications: 0.0.0.0 with no host port, via routed, opened by the filter ACCEPT the saved rules hold", async () => {
  const c = (
    JSON.parse(file('28', 'docker/containers.json')) as {
      Name: string;
      NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[]>; Networks: Record<string, { IPAddress: string }> };
    }[]
  ).find((x) => x.Name === '/lab-routed');
  assert.ok(c);
  const ip = c.NetworkSettings.Networks['docknet-lab-routed']?.IPAddress as string;
  const br = bridgeOf('28', 'docknet-lab-routed');
  const r = correlateNat(buildHostModel(await loadSnapshot(dir('28'))));
  for (const [key, bindings] of Object.entries(c.NetworkSettings.Ports)) {
    const [port, proto] = key.split('/') as [string, string];
    for (const binding of bindings.filter((x) => x.HostPort === '')) {
      const m = r.mappings.find(
        (x) => x.container === 'lab-routed' && x.hostIp === binding.HostIp && x.hostPort === 0 && x.protocol === proto,
      );
      assert.ok(m, `${binding.HostIp}:(none) ${key}`);
      const accept = rules('28', 'filter').find(
        (x) => x.text === `-A DOCKER -d ${ip}/32 ! -i ${br} -o ${br} -p ${proto} -m ${proto} --dport ${port} -j ACCEPT`,
      );
      assert.ok(accept, `the saved rules open ${ip}:${key}`);
      assert.deepEqual(
        [m.via, m.rule, m.openedBy?.table, m.openedBy?.chain, m.openedBy?.number],
        ['routed', null, 'filter', 'DOCKER', accept.number],
      );
      assert.equal(`${m.containerIp}:${m.containerPort}`, `${ip}:${port}`);
    }
  }
  assert.deepEqual(
    r.anomalies.filter((a) => a.container === 'lab-routed'),
    [],
    'a routed publication is not a missing rule',
  );
  const io = memoryIO();
  assert.equal(await main(['nat', '--port', '18081', '--from', dir('28')], io), 0, io.stderr);
  assert.match(
    io.stdout,
    /^0\.0\.0\.0:0\/tcp \(no host port: docknet-lab-routed is routed\) -> 10\.223\.4\.2:8080\/tcp, routed without NAT .* DOCKER rule \d+: ACCEPT/m,
  );
  assert.match(
    io.stdout,
    /^ {4}opened by: DOCKER \d+ of filter \(host\/iptables-save\.txt\): \[\d+:\d+\] -A DOCKER -d 10\.223\.4\.2\/32 ! -i dnlab-routed/m,
  );
});
