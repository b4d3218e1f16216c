// Where a path the user typed is: relative to the working directory handed in (io.cwd), never to
// process.cwd(), which a test or a program embedding docknet does not control.
import { isAbsolute, resolve } from 'node:path';

/** `path` as given, read from `cwd`; without a cwd only an absolute path can be read. */
export function pathIn(cwd: string | undefined, path: string): string {
  if (cwd !== undefined) return resolve(cwd, path);
  if (!isAbsolute(path)) throw new Error(`${path} is relative, and no working directory was given to read it from`);
  return path;
}
