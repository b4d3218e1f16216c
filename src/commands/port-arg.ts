// The address-and-port forms `nat --port` and `reach`'s destination share: `[HOST:]PORT[/PROTO]`, with an
// IPv6 host in brackets. Each command says which parts it requires and which protocols it takes.

/** `49154/udp` -> rest `49154`, protocol `udp` (lower-cased); null when no `/PROTO` is given. */
export function splitProtocol(text: string): { rest: string; protocol: string | null } {
  const slash = text.lastIndexOf('/');
  return slash < 0 ? { rest: text, protocol: null } : { rest: text.slice(0, slash), protocol: text.slice(slash + 1).toLowerCase() };
}

/** `[fd00::1]:80` -> host `fd00::1`, port `80`; `127.0.0.1:80` -> `127.0.0.1`, `80`; `80` -> host null. */
export function splitHostPort(text: string): { host: string | null; port: string } {
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(text);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] as string };
  const i = text.lastIndexOf(':');
  return i < 0 ? { host: null, port: text } : { host: text.slice(0, i), port: text.slice(i + 1) };
}

/** A port number 1-65535, else the error `bad` makes of why not. */
export function portNumber(text: string, bad: (why: string) => Error): number {
  if (!/^\d+$/.test(text)) throw bad(text === '' ? 'no port' : `'${text}' is not a port number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw bad(`${port} is outside 1-65535`);
  return port;
}
