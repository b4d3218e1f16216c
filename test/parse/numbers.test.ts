import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactCount, kernelId, kernelIndex, scaledCount } from '../../src/parse/numbers.js';

test('counts are exact or unknown: past 2^53 a number would be silently rounded', () => {
  assert.equal(exactCount('0'), 0);
  assert.equal(exactCount('9007199254740991'), 9007199254740991);
  assert.equal(exactCount('9007199254740993'), null);
  assert.equal(exactCount('18446744073709551615'), null);
  assert.equal(exactCount('1e3'), null);
  assert.equal(exactCount(''), null);
  assert.equal(scaledCount('1234', 1000), 1234000);
  assert.equal(scaledCount('9007199254740', 1000), 9007199254740000);
  assert.equal(scaledCount('9007199254741', 1000), null);
  assert.equal(scaledCount('9007199254741', 1e6), null);
});

test('ifindexes and namespace ids stay within what the kernel hands out', () => {
  assert.equal(kernelIndex('0'), null);
  assert.equal(kernelIndex('1'), 1);
  assert.equal(kernelIndex('2147483647'), 2147483647);
  assert.equal(kernelIndex('2147483648'), null);
  assert.equal(kernelId('0'), 0);
  assert.equal(kernelId('4294967296'), null);
});
