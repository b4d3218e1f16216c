// A bridge network's behaviour in words (render/network-words.ts), from hand-made host models (each
// basis and mode of a gateway option, --internal, enable_icc=false) and from the labs saved on Docker
// 26.1 and 28.5 (test/fixtures/lab-snapshot-26 and -28, see their SOURCE.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInfo } from '../../src/model/engine.js';
import { isPlainNat, networkBehaviours } from '../../src/correlate/network-modes.js';
import { correlateVethMap } from '../../src/correlate/veth-map.js';
import { interfaceNoteText } from '../../src/render/veth-words.js';
import type { NetworkBehaviour } from '../../src/model/network-behaviour.js';
import { buildHostModel } from '../../src/parse/host-model.js';
import {
  behaviourJson,
  behaviourNoteText,
  behaviourSummaryText,
  gatewayText,
  ruleWhatText,
  ruleWords,
} from '../../src/render/network-words.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { hostModel } from '../model-helpers.js';
import { repoPath } from '../repo-path.js';
import { ruleRef } from './values.js';

const V4 = 'com.docker.network.bridge.gateway_mode_ipv4';
const V6 = 'com.docker.network.bridge.gateway_mode_ipv6';

function net(options: Record<string, string>, extra: Partial<NetworkInfo> = {}): NetworkInfo {
  return {
    id: 'n'.repeat(64),
    name: 'lab',
    driver: 'bridge',
    scope: 'local',
    internal: false,
    ingress: false,
    bridgeName: 'br-lab',
    parent: null,
    subnets: [{ subnet: '10.9.0.0/24', gateway: '10.9.0.1' }],
    options,
    members: [],
    ...extra,
  };
}

/** The one network's behaviour on an engine of `version` (undefined: the version is not in the data). */
function behaviour(options: Record<string, string>, version?: string, extra: Partial<NetworkInfo> = {}): NetworkBehaviour {
  const b = networkBehaviours(hostModel({ networks: [net(options, extra)], engineVersion: version })).get('lab');
  assert.ok(b);
  return b;
}

test('each basis of the IPv4 gateway option in words', () => {
  assert.equal(gatewayText(behaviour({}, '28.5.2').ipv4), 'nat (the default)');
  assert.equal(gatewayText(behaviour({ [V4]: 'routed' }, '28.5.2').ipv4), `routed (${V4}=routed)`);
  assert.equal(
    gatewayText(behaviour({ [V4]: 'routed' }, '26.1.5+dfsg1').ipv4),
    `nat: ${V4}=routed is set, but Docker 26.1 predates gateway modes, which came with 27.0.0, and ignores it`,
  );
  assert.equal(
    gatewayText(behaviour({ [V4]: 'nat-unprotected' }, '27.5.1').ipv4),
    `nat: ${V4}=nat-unprotected is set, but Docker 27.5 predates the nat-unprotected gateway mode, which came with 28.0.0, and ignores it`,
  );
  assert.equal(
    gatewayText(behaviour({ [V4]: 'isolated' }).ipv4),
    `isolated (${V4}=isolated; the engine's version is not in the data: one older than 28.0.0 would ignore it)`,
  );
  assert.equal(gatewayText(behaviour({ [V4]: 'bogus' }, '28.5.2').ipv4), `unknown: ${V4}=bogus is no gateway mode Docker has`);
  assert.equal(gatewayText(behaviour({ [V6]: 'routed' }, '28.5.2').ipv6), `routed (${V6}=routed)`);
});

test('a plain nat bridge has no summary and no note; an ignored option is said, with its engine', () => {
  const plain = behaviour({}, '28.5.2');
  assert.ok(isPlainNat(plain));
  assert.equal(behaviourSummaryText(plain), null);
  assert.equal(behaviourNoteText(plain), null);
  // An option that names nat itself is plain NAT too.
  assert.equal(behaviourSummaryText(behaviour({ [V4]: 'nat' }, '28.5.2')), null);
  const ignored = behaviour({ [V4]: 'routed' }, '26.1.5+dfsg1');
  assert.equal(isPlainNat(ignored), false);
  assert.equal(behaviourSummaryText(ignored), `gateway mode ${gatewayText(ignored.ipv4)}.`);
  assert.equal(behaviourNoteText(ignored), `lab: gateway mode ${gatewayText(ignored.ipv4)}`);
});

test('each mode, --internal and enable_icc=false in a summary and a note', () => {
  const routed = behaviour({ [V4]: 'routed' }, '28.5.2');
  assert.equal(
    behaviourSummaryText(routed),
    `gateway mode routed (${V4}=routed): no NAT; container addresses are routed, and a published port is opened on the container's own address by a filter ACCEPT rule, with no IPv4 host port (the engine reports 0.0.0.0 with no host port, \`docker ps\` 0.0.0.0:0).`,
  );
  assert.equal(
    behaviourNoteText(routed),
    `lab: gateway mode routed (${V4}=routed): no NAT, the container address is routed; published ports are opened by filter ACCEPT rules`,
  );
  const unprotected = behaviour({ [V4]: 'nat-unprotected' }, '28.5.2');
  assert.equal(
    behaviourSummaryText(unprotected),
    `gateway mode nat-unprotected (${V4}=nat-unprotected): published ports are DNATed as in nat, and every port of the containers' addresses is open to clients that route to them, published or not.`,
  );
  assert.equal(
    behaviourNoteText(unprotected),
    `lab: gateway mode nat-unprotected (${V4}=nat-unprotected): NAT, and every port of the container address open to clients that route to it`,
  );
  const isolated = behaviour({ [V4]: 'isolated' }, '28.5.2');
  assert.equal(behaviourSummaryText(isolated), `gateway mode isolated (${V4}=isolated): no address on the bridge and no way out of it.`);
  assert.equal(behaviourNoteText(isolated), `lab: gateway mode isolated (${V4}=isolated): no address on the bridge, no way out`);
  const all = behaviour({ [V6]: 'routed', 'com.docker.network.bridge.enable_icc': 'false' }, '28.5.2', { internal: true });
  assert.equal(
    behaviourSummaryText(all),
    `internal network (--internal): no gateway out of the host and no NAT; only containers on br-lab reach each other and the host. IPv6 gateway mode routed (${V6}=routed). enable_icc=false: traffic between its containers is dropped.`,
  );
  assert.equal(
    behaviourNoteText(all),
    `lab: internal network: no way out of the host, no NAT; IPv6 gateway mode routed (${V6}=routed); enable_icc=false: traffic between its containers is dropped`,
  );
});

test('the rules: each kind in words, a rule as verdicts quote it, and missing rules said missing when the filter table was read', () => {
  assert.equal(ruleWhatText('internal'), 'internal: traffic between the network and anywhere else dropped');
  assert.equal(ruleWhatText('icc'), 'enable_icc=false: traffic between containers on the bridge dropped');
  assert.equal(ruleWhatText('nat-unprotected'), 'nat-unprotected: every port of the containers open to clients beyond the bridge');
  assert.equal(ruleWhatText('routed'), 'routed: what no rule above opens is dropped');
  const rule = ruleRef({
    table: 'filter',
    chain: 'DOCKER-FORWARD',
    number: 6,
    text: '[0:0] -A DOCKER-FORWARD -i br-lab -o br-lab -j DROP',
  });
  assert.equal(ruleWords(rule), 'filter DOCKER-FORWARD 6: -A DOCKER-FORWARD -i br-lab -o br-lab -j DROP');
  const noicc = behaviour({ 'com.docker.network.bridge.enable_icc': 'false' }, '28.5.2');
  assert.equal(
    behaviourSummaryText({ ...noicc, rules: [{ kind: 'icc', rule }] }),
    'enable_icc=false: traffic between its containers is dropped (filter DOCKER-FORWARD 6: -A DOCKER-FORWARD -i br-lab -o br-lab -j DROP).',
  );
  assert.equal(
    behaviourSummaryText({ ...noicc, rulesKnown: true }),
    'enable_icc=false: traffic between its containers is dropped (no filter rule for it in the data).',
  );
  const json = behaviourJson({ ...noicc, rules: [{ kind: 'icc', rule }] }) as Record<string, unknown>;
  assert.deepEqual(
    (json.rules as { kind: string; what: string }[]).map((r) => [r.kind, r.what]),
    [['icc', ruleWhatText('icc')]],
  );
  assert.equal((json.ipv4 as { text: string }).text, 'nat (the default)');
  assert.equal(json.summary, behaviourSummaryText({ ...noicc, rules: [{ kind: 'icc', rule }] }));
});

test('the labs on Docker 26.1 and 28.5: every veth-map row on a network that does more than NAT carries its behaviour, worded by behaviourNoteText', async () => {
  for (const g of ['26', '28']) {
    const model = buildHostModel(await loadSnapshot(repoPath(`test/fixtures/lab-snapshot-${g}`)));
    const behaviours = networkBehaviours(model);
    const rows = correlateVethMap(model).interfaces.filter((r) => r.mode === 'bridge' && r.network && !r.sharesNetnsWith);
    const special = rows.filter((r) => !isPlainNat(behaviours.get(r.network as string) as NetworkBehaviour));
    assert.ok(special.length > 0, `${g}: the lab has containers on special networks`);
    for (const r of rows) {
      const b = behaviours.get(r.network as string) as NetworkBehaviour;
      const notes = r.notes.filter((n) => n.code === 'network-behaviour');
      if (isPlainNat(b)) assert.deepEqual(notes, [], `${g}: ${r.container} on plain ${b.network}`);
      else assert.deepEqual(notes.map(interfaceNoteText), [behaviourNoteText(b)], `${g}: ${r.container} on ${b.network}`);
    }
  }
});
