// Where rendered text goes, as far as rendering cares: a terminal (with its width) or a pipe, colour or not.

export interface OutputMedium {
  /** stdout is a terminal: colour and wrapping allowed. */
  isTTY: boolean;
  color: boolean;
  /** Terminal width, or null when piped. */
  width: number | null;
}
