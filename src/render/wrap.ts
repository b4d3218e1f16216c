// Word wrapping of a paragraph (a note, a source) for a terminal: lines broken at blanks, never inside a word.
import type { OutputMedium } from './medium.js';
import { displayWidth } from './table.js';

/**
 * The lines of `text` when it starts `indent` columns in and may not pass `width` (no limit when null).
 * A word longer than the room keeps a line of its own, whole: an address or a path is never cut.
 */
export function wrapWords(text: string, width: number | null, indent = 0): string[] {
  if (width === null || indent + displayWidth(text) <= width) return [text];
  const room = Math.max(1, width - indent);
  const lines: string[] = [];
  let line: string | null = null;
  let used = 0;
  for (const word of text.split(' ')) {
    const w = displayWidth(word);
    if (line === null) {
      line = word;
      used = w;
    } else if (used + 1 + w > room) {
      lines.push(line);
      line = word;
      used = w;
    } else {
      line += ` ${word}`;
      used += 1 + w;
    }
  }
  lines.push(line ?? '');
  return lines;
}

/**
 * One paragraph as printed lines: `lead` then the text, wrapped on a terminal with the following lines
 * indented by `hang` blanks; piped (no width), one line. Each line ends with a newline.
 */
export function paragraph(io: OutputMedium, lead: string, text: string, hang = lead.length): string {
  const lines = wrapWords(text, io.isTTY ? io.width : null, lead.length);
  return `${lead}${lines.join(`\n${' '.repeat(hang)}`)}\n`;
}
