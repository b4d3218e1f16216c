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
