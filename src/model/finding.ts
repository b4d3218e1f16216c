// What docknet doctor reports: findings with evidence, and the checks that could not run.

export type Severity = 'error' | 'warning' | 'info';

export interface Evidence {
  /** Where the value or line came from: a file, a command, an API path. */
  source: string;
  text: string;
}

export interface Finding {
  check: string;
  severity: Severity;
  /** What is wrong, in one sentence. */
  title: string;
  evidence: Evidence[];
  why: string;
  /** The command that fixes or confirms it. */
  fix: string;
}

export interface CheckOutcome {
  check: string;
  title: string;
  /** skipped: the facts it needs are not there; the reason says which and why. */
  status: 'ran' | 'skipped';
  reason: string | null;
  findings: Finding[];
}
