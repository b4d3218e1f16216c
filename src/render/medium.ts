// Where rendered text goes, as far as rendering cares: a terminal (with its width) or a pipe, colour or not.
// Decided once, in cli/io.ts (outputMedium): renderers only read it.

export interface OutputMedium {
  /**
   * The terminal form: aligned tables fitted to `width`, headers in bold when `color`. Otherwise the
   * pipe form: tables tab-separated, full values, no padding. True on a terminal, or when forced
   * (DOCKNET_FORCE_TTY).
   */
  isTTY: boolean;
  /** Colour allowed: only in the terminal form, and never with NO_COLOR or --no-color. */
  color: boolean;
  /** Columns of the terminal; null in the pipe form. */
  width: number | null;
}
