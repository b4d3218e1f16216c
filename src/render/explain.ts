// The notebook as Markdown (piped, or --markdown) or plain text on a terminal, and as versioned JSON.
import { coverage } from '../correlate/explain.js';
import type { ExplainedLine, Listing, Notebook } from '../correlate/explain-types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { escapeText } from './escape.js';
import { jsonDocument, snapshotNotice } from './snapshot-notice.js';

export const EXPLAIN_SCHEMA_VERSION = 1;

/** Inline code that holds its text whole, backticks included (CommonMark: a longer fence). */
function code(text: string): string {
  const t = escapeText(text);
  const ticks = '`'.repeat(Math.max(1, ...[...t.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  const pad = t.startsWith('`') || t.endsWith('`') || t.trim() === '' ? ' ' : '';
  return `${ticks}${pad}${t === '' ? ' ' : t}${pad}${ticks}`;
}

/** Markdown-inert text: the characters that would start emphasis, links or HTML are escaped. */
function md(text: string): string {
  return escapeText(text).replace(/([\\*_<])/g, '\\$1');
}

function listingWhere(l: Listing): string {
  return `${l.where === 'the host' ? 'on the host' : l.where} (${l.file}), line by line`;
}

function lineSentence(x: ExplainedLine): string {
  return x.explanation ?? `not explained: ${x.reason ?? 'docknet does not know this line'}`;
}

export function renderExplainMarkdown(nb: Notebook, snapshot: Snapshot): string {
  const out: string[] = ["# What this host's networking is, in words", ''];
  const notice = snapshotNotice(snapshot);
  if (notice) out.push(`> ${md(notice)}`, '');
  for (const s of nb.sections) {
    out.push(`## ${md(s.title)}`, '');
    if (s.unknown) out.push(`*Partial or unknown: ${md(s.unknown)}.*`, '');
    if (s.items.length === 0) out.push(s.unknown ? '' : '*None in the data.*', '');
    for (const item of s.items)
      out.push(
        item.text.startsWith(item.subject)
          ? `- **${md(item.subject)}**${md(item.text.slice(item.subject.length))}`
          : `- **${md(item.subject)}**: ${md(item.text)}`,
      );
    if (s.items.length) out.push('');
  }
  for (const l of nb.listings) {
    const c = coverage(l);
    out.push(
      `## ${code(l.command)} ${md(listingWhere(l))}`,
      '',
      c.lines === 0 ? 'The file is empty.' : `${c.explained} of ${c.lines} lines explained.`,
      '',
    );
    for (const x of l.lines) out.push(`${x.line}. ${code(x.text)}  `, `   ${md(lineSentence(x))}`);
    out.push('');
  }
  out.push('## Lines docknet cannot explain', '');
  if (nb.unexplained.length === 0) out.push('None: every line above has its sentence.', '');
  for (const x of nb.unexplained) out.push(`- ${md(x.file)} line ${x.line}: ${code(x.text)}: ${md(x.reason ?? 'unknown')}`);
  if (nb.unexplained.length) out.push('');
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

export function renderExplainText(nb: Notebook, snapshot: Snapshot): string {
  const out: string[] = [];
  const notice = snapshotNotice(snapshot);
  if (notice) out.push(escapeText(notice), '');
  const heading = (t: string) => out.push(t, '='.repeat(Math.min(t.length, 100)));
  for (const s of nb.sections) {
    heading(escapeText(s.title));
    if (s.unknown) out.push(`(partial or unknown: ${escapeText(s.unknown)})`);
    if (s.items.length === 0 && !s.unknown) out.push('None in the data.');
    for (const item of s.items) out.push(`- ${escapeText(item.text)}`);
    out.push('');
  }
  for (const l of nb.listings) {
    const c = coverage(l);
    heading(`${escapeText(l.command)} ${escapeText(listingWhere(l))}`);
    out.push(c.lines === 0 ? 'The file is empty.' : `${c.explained} of ${c.lines} lines explained.`);
    const width = String(l.lines.length).length;
    for (const x of l.lines) {
      out.push(`${String(x.line).padStart(width)} | ${escapeText(x.text)}`);
      out.push(`${' '.repeat(width)}   -> ${escapeText(lineSentence(x))}`);
    }
    out.push('');
  }
  heading('Lines docknet cannot explain');
  if (nb.unexplained.length === 0) out.push('None: every line above has its sentence.');
  for (const x of nb.unexplained)
    out.push(`- ${escapeText(x.file)} line ${x.line}: ${escapeText(x.text)}: ${escapeText(x.reason ?? 'unknown')}`);
  return `${out.join('\n').trimEnd()}\n`;
}

export function explainJson(nb: Notebook, snapshot: Snapshot): unknown {
  return jsonDocument(EXPLAIN_SCHEMA_VERSION, snapshot, {
    engineVersion: nb.engineVersion,
    firewallBackend: nb.firewallBackend,
    sections: nb.sections,
    listings: nb.listings.map((l) => ({ ...l, ...coverage(l) })),
    unexplained: nb.unexplained,
  });
}
