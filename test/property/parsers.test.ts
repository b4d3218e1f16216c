// Property tests of every parser: any input (random text and bytes, damaged real fixtures, huge lines)
// never throws; what cannot be read is reported with a real line number; and damage that only loses,
// repeats or reorders lines never makes a parser report a link, rule, bridge or container that the
// undamaged fixture does not hold. Seeded and bounded for `npm test`; `npm run fuzz` runs more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { splitLines, type Parsed } from '../../src/model/parsed.js';
import { anyText, hugeNumbers, jsonPaths, mangledBytes, noisyText, pickedLines, removedLines, replaceAt, truncated } from './damage.js';
import { FUZZ_SEED, params } from './fuzz.js';
import { badIssueLines, CASES, type ParserCase } from './parser-cases.js';

/** Parses, turning a throw into a failure that names the parser; checks what holds for any input. */
function check(c: ParserCase, text: string): Parsed<unknown> {
  let parsed: Parsed<unknown>;
  try {
    parsed = c.parse(text);
  } catch (err) {
    throw new Error(`${c.name} threw on its input: ${(err as Error)?.stack ?? String(err)}`);
  }
  assert.ok(parsed !== null && typeof parsed === 'object' && Array.isArray(parsed.issues), `${c.name}: not a Parsed value`);
  // Parsers turn an exception into an "internal error" issue: on any input that is a crash, not a finding.
  const crash = parsed.issues.find((i) => /internal error/.test(i.reason));
  assert.equal(crash, undefined, `${c.name}: ${crash?.reason}`);
  const bad =
    badIssueLines(text, parsed.issues) ??
    c.shape?.(parsed.value) ??
    (c.format === 'lines' ? (c.tied?.(parsed.value, splitLines(text)) ?? null) : null);
  assert.equal(bad, null, `${c.name}: ${bad}`);
  return parsed;
}

function missingFrom(full: Set<string>, got: string[]): string[] {
  return got.filter((x) => !full.has(x));
}

const fullIds = new Map<string, Set<string>>();
const fullContext = new Map<string, Set<string>>();
for (const c of CASES) {
  for (const f of c.fixtures) {
    const p = c.parse(f.text);
    fullIds.set(`${c.name}\0${f.path}`, new Set(c.fixtureIds ? c.fixtureIds(f.text) : c.ids(p.value)));
    if (c.contextIds) fullContext.set(`${c.name}\0${f.path}`, new Set(c.contextIds(p)));
  }
}
const idsOf = (c: ParserCase, path: string): Set<string> => fullIds.get(`${c.name}\0${path}`) ?? new Set();
const contextOf = (c: ParserCase, path: string): Set<string> => fullContext.get(`${c.name}\0${path}`) ?? new Set();

test(`property tests run with seed ${FUZZ_SEED} (FUZZ_SEED=<n> FUZZ_RUNS=<n> npm run fuzz to widen)`, () => {
  assert.ok(CASES.length >= 15);
  for (const c of CASES) assert.ok(c.fixtures.length > 0, c.name);
});

for (const c of CASES) {
  test(`${c.name}: the real fixtures parse, and their issues point at real lines`, () => {
    for (const f of c.fixtures) check(c, f.text);
  });

  test(`${c.name}: any text, bytes or noisy fixture lines never throw, and issues have valid line numbers`, () => {
    fc.assert(
      fc.property(fc.oneof(anyText, noisyText(c.fixtures), mangledBytes(c.fixtures)), (text) => {
        check(c, text);
      }),
      params(60),
    );
  });

  test(`${c.name}: a number too big for its field (port, index, counter) is never read as a wrong number`, () => {
    fc.assert(
      fc.property(hugeNumbers(c.fixtures), (text) => void check(c, text)),
      params(300),
    );
  });

  if (!c.silentByDesign) {
    test(`${c.name}: input it does not recognise is reported, not silently dropped`, () => {
      // Noise without comment characters (resolv.conf and iptables skip comments on purpose).
      const garbage = fc
        .array(fc.string({ unit: fc.constantFrom(...'abcXYZ019 .,=+%&?~|^{}_'.split('')), minLength: 1, maxLength: 40 }), {
          minLength: 1,
          maxLength: 20,
        })
        .filter((ls) => ls.some((l) => l.trim() !== ''))
        .map((ls) => ls.join('\n'));
      const input =
        c.format === 'json'
          ? fc.oneof(garbage, fc.string({ unit: 'binary', minLength: 1, maxLength: 200 })).filter((t) => !isJson(t))
          : garbage;
      fc.assert(
        fc.property(input, (text) => {
          const p = check(c, text);
          if (c.empty(p.value))
            assert.ok(p.issues.length > 0, `${c.name} read nothing from ${JSON.stringify(text.slice(0, 120))} and said nothing`);
        }),
        params(60),
      );
    });
  }

  if (c.format === 'lines') {
    test(`${c.name}: lines lost, repeated or reordered never invent what the fixture does not hold`, () => {
      fc.assert(
        fc.property(fc.oneof(pickedLines(c.fixtures), removedLines(c.fixtures)), ({ fixture, text }) => {
          const invented = missingFrom(idsOf(c, fixture.path), c.ids(check(c, text).value));
          assert.deepEqual(invented, [], `${fixture.path}: invented ${JSON.stringify(invented.slice(0, 3))}`);
        }),
        params(80),
      );
    });

    test(`${c.name}: a fixture cut anywhere invents only on its last line, and says so there`, () => {
      fc.assert(
        fc.property(truncated(c.fixtures), ({ fixture, text }) => {
          const p = check(c, text);
          const invented = missingFrom(idsOf(c, fixture.path), c.ids(p.value));
          if (invented.length === 0) return;
          const last = splitLines(text).length;
          assert.ok(
            p.issues.some((i) => i.line === last),
            `${fixture.path} cut at ${text.length}: invented ${JSON.stringify(invented.slice(0, 3))} with no issue on line ${last}`,
          );
        }),
        params(100),
      );
    });

    if (c.contextIds) {
      test(`${c.name}: losing any one line of a fixture changes no fact of the lines that remain`, () => {
        // Exhaustive: every line of every fixture (a few thousand parses).
        for (const f of c.fixtures) {
          const lines = splitLines(f.text);
          const full = contextOf(c, f.path);
          for (let i = 0; i < lines.length; i++) {
            const text = [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
            const invented = missingFrom(full, c.contextIds!(check(c, text)));
            assert.deepEqual(invented, [], `${f.path} without line ${i + 1}: ${JSON.stringify(invented.slice(0, 3))}`);
          }
        }
      });
    }
  }

  if (c.format === 'json' && c.entries) {
    const entries = c.entries;
    const docs = c.fixtures.map((f) => ({ fixture: f, doc: JSON.parse(f.text) as unknown }));
    const withEntries = fc.constantFrom(...docs).chain(({ fixture, doc }) => {
      const list = entries.get(doc) ?? [];
      return fc.array(fc.nat(Math.max(0, list.length - 1)), { maxLength: list.length * 2 }).map((idx) => ({
        fixture,
        list,
        text: JSON.stringify(
          entries.with(
            doc,
            idx.filter((i) => i < list.length).map((i) => list[i]),
          ),
          null,
          2,
        ),
      }));
    });

    test(`${c.name}: entries lost, repeated or reordered never invent what the fixture does not hold`, () => {
      fc.assert(
        fc.property(withEntries, ({ fixture, text }) => {
          const p = check(c, text);
          const invented = missingFrom(idsOf(c, fixture.path), c.ids(p.value));
          assert.deepEqual(invented, [], `${fixture.path}: invented ${JSON.stringify(invented.slice(0, 3))}`);
          if (c.contextIds) {
            const changed = missingFrom(contextOf(c, fixture.path), c.contextIds(p));
            assert.deepEqual(changed, [], `${fixture.path}: a fact changed ${JSON.stringify(changed.slice(0, 2))}`);
          }
        }),
        params(60),
      );
    });

    test(`${c.name}: any value of the document replaced by any JSON never throws`, () => {
      const replaced = fc.constantFrom(...docs).chain(({ doc }) => {
        const paths = jsonPaths(doc);
        return fc
          .tuple(fc.nat(paths.length - 1), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)))
          .map(([k, v]) => JSON.stringify(replaceAt(doc, paths[k] ?? [], v)) ?? 'null');
      });
      fc.assert(
        fc.property(replaced, (text) => void check(c, text)),
        params(80),
      );
    });

    test(`${c.name}: a document cut anywhere is invalid JSON, reported, and reads as nothing`, () => {
      fc.assert(
        fc.property(truncated(c.fixtures), ({ text }) => {
          const p = check(c, text);
          if (isJson(text) || text.trim() === '') return;
          assert.ok(p.issues.length > 0, 'cut JSON reported');
          assert.ok(c.empty(p.value), `${c.name} read something from invalid JSON`);
        }),
        params(60),
      );
    });
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// A backtracking regex or a per-line copy that is quadratic hangs on these: each parser runs them in a
// worker, which is stopped (and the test failed) when it has not finished long after a linear pass would.
const PATHOLOGICAL_LIMIT_MS = 20_000;

for (const c of CASES) {
  test(`${c.name}: huge and pathological lines parse in linear time`, async () => {
    const worker = new Worker(new URL('./pathological-worker.js', import.meta.url), { workerData: { caseName: c.name } });
    let at = '(starting)';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${c.name} still parsing "${at}" after ${PATHOLOGICAL_LIMIT_MS / 1000} s: not linear`)),
          PATHOLOGICAL_LIMIT_MS,
        );
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
}
