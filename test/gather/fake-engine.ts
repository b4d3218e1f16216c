// A fake Engine API on a unix socket in a temp directory (node's http server): each route answers
// what a test says, an error status, a body that is not JSON, or a cut connection. No real engine.
import type { TestContext } from 'node:test';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Answer = { status: number; body: string; contentType?: string } | 'cut';

export interface Route {
  /** Matched against the request path without the API version prefix or the query, e.g. "/containers/json". */
  path: RegExp;
  answer: Answer;
}

export const CONTAINER_ID = 'c'.repeat(64);
export const NETWORK_ID = 'n'.repeat(64);

export const CONTAINER_SUMMARY = {
  Id: CONTAINER_ID,
  Names: ['/web'],
  State: 'running',
  HostConfig: { NetworkMode: 'bridge' },
  NetworkSettings: {
    Networks: { bridge: { NetworkID: NETWORK_ID, IPAddress: '172.17.0.2', MacAddress: '02:42:ac:11:00:02', IPPrefixLen: 16 } },
  },
  Ports: [],
  Labels: {},
};

export const CONTAINER_INSPECT = {
  Id: CONTAINER_ID,
  Name: '/web',
  // Pid 0: no /proc of this machine is read for a container that does not exist.
  State: { Status: 'running', Running: true, Pid: 0 },
  HostConfig: { NetworkMode: 'bridge' },
  NetworkSettings: CONTAINER_SUMMARY.NetworkSettings,
  Config: { Labels: {} },
};

export const NETWORK = {
  Name: 'bridge',
  Id: NETWORK_ID,
  Driver: 'bridge',
  Scope: 'local',
  IPAM: { Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] },
  Options: { 'com.docker.network.bridge.name': 'docker0' },
  Containers: { [CONTAINER_ID]: { Name: 'web', MacAddress: '02:42:ac:11:00:02', IPv4Address: '172.17.0.2/16', IPv6Address: '' } },
};

const json = (v: unknown): Answer => ({ status: 200, body: JSON.stringify(v) });

/** An engine with one running container on the default bridge; `over` routes are tried first. */
export function engineRoutes(over: Route[] = []): Route[] {
  return [
    ...over,
    { path: /^\/containers\/json$/, answer: json([CONTAINER_SUMMARY]) },
    { path: new RegExp(`^/containers/${CONTAINER_ID}/json$`), answer: json(CONTAINER_INSPECT) },
    { path: /^\/networks$/, answer: json([{ Name: 'bridge', Id: NETWORK_ID, Driver: 'bridge' }]) },
    { path: new RegExp(`^/networks/${NETWORK_ID}$`), answer: json(NETWORK) },
    {
      path: /^\/info$/,
      answer: json({ ServerVersion: '20.10.24', OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', SecurityOptions: [] }),
    },
    { path: /^\/version$/, answer: json({ Version: '20.10.24', ApiVersion: '1.41' }) },
  ];
}

/** An error answer as dockerd writes it: {"message": ...}. */
export function engineErrorAnswer(status: number, message: string): Answer {
  return { status, body: JSON.stringify({ message }) };
}

export interface FakeEngine {
  socket: string;
  /** "METHOD path" of every request, in order. */
  requests: string[];
}

export async function startFakeEngine(t: TestContext, routes: Route[]): Promise<FakeEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'docknet-fake-engine-'));
  const socket = join(dir, 'docker.sock');
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\/v[\d.]+(?=\/)/, '');
    requests.push(`${req.method} ${path}`);
    const route = routes.find((r) => r.path.test(path));
    const answer: Answer = route?.answer ?? engineErrorAnswer(404, `page not found: ${path}`);
    if (answer === 'cut') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });
  return { socket, requests };
}

/**
 * The environment that points docknet at the fake engine, handed in through IO or HostAccess (never
 * set on process.env). PATH is kept so the host commands of a live gather run as they did before.
 */
export function fakeEngineEnv(socket: string): NodeJS.ProcessEnv {
  return { DOCKER_HOST: `unix://${socket}`, PATH: process.env.PATH };
}
