// Tables in two forms. On a terminal: aligned columns in the style of `docker ps` (a header, no borders,
// colour only where the medium allows), fitted to the terminal's width by wrapping the free-text columns
// only. Piped: the same header and columns separated by tabs, full values, no padding or colour, for
// `cut -f`, `awk -F'\t'` and grep.
//
// The work is linear in rows. Column widths are measured once, over every row, with cli-table3's own
// width function (ASCII, nearly every cell, is its length). A row whose cells fit their columns is padded
// here; cli-table3 lays out only the rows that wrap, at those fixed widths, a few at a time: its layout
// compares each cell with the rows above it (quadratic in one table) and measures each cell several
// times, so a whole table through it cost 0.5 ms a row and grew with the square of the rows.
import Table from 'cli-table3';
import tableUtils from 'cli-table3/src/utils.js';
import type { OutputMedium } from './medium.js';
import { colours } from './colour.js';
import { escapeText } from './escape.js';

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '   ',
};

/** Blanks between two columns on a terminal (NO_BORDERS.middle). */
const GAP = 3;
/** Rows cli-table3 lays out at once: its cost grows with the square of this, never with the table. */
export const BLOCK = 64;
/** A wrapped column is never made narrower than this (or its header, or its widest cell when narrower). */
const MIN_WRAP = 20;

export type Cell = string | number | null;

export interface Column {
  header: string;
  /**
   * Free text (a role, a sentence) that may wrap within its column when the table is wider than the
   * terminal; a word longer than the column is cut with an ellipsis. Names, addresses and numbers are
   * never wrapped nor cut: a table without a column to wrap stays as wide as it is.
   */
  wrap?: boolean;
}

// Printable ASCII only: one column per character, no need to ask string-width.
const PLAIN = /^[\x20-\x7e]*$/;

/** Display width of a cell as cli-table3 measures it (ANSI escapes ignored, wide characters counted twice). */
export function displayWidth(text: string): number {
  return PLAIN.test(text) ? text.length : tableUtils.strlen(text);
}

/** Empty cells print as "-" so that columns stay aligned and nothing looks accidentally blank. */
function cellText(c: Cell | undefined): string {
  return c === null || c === undefined || c === '' ? '-' : escapeText(String(c));
}

/**
 * A table for the medium: aligned and fitted on a terminal, tab-separated when piped. A column is a
 * header, or a Column saying whether it may wrap.
 */
export function renderTable(io: OutputMedium, columns: readonly (string | Column)[], rows: readonly (readonly Cell[])[]): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const cells: string[][] = rows.map((row) => cols.map((_, i) => cellText(row[i])));
  return io.isTTY ? terminalTable(io, cols, cells) : pipedTable(cols, cells);
}

function pipedTable(cols: Column[], cells: string[][]): string {
  // Cells are escaped (a tab in a value prints as \t), so every tab here separates two columns.
  const lines = [cols.map((c) => escapeText(c.header)).join('\t')];
  for (const row of cells) lines.push(row.join('\t'));
  return `${lines.join('\n')}\n`;
}

function terminalTable(io: OutputMedium, cols: Column[], cells: string[][]): string {
  const headers = cols.map((col) => escapeText(col.header));
  const headerWidths = headers.map((h) => displayWidth(h));
  const natural = [...headerWidths];
  const measured = cells.map((row) =>
    row.map((text, i) => {
      const w = displayWidth(text);
      if (w > (natural[i] as number)) natural[i] = w;
      return w;
    }),
  );
  const widths = fitWidths(cols, natural, io.width);
  const bold = colours(io.color).bold;
  const out: string[] = [
    padRow(
      headers.map((h) => bold(h)),
      headerWidths,
      widths,
    ),
  ];
  // Rows that wrap go to cli-table3 together when they come one after another, up to BLOCK at a time.
  let wrapping: string[][] = [];
  const flush = (): void => {
    if (wrapping.length) out.push(wrappedRows(wrapping, widths));
    wrapping = [];
  };
  cells.forEach((row, r) => {
    const ws = measured[r] as number[];
    if (ws.some((w, i) => w > (widths[i] as number))) {
      wrapping.push(row);
      if (wrapping.length === BLOCK) flush();
      return;
    }
    flush();
    out.push(padRow(row, ws, widths));
  });
  flush();
  return `${out.join('\n')}\n`;
}

/** One line: each cell padded to its column's width, GAP blanks between columns, none at the end. */
function padRow(texts: readonly string[], textWidths: readonly number[], widths: readonly number[]): string {
  let line = '';
  for (let i = 0; i < texts.length; i++) {
    if (i > 0) line += ' '.repeat(GAP);
    line += texts[i];
    if (i < texts.length - 1) line += ' '.repeat(Math.max(0, (widths[i] as number) - (textWidths[i] as number)));
  }
  return line.trimEnd();
}

/** Rows with a cell wider than its (wrapping) column, laid out by cli-table3 at the fixed widths. */
function wrappedRows(rows: string[][], widths: number[]): string {
  const table = new Table({
    colWidths: widths,
    wordWrap: true,
    wrapOnWordBoundary: true,
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push(row);
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/**
 * Column widths that fit the terminal: the natural widths when they fit (or when nothing may wrap);
 * otherwise the wrapping columns share the room the others leave, in proportion to their natural widths.
 */
export function fitWidths(cols: readonly Column[], natural: readonly number[], width: number | null): number[] {
  const widths = [...natural];
  const total = natural.reduce((s, w) => s + w, 0) + GAP * Math.max(0, natural.length - 1);
  if (width === null || total <= width) return widths;
  const wrapping = cols.flatMap((c, i) => (c.wrap ? [i] : []));
  if (wrapping.length === 0) return widths;
  const wrapNatural = wrapping.reduce((s, i) => s + (natural[i] as number), 0);
  const room = width - (total - wrapNatural);
  for (const i of wrapping) {
    const n = natural[i] as number;
    const floor = Math.min(n, Math.max(MIN_WRAP, displayWidth(cols[i]?.header ?? '')));
    widths[i] = Math.min(n, Math.max(floor, Math.floor((room * n) / wrapNatural)));
  }
  return widths;
}
