import { test } from 'node:test';
import assert from 'node:assert/strict';
import { naturalCompare } from '../../src/util/natural-compare.js';

test('natural order puts numbers in numeric order and before text', () => {
  const names = ['veth10', 'tomcat-tml', 'veth2', 'tomcat01', 'br-1', 'br-01', 'docker0'];
  assert.deepEqual([...names].sort(naturalCompare), ['br-1', 'br-01', 'docker0', 'tomcat01', 'tomcat-tml', 'veth2', 'veth10']);
});
