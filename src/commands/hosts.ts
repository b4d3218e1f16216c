// Which hosts a command reads: --host URLs and --context names (checked before any I/O), a fleet
// archive given to --from, or, with none of these, the one host as before (null). Each host is a
// SnapshotProvider under the label the user knows it by; ssh connections are opened once and closed by close().
import { contextHost } from '../gather/docker-context.js';
import { parseHostUrl, type HostUrl } from '../gather/host-url.js';
import { gatherLive, type FactGroup } from '../gather/live.js';
import { openHost, type OpenedHost } from '../gather/open-host.js';
import { UsageError } from '../model/errors.js';
import type { Fleet, FleetMember } from '../snapshot/fleet.js';
import { loadFleetArchive, readFleetManifest } from '../snapshot/fleet-archive.js';
import { hostError } from './host-error.js';
import type { IO } from './io.js';
import type { SnapshotProvider } from './source.js';

export interface HostFlags {
  host?: readonly string[];
  context?: readonly string[];
  from?: string | null;
}

export interface HostTarget {
  label: string;
  url: HostUrl;
}

export interface HostSource {
  label: string;
  snapshotOf: SnapshotProvider;
}

export interface Sources {
  hosts: HostSource[];
  /** Ends every connection opened (ssh masters); call it once the command is done. */
  close(): Promise<void>;
}

/** --host URLs then --context names, parsed and resolved; a label given twice is a usage error. */
export function hostTargets(flags: HostFlags, env: NodeJS.ProcessEnv): HostTarget[] {
  const targets: HostTarget[] = [
    ...(flags.host ?? []).map((h) => ({ label: h, url: parseHostUrl(h) })),
    ...(flags.context ?? []).map((name) => {
      const url = contextHost(name, env);
      try {
        return { label: name, url: parseHostUrl(url) };
      } catch (err) {
        throw new UsageError(`--context '${name}': its endpoint ${url} is not an engine docknet reads (${(err as Error).message})`);
      }
    }),
  ];
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.label)) throw new UsageError(`host '${t.label}' is given twice`);
    seen.add(t.label);
  }
  if (targets.length && flags.from) throw new UsageError('--from reads saved hosts: it cannot be combined with --host or --context');
  return targets;
}

function liveSources(targets: HostTarget[], io: Pick<IO, 'env'>): Sources {
  const opened: Promise<OpenedHost>[] = [];
  const hosts = targets.map((t): HostSource => {
    let host: Promise<OpenedHost> | null = null;
    return {
      label: t.label,
      snapshotOf: async (groups, options) => {
        if (!host) {
          host = openHost(t.url, io.env);
          opened.push(host);
        }
        return gatherLive(groups, (await host).host, { detail: 'list', ...options });
      },
    };
  });
  const close = async () => {
    const all = await Promise.allSettled(opened);
    await Promise.all(all.map((o) => (o.status === 'fulfilled' ? o.value.close() : null)));
  };
  return { hosts, close };
}

/** A fleet already read (a fleet archive): each member's snapshot, whatever groups are asked for. */
export function fleetSourcesOf(fleet: Fleet): Sources {
  const hosts = fleet.map(
    (m): HostSource => ({
      label: m.host,
      snapshotOf: async () => {
        if ('error' in m) throw m.error;
        return m.snapshot;
      },
    }),
  );
  return { hosts, close: async () => {} };
}

/** null when the command reads one host as it always has: no --host, no --context, and --from is not a fleet archive. */
export async function hostSources(flags: HostFlags, io: Pick<IO, 'env' | 'cwd'>): Promise<Sources | null> {
  const targets = hostTargets(flags, io.env);
  if (targets.length) return liveSources(targets, io);
  if (!flags.from) return null;
  const manifest = await readFleetManifest(flags.from, io.cwd);
  return manifest ? fleetSourcesOf(await loadFleetArchive(flags.from, manifest, io.cwd)) : null;
}

/** Every host's snapshot of `groups`, read at once; a host that cannot be read keeps its error (a DocknetError, an engine's included). */
export async function loadFleet(sources: Sources, groups: FactGroup[]): Promise<Fleet> {
  return Promise.all(
    sources.hosts.map(async (h): Promise<FleetMember> => {
      try {
        return { host: h.label, snapshot: await h.snapshotOf(groups) };
      } catch (err) {
        const error = hostError(err);
        if (!error) throw err;
        return { host: h.label, error };
      }
    }),
  );
}
