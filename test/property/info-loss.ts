// The information-loss check: run every command on subsets of a real snapshot, and collect every
// definite answer that disagrees with the full snapshot's, grouped into classes a developer can act on.
import {
  type DefiniteAnswers,
  type Disagreement,
  disagreements,
  doctorAnswers,
  inspectAnswers,
  natAnswers,
  vethMapAnswers,
} from './definite-answers.js';
import { type CommandRun, type RealSnapshot, commandsFor, reproduce, runOn, subsetSnapshot } from './snapshot-subsets.js';

/** One disagreement, with where it was seen. */
export interface Seen extends Omit<Disagreement, 'why'> {
  why: string;
  command: string[];
  files: string[];
  /** Set when the answers' shapes are known better than shapeOf() can tell them (the no-harm test). */
  subsetShape?: string;
  fullShape?: string;
}

function answersOf(run: CommandRun): DefiniteAnswers | null {
  if (run.refused !== null || run.crashed !== null) return null;
  const json = JSON.parse(run.stdout) as unknown;
  switch (run.argv[0]) {
    case 'veth-map':
      return vethMapAnswers(json);
    case 'nat':
      return natAnswers(json);
    case 'inspect':
      return inspectAnswers(json);
    case 'doctor':
      return doctorAnswers(json);
  }
  throw new Error(`no extractor for ${run.argv[0]}`);
}

export interface FullAnswers {
  real: RealSnapshot;
  /** By command line joined with spaces. */
  answers: Map<string, DefiniteAnswers>;
}

export async function fullAnswersOf(real: RealSnapshot): Promise<FullAnswers> {
  const answers = new Map<string, DefiniteAnswers>();
  for (const argv of commandsFor(real)) {
    const run = await runOn(real.snapshot, argv);
    if (run.crashed) throw new Error(`${real.dir}: \`docknet ${argv.join(' ')}\` crashed on the full snapshot: ${run.crashed}`);
    if (run.refused) throw new Error(`${real.dir}: \`docknet ${argv.join(' ')}\` refused the full snapshot: ${run.refused}`);
    answers.set(argv.join(' '), answersOf(run) as DefiniteAnswers);
  }
  return { real, answers };
}

/** Every disagreement of one subset, over every command. */
export async function subsetDisagreements(full: FullAnswers, files: string[]): Promise<Seen[]> {
  const snapshot = subsetSnapshot(full.real, files);
  const out: Seen[] = [];
  for (const argv of commandsFor(full.real)) {
    const run = await runOn(snapshot, argv);
    if (run.crashed) {
      out.push({
        kind: 'crash',
        question: `docknet ${argv[0]} runs`,
        subset: run.crashed,
        full: 'ran',
        why: 'differs',
        command: argv,
        files,
      });
      continue;
    }
    const sub = answersOf(run);
    if (!sub) continue;
    for (const d of disagreements(sub, full.answers.get(argv.join(' ')) as DefiniteAnswers)) out.push({ ...d, command: argv, files });
  }
  return out;
}

const VOCABULARY = new Set([
  ...['yes', 'no', 'true', 'false', 'none', 'ran', 'a publication', 'no container', 'no container: a Docker sandbox'],
  ...['bridge', 'host', 'container', 'macvlan', 'ipvlan', 'overlay', 'null', 'dnat', 'docker-proxy'],
  ...['error', 'warning', 'info', 'nf_tables', 'legacy', 'nftables', "not Docker's", 'swarm ingress', 'stale (no container it serves)'],
]);

/** The shape of an answer with its names left out, so that one class holds every container's case. */
export function shapeOf(value: string | null): string {
  if (value === null) return '(no answer)';
  const v = value.replace(/\b[0-9a-f]{12,64}\b/g, '<id>');
  if (/^none: /.test(v)) return v.replace(/(check \S+ ran).*/, '$1');
  if (v.split(' | ').every((x) => VOCABULARY.has(x))) return v;
  if (/^container \S+$/.test(v)) return 'container <name>';
  if (/^\d+$/.test(v)) return '<number>';
  if (/^[0-9a-f.:]+(\/\d+)?$/i.test(v) && /[.:]/.test(v)) return '<address>';
  if (/^(none|yes|no) \(/.test(v)) return v.replace(/\d+/g, 'N');
  return '<a value>';
}

export interface FailureClass {
  key: string;
  command: string;
  kind: string;
  why: string;
  subsetShape: string;
  fullShape: string;
  /** Distinct subsets showing it, and how many answers. */
  subsets: Set<string>;
  count: number;
  /** The example with the fewest files. */
  example: Seen;
  /** Files absent from every subset of the class, and present in every one: what triggers it. */
  alwaysAbsent: Set<string> | null;
  alwaysPresent: Set<string> | null;
}

export function classify(real: RealSnapshot, seen: Seen[]): FailureClass[] {
  const classes = new Map<string, FailureClass>();
  for (const s of seen) {
    const command = s.command[0] as string;
    const subsetShape = s.subsetShape ?? shapeOf(s.subset);
    const fullShape = s.fullShape ?? shapeOf(s.full);
    const key = `${command} | ${s.kind} | ${s.why} | ${subsetShape} | ${fullShape}`;
    let c = classes.get(key);
    if (!c) {
      c = {
        key,
        command,
        kind: s.kind,
        why: s.why,
        subsetShape,
        fullShape,
        subsets: new Set(),
        count: 0,
        example: s,
        alwaysAbsent: null,
        alwaysPresent: null,
      };
      classes.set(key, c);
    }
    c.count++;
    const id = s.files.join('\n');
    if (!c.subsets.has(id)) {
      c.subsets.add(id);
      const present = new Set(s.files);
      const absent = new Set(real.files.filter((f) => !present.has(f)));
      c.alwaysAbsent = c.alwaysAbsent ? new Set([...c.alwaysAbsent].filter((f) => absent.has(f))) : absent;
      c.alwaysPresent = c.alwaysPresent ? new Set([...c.alwaysPresent].filter((f) => present.has(f))) : present;
    }
    if (s.files.length < c.example.files.length) c.example = s;
  }
  return [...classes.values()].sort((a, b) => b.subsets.size - a.subsets.size || a.key.localeCompare(b.key));
}

const list = (s: Set<string> | null, max = 8): string => {
  const xs = [...(s ?? [])].sort();
  if (xs.length === 0) return '(none)';
  return xs.length > max ? `${xs.slice(0, max).join(', ')}, ... (${xs.length})` : xs.join(', ');
};

/** One class, as a developer reads it: what disagrees, how often, what triggers it, and how to see it. */
export function describeClass(real: RealSnapshot, c: FailureClass, i: number): string {
  const e = c.example;
  return [
    `${i}. [${c.command}] ${c.kind}: subset says ${JSON.stringify(c.subsetShape)}, full snapshot ${JSON.stringify(c.fullShape)} (${c.why}): ${c.subsets.size} subset(s), ${c.count} answer(s)`,
    `   absent in every such subset: ${list(c.alwaysAbsent)}`,
    `   present in every such subset: ${list(c.alwaysPresent)}`,
    `   e.g. snapshot ${real.dir}, subset {${e.files.join(', ')}}, \`docknet ${e.command.join(' ')}\`:`,
    `        ${e.question} = ${JSON.stringify(e.subset)}; on the full snapshot: ${e.full === null ? '(no answer)' : JSON.stringify(e.full)}`,
    `   reproduce: ${reproduce(real, e.files, e.command)}`,
  ].join('\n');
}

export function describeFailures(
  real: RealSnapshot,
  subsets: number,
  seen: Seen[],
  maxClasses = 40,
  what = 'definite answer(s)',
  verb = 'disagree with the full snapshot',
): string {
  const classes = classify(real, seen);
  const bad = new Set(seen.map((s) => s.files.join('\n')));
  const head = `${real.dir} (${real.files.length} fact files): ${seen.length} ${what} on ${bad.size} of ${subsets} subsets ${verb}, in ${classes.length} class(es):`;
  const shown = classes.slice(0, maxClasses).map((c, i) => describeClass(real, c, i + 1));
  const more = classes.length > maxClasses ? [`... and ${classes.length - maxClasses} more class(es)`] : [];
  return [head, ...shown, ...more].join('\n');
}
