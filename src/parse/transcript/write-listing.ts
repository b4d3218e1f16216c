// Writes the text listings: the last output of each file wins, a failed one is a missing fact.
import { issue } from '../../model/parsed.js';
import { commandOutcome, origin, type Candidate } from './candidates.js';
import type { TranscriptCommand, TranscriptImport } from './import.js';
import { errorOf, missingFact } from './outputs.js';

type Judged = { c: Candidate; note: string | null; error: string | null; empty: boolean; unreadable: string | null };

/** Which output gives the file, and the one merged with it (`iptables -S` beside `iptables -t nat -S`). */
interface Choice {
  usable: Set<Judged>;
  winner: Judged | null;
  companion: Judged | null;
}

/** Text listings: the last output of each file wins; errors are missing facts unless another output gave the file. */
export function writeListing(path: string, list: { c: Candidate; path: string; note: string | null }[], result: TranscriptImport): void {
  const judged = list.map(({ c, note }) => judge(c, note));
  const choice = choose(judged);
  for (const j of judged) result.commands.push(commandRecord(path, j, choice, result));
  if (choice.winner) {
    writeFile(path, choice.winner, choice.companion, result);
    return;
  }
  const failed = judged.filter((j) => j.error).at(-1);
  if (failed) result.missing.push(missingFact(path, failed.c.block.command, failed.error as string));
}

function judge(c: Candidate, note: string | null): Judged {
  const error = errorOf(c.output);
  const empty = c.output.trim() === '';
  let unreadable: string | null = null;
  if (!error && !empty && c.rec.kind === 'json') {
    try {
      JSON.parse(c.output);
    } catch (err) {
      unreadable = `not valid JSON (${(err as Error).message})`;
    }
  }
  return { c, note, error, empty, unreadable };
}

const tableOf = (j: Judged) => (j.c.rec.kind === 'file' ? (j.c.rec.table ?? null) : null);

function choose(judged: Judged[]): Choice {
  // `docker port web` printing nothing is an answer (no published ports), when a prompt proves it ended.
  const usable = judged.filter(
    (j) => !j.error && !j.unreadable && (!j.empty || (j.c.rec.kind === 'port' && j.c.block.endedBy === 'prompt')),
  );
  // `iptables -S` and `iptables -t nat -S` may follow one another in one file (each listing says its
  // table): the last of each, in transcript order, when the first ends with a newline.
  const lastNat = usable.filter((j) => tableOf(j) === 'nat').at(-1) ?? null;
  const lastFilter = usable.filter((j) => tableOf(j) === 'filter').at(-1) ?? null;
  const winner = lastNat ?? usable.at(-1) ?? null;
  const companion =
    lastNat && lastFilter && /[\r\n]$/.test((lastNat.c.line < lastFilter.c.line ? lastNat : lastFilter).c.output) ? lastFilter : null;
  return { usable: new Set(usable), winner, companion };
}

/** What became of one output, and why. */
function commandRecord(path: string, j: Judged, { usable, winner, companion }: Choice, result: TranscriptImport): TranscriptCommand {
  const c = j.c;
  const notes: string[] = j.note ? [j.note] : [];
  let outcome: TranscriptCommand['outcome'];
  if (j === winner) outcome = companion ? 'merged' : 'written';
  else if (j === companion) outcome = 'merged';
  else if (j.error) {
    outcome = 'error';
    notes.push(j.error);
    if (winner) notes.push(`the file is from line ${winner.c.line}`);
  } else if (j.unreadable) {
    outcome = 'unreadable';
    notes.push(j.unreadable);
    result.issues.push(issue(c.line, c.block.command, `${path}: ${j.unreadable}: left out`));
  } else if (j.empty && !usable.has(j)) {
    outcome = 'empty';
    notes.push(
      c.rec.kind === 'port'
        ? 'printed nothing, and no prompt after it shows that the output ended there'
        : 'printed nothing (this command always prints something: the output was left out of the paste)',
    );
  } else {
    outcome = 'replaced';
    const keeper = tableOf(j) === 'filter' && companion ? companion : winner;
    notes.push(
      keeper && keeper.c.line > c.line
        ? `the later output at line ${keeper.c.line} is kept`
        : `left out: the nat table's listing (line ${winner?.c.line}) is kept, and this one does not end with a newline to follow it`,
    );
  }
  return commandOutcome(c, path, outcome, notes.length ? notes.join('; ') : null);
}

function writeFile(path: string, winner: Judged, companion: Judged | null, result: TranscriptImport): void {
  const rec = winner.c.rec;
  // files.json is the container's files as JSON: only its resolv.conf is known here, the sockets stay unknown.
  const resolv = rec.kind === 'container-file' && rec.file === 'resolv';
  if (companion) {
    const [a, b] = [companion, winner].sort((x, y) => x.c.line - y.c.line) as [Judged, Judged];
    result.files.set(path, a.c.output + b.c.output);
    result.origins.set(path, { kind: 'manual', what: `${a.c.block.command} + ${b.c.block.command}` });
  } else {
    result.files.set(path, resolv ? `${JSON.stringify({ resolvConf: winner.c.output }, null, 2)}\n` : winner.c.output);
    result.origins.set(path, origin(winner.c));
  }
  if (winner.c.block.endedBy !== 'prompt' && winner.c.output !== '' && rec.kind !== 'json')
    result.issues.push(
      issue(
        winner.c.line,
        winner.c.block.command,
        `${path}: no prompt after its output (${winner.c.block.endedBy === 'end' ? 'the text ends' : 'a Markdown fence closes it'}): the paste may end inside it`,
      ),
    );
}
