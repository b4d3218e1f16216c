// What a failed Engine API call means: nothing answered, the socket refused this user, an error
// status, or an answer that is not the Engine API's JSON; each names the endpoint and the call.
import type { UnknownCause } from '../model/fact.js';

/**
 * Why a call gave no usable answer. unreachable: nothing answered (no socket, refused, cut);
 * permission: the socket would not let this user in; http: the engine answered with an error
 * status; malformed: something answered, but not with the JSON the Engine API sends.
 */
export type EngineFailureKind = 'unreachable' | 'permission' | 'http' | 'malformed';

/** A call to the engine that failed; the subclass, and `kind`, say how. */
export class EngineError extends Error {
  constructor(
    readonly endpoint: string,
    /** The call that failed, e.g. "GET /containers/json"; '' when not known. */
    readonly call: string,
    readonly kind: EngineFailureKind,
    message: string,
  ) {
    super(message);
  }

  get permissionDenied(): boolean {
    return this.kind === 'permission';
  }
}

/** Nothing answered, or the socket refused this user: no fact of the engine can be had. */
export class EngineUnreachableError extends EngineError {
  constructor(
    endpoint: string,
    readonly reason: string,
    permissionDenied: boolean,
    call = '',
  ) {
    super(endpoint, call, permissionDenied ? 'permission' : 'unreachable', `cannot reach the Docker engine at ${endpoint}: ${reason}`);
  }
}

/** The engine is there and answered one call with an error status (its own message kept). */
export class EngineHttpError extends EngineError {
  constructor(
    endpoint: string,
    call: string,
    readonly statusCode: number,
    readonly engineMessage: string,
  ) {
    super(endpoint, call, 'http', `the Docker engine at ${endpoint} answered HTTP ${statusCode} to ${call}: ${engineMessage}`);
  }
}

/** Something answered with status 200, but not with the JSON the call returns. */
export class EngineAnswerError extends EngineError {
  constructor(
    endpoint: string,
    call: string,
    readonly detail: string,
  ) {
    super(endpoint, call, 'malformed', `the Docker engine at ${endpoint} answered ${call} with ${detail}`);
  }
}

/** The cause a fact the engine did not give is unknown for. */
export function engineCause(err: EngineError): UnknownCause {
  return err.kind === 'permission' ? 'needs-root' : 'failed';
}

/** What to do next about an engine that answered badly (http, malformed); the CLI words the other kinds. */
export function engineAnswerHint(err: EngineError): string {
  if (err instanceof EngineHttpError && (err.statusCode === 401 || err.statusCode === 403))
    return 'Next: the engine, or an authorization plugin in front of it, refused the request: its log (e.g. `journalctl -u docker`) says which.';
  if (err instanceof EngineHttpError)
    return 'Next: the engine is running but failing this call: its log (e.g. `journalctl -u docker`) says why; `docker info` shows whether it answers at all.';
  return 'Next: check that DOCKER_HOST points at a Docker engine (`docker version` asks the same endpoint).';
}

const CUT = /socket hang up/i;

/** The engine's own words for an error answer: the JSON "message", else the body's first line. */
function engineMessage(e: { json?: unknown; reason?: unknown; message?: string }): string {
  const j = e.json;
  if (j && typeof j === 'object' && !Buffer.isBuffer(j) && typeof (j as { message?: unknown }).message === 'string')
    return (j as { message: string }).message;
  const body = Buffer.isBuffer(j) ? j.toString('utf8') : typeof j === 'string' ? j : '';
  const line = body.trim().split('\n')[0]?.trim() ?? '';
  if (line) return line.length > 200 ? `${line.slice(0, 200)}…` : line;
  return typeof e.reason === 'string' ? `${e.reason} (no message in the answer)` : 'no message in the answer';
}

/**
 * What a failed dockerode call means. An error with neither a status nor a system error code is
 * not the engine's doing (a bug here or in dockerode): it is thrown on as it is, not dressed up.
 */
export function engineError(err: unknown, endpoint: string, call: string): EngineError {
  if (err instanceof EngineError) return err;
  const e = err as { code?: unknown; message?: string; statusCode?: unknown; json?: unknown; reason?: unknown };
  if (typeof e?.statusCode === 'number') return new EngineHttpError(endpoint, call, e.statusCode, engineMessage(e));
  const code = typeof e?.code === 'string' ? e.code : null;
  if (code === 'EACCES' || code === 'EPERM')
    return new EngineUnreachableError(endpoint, 'permission denied on the socket (is this user in the docker group? try sudo)', true, call);
  if (code === 'ENOENT') return new EngineUnreachableError(endpoint, 'no such socket (is dockerd running?)', false, call);
  if (code === 'ECONNREFUSED') return new EngineUnreachableError(endpoint, 'connection refused (is dockerd running?)', false, call);
  if (code === 'ECONNRESET' || code === 'EPIPE' || CUT.test(e?.message ?? ''))
    return new EngineUnreachableError(endpoint, 'the connection was cut (did dockerd stop?)', false, call);
  // Node's HTTP parser: something answered, but not in HTTP (DOCKER_HOST at another service).
  if (code?.startsWith('HPE_')) return new EngineAnswerError(endpoint, call, `an answer that is not HTTP (${e?.message ?? code})`);
  // Any other system or TLS error (ETIMEDOUT, EHOSTUNREACH, a certificate refused): nothing usable answered.
  if (code !== null) return new EngineUnreachableError(endpoint, e?.message ?? code, false, call);
  throw err;
}
