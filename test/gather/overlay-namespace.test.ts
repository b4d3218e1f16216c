// Whether an overlay's namespace file can be entered from docknet's own mount namespace (gather/overlay.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { namespaceFile } from '../../src/gather/overlay.js';

test('a namespace, a plain file left where Docker bound one in another mount namespace, and no file at all are told apart', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-netns-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // What a docknet outside dockerd's mount namespace sees of <exec-root>/netns/1-<id>: the empty file, no nsfs on it.
  const placeholder = join(dir, '1-abcdef0123');
  writeFileSync(placeholder, '');
  assert.equal(namespaceFile(placeholder), 'not-mounted-here');
  assert.equal(namespaceFile(join(dir, '1-missing000')), 'absent');
  // This process's own network namespace is an nsfs file, as a mounted overlay namespace is.
  assert.equal(namespaceFile('/proc/self/ns/net'), 'namespace');
});
