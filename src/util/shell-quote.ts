// An argument vector as a POSIX shell reads it: each argument quoted only when it needs to be. For
// commands docknet prints for a person to run (suggestions, fixes) and paths it names.
export function shellArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(argv: readonly string[]): string {
  return argv.map(shellArg).join(' ');
}

/**
 * The one string ssh hands the remote login shell: `sh -c SCRIPT NAME ARGS...`, every word quoted, so
 * the arguments reach the script as $1... whatever they hold.
 */
export function shellScript(script: string, name: string, args: readonly string[]): string {
  return shellLine(['sh', '-c', script, name, ...args]);
}
