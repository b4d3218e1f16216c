// Writes a command's result to the file the user named (--out, --html), with an error that says what to do.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DocknetError } from '../model/errors.js';
import type { IO } from './io.js';

/** The file's absolute path, resolved against io.cwd; replaced when it exists (like `-o` of other tools). */
export async function writeOutputFile(io: Pick<IO, 'cwd'>, path: string, text: string): Promise<string> {
  const abs = resolve(io.cwd, path);
  try {
    await writeFile(abs, text, { mode: 0o644 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'its directory does not exist'
        : e.code === 'EISDIR'
          ? 'it is a directory'
          : e.code === 'EACCES' || e.code === 'EPERM'
            ? 'permission denied'
            : (e.message ?? String(err));
    throw new DocknetError(`cannot write '${path}': ${why}`, 'give a file path in a directory you can write to');
  }
  return abs;
}
