// Arbitraries for damaged input: random text and bytes, and real fixtures broken the ways pastes break.
import fc from 'fast-check';
import { splitLines } from '../../src/model/parsed.js';
import type { Fixture } from './parser-cases.js';

export const lineBreak = fc.constantFrom('\n', '\r\n', '\r');

// Characters parsers split or anchor on, and the ones terminals and decoders choke on.
const NASTY = [
  '\u0000',
  '\u001b[31m',
  '\u001b]0;x\u0007',
  '\r',
  '\t',
  '\v',
  '\f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\ud800',
  '\udfff',
  '😀',
  ' ',
  '  ',
  '@',
  ':',
  '/',
  '<',
  '>',
  '[',
  ']',
  '(',
  ')',
  '"',
  "'",
  '\\',
  '#',
  '$',
  '*',
  '!',
  '-',
  '--',
  '0',
  '1',
  '65535',
  '65536',
  '4294967296',
  '-1',
  '1e400',
  'NaN',
  '9'.repeat(30),
  'link/',
  'inet',
  'inet6',
  'veth',
  '@if',
  'link-netnsid',
  'master',
  'Chain',
  'policy',
  'references',
  'target',
  '-A',
  '-j',
  'DNAT',
  '--to-destination',
  'COMMIT',
  '*nat',
  'to:',
  'dpt:',
  '/* ',
  ' */',
  'valid_lft',
  'forever',
  'nameserver',
  'docker-proxy',
  '-host-port',
];

// Numbers past what the kernel's fields hold: ports, 32-bit indexes, 64-bit counters, doubles.
const HUGE_NUMBERS = ['65536', '99999', '2147483648', '4294967296', '9007199254740993', '18446744073709551616', '9'.repeat(30), '1e400'];

/** The line with its k-th run of digits (counted modulo the runs it has) replaced by n. */
function replaceNumber(line: string, k: number, n: string): string {
  const runs = [...line.matchAll(/\d+/g)];
  const run = runs[k % Math.max(1, runs.length)];
  return run?.index === undefined ? line : line.slice(0, run.index) + n + line.slice(run.index + run[0].length);
}

/** A line with one of its numbers replaced by one no port, index or counter can hold. */
const hugeNumberIn = (line: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(line, fc.nat(), fc.constantFrom(...HUGE_NUMBERS)).map(([l, k, n]) => replaceNumber(l, k, n));

/** One fixture with one number of one of its lines replaced by a huge one. */
export function hugeNumbers(fixtures: readonly Fixture[]): fc.Arbitrary<string> {
  return fc.constantFrom(...fixtures).chain((f) => {
    const lines = splitLines(f.text);
    const numbered = lines.flatMap((l, i) => (/\d/.test(l) ? [i] : []));
    if (numbered.length === 0) return fc.constant(f.text);
    return fc
      .tuple(fc.constantFrom(...numbered), fc.nat(), fc.constantFrom(...HUGE_NUMBERS))
      .map(([i, k, n]) => lines.map((l, j) => (j === i ? replaceNumber(l, k, n) : l)).join('\n'));
  });
}

/** A line of noise: arbitrary code points, or runs of the characters parsers care about. */
export const noiseLine: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  fc.array(fc.constantFrom(...NASTY), { maxLength: 12 }).map((a) => a.join('')),
);

/** Random bytes decoded the ways a non-UTF-8 capture may reach a parser. */
export const decodedBytes: fc.Arbitrary<string> = fc
  .tuple(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom('utf-8', 'latin1', 'utf-16le'))
  .map(([bytes, enc]) => new TextDecoder(enc).decode(bytes));

/** Any text at all, short to medium. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 2000 }),
  decodedBytes,
  fc.tuple(fc.array(noiseLine, { maxLength: 40 }), lineBreak).map(([ls, nl]) => ls.join(nl)),
);

/** Text built from the lines of real fixtures, noise and cut lines, joined by any line break. */
export function noisyText(fixtures: readonly Fixture[]): fc.Arbitrary<string> {
  const lines = [...new Set(fixtures.flatMap((f) => splitLines(f.text)))];
  const real = fc.constantFrom(...lines);
  const line = fc.oneof(
    { weight: 4, arbitrary: real },
    { weight: 2, arbitrary: noiseLine },
    // A real line cut anywhere, with noise after the cut.
    { weight: 2, arbitrary: fc.tuple(real, fc.nat(), noiseLine).map(([l, k, s]) => l.slice(0, k % (l.length + 1)) + s) },
    // A real line with one character replaced.
    {
      weight: 1,
      arbitrary: fc.tuple(real, fc.nat(), fc.constantFrom(...NASTY)).map(([l, k, s]) => {
        const i = k % (l.length + 1);
        return l.slice(0, i) + s + l.slice(i + 1);
      }),
    },
    { weight: 1, arbitrary: hugeNumberIn(real) },
    // A huge line: a real one repeated, or a run of one character.
    { weight: 1, arbitrary: fc.tuple(real, fc.integer({ min: 50, max: 2000 })).map(([l, n]) => l.repeat(n)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(' ', '\t', '@', ':', '[', '"', '0', 'a', '#'), fc.integer({ min: 1000, max: 50_000 }), noiseLine)
        .map(([c, n, s]) => c.repeat(n) + s),
    },
  );
  return fc.tuple(fc.array(line, { maxLength: 80 }), lineBreak, fc.boolean()).map(([ls, nl, end]) => ls.join(nl) + (end ? nl : ''));
}

/** A real fixture as bytes with some of them flipped to non-ASCII, decoded as UTF-8 or Latin-1. */
export function mangledBytes(fixtures: readonly Fixture[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...fixtures),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 20 }),
      fc.constantFrom('utf-8', 'latin1'),
    )
    .map(([f, flips, enc]) => {
      const bytes = Buffer.from(f.text, 'utf8');
      for (const [at, b] of flips) if (bytes.length > 0) bytes[at % bytes.length] = b;
      return new TextDecoder(enc).decode(bytes);
    });
}

/** One fixture's lines picked by index: lines removed, repeated and reordered, joined by any line break. */
export function pickedLines(fixtures: readonly Fixture[]): fc.Arbitrary<{ fixture: Fixture; text: string }> {
  return fc.constantFrom(...fixtures).chain((fixture) => {
    const lines = splitLines(fixture.text);
    return fc
      .tuple(fc.array(fc.nat(lines.length - 1), { maxLength: lines.length * 2 }), lineBreak)
      .map(([idx, nl]) => ({ fixture, text: idx.map((i) => lines[i]).join(nl) + nl }));
  });
}

/** One fixture with some lines removed, order kept. */
export function removedLines(fixtures: readonly Fixture[]): fc.Arbitrary<{ fixture: Fixture; text: string }> {
  return fc.constantFrom(...fixtures).chain((fixture) => {
    const lines = splitLines(fixture.text);
    return fc.array(fc.boolean(), { minLength: lines.length, maxLength: lines.length }).map((keep) => ({
      fixture,
      text: lines.filter((_, i) => keep[i]).join('\n'),
    }));
  });
}

/** One fixture cut at any character. */
export function truncated(fixtures: readonly Fixture[]): fc.Arbitrary<{ fixture: Fixture; text: string }> {
  return fc
    .tuple(fc.constantFrom(...fixtures), fc.nat())
    .map(([fixture, at]) => ({ fixture, text: fixture.text.slice(0, at % (fixture.text.length + 1)) }));
}

/** Every place in a JSON document where a value sits, as a path of keys and indexes. */
export function jsonPaths(doc: unknown, limit = 2000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const visit = (v: unknown, path: (string | number)[]): void => {
    if (out.length >= limit) return;
    out.push(path);
    if (Array.isArray(v)) for (const [i, x] of v.entries()) visit(x, [...path, i]);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, [...path, k]);
  };
  visit(doc, []);
  return out;
}

/** A copy of doc with the value at path replaced (or the key deleted when replacement is undefined). */
export function replaceAt(doc: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: unknown = Array.isArray(doc) ? [...doc] : { ...(doc as Record<string, unknown>) };
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const target = copy as Record<string | number, unknown>;
  const next = replaceAt(target[head], rest, replacement);
  if (next === undefined && !Array.isArray(copy)) delete target[head];
  else target[head] = next;
  return copy;
}

/** Inputs on which a backtracking regex or a per-line copy turns quadratic: [what, text]. */
export const PATHOLOGICAL: readonly [string, string][] = [
  ['300k spaces then a letter', `${' '.repeat(300_000)}x`],
  ['a word, 300k spaces, a word', `a${' '.repeat(300_000)}x\n`],
  ['-A, 300k spaces, a word', `-A X${' '.repeat(300_000)}x\n`],
  ['300k tabs then a letter, indented', `\t${'\t'.repeat(300_000)}x\n`],
  ['a warning line padded with 300k spaces', `# Warning: ${' '.repeat(300_000)}x\n`],
  ['a generator line padded with 300k spaces', `# Generated by ${' '.repeat(300_000)}x\n`],
  ['a chain line with 300k parentheses', `Chain X (${')'.repeat(300_000)}x\n`],
  ['a link header with 300k @', `1: ${'a@'.repeat(150_000)}: <UP> mtu 1500\n`],
  ['300k opening brackets', '['.repeat(300_000)],
  ['300k quotes in a rule', `-A DOCKER ${'"a'.repeat(150_000)}\n`],
  ['a prompt-like line of 300k word characters', `${'a.'.repeat(150_000)}$ x\n`],
  ['200k short lines', 'x y\n'.repeat(200_000)],
  ['200k empty lines', '\n'.repeat(200_000)],
  ['200k CR', '\r'.repeat(200_000)],
  ['1 MB of NUL', '\u0000'.repeat(1_000_000)],
  ['a 1 MB JSON string', JSON.stringify(['x'.repeat(1_000_000)])],
  ['JSON nested 100k deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ['JSON objects nested 50k deep', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`],
];
