// A host read over ssh as HostAccess: the same fixed commands and file reads as on this machine, run
// through one multiplexed connection, and the Engine API through `docker system dial-stdio` on the
// host (the docker CLI's own ssh transport) handed to dockerode as an http.Agent's connections.
import { Agent } from 'node:http';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { HostUrl } from './host-url.js';
import type { HostAccess } from './host-access.js';
import { BatchedReads } from './batched-reads.js';
import { dockerOptions } from './engine-api.js';
import { batchCommandLine, chunkRequests, splitBatch, type Answer } from './remote-files.js';
import { commandTimeoutMs } from './run-command.js';
import { MAX_ENGINE_STREAMS, SshConnection } from './ssh-connection.js';

type SshUrl = Extract<HostUrl, { kind: 'ssh' }>;

/** The socket methods node's http client calls on a kept-alive connection, for a stream that is not a socket. */
function asSocket(stream: Duplex): Duplex {
  const s = stream as Duplex & Record<string, unknown>;
  for (const m of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref']) s[m] = () => s;
  return s;
}

/** An http.Agent whose every connection is one dial-stdio over the connection; kept alive and few (sshd's MaxSessions). */
export function dialStdioAgent(conn: SshConnection, socket: string | null): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_ENGINE_STREAMS });
  (agent as unknown as { createConnection: () => Duplex }).createConnection = () => asSocket(conn.dialStdio(socket));
  return agent;
}

async function fetchBatch(conn: SshConnection, requests: string[]): Promise<Map<string, Answer>> {
  const out = new Map<string, Answer>();
  for (const chunk of chunkRequests(requests)) {
    // The read script is a command like the others: run as `sh -c SCRIPT` through the same runner.
    const r = await conn.runLine(batchCommandLine(chunk));
    const lost = r.exitCode === 0 ? 'no answer' : `the batched read over ssh failed: ${r.stderr.trim().split('\n')[0] ?? ''}`;
    for (const [k, v] of splitBatch(r.stdout, chunk, lost)) out.set(k, v);
  }
  return out;
}

export interface SshHost {
  host: HostAccess;
  close(): Promise<void>;
}

/** Opens the connection (a DocknetError naming the URL when it cannot) and reads the host's name and kernel. */
export async function sshHost(url: SshUrl, env: NodeJS.ProcessEnv): Promise<SshHost> {
  const conn = await SshConnection.open(url, env, commandTimeoutMs(env));
  const reads = new BatchedReads((requests) => fetchBatch(conn, requests));
  const agent = dialStdioAgent(conn, url.socket);
  const identity = await reads.readFiles((fs) => {
    const line = (p: string) => {
      try {
        return fs.readText(p).trim() || null;
      } catch {
        return null;
      }
    };
    return { hostname: line('/proc/sys/kernel/hostname'), kernel: line('/proc/sys/kernel/osrelease') };
  });
  // The remote's socket, for what gather reads of DOCKER_HOST there (the dockerd that serves it); no local engine variable.
  const { DOCKER_HOST: _local, DOCKER_TLS_VERIFY: _tls, DOCKER_CERT_PATH: _certs, ...rest } = env;
  const host: HostAccess = {
    env: url.socket ? { ...rest, DOCKER_HOST: `unix://${url.socket}` } : rest,
    procRoot: '/proc',
    sysRoot: '/sys',
    run: (command) => conn.run(command),
    readFiles: (read) => reads.readFiles(read),
    // runc's state files are not read over ssh: list detail inspects the running containers instead.
    runtimeRoots: [],
    engine: { options: { ...dockerOptions({ DOCKER_HOST: 'tcp://docker:2375' }), agent } as Docker.DockerOptions, endpoint: url.url },
    identity,
  };
  return {
    host,
    close: async () => {
      agent.destroy();
      await conn.close();
    },
  };
}
