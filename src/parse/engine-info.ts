// Reads docker/info.json (GET /info): the engine's own description of itself, for doctor.
// Pure. A file that is not a JSON object is unreadable (value null, with why), never "no info".
import { issue, type Parsed } from '../model/parsed.js';
import { FACT, type Snapshot } from '../snapshot/snapshot.js';
import { jsonPreview } from './json-preview.js';
import { readSnapshotFact, type ReadFact } from './snapshot-fact.js';

export type EngineInfo = Record<string, unknown>;

export function parseEngineInfo(text: string): Parsed<EngineInfo | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { value: null, issues: [issue(0, text.slice(0, 80), `not valid JSON (${(err as Error).message})`)] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { value: null, issues: [issue(0, jsonPreview(raw).slice(0, 80), 'expected a JSON object, as GET /info answers')] };
  return { value: raw as EngineInfo, issues: [] };
}

/** docker/info.json as a Fact: known, or unknown saying why (not gathered, the engine's HTTP error, unreadable). */
export function engineInfoFact(snapshot: Snapshot): ReadFact<EngineInfo> {
  return readSnapshotFact(snapshot, FACT.engineInfo, parseEngineInfo, 'engine info (GET /info) is not in the data');
}
