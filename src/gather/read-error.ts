// What a failed read of a /proc or /sys file means, with its path: needs root, gone, or an error.
import type { UnknownCause } from '../model/fact.js';

export interface ReadFailure {
  /** The system error code, e.g. "EACCES"; null when the error has none. */
  code: string | null;
  cause: UnknownCause;
  reason: string;
}

export function errorCode(err: unknown): string | null {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : null;
}

/** A process that ended, or a file that is not there: not a permission problem. */
export function isGone(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ENOENT' || code === 'ESRCH';
}

/**
 * EACCES and EPERM are needs-root (the read would work as root); anything else failed, with the
 * system's own words. Never "absent": a file that could not be read says nothing about its content.
 */
export function readFailure(err: unknown, path: string): ReadFailure {
  const code = errorCode(err);
  if (code === 'EACCES' || code === 'EPERM') return { code, cause: 'needs-root', reason: `reading ${path} needs root (permission denied)` };
  const message = (err as Error)?.message ?? String(err);
  return { code, cause: 'failed', reason: `could not read ${path}: ${message}` };
}
