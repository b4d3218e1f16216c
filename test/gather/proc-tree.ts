// A temporary /proc-like tree for gather tests: files, directories and links under a root the
// gather functions are pointed at. Tests run as root, where mode 000 stops no read: a permission
// error comes from a link to a file the kernel refuses to read even to root.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Write-only (mode 0200) for everyone, root included: reading it is a real EACCES. */
export const UNREADABLE = '/proc/sys/net/ipv4/route/flush';

export function assertUnreadable(): void {
  let code: string | undefined;
  try {
    readFileSync(UNREADABLE);
  } catch (err) {
    code = (err as { code?: string }).code;
  }
  assert.equal(code, 'EACCES', `reading ${UNREADABLE} gives EACCES on this machine (the tests need a real permission error)`);
}

export interface Tree {
  root: string;
  file(rel: string, text: string): void;
  dir(rel: string): void;
  link(rel: string, target: string): void;
}

export function procTree(t: TestContext): Tree {
  const root = mkdtempSync(join(tmpdir(), 'docknet-proc-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const at = (rel: string) => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    return p;
  };
  return {
    root,
    file: (rel, text) => writeFileSync(at(rel), text),
    dir: (rel) => mkdirSync(at(rel), { recursive: true }),
    link: (rel, target) => symlinkSync(target, at(rel)),
  };
}
