// Address and prefix matching, both families: fixed cases, and a property test against Node's own
// net.BlockList (the reference the arithmetic must agree with on every address and prefix).
import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import { test } from 'node:test';
import fc from 'fast-check';
import { inPrefix, isLoopback, prefixesOverlap, sameAddress } from '../../src/util/address.js';

test('inPrefix: IPv4 and IPv6, host bits in the prefix ignored, families never mixed', () => {
  assert.equal(inPrefix('172.17.0.2', '172.17.0.0/16'), true);
  assert.equal(inPrefix('172.18.0.2', '172.17.0.1/16'), false);
  assert.equal(inPrefix('10.0.0.1', '0.0.0.0/0'), true);
  assert.equal(inPrefix('10.0.0.1', '10.0.0.1'), true);
  assert.equal(inPrefix('10.0.0.2', '10.0.0.1/32'), false);
  assert.equal(inPrefix('fd00:1::5', 'fd00:1::/64'), true);
  assert.equal(inPrefix('FD00:1::5', 'fd00:1:0:0::/64'), true);
  assert.equal(inPrefix('fd00:2::5', 'fd00:1::/64'), false);
  assert.equal(inPrefix('fe80::1%eth0', 'fe80::/10'), true);
  assert.equal(inPrefix('::ffff:10.0.0.1', '::ffff:10.0.0.0/120'), true);
  assert.equal(inPrefix('::ffff:10.0.0.1', '10.0.0.0/8'), false);
  assert.equal(inPrefix('10.0.0.1', '::/0'), false);
  assert.equal(inPrefix('10.0.0.1', '10.0.0.0/33'), false);
  assert.equal(inPrefix('not-an-ip', '10.0.0.0/8'), false);
  assert.equal(inPrefix('10.0.0.0/8', '10.0.0.0/8'), false, 'a prefix is not an address inside one');
});

test('sameAddress, prefixesOverlap and isLoopback', () => {
  assert.equal(sameAddress('::1', '0:0:0:0:0:0:0:1'), true);
  assert.equal(sameAddress('FE80::A', 'fe80::a'), true);
  assert.equal(sameAddress('::ffff:0:1', '::ffff:0.0.0.1'), true);
  assert.equal(sameAddress('10.0.0.1', '10.0.0.2'), false);
  assert.equal(sameAddress('10.0.0.1', '::ffff:10.0.0.1'), false);
  assert.equal(prefixesOverlap('10.0.0.0/8', '10.5.0.0/16'), true);
  assert.equal(prefixesOverlap('10.5.0.0/16', '10.0.0.0/8'), true);
  assert.equal(prefixesOverlap('10.0.0.0/16', '10.1.0.0/16'), false);
  assert.equal(prefixesOverlap('fd00::/8', 'fd12::/16'), true);
  assert.equal(prefixesOverlap('10.0.0.0/8', 'fd00::/8'), false);
  assert.equal(isLoopback('127.0.0.53'), true);
  assert.equal(isLoopback('::1'), true);
  assert.equal(isLoopback('128.0.0.1'), false);
});

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
// Groups written the ways people and tools write them: full, short, upper case, and :: compressed.
const v6 = fc
  .tuple(fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }), fc.boolean(), fc.nat(7), fc.nat(7))
  .map(([groups, upper, from, len]) => {
    const hex = groups.map((g) => g.toString(16));
    const text = len > 0 && from + len <= 8 ? `${hex.slice(0, from).join(':')}::${hex.slice(from + len).join(':')}` : hex.join(':');
    return {
      text: upper ? text.toUpperCase() : text,
      zeroed: groups.map((g, i) => (len > 0 && from + len <= 8 && i >= from && i < from + len ? 0 : g)),
    };
  })
  .map(({ text, zeroed }) => ({ text, canonical: zeroed.map((g) => g.toString(16)).join(':') }));

test('inPrefix agrees with net.BlockList on random addresses and prefixes of both families', () => {
  fc.assert(
    fc.property(v4, v4, fc.nat(32), (ip, net, len) => {
      const list = new BlockList();
      list.addSubnet(net, len, 'ipv4');
      assert.equal(inPrefix(ip, `${net}/${len}`), list.check(ip, 'ipv4'));
    }),
    { seed: 42, numRuns: 2000 },
  );
  fc.assert(
    fc.property(v6, v6, fc.nat(128), (ip, net, len) => {
      const list = new BlockList();
      list.addSubnet(net.canonical, len, 'ipv6');
      assert.equal(inPrefix(ip.text, `${net.text}/${len}`), list.check(ip.canonical, 'ipv6'));
      assert.equal(inPrefix(ip.text, `${ip.canonical}/${len}`), true);
    }),
    { seed: 42, numRuns: 2000 },
  );
});
