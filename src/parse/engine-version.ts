// Which Docker engine the facts come from: `GET /version` (docker/version.json), else /info's ServerVersion.
import { known, type Fact } from '../model/fact.js';
import { FACT, type Snapshot } from '../snapshot/snapshot.js';
import { engineInfoFact } from './engine-info.js';
import { readSnapshotFact } from './snapshot-fact.js';
import { issue, type Parsed } from '../model/parsed.js';
import type { EngineVersion } from '../model/docker-generation.js';

export type { EngineVersion };

function parseVersion(text: string): Parsed<EngineVersion | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { value: null, issues: [issue(0, text.slice(0, 80), `not valid JSON (${(err as Error).message})`)] };
  }
  const o = (raw ?? {}) as Record<string, unknown>;
  if (typeof o.Version !== 'string')
    return { value: null, issues: [issue(0, text.slice(0, 80), 'no "Version" string, as GET /version answers')] };
  return { value: { version: o.Version, apiVersion: typeof o.ApiVersion === 'string' ? o.ApiVersion : null }, issues: [] };
}

export function engineVersionFact(snapshot: Snapshot): Fact<EngineVersion> {
  const v = readSnapshotFact(snapshot, FACT.engineVersion, parseVersion, 'the engine version (GET /version) is not in the data');
  if (v.fact.known) return v.fact;
  const info = engineInfoFact(snapshot).fact;
  if (info.known && typeof info.value.ServerVersion === 'string')
    return known({ version: info.value.ServerVersion, apiVersion: null }, FACT.engineInfo);
  return v.fact;
}
