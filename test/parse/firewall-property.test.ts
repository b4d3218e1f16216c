// Property: whatever the rule parsers make of damaged input (random text and bytes, fixtures with lines
// lost, repeated, cut or garbled, any JSON value replaced), reading their tables into the firewall model
// never throws, and what it gives is well formed: the evaluator never meets a value it cannot read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Action, Cond, FwTable } from '../../src/model/firewall.js';
import type { NatTable } from '../../src/model/nat-rule.js';
import { fwTableFromIptables } from '../../src/parse/firewall-iptables.js';
import { fwTableFromListing } from '../../src/parse/firewall-listing.js';
import { fwTableFromNft } from '../../src/parse/firewall-nft.js';
import {
  anyText,
  hugeNumbers,
  jsonPaths,
  mangledBytes,
  noisyText,
  pickedLines,
  removedLines,
  replaceAt,
  truncated,
} from '../property/damage.js';
import { params } from '../property/fuzz.js';
import { CASES, type ParserCase } from '../property/parser-cases.js';

/** Each rule parser's case, and how firewall-facts.ts reads its tables into the model. */
const CONVERTERS: Readonly<Record<string, (value: unknown) => (FwTable | null)[]>> = {
  'nft-json': (v) => (v as NatTable[]).map((t) => fwTableFromNft(t, 'nft')),
  'nft-text': (v) => (v as NatTable[]).map((t) => fwTableFromNft(t, 'nft')),
  'iptables-nat-text': (v) => [fwTableFromListing(v as NatTable, 'listing')],
  'iptables-save': (v) => (v as NatTable[]).map((t) => fwTableFromIptables(t, 'save')),
  'iptables-s': (v) => (v as NatTable[]).map((t) => fwTableFromIptables(t, 's')),
};

const COND_KINDS = new Set([
  'protocol',
  'address',
  'address-range',
  'interface',
  'port',
  'ctstate',
  'addrtype',
  'mark',
  'tcp-syn',
  'set',
  'family',
  'assumed',
  'unmodelled',
]);
const ACTION_KINDS = new Set([
  'accept',
  'drop',
  'return',
  'continue',
  'reject',
  'jump',
  'goto',
  'dnat',
  'snat',
  'redirect',
  'masquerade',
  'mark',
  'vmap',
  'unmodelled',
]);

const isWord = (s: unknown): boolean => typeof s === 'string' && s !== '';
const isU32 = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

/** What is wrong with a condition, or null. */
function condComplaint(c: Cond): string | null {
  if (!COND_KINDS.has(c.kind) || typeof c.negated !== 'boolean') return `bad condition ${JSON.stringify(c)}`;
  switch (c.kind) {
    case 'port':
      return c.ports.length > 0 &&
        c.ports.every((p) => Number.isInteger(p.from) && Number.isInteger(p.to) && p.from >= 0 && p.from <= p.to && p.to <= 65535)
        ? null
        : `bad ports ${JSON.stringify(c)}`;
    case 'mark':
      return isU32(c.value) && isU32(c.mask) ? null : `bad mark ${JSON.stringify(c)}`;
    case 'interface':
      return isWord(c.name) ? null : `bad interface ${JSON.stringify(c)}`;
    case 'address':
      return isWord(c.cidr) ? null : `bad address ${JSON.stringify(c)}`;
    case 'ctstate':
    case 'addrtype':
      return (c.kind === 'ctstate' ? c.states : c.types).every(isWord) ? null : `bad list ${JSON.stringify(c)}`;
    case 'set':
      for (const m of c.members ?? []) {
        const bad = condComplaint(m);
        if (bad !== null) return bad;
      }
      return null;
    case 'unmodelled':
      return typeof c.text === 'string' ? null : `unmodelled without text ${JSON.stringify(c)}`;
    default:
      return null;
  }
}

function actionComplaint(a: Action, chains: ReadonlySet<string>): string | null {
  if (!ACTION_KINDS.has(a.kind)) return `bad action ${JSON.stringify(a)}`;
  if ((a.kind === 'jump' || a.kind === 'goto') && !chains.has(a.chain)) return `a ${a.kind} to ${a.chain}, no chain of the table`;
  if (a.kind === 'mark' && !(isU32(a.value) && isU32(a.mask))) return `bad mark ${JSON.stringify(a)}`;
  if (a.kind === 'vmap')
    for (const c of a.cases ?? []) {
      const bad = condComplaint(c.when) ?? actionComplaint(c.action, chains);
      if (bad !== null) return bad;
    }
  return null;
}

function check(c: ParserCase, convert: (value: unknown) => (FwTable | null)[], text: string): void {
  let tables: (FwTable | null)[];
  try {
    tables = convert(c.parse(text).value);
  } catch (err) {
    throw new Error(`${c.name}: reading into the firewall model threw: ${(err as Error)?.stack ?? String(err)}`);
  }
  for (const t of tables) {
    if (t === null) continue;
    const chains = new Set(t.chains.keys());
    for (const chain of t.chains.values())
      for (const r of chain.rules) {
        const bad = r.conds.map(condComplaint).find((x) => x !== null) ?? actionComplaint(r.action, chains);
        assert.equal(bad ?? null, null, `${c.name} ${t.name} ${chain.name} #${r.number} ${JSON.stringify(r.text)}: ${bad}`);
      }
  }
}

for (const [name, convert] of Object.entries(CONVERTERS)) {
  const c = CASES.find((x) => x.name === name);
  test(`firewall model of ${name}: the parser case exists`, () => assert.ok(c, name));
  if (c === undefined) continue;

  test(`firewall model of ${name}: the real fixtures, and any damage to them, read into well-formed rules`, () => {
    for (const f of c.fixtures) check(c, convert, f.text);
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          noisyText(c.fixtures),
          mangledBytes(c.fixtures),
          hugeNumbers(c.fixtures),
          pickedLines(c.fixtures).map((x) => x.text),
          removedLines(c.fixtures).map((x) => x.text),
          truncated(c.fixtures).map((x) => x.text),
        ),
        (text) => check(c, convert, text),
      ),
      params(100),
    );
  });

  if (c.format === 'json') {
    const docs = c.fixtures.map((f) => JSON.parse(f.text) as unknown);
    test(`firewall model of ${name}: any value of a document replaced by any JSON reads into well-formed rules`, () => {
      const replaced = fc.constantFrom(...docs).chain((doc) => {
        const paths = jsonPaths(doc);
        return fc
          .tuple(fc.nat(paths.length - 1), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)))
          .map(([k, v]) => JSON.stringify(replaceAt(doc, paths[k] ?? [], v)) ?? 'null');
      });
      fc.assert(
        fc.property(replaced, (text) => check(c, convert, text)),
        params(200),
      );
    });
  }
}
