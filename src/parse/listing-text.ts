// What every parser of pasted or captured text shares: shell prompts, and a listing cut short.
import { issue, type ParseIssue } from '../model/parsed.js';

/**
 * A shell prompt (or a command typed after one), as people paste them: `[root@192 ~]#`, `root@host:~#`,
 * `user@host:/tmp$`, `$ `, `# `, `% `, `> `, zsh's `➜`, PowerShell's `PS C:\>`.
 */
const PROMPT = /^\s*(?:\[[^\]]*\]\s*[$#]|[$#%>](?:\s|$)|\S*@\S*:\S*\s*[$#]|[\w.~/-]+\s?[#$](?:\s|$)|➜|PS [A-Z]:\\)/;

export function isPromptLine(line: string): boolean {
  return PROMPT.test(line);
}

/** The issue for text whose last used line has no newline after it: the paste may be cut short. */
export function cutShortIssue(text: string, lines: string[], lastUsed: number): ParseIssue | null {
  if (lastUsed === 0 || lastUsed !== lines.length || /[\r\n]$/.test(text)) return null;
  return issue(lastUsed, lines[lastUsed - 1] ?? '', 'no newline after the last line: it may be cut short');
}
