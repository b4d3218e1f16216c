// A fact group as docknet knows it: known (with its value, possibly empty) or unknown (with why).
// An absent group is never read as an empty one: `containers ?? []` is the bug this type prevents.

/** Why a fact group is unknown, as a code; the reason says it in words. */
export type UnknownCause =
  /** The data (a snapshot, a paste) does not hold it. */
  | 'not-in-data'
  /** Reading it needs root (or a group) the run did not have. */
  | 'needs-root'
  /** The tool that prints it is not installed. */
  | 'tool-missing'
  /** It was read and could not be understood, or the read failed with an error. */
  | 'failed';

const CAUSES: readonly string[] = ['not-in-data', 'needs-root', 'tool-missing', 'failed'];

/** For causes read back from files (a manifest, a net.json): anything else is not one. */
export function isUnknownCause(v: unknown): v is UnknownCause {
  return typeof v === 'string' && CAUSES.includes(v);
}

export interface Known<T> {
  known: true;
  value: T;
  /** Where it came from, e.g. "docker/containers.json" or "host/brctl-show.txt". */
  from: string;
}

export interface Unknown {
  known: false;
  cause: UnknownCause;
  reason: string;
}

export type Fact<T> = Known<T> | Unknown;

export function known<T>(value: T, from: string): Known<T> {
  return { known: true, value, from };
}

export function unknown(cause: UnknownCause, reason: string): Unknown {
  return { known: false, cause, reason };
}

/**
 * The value for look-ups only: an unknown group finds nothing. A caller that uses it must not
 * conclude absence ("none", "no container has ...") from what it does not find.
 */
export function lookupIn<T>(fact: Fact<T[]>): T[] {
  return fact.known ? fact.value : [];
}

/** The cause a gathering failure's words point at. */
export function causeOf(reason: string): UnknownCause {
  if (/needs root|permission denied|must be root|not permitted|EACCES|EPERM/i.test(reason)) return 'needs-root';
  if (/not found|not installed|ENOENT|no such file or directory.*(iptables|nft|ip|brctl)/i.test(reason)) return 'tool-missing';
  return 'failed';
}
