// manifest.json: what a saved snapshot holds, where each file came from, and what could not be gathered.
import type { FactOrigin, MissingFact } from './snapshot.js';

export const MANIFEST_FILE = 'manifest.json';
export const FORMAT_NAME = 'docknet-snapshot';
export const FORMAT_VERSION = 1;

export interface Manifest {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  docknetVersion: string;
  takenAt: string | null;
  hostname: string | null;
  kernel: string | null;
  files: Record<string, FactOrigin>;
  missing: MissingFact[];
  redacted: boolean;
}
