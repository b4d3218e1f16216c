// Numbered notes under a table: each distinct text gets one number, so the table stays narrow and the
// sentences stay whole. On a terminal a note longer than the width wraps under its own text.
import type { OutputMedium } from './medium.js';
import { escapeText } from './escape.js';
import { paragraph } from './wrap.js';

export class Footnotes {
  private readonly numbers = new Map<string, number>();

  /** The markers of these notes ("[1][3]"), numbering the new ones; null for none. */
  mark(texts: string | null | readonly string[]): string | null {
    const list = texts === null ? [] : typeof texts === 'string' ? [texts] : texts;
    let marks = '';
    for (const text of list) {
      if (!text) continue;
      let n = this.numbers.get(text);
      if (n === undefined) this.numbers.set(text, (n = this.numbers.size + 1));
      marks += `[${n}]`;
    }
    return marks || null;
  }

  /** "  [n] text" lines in number order, or '' when no note was marked. */
  render(io: OutputMedium): string {
    let out = '';
    for (const [text, n] of this.numbers) out += paragraph(io, `  [${n}] `, escapeText(text));
    return out;
  }
}
