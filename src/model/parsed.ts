// What every parser returns: the value it could read, and the lines it could not.
import type { NatFamily } from './nat-rule.js';

/** The netfilter table an issue is about: lets a reader set aside what is said about tables it does not use. */
export interface IssueTable {
  family: NatFamily;
  name: string;
}

export interface ParseIssue {
  /** 1-based line number in the input, or 0 when the problem is not tied to a line. */
  line: number;
  /** The offending text, cut to a readable length. */
  text: string;
  reason: string;
  /** Set when the issue is about one rule table (an nft table, an iptables table), not about the input as a whole. */
  table?: IssueTable;
}

export interface Parsed<T> {
  value: T;
  issues: ParseIssue[];
}

const MAX_ISSUE_TEXT = 200;

export function issue(line: number, text: string, reason: string): ParseIssue {
  const cut = text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT)}…` : text;
  return { line, text: cut, reason };
}

/** Splits text into lines the way every text parser here wants them: CRLF tolerated. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n|\r/);
}
