// One JSON fact of a snapshot as a model Fact: known (parsed), or unknown with why: not in the data,
// gathered and failed (the MissingFact's reason and cause), or present and unreadable (the parse error).
import { causeOf, known, unknown, type Fact } from '../model/fact.js';
import type { ParseIssue, Parsed } from '../model/parsed.js';
import { factText, type Snapshot } from '../snapshot/snapshot.js';

export interface ReadFact<T> {
  fact: Fact<T>;
  /** What the parser could not read, for the model's file issues. */
  issues: ParseIssue[];
}

/**
 * `absent` is the reason when the snapshot neither holds the file nor says why it could not be
 * gathered. A file that does not parse is never "not in the data": it was there and is unreadable.
 */
export function readSnapshotFact<T>(
  snapshot: Snapshot,
  path: string,
  parse: (text: string) => Parsed<T | null>,
  absent: string,
): ReadFact<T> {
  const text = factText(snapshot, path);
  if (text === null) {
    const m = snapshot.missing.find((x) => x.path === path);
    return { fact: m ? unknown(m.cause ?? causeOf(m.reason), m.reason) : unknown('not-in-data', absent), issues: [] };
  }
  const parsed = parse(text);
  if (parsed.value === null) {
    const why = parsed.issues[0]?.reason ?? 'not readable';
    return { fact: unknown('failed', `${path} could not be read: ${why}`), issues: parsed.issues };
  }
  return { fact: known(parsed.value, path), issues: parsed.issues };
}
