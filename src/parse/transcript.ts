// Splits a pasted terminal session into the snapshot's files: each command docknet reads, found after
// a shell prompt, with its output up to the next prompt. Pure: transcript text in, files and a report out.
// The pieces live in transcript/: blocks, shell words, recognising commands, writing the files.
import { blocksOf, outputText, splitWithOffsets, type Block } from './transcript/blocks.js';
import { notRead, targetOf, type Candidate } from './transcript/candidates.js';
import { changesHost } from './transcript/changes-host.js';
import { ContainerNames, learnNames, refText, whereText } from './transcript/container-names.js';
import type { TranscriptImport, UnknownCommand } from './transcript/import.js';
import { recognise, REF } from './transcript/recognise.js';
import { writeInspects } from './transcript/write-inspects.js';
import { writeListing } from './transcript/write-listing.js';
import { noteLaterChanges, writeWarnings } from './transcript/write-warnings.js';

export type { TranscriptCommand, TranscriptImport, UnknownCommand } from './transcript/import.js';
export { shellWords } from './transcript/shell-words.js';

export function parseTranscript(text: string): TranscriptImport {
  const lines = splitWithOffsets(text);
  const { blocks, commandCount, aliases } = blocksOf(lines);
  const result: TranscriptImport = {
    files: new Map(),
    origins: new Map(),
    commands: [],
    unknown: [],
    missing: [],
    issues: [],
    commandCount,
  };
  const names = new ContainerNames();
  for (const a of aliases) names.add(a.id, a.name, a.line, 'the prompt of the shell opened in it');
  const candidates: Candidate[] = [];
  const changes: { line: number; command: string }[] = [];
  const unknownBlocks: [UnknownCommand, Block, string | null][] = [];

  for (const b of blocks) {
    const line = b.index + 1;
    const output = outputText(text, lines, b);
    const endLine = Math.max(b.outEnd, b.outStart);
    learnNames(b, output, names);
    if (changesHost(b.command)) changes.push({ line, command: b.command });
    const rec = recognise(b.command, b.where);
    if (rec.kind === 'unknown') {
      unknownBlocks.push([
        { line, endLine, prompt: b.prompt.prompt, command: b.command, where: '', reason: rec.reason },
        b,
        rec.ref ?? null,
      ]);
      continue;
    }
    candidates.push({ block: b, line, endLine, output, rec, where: '' });
  }
  // Names come from the whole transcript: a `docker ps` after a `docker exec <id>` still names it.
  for (const [u, b, ref] of unknownBlocks) {
    u.where = whereText(b.where, names);
    if (ref !== null) u.reason = u.reason.replace(REF, refText(ref, names));
    result.unknown.push(u);
  }

  const byFile = new Map<string, { c: Candidate; path: string; note: string | null }[]>();
  const inspects: Candidate[] = [];
  const warnings: Candidate[] = [];
  for (const c of candidates) {
    c.where = whereText(c.block.where, names);
    if (c.rec.kind === 'inspect') {
      inspects.push(c);
      continue;
    }
    if (c.rec.kind === 'warnings') {
      warnings.push(c);
      continue;
    }
    const target = targetOf(c, names);
    if ('reason' in target) {
      result.unknown.push(notRead(c, target.reason));
      continue;
    }
    const list = byFile.get(target.path) ?? [];
    list.push({ c, path: target.path, note: target.how });
    byFile.set(target.path, list);
  }

  for (const [path, list] of byFile) writeListing(path, list, result);
  writeInspects(inspects, result);
  writeWarnings(warnings, result);
  noteLaterChanges(result, changes);
  // One missing fact per file: the last failure says it.
  result.missing = [...new Map(result.missing.map((m) => [m.path, m])).values()];

  result.commands.sort((a, b) => a.line - b.line);
  result.unknown.sort((a, b) => a.line - b.line);
  result.issues.sort((a, b) => a.line - b.line);
  return result;
}
