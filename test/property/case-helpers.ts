// What the parser property cases share: the case shape, the real fixtures of the repository, value guards.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NatRule, NatTable } from '../../src/model/nat-rule.js';
import type { Parsed } from '../../src/model/parsed.js';
import { repoPath } from '../repo-path.js';

export interface Fixture {
  /** Path relative to the repository, for messages. */
  path: string;
  text: string;
}

/** How a damaged JSON input is made: the entries of one array of the document are removed or repeated. */
export interface JsonEntries {
  get(doc: unknown): unknown[] | null;
  with(doc: unknown, entries: unknown[]): unknown;
}

export interface ParserCase {
  name: string;
  parse(text: string): Parsed<unknown>;
  format: 'lines' | 'json';
  fixtures: Fixture[];
  /**
   * What the parser read, as identity strings each taken from one line (or one JSON entry) alone:
   * link ifindex+name, rule chain+text, bridge and port names, container id+name. Damage that only
   * removes, repeats or reorders lines can never make a new one.
   */
  ids(value: unknown): string[];
  /** The identities a fixture holds, when more than its parse as a whole shows (default: ids of the parse). */
  fixtureIds?(text: string): string[];
  /**
   * Facts that depend on neighbouring lines too (a link's peer and netns id come from the lines under
   * its header, a -L rule's chain from the `Chain` line above it): checked when one line is lost.
   */
  contextIds?(parsed: Parsed<unknown>): string[];
  /** Each value item points at the input line it came from; a complaint when one does not. */
  tied?(value: unknown, lines: string[]): string | null;
  /** Types and ranges every value must have, whatever the input; a complaint when one does not. */
  shape?(value: unknown): string | null;
  /** Nothing read: with non-blank, unrecognised input the parser must then say why (an issue). */
  empty(value: unknown): boolean;
  /** Input the parser may skip without an issue by design (e.g. other processes in `ps` output). */
  silentByDesign?: boolean;
  entries?: JsonEntries;
}

// ---- fixtures ----

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const ALL_FIXTURES = [...walk(repoPath('test/fixtures')), ...walk(repoPath('test/property/fixtures')), ...walk(repoPath('examples'))]
  .filter((p) => !p.endsWith('SOURCE.md'))
  .sort();

export function fixtures(match: (name: string, path: string) => boolean): Fixture[] {
  const root = repoPath('');
  const found = ALL_FIXTURES.filter((p) => match(p.slice(p.lastIndexOf('/') + 1), p)).map((p) => ({
    path: p.slice(root.length),
    text: readFileSync(p, 'utf8'),
  }));
  if (found.length === 0) throw new Error('a parser case found no fixtures: the file names changed?');
  return found;
}

// ---- helpers ----

export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const rec = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
export const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
export const isIndex = (v: unknown): boolean => isCount(v) && (v as number) > 0;
export const nullOr = (v: unknown, ok: (x: unknown) => boolean): boolean => v === null || ok(v);
export function tables(value: unknown): NatTable[] {
  return Array.isArray(value) ? (value as NatTable[]) : [value as NatTable];
}

export const ruleIds = (value: unknown): string[] => tables(value).flatMap((t) => t.rules.map((r) => `${r.chain}\t${r.text}`));

/** What a rule line says by itself, as one string per rule: its text and the fields read from it (and `more`). */
export function ruleLineFacts(value: unknown, more: (r: NatRule) => unknown[] = () => []): string[] {
  return tables(value).flatMap((t) =>
    t.rules.map((r) =>
      JSON.stringify([
        r.text,
        r.target,
        r.protocol,
        r.inInterface,
        r.outInterface,
        r.source,
        r.destination,
        r.dport,
        r.sport,
        r.dnatTo,
        r.snatTo,
        ...more(r),
      ]),
    ),
  );
}
