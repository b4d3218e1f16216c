// The pieces every renderer uses: tables, escaping untrusted text, and the saved-snapshot notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeText } from '../../src/render/escape.js';
import { snapshotJson, snapshotNotice } from '../../src/render/snapshot-notice.js';
import { BLOCK, fitWidths, renderTable } from '../../src/render/table.js';
import { memoryIO } from '../../src/cli/io.js';
import { hasAnsi, liveSnapshot, PIPED, savedSnapshot, stripAnsi, TTY_COLOUR, TTY_NO_COLOUR } from './values.js';

test('a table on a terminal: a header, columns three spaces apart, "-" for an empty cell, no trailing blanks', () => {
  const rows = [
    ['veth2', 2, null],
    ['veth10', 10, ''],
  ];
  assert.equal(
    renderTable(TTY_NO_COLOUR(), ['NAME', 'IFINDEX', 'NOTE'], rows),
    'NAME     IFINDEX   NOTE\nveth2    2         -\nveth10   10        -\n',
  );
});

test('a table piped: the same header and cells, tab-separated, no padding, "-" for an empty cell', () => {
  const rows = [
    ['veth2', 2, null],
    ['veth10', 10, ''],
  ];
  assert.equal(renderTable(PIPED(), ['NAME', 'IFINDEX', 'NOTE'], rows), 'NAME\tIFINDEX\tNOTE\nveth2\t2\t-\nveth10\t10\t-\n');
  // A row of numbers only, and a header with no rows.
  assert.equal(renderTable(PIPED(), ['A', 'B'], []), 'A\tB\n');
  assert.equal(renderTable(TTY_NO_COLOUR(), ['A', 'B'], []), 'A   B\n');
});

test('a table on a terminal with colour has bold headers and the same text; without colour no escape', () => {
  const rows = [['veth2', 2]];
  const plain = renderTable(TTY_NO_COLOUR(), ['NAME', 'IFINDEX'], rows);
  const coloured = renderTable(TTY_COLOUR(), ['NAME', 'IFINDEX'], rows);
  assert.ok(coloured.startsWith('\u001b[1mNAME\u001b[22m'), JSON.stringify(coloured));
  assert.equal(stripAnsi(coloured), plain);
  assert.ok(!hasAnsi(plain));
  assert.ok(!hasAnsi(renderTable(PIPED(), ['NAME', 'IFINDEX'], rows)));
});

test('untrusted cells cannot move the cursor, break a line or add a column', () => {
  assert.equal(renderTable(TTY_NO_COLOUR(), ['NAME'], [['evil\u001b[2J\nname\t']]), 'NAME\nevil\\x1b[2J\\nname\\t\n');
  assert.equal(renderTable(PIPED(), ['NAME', 'X'], [['evil\tname', 1]]), 'NAME\tX\nevil\\tname\t1\n');
});

test('wide characters are measured as the terminal shows them: columns stay aligned', () => {
  const out = renderTable(
    TTY_NO_COLOUR(),
    ['NAME', 'ID'],
    [
      ['日本', 1],
      ['ab', 2],
    ],
  );
  assert.equal(out, 'NAME   ID\n日本   1\nab     2\n');
});

test('fitting a terminal: only a wrapping column narrows (never below its floor); names stay whole; a long word is cut with an ellipsis', () => {
  const cols = [{ header: 'NAME' }, { header: 'ROLE', wrap: true }];
  assert.deepEqual(fitWidths(cols, [10, 60], 80), [10, 60]);
  assert.deepEqual(fitWidths(cols, [10, 60], 40), [10, 27]);
  assert.deepEqual(fitWidths(cols, [10, 60], 20), [10, 20]);
  assert.deepEqual(fitWidths([{ header: 'NAME' }, { header: 'ADDR' }], [50, 60], 40), [50, 60]);
  assert.deepEqual(fitWidths(cols, [10, 60], null), [10, 60]);
  const out = renderTable(memoryIO({ isTTY: true, width: 34 }), cols, [
    ['a-very-long-name', 'one two three four five six seven'],
    ['b', 'short'],
    ['c', 'averyveryverylongwordthatcannotwrap'],
  ]);
  assert.equal(
    out,
    [
      'NAME               ROLE',
      'a-very-long-name   one two three four',
      '                   five six seven',
      'b                  short',
      'c                  averyveryverylongwo…',
      '',
    ].join('\n'),
  );
});

test('rows go to cli-table3 in bounded blocks: a long table wraps alike at its start and its end', () => {
  const rows = Array.from({ length: BLOCK * 3 + 5 }, (_, i) => [`n${i}`, 'alpha beta gamma delta epsilon zeta']);
  const out = renderTable(memoryIO({ isTTY: true, width: 30 }), ['NAME', { header: 'ROLE', wrap: true }], rows).split('\n');
  assert.equal(out.length, 1 + rows.length * 2 + 1);
  assert.equal(out[1], 'n0     alpha beta gamma delta');
  assert.equal(out[2], '       epsilon zeta');
  assert.equal(out.at(-3), `n${rows.length - 1}   alpha beta gamma delta`);
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
