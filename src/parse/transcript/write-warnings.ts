// Writes docker's WARNING: lines, and says which listings were taken before a command changed the host.
import { issue } from '../../model/parsed.js';
import { FACT } from '../../snapshot/snapshot.js';
import { commandOutcome, notRead, origin, type Candidate } from './candidates.js';
import type { TranscriptImport } from './import.js';

/** The `WARNING:` lines docker printed (`docker run`, `docker info`): doctor's evidence. */
export function writeWarnings(list: Candidate[], result: TranscriptImport): void {
  const lines: string[] = [];
  const from: Candidate[] = [];
  for (const c of list) {
    const found = c.output.split(/\r?\n|\r/).filter((l) => /^\s*WARNING:/.test(l));
    if (found.length === 0) {
      result.unknown.push(notRead(c, 'no warning in its output (docknet reads only the `WARNING:` lines docker prints)'));
      continue;
    }
    from.push(c);
    for (const l of found) if (!lines.includes(l)) lines.push(l);
  }
  if (lines.length === 0) return;
  result.files.set(FACT.dockerWarnings, `${lines.join('\n')}\n`);
  result.origins.set(
    FACT.dockerWarnings,
    from.length === 1 ? origin(from[0] as Candidate) : { kind: 'manual', what: from.map((c) => c.block.command).join(' + ') },
  );
  for (const c of from)
    result.commands.push(commandOutcome(c, FACT.dockerWarnings, from.length === 1 ? 'written' : 'merged', 'its `WARNING:` lines only'));
}

/** A listing taken before a command that changed the host describes an earlier moment than the ones after it. */
export function noteLaterChanges(result: TranscriptImport, changes: { line: number; command: string }[]): void {
  for (const [path, o] of result.origins) {
    const at = o.lines?.[0];
    if (at === undefined) continue;
    const change = changes.find((ch) => ch.line > at);
    if (change)
      result.issues.push(
        issue(
          at,
          o.what,
          `${path} was listed before \`${change.command}\` (line ${change.line}) changed the host: the snapshot mixes moments`,
        ),
      );
  }
}
