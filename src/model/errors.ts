// The errors a command may end with, and the documented exit codes cli/main.ts maps them to.

/** Bad flags or arguments: exit 2, with usage. */
export class UsageError extends Error {}

/** Something the user named does not exist, or the run could not answer: exit 1. */
export class DocknetError extends Error {
  constructor(
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
