// Types for the one helper docknet takes from cli-table3's own utilities (the package declares only its Table).
declare module 'cli-table3/src/utils.js' {
  const utils: {
    /** Display width of the widest line, ANSI escapes ignored, as cli-table3 measures cells. */
    strlen(text: string): number;
  };
  export default utils;
}
