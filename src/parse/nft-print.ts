// Renders nft JSON expressions and statements as `nft list ruleset` prints them, so a rule read from
// JSON reads the same as the text the user saw (and as the text parser keeps it).

export type Json = Record<string, unknown>;

// Meta keys nft prints without the `meta` keyword.
export const BARE_META = new Set([
  'iif',
  'oif',
  'iifname',
  'oifname',
  'iiftype',
  'oiftype',
  'skuid',
  'skgid',
  'mark',
  'iifgroup',
  'oifgroup',
]);
// Statements that end a rule's evaluation or rewrite addresses: they name the rule's target.
export const VERDICTS: Readonly<Record<string, string>> = {
  accept: 'ACCEPT',
  drop: 'DROP',
  return: 'RETURN',
  continue: 'CONTINUE',
  queue: 'QUEUE',
  reject: 'REJECT',
  notrack: 'NOTRACK',
};
// Statements rendered without being modelled; anything else is reported.
export const KNOWN_STATEMENTS = new Set([
  'limit',
  'log',
  'quota',
  'mangle',
  'set',
  'map',
  'meter',
  'dup',
  'fwd',
  'ct helper',
  'ct timeout',
  'ct expectation',
  'ct count',
  'synproxy',
  'tproxy',
  'secmark',
  'flow',
  'last',
]);

export function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The single key of an nft JSON object such as {"counter": {...}}. */
export function kindOf(o: Json): string | null {
  const keys = Object.keys(o);
  return keys.length === 1 ? (keys[0] ?? null) : null;
}

function isIfnameKey(e: unknown): boolean {
  if (!isObj(e) || !isObj(e.meta)) return false;
  const key = str(e.meta.key);
  return key === 'iifname' || key === 'oifname';
}

/** An expression as nft prints it; unknown shapes as their JSON. */
export function renderExpr(e: unknown, quoteStrings = false): string {
  if (typeof e === 'string') return quoteStrings ? JSON.stringify(e) : e;
  if (typeof e === 'number' || typeof e === 'boolean') return String(e);
  if (e === null || e === undefined) return '';
  if (Array.isArray(e)) return e.map((x) => renderExpr(x, quoteStrings)).join(',');
  if (!isObj(e)) return JSON.stringify(e);
  const kind = kindOf(e);
  const v = kind === null ? undefined : e[kind];
  switch (kind) {
    case 'set':
      // A map's data is a set of [key, value] pairs.
      return Array.isArray(v)
        ? `{ ${v.map((x) => (Array.isArray(x) && x.length === 2 ? `${renderExpr(x[0], quoteStrings)} : ${renderExpr(x[1], quoteStrings)}` : renderExpr(x, quoteStrings))).join(', ')} }`
        : renderExpr(v, quoteStrings);
    case 'prefix':
      return isObj(v) ? `${renderExpr(v.addr)}/${renderExpr(v.len)}` : JSON.stringify(e);
    case 'range':
      return Array.isArray(v) && v.length === 2 ? `${renderExpr(v[0], quoteStrings)}-${renderExpr(v[1], quoteStrings)}` : JSON.stringify(e);
    case 'payload':
      if (isObj(v) && typeof v.protocol === 'string') return `${v.protocol} ${renderExpr(v.field)}`;
      if (isObj(v) && v.base !== undefined) return `@${renderExpr(v.base)},${renderExpr(v.offset)},${renderExpr(v.len)}`;
      return JSON.stringify(e);
    case 'meta': {
      const key = isObj(v) ? str(v.key) : null;
      if (key === null) return JSON.stringify(e);
      return BARE_META.has(key) ? key : `meta ${key}`;
    }
    case 'ct':
      return isObj(v) ? `ct ${v.dir !== undefined ? `${renderExpr(v.dir)} ` : ''}${renderExpr(v.key)}` : JSON.stringify(e);
    case 'fib':
      return isObj(v)
        ? `fib ${Array.isArray(v.flags) ? v.flags.map((f) => renderExpr(f)).join(' . ') : renderExpr(v.flags)} ${renderExpr(v.result)}`
        : JSON.stringify(e);
    case 'rt':
      return isObj(v) ? `rt ${renderExpr(v.key)}` : JSON.stringify(e);
    case 'concat':
      return Array.isArray(v) ? v.map((x) => renderExpr(x, quoteStrings)).join(' . ') : JSON.stringify(e);
    case 'elem':
      return isObj(v) ? renderExpr(v.val, quoteStrings) : JSON.stringify(e);
    case 'map':
      return isObj(v) ? `${renderExpr(v.key)} map ${renderExpr(v.data)}` : JSON.stringify(e);
    case 'jump':
    case 'goto':
      return isObj(v) ? `${kind} ${renderExpr(v.target)}` : JSON.stringify(e);
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>':
      return Array.isArray(v) && v.length === 2 ? `${renderExpr(v[0])} ${kind} ${renderExpr(v[1])}` : JSON.stringify(e);
    default:
      if (kind !== null && v === null) return kind; // verdicts such as {"accept": null} inside maps
      return JSON.stringify(e);
  }
}

function renderPort(p: unknown): string {
  return renderExpr(p);
}

function renderNatTo(v: Json): string {
  const addr = v.addr;
  const port = v.port;
  const a = addr === undefined ? '' : renderExpr(addr);
  if (port === undefined) return a;
  const bracket = typeof addr === 'string' && addr.includes(':');
  return `${bracket ? `[${a}]` : a}:${renderPort(port)}`;
}

/** A statement as nft prints it, and whether it is a kind docknet knows. */
export function renderStatement(kind: string, v: unknown): { text: string; known: boolean } {
  switch (kind) {
    case 'match': {
      if (!isObj(v)) return { text: JSON.stringify({ match: v }), known: false };
      const quote = isIfnameKey(v.left);
      const op = str(v.op) ?? '==';
      const left = renderExpr(v.left);
      const right = renderExpr(v.right, quote);
      return { text: op === '==' || op === 'in' ? `${left} ${right}` : `${left} ${op} ${right}`, known: true };
    }
    case 'counter':
      if (isObj(v)) return { text: `counter packets ${renderExpr(v.packets)} bytes ${renderExpr(v.bytes)}`, known: true };
      return { text: `counter name ${renderExpr(v, true)}`, known: true };
    case 'jump':
    case 'goto':
      return { text: renderExpr({ [kind]: v }), known: true };
    case 'dnat':
    case 'snat': {
      if (!isObj(v)) return { text: kind, known: true };
      const fam = str(v.family);
      const to = renderNatTo(v);
      return { text: `${kind}${fam ? ` ${fam}` : ''}${to ? ` to ${to}` : ''}${flags(v)}`, known: true };
    }
    case 'masquerade':
    case 'redirect': {
      const port = isObj(v) && v.port !== undefined ? ` to :${renderPort(v.port)}` : '';
      return { text: `${kind}${port}${isObj(v) ? flags(v) : ''}`, known: true };
    }
    case 'xt':
      return isObj(v) ? { text: `xt ${renderExpr(v.type)} ${JSON.stringify(v.name ?? '')}`, known: true } : { text: 'xt', known: true };
    case 'vmap':
      return isObj(v) ? { text: `${renderExpr(v.key)} vmap ${renderExpr(v.data)}`, known: true } : { text: 'vmap', known: true };
    case 'limit': {
      if (!isObj(v)) return { text: 'limit', known: true };
      const inv = v.inv === true ? 'over ' : '';
      const unit = typeof v.rate_unit === 'string' && v.rate_unit !== 'packets' ? ` ${v.rate_unit}` : '';
      const burst =
        v.burst !== undefined && v.burst !== 0
          ? ` burst ${renderExpr(v.burst)} ${typeof v.burst_unit === 'string' ? v.burst_unit : 'packets'}`
          : '';
      return { text: `limit rate ${inv}${renderExpr(v.rate)}${unit}/${renderExpr(v.per)}${burst}`, known: true };
    }
    case 'log':
      return { text: isObj(v) && typeof v.prefix === 'string' ? `log prefix ${JSON.stringify(v.prefix)}` : 'log', known: true };
    case 'mangle':
      return isObj(v) ? { text: `${renderExpr(v.key)} set ${renderExpr(v.value)}`, known: true } : { text: 'mangle', known: true };
    default:
      if (VERDICTS[kind] !== undefined) return { text: v === null || v === undefined ? kind : `${kind} ${renderExpr(v)}`, known: true };
      return { text: `${kind} ${JSON.stringify(v)}`, known: KNOWN_STATEMENTS.has(kind) };
  }
}

function flags(v: Json): string {
  const f = v.flags;
  if (Array.isArray(f)) return ` ${f.map((x) => renderExpr(x)).join(',')}`;
  if (typeof f === 'string') return ` ${f}`;
  return '';
}
