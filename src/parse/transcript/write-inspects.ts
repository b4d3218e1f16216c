// Writes containers.json and networks.json from every docker inspect and docker network inspect.
import { issue } from '../../model/parsed.js';
import { FACT } from '../../snapshot/snapshot.js';
import { commandOutcome, notRead, origin, type Candidate } from './candidates.js';
import type { TranscriptCommand, TranscriptImport } from './import.js';
import { errorOf, jsonArray, kindOfObject, missingFact, type Json, type JsonPart } from './outputs.js';
import { shellWords } from './shell-words.js';

type ObjectSet = Map<string, { obj: unknown; c: Candidate }>;
type Outcome = { outcome: TranscriptCommand['outcome']; file: string; notes: string[] };

/** Every object by id, the latest output that showed it, and what became of each inspect. */
interface Inspects {
  containers: ObjectSet;
  networks: ObjectSet;
  outcomes: Map<Candidate, Outcome>;
}

/** `docker inspect` and `docker network inspect`: every object once (the latest), containers and networks apart. */
export function writeInspects(list: Candidate[], result: TranscriptImport): void {
  // The same command typed again replaces its earlier output, even when the later one cannot be read.
  const lastOf = new Map<string, Candidate>();
  for (const c of list) lastOf.set(shellWords(c.block.command).words.join(' '), c);
  const latest = new Set(lastOf.values());
  const st: Inspects = { containers: new Map(), networks: new Map(), outcomes: new Map() };
  for (const c of list) {
    const only = c.rec.kind === 'inspect' ? c.rec.only : null;
    const defaultFile = only === 'networks' ? FACT.networks : FACT.containers;
    if (!latest.has(c)) {
      const later = lastOf.get(shellWords(c.block.command).words.join(' ')) as Candidate;
      st.outcomes.set(c, {
        outcome: 'replaced',
        file: defaultFile,
        notes: [`the same command's later output at line ${later.line} is kept`],
      });
      continue;
    }
    readInspect(st, c, only, defaultFile, result);
  }
  const contributors = new Map<string, number>();
  for (const [path, set] of [
    [FACT.containers, st.containers],
    [FACT.networks, st.networks],
  ] as const) {
    if (set.size === 0) continue;
    contributors.set(path, writeObjects(path, set, result));
  }
  // An inspect that failed is not missing when another one gave the file.
  result.missing = result.missing.filter((m) => !(result.files.has(m.path) && (m.path === FACT.containers || m.path === FACT.networks)));
  recordOutcomes(st, contributors, result);
}

/** One inspect's output: its objects go to their sets; a failed or unreadable one says so. */
function readInspect(
  st: Inspects,
  c: Candidate,
  only: 'containers' | 'networks' | null,
  defaultFile: string,
  result: TranscriptImport,
): void {
  const j = jsonArray(c.output, c.line + 1);
  const err = j.outside.map((o) => errorOf(o.text)).find((e) => e !== null) ?? null;
  if (j.value === null || j.value.length === 0) {
    const reason = j.value !== null ? (err ?? 'an empty list') : err && !j.text ? err : (j.error as string);
    const outcome = err || j.value !== null ? 'error' : 'unreadable';
    st.outcomes.set(c, { outcome, file: defaultFile, notes: [reason] });
    if (outcome === 'unreadable') result.issues.push(issue(c.line, c.block.command, `${defaultFile}: ${reason}: left out`));
    else result.missing.push(missingFact(defaultFile, c.block.command, reason));
    return;
  }
  const notes: string[] = [];
  for (const o of j.outside) result.issues.push(issue(o.line, o.text, `printed beside the JSON of \`${c.block.command}\`: left out`));
  if (err) notes.push(`partly failed: ${err}`);
  const files = new Set<string>();
  for (const obj of j.value) {
    const kind = kindOfObject(obj);
    if (kind === 'other' || (only === 'networks' && kind !== 'network')) {
      notes.push('an object that is neither a container nor a network was left out');
      continue;
    }
    const set = kind === 'container' ? st.containers : st.networks;
    const id = String((obj as Json).Id ?? (obj as Json).Name ?? set.size);
    const before = set.get(id);
    if (before) {
      const o = st.outcomes.get(before.c);
      o?.notes.push(`${kind} ${String((obj as Json).Name ?? id).replace(/^\//, '')}: the later output at line ${c.line} is kept`);
    }
    set.set(id, { obj, c });
    files.add(kind === 'container' ? FACT.containers : FACT.networks);
  }
  if (files.size === 0) {
    result.unknown.push(notRead(c, 'inspects neither a container nor a network (an image or a volume?): not read'));
    return;
  }
  st.outcomes.set(c, { outcome: 'merged', file: [...files].join(' + '), notes });
}

/** Writes one file of objects; returns how many outputs it holds objects of. */
function writeObjects(path: string, set: ObjectSet, result: TranscriptImport): number {
  const from = [...new Set([...set.values()].map((v) => v.c))];
  const one = from.length === 1 ? (from[0] as Candidate) : null;
  const oneJson = one ? jsonArray(one.output, one.line + 1) : null;
  // One output holding exactly these objects is kept byte for byte; anything merged is printed as docker does.
  const verbatim =
    one &&
    oneJson?.value &&
    oneJson.value.length === set.size &&
    oneJson.value.every((o) => kindOfObject(o) === (path === FACT.containers ? 'container' : 'network'));
  result.files.set(
    path,
    verbatim
      ? (oneJson as JsonPart).text
      : `${JSON.stringify(
          [...set.values()].map((v) => v.obj),
          null,
          4,
        )}\n`,
  );
  result.origins.set(path, one ? origin(one) : { kind: 'manual', what: from.map((c) => c.block.command).join(' + ') });
  const named = from.filter((c) => !/\$\(|`/.test(c.block.command));
  if (named.length === from.length)
    result.issues.push(
      issue(
        from[0]?.line ?? 0,
        from[0]?.block.command ?? '',
        `${path}: holds only the ${path === FACT.containers ? 'containers' : 'networks'} named on the command line, not necessarily all of them`,
      ),
    );
  return from.length;
}

function recordOutcomes(st: Inspects, contributors: Map<string, number>, result: TranscriptImport): void {
  const survivors = new Set([...st.containers.values(), ...st.networks.values()].map((v) => v.c));
  for (const [c, o] of st.outcomes) {
    // Every object it showed was shown again later: it is replaced, not merged.
    if (o.outcome === 'merged' && !survivors.has(c)) o.outcome = 'replaced';
    // Written when the files it went to hold its output alone; merged when other outputs share them.
    const alone = o.outcome === 'merged' && o.file.split(' + ').every((f) => contributors.get(f) === 1);
    result.commands.push(commandOutcome(c, o.file, alone ? 'written' : o.outcome, o.notes.length ? o.notes.join('; ') : null));
  }
}
