// What every parser of pasted or captured text shares: shell prompts, a listing cut short, and a
// line (or object) the parser itself failed on.
import { issue, type ParseIssue } from '../model/parsed.js';

/**
 * A shell prompt (or a command typed after one), as people paste them: `[root@192 ~]#`, `root@host:~#`,
 * `user@host:/tmp$`, `$ `, `# `, `% `, `> `, zsh's `➜  dir git:(main) ✗`, PowerShell's `PS C:\>`.
 * The match covers the whole prompt (the shortest one), so what follows it is the command.
 */
const PROMPT =
  /^\s*(?:\[[^\]]*\]\s*[$#]|([$#%>])(?:\s|$)|\S*?@\S*?:\S*?\s*[$#]|[\w.~/-]+\s?[#$](?:\s|$)|➜(?:\s+\S+(?:\s+git:\([^)]*\))?(?:\s+✗)?)?|PS [A-Z]:\\[^>]*>?)/;

export function isPromptLine(line: string): boolean {
  return PROMPT.test(line);
}

export interface PromptLine {
  /** The prompt as printed, without the blanks around it: `[root@192 ~]#`, `$`, `➜  ~`. */
  prompt: string;
  /** What was typed after it, trimmed; '' for a bare prompt. */
  command: string;
  /**
   * The prompt is a lone `$`, `#`, `%` or `>`: the same text starts comments in iptables-save or
   * nft output and quotes in prose, so a reader of a transcript must judge it by what follows.
   */
  sigilOnly: boolean;
  /** user@host when the prompt shows them (`root@192`, `ubuntu@ip-10-0-0-5`), else null. */
  userHost: { user: string; host: string } | null;
}

/** The prompt and the command of a prompt line, or null when the line is not one. */
export function splitPromptLine(line: string): PromptLine | null {
  const m = PROMPT.exec(line);
  if (!m) return null;
  const prompt = m[0].trim();
  const uh = /^\[?([^\s@[\]]+)@([^\s:\]]+)/.exec(prompt.replace(/^\W+(?=\w)/, ''));
  return {
    prompt,
    command: line.slice(m[0].length).trim(),
    sigilOnly: m[1] !== undefined,
    userHost: uh ? { user: uh[1] as string, host: uh[2] as string } : null,
  };
}

/** The issue for text whose last used line has no newline after it: the paste may be cut short. */
export function cutShortIssue(text: string, lines: string[], lastUsed: number): ParseIssue | null {
  if (lastUsed === 0 || lastUsed !== lines.length || /[\r\n]$/.test(text)) return null;
  return issue(lastUsed, lines[lastUsed - 1] ?? '', 'no newline after the last line: it may be cut short');
}

/** A parser's own exception on one line (or object), as an issue: reported where it happened, the rest still read. */
export function internalErrorIssue(line: number, text: string, e: unknown, what: 'line' | 'object' = 'line'): ParseIssue {
  return issue(line, text, `internal error while reading this ${what}: ${e instanceof Error ? e.message : String(e)}`);
}
