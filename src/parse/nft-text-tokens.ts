// The words of one line of `nft list ruleset` text, and nft values (addresses, ports, sets) turned
// into the JSON form `nft -j` gives them, so that the text parser can share the JSON parser's rule fields.

export interface Token {
  /** The word as written; for a quoted string, with its quotes. */
  raw: string;
  /** The word's value: a quoted string without its quotes and escapes. */
  value: string;
  quoted: boolean;
  start: number;
  end: number;
}

// Characters that are words of their own wherever they stand; a comma only where it separates
// elements (`{ 80, 443 }`), not inside a value (`ct state established,related`).
const PUNCT = new Set(['{', '}', '(', ')', ';']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r' || c === '\n';
}

function separates(line: string, i: number): boolean {
  const next = line[i + 1];
  return next === undefined || isSpace(next) || next === '}' || next === '"' || next === ',';
}

/** Splits a line the way nft prints it: "quoted strings" (with \" escapes), braces, commas and words. */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (isSpace(c)) {
      i += 1;
      continue;
    }
    const start = i;
    if (c === '"') {
      let value = '';
      i += 1;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i += 1;
        value += line[i];
        i += 1;
      }
      i = Math.min(line.length, i + 1);
      out.push({ raw: line.slice(start, i), value, quoted: true, start, end: i });
      continue;
    }
    if (PUNCT.has(c) || (c === ',' && separates(line, i))) {
      i += 1;
      out.push({ raw: c, value: c, quoted: false, start, end: i });
      continue;
    }
    i += 1;
    while (
      i < line.length &&
      !isSpace(line[i] as string) &&
      !PUNCT.has(line[i] as string) &&
      line[i] !== '"' &&
      !(line[i] === ',' && separates(line, i))
    )
      i += 1;
    const raw = line.slice(start, i);
    out.push({ raw, value: raw, quoted: false, start, end: i });
  }
  return out;
}

/** Whether a quoted string was closed: an unclosed one ran to the end of the line. */
export function closedString(t: Token): boolean {
  return !t.quoted || (t.raw.length >= 2 && t.raw.endsWith('"') && !t.raw.endsWith('\\"'));
}

/** The index after the `}` (or `)`) that closes the group opened at toks[i]; toks.length when it is not closed. */
export function groupEnd(toks: Token[], i: number): number {
  const open = toks[i]?.value;
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  for (let k = i; k < toks.length; k++) {
    const v = (toks[k] as Token).quoted ? '' : (toks[k] as Token).value;
    if (v === open) depth += 1;
    else if (v === close) {
      depth -= 1;
      if (depth === 0) return k + 1;
    }
  }
  return toks.length;
}

const NUMBER = /^\d{1,20}$/;

/** A plain value as nft JSON holds it: numbers as numbers, `a/len` as a prefix, `a-b` as a range. */
export function jsonValue(t: Token): unknown {
  if (t.quoted) return t.value;
  const v = t.value;
  if (NUMBER.test(v)) return Number(v);
  const prefix = /^([0-9A-Fa-f:.]+)\/(\d{1,3})$/.exec(v);
  if (prefix) return { prefix: { addr: prefix[1], len: Number(prefix[2]) } };
  const range = /^([0-9A-Fa-f:.]+)-([0-9A-Fa-f:.]+)$/.exec(v);
  if (range && range[1] !== undefined && range[2] !== undefined) {
    const num = (s: string): unknown => (NUMBER.test(s) ? Number(s) : s);
    return { range: [num(range[1]), num(range[2])] };
  }
  return v;
}

/** The elements of a `{ a, b : c }` group as nft JSON: a set of values, or of [key, value] pairs. */
export function jsonSet(toks: Token[]): unknown {
  const elems: unknown[] = [];
  let item: Token[] = [];
  const flush = (): void => {
    if (item.length === 0) return;
    const colon = item.findIndex((t) => !t.quoted && t.value === ':');
    const one = (ts: Token[]): unknown => (ts.length === 1 ? jsonValue(ts[0] as Token) : ts.map((t) => t.raw).join(' '));
    elems.push(colon > 0 ? [one(item.slice(0, colon)), one(item.slice(colon + 1))] : one(item));
    item = [];
  };
  for (const t of toks.slice(1, -1)) {
    if (!t.quoted && t.value === ',') flush();
    else item.push(t);
  }
  flush();
  return { set: elems };
}

/** Where a NAT statement sends packets, as nft JSON's `addr` and `port`: `172.17.0.3:8080`, `[fd00::1]:80`, `:53`. */
export function jsonNatTarget(word: string): { addr?: unknown; port?: unknown } | null {
  const port = (s: string): unknown => jsonValue({ raw: s, value: s, quoted: false, start: 0, end: 0 });
  const addr = (s: string): unknown => {
    const v = port(s);
    return typeof v === 'number' ? s : v;
  };
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\S+))?$/.exec(word);
  if (v6) return v6[2] === undefined ? { addr: v6[1] } : { addr: v6[1], port: port(v6[2]) };
  if (word.startsWith(':')) return word.length > 1 ? { port: port(word.slice(1)) } : null;
  const colons = word.split(':').length - 1;
  if (colons === 1) {
    const [a, p] = word.split(':') as [string, string];
    return { addr: addr(a), port: port(p) };
  }
  if (/^[0-9A-Fa-f:.-]+$/.test(word)) return { addr: addr(word) };
  return null;
}
