// Hides secrets before a snapshot leaves the host: environment values, and label, option and
// command-line values whose key looks secret. Pure: Snapshot in, redacted Snapshot and a count out.
import type { RedactionSummary } from '../snapshot/manifest.js';
import { FACT, type Snapshot } from '../snapshot/snapshot.js';

export const REDACTED = '<redacted>';

const SECRET_WORDS = ['password', 'passwd', 'token', 'secret', 'key', 'credential', 'auth'];

export const REDACTION_RULES = [
  'docker/containers.json: every Config.Env value (the variable names are kept: NAME=<redacted>)',
  `label and option values whose key contains ${SECRET_WORDS.join(', ')} (any case): container, network, volume-driver and log-driver labels and options, engine labels`,
  'command lines (Config.Cmd, Config.Entrypoint, Path, Args, Config.Healthcheck.Test, Command): KEY=value and --key=value with a secret-looking key, the argument after a secret-looking --flag, "Key: value" headers with a secret-looking key',
  'the password of any scheme://user:password@host URL, in every string of the Engine JSON files',
];

/** A key that names a secret: `db.password`, `API_KEY`, `--token`, `Authorization`. */
export function secretKey(key: string): boolean {
  const k = key.toLowerCase();
  return SECRET_WORDS.some((w) => k.includes(w));
}

type Json = Record<string, unknown>;
type Counts = Record<string, number>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function bump(counts: Counts, kind: string, n = 1): void {
  if (n > 0) counts[kind] = (counts[kind] ?? 0) + n;
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+):([^\s@/]+)@/gi;

function redactUrls(s: string, counts: Counts): string {
  return s.replace(URL_CREDENTIALS, (_m, who: string) => {
    bump(counts, 'url');
    return `${who}:${REDACTED}@`;
  });
}

// A whole argument `--password=x y` or `API_KEY=x`: everything after the `=` is the value.
const WHOLE_ASSIGNMENT = /^(-{0,2}[A-Za-z_][\w.-]*)=([\s\S]*)$/;
// Inside a longer string (a shell command): `--password=x`, `TOKEN='a b'`.
const INLINE_ASSIGNMENT = /(?<![\w.-])(-{0,2}[A-Za-z_][\w.-]*)=("[^"]*"|'[^']*'|[^\s"';&|]*)/g;
// Inside a longer string: `--password x`.
const INLINE_FLAG_VALUE = /(?<![\w.-])(-{1,2}[A-Za-z_][\w.-]*)(\s+)("[^"]*"|'[^']*'|[^\s"'-][^\s"';&|]*)/g;
// A header: `Authorization: Bearer x` (the value runs to the end of the quoted part).
const INLINE_HEADER = /(?<![\w.-])([A-Za-z_][\w.-]*):([ \t]*)([^"'\n]+)/g;
const BARE_FLAG = /^-{1,2}[A-Za-z_][\w.-]*$/;

function redactInline(s: string, counts: Counts): string {
  let out = s.replace(INLINE_ASSIGNMENT, (m, key: string, value: string) => {
    if (!secretKey(key) || value === '') return m;
    bump(counts, 'arg');
    return `${key}=${REDACTED}`;
  });
  out = out.replace(INLINE_FLAG_VALUE, (m, flag: string, space: string, value: string) => {
    if (!secretKey(flag) || value.startsWith(REDACTED)) return m;
    bump(counts, 'arg');
    return `${flag}${space}${REDACTED}`;
  });
  out = out.replace(INLINE_HEADER, (m, key: string, space: string, value: string) => {
    if (!secretKey(key) || value.trim() === '' || value.startsWith('//') || value.startsWith(REDACTED)) return m;
    bump(counts, 'arg');
    return `${key}:${space}${REDACTED}`;
  });
  return out;
}

/** One command line, as an argument array: a secret flag's next argument is its value. */
export function redactArgs(args: readonly unknown[], counts: Counts): unknown[] {
  const out: unknown[] = [];
  let valueOfSecretFlag = false;
  for (const a of args) {
    if (typeof a !== 'string') {
      out.push(a);
      valueOfSecretFlag = false;
      continue;
    }
    if (valueOfSecretFlag && !a.startsWith('-')) {
      bump(counts, 'arg');
      out.push(REDACTED);
      valueOfSecretFlag = false;
      continue;
    }
    valueOfSecretFlag = BARE_FLAG.test(a) && secretKey(a);
    const whole = WHOLE_ASSIGNMENT.exec(a);
    if (whole && secretKey(whole[1] as string) && whole[2] !== '') {
      bump(counts, 'arg');
      out.push(`${whole[1]}=${REDACTED}`);
    } else {
      out.push(redactInline(a, counts));
    }
  }
  return out;
}

function redactCommandField(o: Json, field: string, counts: Counts): void {
  const v = o[field];
  if (Array.isArray(v)) o[field] = redactArgs(v, counts);
  else if (typeof v === 'string') o[field] = redactArgs([v], counts)[0];
}

/** A map of user-chosen keys (labels, driver options): values of secret-looking keys. */
function redactMap(v: unknown, counts: Counts, kind: string): void {
  if (!isObj(v)) return;
  for (const [k, value] of Object.entries(v)) {
    if (typeof value === 'string' && value !== '' && secretKey(k)) {
      v[k] = REDACTED;
      bump(counts, kind);
    }
  }
}

/** `KEY=value` strings (engine labels): values of secret-looking keys. */
function redactPairs(v: unknown, counts: Counts, kind: string): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((s) => {
    if (typeof s !== 'string') return s;
    const eq = s.indexOf('=');
    if (eq <= 0 || !secretKey(s.slice(0, eq)) || eq === s.length - 1) return s;
    bump(counts, kind);
    return `${s.slice(0, eq)}=${REDACTED}`;
  });
}

function redactContainer(c: Json, counts: Counts): void {
  const config = c.Config;
  if (isObj(config)) {
    if (Array.isArray(config.Env)) {
      config.Env = config.Env.map((e) => {
        if (typeof e !== 'string') return e;
        const eq = e.indexOf('=');
        if (eq < 0) return e;
        bump(counts, 'env');
        return `${e.slice(0, eq)}=${REDACTED}`;
      });
    }
    redactMap(config.Labels, counts, 'label');
    for (const f of ['Cmd', 'Entrypoint', 'OnBuild']) redactCommandField(config, f, counts);
    if (isObj(config.Healthcheck)) redactCommandField(config.Healthcheck, 'Test', counts);
  }
  // The container list's shape: Labels and Command at the top.
  redactMap(c.Labels, counts, 'label');
  for (const f of ['Path', 'Args', 'Command']) redactCommandField(c, f, counts);
  const host = c.HostConfig;
  if (isObj(host)) {
    if (isObj(host.LogConfig)) redactMap(host.LogConfig.Config, counts, 'option');
    for (const m of Array.isArray(host.Mounts) ? host.Mounts : []) {
      if (!isObj(m) || !isObj(m.VolumeOptions)) continue;
      redactMap(m.VolumeOptions.Labels, counts, 'label');
      if (isObj(m.VolumeOptions.DriverConfig)) redactMap(m.VolumeOptions.DriverConfig.Options, counts, 'option');
    }
  }
}

function redactNetwork(n: Json, counts: Counts): void {
  redactMap(n.Labels, counts, 'label');
  redactMap(n.Options, counts, 'option');
  if (isObj(n.IPAM)) redactMap(n.IPAM.Options, counts, 'option');
}

function deepStrings(v: unknown, fn: (s: string) => string): unknown {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((x) => deepStrings(x, fn));
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) v[k] = deepStrings(x, fn);
  }
  return v;
}

const JSON_RULES: Record<string, (doc: unknown, counts: Counts) => unknown> = {
  [FACT.containers]: (doc, counts) => {
    for (const c of Array.isArray(doc) ? doc : []) if (isObj(c)) redactContainer(c, counts);
    return doc;
  },
  [FACT.networks]: (doc, counts) => {
    for (const n of Array.isArray(doc) ? doc : []) if (isObj(n)) redactNetwork(n, counts);
    return doc;
  },
  [FACT.engineInfo]: (doc, counts) => {
    if (isObj(doc)) doc.Labels = redactPairs(doc.Labels, counts, 'label');
    return doc;
  },
  [FACT.engineVersion]: (doc) => doc,
};

export interface Redacted {
  snapshot: Snapshot;
  summary: RedactionSummary;
}

/**
 * A copy of the snapshot with secrets replaced. A JSON file that cannot be parsed cannot be
 * checked, so it is left out and listed as missing rather than saved unredacted.
 */
export function redactSnapshot(snapshot: Snapshot): Redacted {
  const facts = new Map(snapshot.facts);
  const missing = [...snapshot.missing];
  const counts: Record<string, Counts> = {};
  for (const [path, rule] of Object.entries(JSON_RULES)) {
    const fact = facts.get(path);
    if (!fact) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(fact.text);
    } catch (err) {
      facts.delete(path);
      missing.push({
        path,
        what: fact.origin.what,
        reason: `not saved: not valid JSON, so it could not be redacted (${(err as Error).message})`,
        cause: 'failed',
      });
      continue;
    }
    const c: Counts = {};
    doc = deepStrings(rule(doc, c), (s) => redactUrls(s, c));
    if (Object.keys(c).length === 0) continue;
    counts[path] = c;
    facts.set(path, { ...fact, text: JSON.stringify(doc) });
  }
  return {
    snapshot: { ...snapshot, facts, missing },
    summary: { replacement: REDACTED, rules: REDACTION_RULES, counts },
  };
}
