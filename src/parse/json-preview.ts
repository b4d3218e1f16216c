// The JSON text of a value, for an issue: never throws, even on a value nested too deep to print.

/** JSON.stringify, except that a value too deep for it (a crafted or corrupted input) is named instead of thrown on. */
export function jsonPreview(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // String() recurses into arrays as deeply as JSON.stringify does: say what it is instead.
    return Array.isArray(value) ? '[… nested too deep to print …]' : '{… nested too deep to print …}';
  }
}
