// Aligned columns in the style of `docker ps`: a header, no borders; colour only where IO allows.
import Table from 'cli-table3';
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

export type Cell = string | number | null;

/** Empty cells print as "-" so that columns stay aligned and nothing looks accidentally blank. */
export function renderTable(io: OutputMedium, headers: string[], rows: Cell[][]): string {
  const table = new Table({
    head: headers.map((h) => colours(io.color).bold(h)),
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push(row.map((c) => (c === null || c === '' ? '-' : escapeText(String(c)))));
  return `${table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')}\n`;
}
