import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitLines } from '../../src/model/parsed.js';

test('splitLines tolerates CRLF', () => {
  assert.deepEqual(splitLines('a\r\nb\nc'), ['a', 'b', 'c']);
});
