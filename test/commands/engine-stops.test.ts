// The engine stopping mid-run: a socket that lists one container, then drops every connection
// (as a dockerd that dies between the list and the inspect does). No real engine is harmed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-helper.js';

const LIST = JSON.stringify([
  {
    Id: 'a'.repeat(64),
    Names: ['/web'],
    State: 'running',
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: {} },
    Ports: [],
    Labels: {},
  },
]);

test('the engine stops between listing and inspecting: exit 1, saying the connection was cut, no stack trace', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-engine-'));
  const sock = join(dir, 'docker.sock');
  const server = net.createServer((conn) => {
    conn.once('data', (buf) => {
      const line = buf.toString().split('\r\n')[0] ?? '';
      if (/^GET \/(v[\d.]+\/)?(containers\/json|networks)\b/.test(line)) {
        const body = line.includes('/networks') ? '[]' : LIST;
        conn.end(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else {
        conn.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const r = await runCli(['veth-map'], { env: { DOCKER_HOST: `unix://${sock}` } });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    new RegExp(
      `cannot reach the Docker engine at DOCKER_HOST=unix://${sock.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the connection was cut \\(did dockerd stop\\?\\)`,
    ),
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
