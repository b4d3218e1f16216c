// Reads host/settings.json (gather/host-files.ts): sysctl values and module presence, for doctor.
// Pure. A file that is not JSON is unreadable (value null, with the JSON error), never "no settings".
import type { HostSettings } from '../model/host-settings.js';
import { issue, type ParseIssue, type Parsed } from '../model/parsed.js';
import { FACT, type Snapshot } from '../snapshot/snapshot.js';
import { jsonPreview } from './json-preview.js';
import { readSnapshotFact, type ReadFact } from './snapshot-fact.js';

export type { HostSettings };
export { settingUnknown } from '../model/host-settings.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function parseHostSettings(text: string): Parsed<HostSettings | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { value: null, issues: [issue(0, text.slice(0, 80), `not valid JSON (${(err as Error).message})`)] };
  }
  if (!isObject(raw))
    return { value: null, issues: [issue(0, jsonPreview(raw).slice(0, 80), 'expected a JSON object with "sysctl" and "modules"')] };
  const issues: ParseIssue[] = [];
  const value: HostSettings = { sysctl: {}, modules: {}, unreadable: {} };
  const group = (key: string): Json => {
    const v = raw[key];
    if (v === undefined) return {};
    if (isObject(v)) return v;
    issues.push(issue(0, jsonPreview(v).slice(0, 80), `"${key}" is not an object: its settings are unknown`));
    return {};
  };
  for (const [name, v] of Object.entries(group('sysctl'))) {
    if (typeof v === 'string' || v === null) value.sysctl[name] = v;
    else issues.push(issue(0, `${name}: ${jsonPreview(v)}`.slice(0, 80), `sysctl ${name} is neither a string nor null: unknown`));
  }
  for (const [name, v] of Object.entries(group('modules'))) {
    if (typeof v === 'boolean') value.modules[name] = v;
    else issues.push(issue(0, `${name}: ${jsonPreview(v)}`.slice(0, 80), `module ${name} is not true or false: unknown`));
  }
  for (const [name, v] of Object.entries(group('unreadable'))) {
    const why = typeof v === 'string' ? v : jsonPreview(v);
    value.unreadable[name] = why;
    issues.push(issue(0, name, `${name} could not be read on the host: ${why}`));
  }
  return { value, issues };
}

/** host/settings.json as a Fact: known, or unknown saying why (not gathered, needs root, unreadable). */
export function hostSettingsFact(snapshot: Snapshot): ReadFact<HostSettings> {
  return readSnapshotFact(snapshot, FACT.hostSettings, parseHostSettings, 'kernel settings (/proc/sys, /sys/module) are not in the data');
}
