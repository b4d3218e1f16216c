// Property tests of parseTranscript: any input never throws; every file it yields is a byte-for-byte
// slice of the input (merged inspects and files.json aside) at the lines its origin names; line
// numbers are real; and huge or pathological inputs parse in linear time. Seeded (test/property/fuzz.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { splitLines } from '../../src/model/parsed.js';
import { parseTranscript, type TranscriptImport } from '../../src/parse/transcript.js';
import { repoPath } from '../repo-path.js';
import { anyText, noisyText } from './damage.js';
import { params } from './fuzz.js';

const DIR = 'test/fixtures/transcripts';
const FIXTURES = readdirSync(repoPath(DIR))
  .filter((f) => f !== 'SOURCE.md')
  .map((f) => ({ path: `${DIR}/${f}`, text: readFileSync(repoPath(`${DIR}/${f}`), 'utf8') }));

/** What holds for any input; a complaint, or null. */
function complaint(text: string, r: TranscriptImport): string | null {
  const lines = splitLines(text).length;
  for (const i of r.issues) if (i.line < 0 || i.line > lines) return `issue at line ${i.line} of ${lines}: ${i.reason}`;
  for (const c of [...r.commands, ...r.unknown]) {
    if (c.line < 1 || c.endLine < c.line || c.endLine > lines) return `command at lines ${c.line}-${c.endLine} of ${lines}`;
  }
  if (r.commands.length + r.unknown.length > r.commandCount)
    return `${r.commands.length + r.unknown.length} commands listed, ${r.commandCount} counted`;
  for (const [path, body] of r.files) {
    const o = r.origins.get(path);
    if (!o) return `${path} has no origin`;
    const sliced = !path.endsWith('files.json') && !(path.endsWith('.json') && o.lines === undefined);
    if (sliced && !text.includes(body)) return `${path} is not a slice of the input`;
    if (path.includes('..') || path.startsWith('/')) return `unsafe path ${path}`;
  }
  return null;
}

function check(text: string): void {
  let r: TranscriptImport;
  try {
    r = parseTranscript(text);
  } catch (err) {
    throw new Error(`parseTranscript threw: ${(err as Error)?.stack ?? String(err)}`);
  }
  assert.equal(complaint(text, r), null);
}

test('parseTranscript: any text never throws, and what it reports points at real lines', () => {
  fc.assert(fc.property(anyText, check), params(300));
});

test('parseTranscript: real transcripts mixed with noise: files are slices of the input', () => {
  for (const f of FIXTURES) check(f.text);
  fc.assert(fc.property(noisyText(FIXTURES), check), params(300));
});

test('parseTranscript: huge and pathological inputs parse in linear time', async () => {
  const worker = new Worker(new URL('./transcript-worker.js', import.meta.url));
  let at = '(starting)';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still parsing "${at}" after 30 s: not linear`)), 30_000);
      worker.on('message', (m: { at?: string; done?: boolean; error?: string }) => {
        if (m.at !== undefined) at = m.at;
        if (m.error !== undefined) reject(new Error(`${at}: ${m.error}`));
        if (m.done) resolve();
      });
      worker.on('error', reject);
      worker.on('exit', () => clearTimeout(timer));
    });
  } finally {
    await worker.terminate();
  }
});
