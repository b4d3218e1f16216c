// The one line that tells the reader they are looking at saved facts, not the live host.
import type { Snapshot } from '../snapshot/snapshot.js';

export function snapshotNotice(s: Snapshot): string | null {
  if (s.source.kind !== 'saved') return null;
  const host = s.hostname ? ` of ${s.hostname}` : '';
  if (s.source.transcript) {
    const when = s.takenAt ? `taken ${s.takenAt}` : 'time not recorded';
    return `Describes facts cut from a pasted terminal transcript${host} (${when}), loaded from ${s.source.location}; not the live host.`;
  }
  const when = s.takenAt ? `taken ${s.takenAt}` : 'time not recorded';
  return `Describes a saved snapshot${host} (${when}), loaded from ${s.source.location}; not the live host.`;
}

export function snapshotJson(s: Snapshot): { source: string; location: string | null; takenAt: string | null; hostname: string | null } {
  return { source: s.source.kind, location: s.source.location, takenAt: s.takenAt, hostname: s.hostname };
}

/** A command's JSON document: its schema version and the snapshot it describes, then its own fields. */
export function jsonDocument<T extends object>(
  schemaVersion: number,
  snapshot: Snapshot,
  body: T,
): { schemaVersion: number; snapshot: ReturnType<typeof snapshotJson> } & T {
  return { schemaVersion, snapshot: snapshotJson(snapshot), ...body };
}
