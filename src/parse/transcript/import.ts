// What a transcript import yields: the files, their origins, and what became of every command.
import type { ParseIssue } from '../../model/parsed.js';
import type { FactOrigin, MissingFact } from '../../snapshot/snapshot.js';

/** A command docknet reads, and what became of its output. */
export interface TranscriptCommand {
  /** 1-based line of the prompt, and the last line of the output (the prompt's own line when it printed nothing). */
  line: number;
  endLine: number;
  prompt: string;
  /** As typed after the prompt (continued lines joined). */
  command: string;
  /** `host`, or `container <name>` for `docker exec <name> ...` and shells opened inside one. */
  where: string;
  /** The snapshot file its output went to, or would have gone to. */
  file: string;
  /**
   * written: the file holds this output; merged: one of several outputs merged into the file;
   * replaced: a later output of the same file won; error: the command failed (no file from it);
   * unreadable: the output is not what the command prints; empty: it printed nothing.
   */
  outcome: 'written' | 'merged' | 'replaced' | 'error' | 'unreadable' | 'empty';
  note: string | null;
}

/** A command after a prompt that yields no file: not one docknet reads, or only part of a listing. */
export interface UnknownCommand {
  line: number;
  endLine: number;
  prompt: string;
  command: string;
  where: string;
  reason: string;
}

export interface TranscriptImport {
  /** Snapshot path -> the file's text. */
  files: Map<string, string>;
  origins: Map<string, FactOrigin>;
  commands: TranscriptCommand[];
  unknown: UnknownCommand[];
  /** Commands that failed and gave no file: the facts they would have been, with the error as the reason. */
  missing: MissingFact[];
  /** Things the reader should know: outputs cut at the end of the text, listings taken before a change, ... */
  issues: ParseIssue[];
  /** Prompt lines with a command on them, recognised or not. */
  commandCount: number;
}
