// What a command printed: an error instead of its output, the JSON array of an inspect, the kind of
// each inspected object.
import type { UnknownCause } from '../../model/fact.js';
import type { MissingFact } from '../../snapshot/snapshot.js';

/** The error a command printed instead of its output, or null. */
export function errorOf(output: string): string | null {
  const first = output
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !/^sudo: unable to resolve host/.test(l));
  if (first === undefined) return null;
  if (/executable file not found|command not found|: not found$|No such file or directory/.test(first)) return `tool missing: ${first}`;
  if (/permission denied|operation not permitted|you must be root|must be run as root|are you root/i.test(first))
    return `needs root: ${first} (run it with sudo)`;
  if (
    /Cannot connect to the Docker daemon|Error response from daemon|^Error:|^error:|^docker: |No such (?:container|object|network)|is not running|Unknown option|unknown (?:flag|shorthand flag|command)|invalid option|^Usage:|Object ".*" is unknown|can't initialize ip6?tables|RTNETLINK answers|^iptables v[\d.]+.*:/.test(
      first,
    )
  )
    return `failed: ${first}`;
  return null;
}

/** A failed command's fact, with errorOf's words as the cause's code too. */
export function missingFact(path: string, what: string, reason: string): MissingFact {
  const cause: UnknownCause = reason.startsWith('tool missing:')
    ? 'tool-missing'
    : reason.startsWith('needs root:')
      ? 'needs-root'
      : 'failed';
  return { path, what, reason, cause };
}

export interface JsonPart {
  value: unknown[] | null;
  /** The array's own text (from its `[` line to its `]` line). */
  text: string;
  /** Non-blank lines outside the array. */
  outside: { line: number; text: string }[];
  error: string | null;
}

/** The JSON array in an inspect output: docker prints errors for missing names after it. */
export function jsonArray(output: string, firstLine: number): JsonPart {
  const lines = output.split(/(?<=\n|\r(?!\n))/);
  const open = lines.findIndex((l) => /^\s*\[/.test(l));
  let close = -1;
  for (let k = lines.length - 1; k >= Math.max(open, 0); k--) {
    if (/\]\s*$/.test(lines[k] as string)) {
      close = k;
      break;
    }
  }
  const outside = (from: number, to: number) =>
    lines
      .slice(from, to)
      .map((t, k) => ({ line: firstLine + from + k, text: t.trim() }))
      .filter((l) => l.text !== '');
  if (open < 0 || close < 0) return { value: null, text: '', outside: outside(0, lines.length), error: 'no JSON array in the output' };
  const text = lines.slice(open, close + 1).join('');
  const around = [...outside(0, open), ...outside(close + 1, lines.length)];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return { value: null, text, outside: around, error: 'not a JSON array' };
    return { value, text, outside: around, error: null };
  } catch (err) {
    return { value: null, text, outside: around, error: `not valid JSON (${(err as Error).message})` };
  }
}

export type Json = Record<string, unknown>;

export function kindOfObject(o: unknown): 'container' | 'network' | 'other' {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return 'other';
  const j = o as Json;
  if ('State' in j && ('Config' in j || 'NetworkSettings' in j)) return 'container';
  if ('IPAM' in j || ('Driver' in j && 'Containers' in j) || ('Driver' in j && 'Scope' in j && !('RepoTags' in j))) return 'network';
  return 'other';
}
