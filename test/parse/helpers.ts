// Shared by the parser tests: reading fixtures, and finding a rule by its chain and number.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { NatRule, NatTable } from '../../src/model/nat-rule.js';
import { repoPath } from '../repo-path.js';

/** A fixture's text, by its path under test/fixtures/. */
export function fixture(path: string): string {
  return readFileSync(repoPath(`test/fixtures/${path}`), 'utf8');
}

export function rule(t: NatTable, chain: string, number: number): NatRule {
  const r = t.rules.find((x) => x.chain === chain && x.number === number);
  assert.ok(r, `no rule ${chain} #${number}`);
  return r;
}

/** mulberry32: a small seeded generator, so generated garbage is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
