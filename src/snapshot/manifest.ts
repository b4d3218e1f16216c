// manifest.json: what a saved snapshot holds, where each file came from, and what could not be gathered.
import type { FactOrigin, MissingFact } from './snapshot.js';

export const MANIFEST_FILE = 'manifest.json';
export const FORMAT_NAME = 'docknet-snapshot';
/** Raised only when a reader of the old version would misread a new snapshot; new optional fields do not. */
export const FORMAT_VERSION = 1;

/** What redaction replaced, by file and by kind of value; never the values themselves. */
export interface RedactionSummary {
  replacement: string;
  rules: string[];
  /** e.g. {"docker/containers.json": {"env": 12, "label": 1, "arg": 1}} */
  counts: Record<string, Record<string, number>>;
}

export interface Manifest {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  docknetVersion: string;
  takenAt: string | null;
  hostname: string | null;
  kernel: string | null;
  files: Record<string, FactOrigin>;
  missing: MissingFact[];
  /** Written by `snapshot import`: the facts were cut from this terminal transcript. */
  importedFrom?: { kind: 'transcript'; path: string; sha256: string };
  /** false when saved with --no-redact, and for a snapshot imported from a transcript (its text is kept as pasted). */
  redacted: boolean;
  redaction?: RedactionSummary;
}
