// outputMedium: the terminal form on a terminal or when DOCKNET_FORCE_TTY says so (with the width it
// gives, the terminal's, COLUMNS or 80), the pipe form otherwise; colour only in the terminal form and
// never with --no-color, NO_COLOR or TERM=dumb.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WIDTH, outputMedium } from '../../src/cli/io.js';

const TTY = { isTTY: true, columns: 132 };
const PIPE = { isTTY: false };

test('a terminal: its width, colour on', () => {
  assert.deepEqual(outputMedium(TTY, {}, false), { isTTY: true, color: true, width: 132 });
  assert.deepEqual(outputMedium({ isTTY: true }, {}, false), { isTTY: true, color: true, width: DEFAULT_WIDTH });
  assert.deepEqual(outputMedium({ isTTY: true }, { COLUMNS: '90' }, false), { isTTY: true, color: true, width: 90 });
});

test('a pipe: no width, no colour, whatever the environment says about colour', () => {
  assert.deepEqual(outputMedium(PIPE, {}, false), { isTTY: false, color: false, width: null });
  assert.deepEqual(outputMedium(PIPE, { COLUMNS: '90', FORCE_COLOR: '1' }, false), { isTTY: false, color: false, width: null });
});

test('colour never with --no-color, NO_COLOR (even empty) or TERM=dumb', () => {
  assert.equal(outputMedium(TTY, {}, true).color, false);
  assert.equal(outputMedium(TTY, { NO_COLOR: '1' }, false).color, false);
  assert.equal(outputMedium(TTY, { NO_COLOR: '' }, false).color, false);
  assert.equal(outputMedium(TTY, { TERM: 'dumb' }, false).color, false);
  assert.equal(outputMedium(TTY, { TERM: 'xterm-256color' }, false).color, true);
});

test('DOCKNET_FORCE_TTY: a width from 2 up is the width; 1 or another word keeps the terminal, COLUMNS or 80', () => {
  assert.deepEqual(outputMedium(PIPE, { DOCKNET_FORCE_TTY: '120' }, false), { isTTY: true, color: true, width: 120 });
  assert.deepEqual(outputMedium(PIPE, { DOCKNET_FORCE_TTY: '1' }, false), { isTTY: true, color: true, width: DEFAULT_WIDTH });
  assert.deepEqual(outputMedium(PIPE, { DOCKNET_FORCE_TTY: '1', COLUMNS: '100' }, false), { isTTY: true, color: true, width: 100 });
  assert.deepEqual(outputMedium(PIPE, { DOCKNET_FORCE_TTY: 'true' }, false), { isTTY: true, color: true, width: DEFAULT_WIDTH });
  assert.deepEqual(outputMedium(TTY, { DOCKNET_FORCE_TTY: '1' }, false), { isTTY: true, color: true, width: 132 });
  assert.deepEqual(outputMedium(TTY, { DOCKNET_FORCE_TTY: '60' }, false), { isTTY: true, color: true, width: 60 });
  assert.deepEqual(outputMedium(PIPE, { DOCKNET_FORCE_TTY: '100', NO_COLOR: '1' }, false), { isTTY: true, color: false, width: 100 });
  // Empty, 0 or false: not forced.
  for (const off of ['', '0', 'false', ' '])
    assert.deepEqual(outputMedium(PIPE, { DOCKNET_FORCE_TTY: off }, false), { isTTY: false, color: false, width: null }, off);
  // A COLUMNS that is not a number is not a width.
  assert.equal(outputMedium(PIPE, { DOCKNET_FORCE_TTY: '1', COLUMNS: 'wide' }, false).width, DEFAULT_WIDTH);
});
