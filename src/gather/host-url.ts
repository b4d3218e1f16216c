// The engines a run reads, as the user names them: --host URLs (unix://, tcp://, ssh://) parsed and
// checked in this one place, before any I/O, so that a bad one is a usage error naming it.
import { UsageError } from '../model/errors.js';

export type HostUrl =
  | { kind: 'unix'; url: string; path: string }
  | { kind: 'tcp'; url: string; host: string; port: number }
  /** socket: the remote engine's socket path (the URL's path), null for the remote's default. */
  | { kind: 'ssh'; url: string; user: string | null; host: string; port: number | null; socket: string | null };

const HOST_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

function bad(text: string, why: string): UsageError {
  return new UsageError(
    `--host '${text}': ${why} (forms: unix:///path/to/docker.sock, tcp://HOST:PORT, ssh://[user@]host[:port][/socket-path])`,
  );
}

function port(text: string, raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535) throw bad(text, `'${raw}' is not a port (1-65535)`);
  return n;
}

/** host, or [v6]: the name ssh and the Engine API are given. */
function hostPart(text: string, raw: string): string {
  const v6 = /^\[([0-9A-Fa-f:.]+)\]$/.exec(raw);
  if (v6?.[1]) return v6[1];
  if (!raw) throw bad(text, 'no host name');
  // A leading '-' would reach ssh as an option: refused here, not quoted there.
  if (!HOST_NAME.test(raw)) throw bad(text, `'${raw}' is not a host name or address`);
  return raw;
}

function splitHostPort(rest: string): { host: string; port: string | null } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(rest);
  return { host: m?.[1] ?? '', port: m?.[2] ?? null };
}

function parseSsh(text: string, body: string): HostUrl {
  const slash = body.indexOf('/');
  const authority = slash < 0 ? body : body.slice(0, slash);
  const path = slash < 0 ? '' : body.slice(slash);
  const at = authority.lastIndexOf('@');
  const user = at < 0 ? null : authority.slice(0, at);
  if (user !== null && !USER.test(user)) throw bad(text, `'${user}' is not a user name`);
  const hp = splitHostPort(authority.slice(at + 1));
  if (path !== '' && path !== '/' && !/^\/[\w@%+=:,./-]+$/.test(path)) throw bad(text, `'${path}' is not a socket path`);
  return {
    kind: 'ssh',
    url: text,
    user,
    host: hostPart(text, hp.host),
    port: hp.port === null ? null : port(text, hp.port),
    socket: path === '' || path === '/' ? null : path,
  };
}

/** Throws a UsageError naming the URL when it is not one docknet reads. */
export function parseHostUrl(text: string): HostUrl {
  const scheme = /^([a-z]+):\/\/(.*)$/.exec(text);
  if (!scheme) throw bad(text, 'not a URL');
  const [, kind, body = ''] = scheme;
  if (kind === 'unix') {
    if (!body.startsWith('/')) throw bad(text, 'a unix socket needs an absolute path');
    return { kind: 'unix', url: text, path: body };
  }
  if (kind === 'tcp') {
    if (body.includes('/') && !body.endsWith('/')) throw bad(text, 'a tcp address has no path');
    const hp = splitHostPort(body.replace(/\/$/, ''));
    if (hp.port === null) throw bad(text, 'a tcp address needs a port');
    return { kind: 'tcp', url: text, host: hostPart(text, hp.host), port: port(text, hp.port) };
  }
  if (kind === 'ssh') return parseSsh(text, body);
  throw bad(text, `'${kind}://' is not a transport docknet reads`);
}
