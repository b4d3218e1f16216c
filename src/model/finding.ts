// What docknet doctor reports: findings with evidence, and the checks that could not run.

export type Severity = 'error' | 'warning' | 'info';

export interface Evidence {
  /** Where the value or line came from: a file, a command, an API path. */
  source: string;
  text: string;
}

export interface Finding {
  check: string;
  /** What sort of finding, for grouping many of one kind (e.g. "leftover-proxy", "orphan-veth"). */
  kind: string;
  /** The thing it is about: a veth, a pid, a rule, a bridge, a port. */
  subject: string;
  severity: Severity;
  /** What is wrong, in one sentence. */
  title: string;
  evidence: Evidence[];
  why: string;
  /** The command that fixes it, or (when what it depends on was not read) the one command that would tell. */
  fix: string;
  /** True when `fix` changes the host (deletes, kills, removes): printed only with every fact it depends on read. */
  changesHost: boolean;
  /** When a host-changing fix was withheld: which facts were missing. */
  unproven: string | null;
}

export interface CheckOutcome {
  check: string;
  title: string;
  /** skipped: the facts it needs are not there; the reason says which and why. */
  status: 'ran' | 'skipped';
  /** When it ran on part of the facts it needs: which were missing, so finding nothing is not "none". */
  partial: string | null;
  reason: string | null;
  findings: Finding[];
}
