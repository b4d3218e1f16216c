// The host view's routing for both families: the IPv4 main table from host/ip-route.json, the IPv6 one
// from host/ip6-route.json (this machine's real `ip -j -6 route`), each unknown with its reason when absent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { hostView } from '../../../src/correlate/reach/host-view.js';
import { known } from '../../../src/model/fact.js';
import { parseIpRouteJson } from '../../../src/parse/ip-route-json.js';
import { hostModel } from '../../model-helpers.js';
import { repoPath } from '../../repo-path.js';

const V6 = parseIpRouteJson(readFileSync(repoPath('test/fixtures/live-debian12-parsers/ip-j-6-route.json'), 'utf8'));
const settings = known({ sysctl: {}, modules: {} }, 'test') as never;

test('IPv6: the longest matching route of the IPv6 table; the default route for an address beyond', () => {
  assert.deepEqual(V6.issues, []);
  const view = hostView(hostModel({ routes6: V6.value }), settings, new Map());
  const onLink = view.route('fd00::42');
  assert.ok(onLink !== null && typeof onLink !== 'string');
  assert.deepEqual([onLink.dst, onLink.dev, onLink.gateway], ['fd00::/64', 'eth0', null]);
  const beyond = view.route('2001:db8::1');
  assert.ok(beyond !== null && typeof beyond !== 'string');
  assert.deepEqual([beyond.dst, beyond.gateway], ['default', 'fd00::1']);
  // The IPv4 table is not the IPv6 one: without it, IPv4 routing is unknown, not routeless.
  assert.match(String(view.route('10.0.0.1')), /routes are unknown/);
});

test('IPv6 routes not in the data are unknown with the reason, never "no route"', () => {
  const view = hostView(hostModel({ routes: [{ dst: 'default', dev: 'eth0', gateway: '192.0.2.1' }] }), settings, new Map());
  assert.match(String(view.route('fd00::42')), /IPv6 routes are unknown/);
  const v4 = view.route('10.0.0.1');
  assert.ok(v4 !== null && typeof v4 !== 'string' && v4.dev === 'eth0');
});
