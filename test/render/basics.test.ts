// The pieces every renderer uses: tables, escaping untrusted text, and the saved-snapshot notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeText } from '../../src/render/escape.js';
import { snapshotJson, snapshotNotice } from '../../src/render/snapshot-notice.js';
import { renderTable } from '../../src/render/table.js';
import { hasAnsi, liveSnapshot, PIPED, savedSnapshot, stripAnsi, TTY_COLOUR, TTY_NO_COLOUR } from './values.js';

test('a table: a header, columns three spaces apart, "-" for an empty cell, no trailing blanks', () => {
  const rows = [
    ['veth2', 2, null],
    ['veth10', 10, ''],
  ];
  assert.equal(
    renderTable(PIPED(), ['NAME', 'IFINDEX', 'NOTE'], rows),
    'NAME     IFINDEX   NOTE\nveth2    2         -\nveth10   10        -\n',
  );
});

test('a table on a terminal with colour has bold headers and the same text; without colour it is the piped text', () => {
  const rows = [['veth2', 2]];
  const piped = renderTable(PIPED(), ['NAME', 'IFINDEX'], rows);
  const coloured = renderTable(TTY_COLOUR(), ['NAME', 'IFINDEX'], rows);
  assert.ok(coloured.startsWith('\u001b[1mNAME\u001b[22m'), JSON.stringify(coloured));
  assert.equal(stripAnsi(coloured), piped);
  assert.equal(renderTable(TTY_NO_COLOUR(), ['NAME', 'IFINDEX'], rows), piped);
  assert.ok(!hasAnsi(piped));
});

test('untrusted cells cannot move the cursor or break a line', () => {
  assert.equal(renderTable(PIPED(), ['NAME'], [['evil\u001b[2J\nname\t']]), 'NAME\nevil\\x1b[2J\\nname\\t\n');
});

test('escapeText shows every control character, C0, DEL and C1, and keeps the rest', () => {
  assert.equal(escapeText('a\u0000b\u0007c\rd\u007fe\u009bf'), 'a\\x00b\\x07c\\rd\\x7fe\\x9bf');
  assert.equal(escapeText('tomcat-tml ünï ✓ 😀'), 'tomcat-tml ünï ✓ 😀');
});

test('the snapshot notice: none for the live host; for a saved one, where it came from and when', () => {
  assert.equal(snapshotNotice(liveSnapshot()), null);
  assert.equal(
    snapshotNotice(savedSnapshot()),
    'Describes a saved snapshot of host-a (taken 2026-11-28T10:00:00.000Z), loaded from snaps/host-a.tar.gz; not the live host.',
  );
  const bare = savedSnapshot();
  bare.hostname = null;
  bare.takenAt = null;
  assert.equal(snapshotNotice(bare), 'Describes a saved snapshot (time not recorded), loaded from snaps/host-a.tar.gz; not the live host.');
  assert.deepEqual(snapshotJson(savedSnapshot()), {
    source: 'saved',
    location: 'snaps/host-a.tar.gz',
    takenAt: '2026-11-28T10:00:00.000Z',
    hostname: 'host-a',
  });
  assert.deepEqual(snapshotJson(liveSnapshot()), { source: 'live', location: null, takenAt: null, hostname: null });
});
