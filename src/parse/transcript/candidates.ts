// A command whose output gives a file, and the snapshot path it goes to.
import { FACT, unsafeFactPath, type FactOrigin } from '../../snapshot/snapshot.js';
import type { Block } from './blocks.js';
import { DOCKER_NAME, type ContainerNames } from './container-names.js';
import type { TranscriptCommand, UnknownCommand } from './import.js';
import { NOT_READ, type Recognition } from './recognise.js';

export interface Candidate {
  block: Block;
  line: number;
  endLine: number;
  output: string;
  rec: Exclude<Recognition, { kind: 'unknown' }>;
  /** Where it ran, in words (`host`, `container web`), once the whole transcript has named the containers. */
  where: string;
}

export function targetOf(c: Candidate, names: ContainerNames): { path: string; how: string | null } | { reason: string } {
  const rec = c.rec;
  if (rec.kind === 'file' || rec.kind === 'json') return { path: rec.path, how: null };
  if (rec.kind !== 'container-file' && rec.kind !== 'port') return { reason: NOT_READ };
  const { name, how } = names.resolve(rec.ref);
  if (!DOCKER_NAME.test(name) || unsafeFactPath(`containers/${name}/x`))
    return { reason: `the container reference ${JSON.stringify(rec.ref)} cannot name a file in the snapshot` };
  const byId =
    how === null && /^[0-9a-f]{12,64}$/.test(name) ? `the container is known by its id ${name} only: its files are filed under it` : how;
  if (rec.kind === 'port') return { path: FACT.dockerPort(name), how: byId };
  return { path: rec.file === 'ip-addr' ? FACT.containerIpAddr(name) : FACT.containerFiles(name), how: byId };
}

/** The record of a command after a prompt that yields no file, with why. */
export function notRead(c: Candidate, reason: string): UnknownCommand {
  return { line: c.line, endLine: c.endLine, prompt: c.block.prompt.prompt, command: c.block.command, where: c.where, reason };
}

/** What became of a command's output, as the import reports it. */
export function commandOutcome(c: Candidate, file: string, outcome: TranscriptCommand['outcome'], note: string | null): TranscriptCommand {
  return { line: c.line, endLine: c.endLine, prompt: c.block.prompt.prompt, command: c.block.command, where: c.where, file, outcome, note };
}

export function origin(c: Candidate): FactOrigin {
  return { kind: 'manual', what: c.block.command, lines: [c.line, c.endLine] };
}
