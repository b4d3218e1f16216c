// The 'nat' group's facts besides its fixed commands: docker-proxy command lines and the host's
// socket tables (file reads, done while the commands run), and the legacy backend's rules when
// iptables-nft says some live there.
import { FACT, type Snapshot } from '../snapshot/snapshot.js';
import { readOwnNetns } from './container-side.js';
import { readDockerProxies } from './docker-proxy.js';
import { readHostSocketTables, SOCKET_TABLES } from './host-sockets.js';
import { readFailure } from './read-error.js';
import type { HostAccess } from './host-access.js';
import { commandFailureOf } from './run-command.js';

// iptables-nft appends this when x_tables (legacy) tables exist beside its own.
const LEGACY_PRESENT = /\b(ip6?tables)-legacy tables present/;

async function readProcFacts(snapshot: Snapshot, host: HostAccess): Promise<void> {
  const procRoot = host.procRoot;
  const started = performance.now();
  const { read, own, tables } = await host.readFiles((fs) => ({
    read: readDockerProxies(procRoot, fs),
    own: readOwnNetns(procRoot, fs),
    tables: readHostSocketTables(procRoot, fs),
  }));
  const what = `${procRoot}/<pid>/comm, ${procRoot}/<pid>/cmdline, ${procRoot}/<pid>/ns/net of every docker-proxy process`;
  if (read.ok) {
    snapshot.facts.set(FACT.dockerProxy, {
      path: FACT.dockerProxy,
      text: `${JSON.stringify(read.processes, null, 2)}\n`,
      origin: { kind: 'file', what, durationMs: Math.round(performance.now() - started) },
    });
    // The processes' namespaces mean something only beside this host's own (also read with the engine's facts).
    if (own && !snapshot.facts.has(FACT.hostNetns))
      snapshot.facts.set(FACT.hostNetns, {
        path: FACT.hostNetns,
        text: `${own}\n`,
        origin: { kind: 'file', what: 'readlink /proc/self/ns/net' },
      });
  } else {
    snapshot.missing.push({ path: FACT.dockerProxy, what, reason: read.reason, cause: read.cause });
  }
  for (const t of SOCKET_TABLES) {
    const v = tables[t];
    const path = FACT.hostSockets(t);
    if (typeof v === 'string') snapshot.facts.set(path, { path, text: v, origin: { kind: 'file', what: `${procRoot}/net/${t}` } });
    else {
      const f = readFailure(v, `${procRoot}/net/${t}`);
      // The system's own words are kept for anything but a permission error, which says what to do.
      snapshot.missing.push({
        path,
        what: `${procRoot}/net/${t}`,
        reason: f.cause === 'needs-root' ? f.reason : v.message,
        cause: f.cause,
      });
    }
  }
}

async function legacyRules(
  snapshot: Snapshot,
  host: HostAccess,
  savePath: string,
  tool: 'iptables-legacy-save' | 'ip6tables-legacy-save',
  path: string,
): Promise<void> {
  const fact = snapshot.facts.get(savePath);
  // iptables-nft 1.8.9 warns on stderr; older versions wrote the warning into the dump.
  if (!fact || !LEGACY_PRESENT.test(`${fact.text}\n${fact.origin.stderr ?? ''}`)) return;
  const command = [tool, '-c'];
  const r = await host.run(command);
  const failure = commandFailureOf(r, tool);
  if (failure) {
    snapshot.missing.push({ path, what: command.join(' '), reason: failure.reason, cause: failure.cause });
    return;
  }
  snapshot.facts.set(path, {
    path,
    text: r.stdout,
    origin: { kind: 'command', what: command.join(' '), exitCode: r.exitCode, stderr: r.stderr, durationMs: r.durationMs },
  });
}

/** Reads /proc now, then, once the group's commands are done, the legacy tables they point at. */
export async function gatherNatExtras(snapshot: Snapshot, host: HostAccess, commandsDone: Promise<unknown>): Promise<void> {
  await Promise.all([readProcFacts(snapshot, host), commandsDone]);
  await Promise.all([
    legacyRules(snapshot, host, FACT.iptablesSave, 'iptables-legacy-save', FACT.iptablesLegacySave),
    legacyRules(snapshot, host, FACT.ip6tablesSave, 'ip6tables-legacy-save', FACT.ip6tablesLegacySave),
  ]);
}
