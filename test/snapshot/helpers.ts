// Helpers for the snapshot tests: a temporary directory removed after the test, a hand-built
// Snapshot value, and raw tar entries (for archives docknet itself would never write).
import type { TestContext } from 'node:test';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { emptySnapshot, FACT, type Snapshot } from '../../src/snapshot/snapshot.js';

export async function tempDir(t: TestContext, prefix = 'docknet-snap-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every regular file under dir, by relative path. */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.set(relative(dir, full).split(sep).join('/'), await readFile(full));
    }
  }
  await walk(dir);
  return out;
}

/** A small live-looking snapshot: JSON and text facts with origins, one missing fact. */
export function sampleSnapshot(): Snapshot {
  const s = emptySnapshot({ kind: 'live', location: null });
  s.takenAt = '2026-11-28T10:00:00.000Z';
  s.hostname = 'host-a';
  s.kernel = '6.1.0-28-amd64';
  const add = (path: string, text: string, what: string, kind: 'command' | 'api' | 'file' = 'command') =>
    s.facts.set(path, { path, text, origin: kind === 'command' ? { kind, what, exitCode: 0, stderr: '', durationMs: 3 } : { kind, what } });
  add(
    FACT.containers,
    JSON.stringify([{ Id: 'a'.repeat(64), Name: '/web', State: { Pid: 4242, Running: true } }]),
    'GET /containers/json',
    'api',
  );
  add(FACT.networks, '[]', 'GET /networks', 'api');
  add(
    FACT.ipAddrText,
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN\n    inet 127.0.0.1/8 scope host lo\n',
    'ip addr show',
  );
  add(FACT.iptablesSave, '*nat\n:PREROUTING ACCEPT [0:0]\n# ünïcode ✓\nCOMMIT\n', 'iptables-save -c');
  add(
    FACT.containerNet('web'),
    JSON.stringify({ pid: 4242, netns: 'net:[4026532281]', via: 'sysfs', interfaces: [], error: null }),
    '/proc/4242/ns/net',
    'file',
  );
  add('host/empty.txt', '', 'true');
  s.missing.push({
    path: FACT.nftRulesetJson,
    what: 'nft -j list ruleset',
    reason: 'nft (nftables) is not installed (command not found: nft)',
  });
  return s;
}

/** One raw ustar entry: any name, any type, so tests can build archives a safe writer refuses to. */
export function rawTarEntry(name: string, type: string, data: Buffer = Buffer.alloc(0), linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 8, 'ascii');
  h.write('0000000\0', 108, 8, 'ascii');
  h.write('0000000\0', 116, 8, 'ascii');
  h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  h.write('00000000000\0', 136, 12, 'ascii');
  h.fill(0x20, 148, 156);
  h.write(type, 156, 1, 'ascii');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 8, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([h, data, pad]);
}

export function rawTar(...entries: Buffer[]): Buffer {
  return Buffer.concat([...entries, Buffer.alloc(1024)]);
}
