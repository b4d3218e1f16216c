// Gathers everything docknet can read about a host, for `snapshot save`: every fact group with full
// inspects and every container's files, plus the text forms people read (ip addr, ip -d link).
// An engine that cannot be asked does not lose the host facts: it is recorded as missing, with why.
import { FACT, emptySnapshot, type Snapshot } from '../snapshot/snapshot.js';
import { EngineError, engineCause } from './engine-api.js';
import type { HostAccess } from './host-access.js';
import { HOST_COMMANDS, gatherHostCommand, gatherLive, type FactGroup, type HostCommandSpec } from './live.js';

const ENGINE_GROUPS: FactGroup[] = ['engine', 'engine-info', 'container-net'];
/** Every host group there is, so a group added later is saved too; settings are file reads, not commands. */
const HOST_GROUPS = [...(Object.keys(HOST_COMMANDS) as FactGroup[]), 'settings' as const, 'overlay' as const];

/** Commands only a saved snapshot records: the forms a person reads beside the JSON docknet reads. */
export const SAVE_ONLY_COMMANDS: HostCommandSpec[] = [
  { path: FACT.ipAddrText, tool: 'ip (iproute2)', command: ['ip', 'addr', 'show'] },
  { path: FACT.ipLinkText, tool: 'ip (iproute2)', command: ['ip', '-d', 'link', 'show'] },
  { path: FACT.ipLinkJson, tool: 'ip (iproute2)', command: ['ip', '-j', '-d', 'link', 'show'] },
];

export interface GatherAllResult {
  snapshot: Snapshot;
  /** Set when the engine could not be asked, or failed the container list: the snapshot then holds host facts only. */
  engineError: EngineError | null;
}

function merge(into: Snapshot, from: Snapshot): void {
  for (const [path, fact] of from.facts) into.facts.set(path, fact);
  into.missing.push(...from.missing);
}

const ENGINE_FACTS = [
  [FACT.containers, 'GET /containers/json?all=1 + GET /containers/{id}/json'],
  [FACT.networks, 'GET /networks + GET /networks/{id}'],
  [FACT.engineInfo, 'GET /info'],
  [FACT.engineVersion, 'GET /version'],
] as const;

export async function gatherAll(host: HostAccess): Promise<GatherAllResult> {
  // Full inspects (what `docker inspect` prints, not the shorter list) and every container's files.
  const engineWork = gatherLive(ENGINE_GROUPS, host, { detail: 'inspect', filesOf: () => true }).then(
    (s) => ({ snapshot: s, error: null }),
    (err: unknown) => {
      if (err instanceof EngineError) return { snapshot: null, error: err };
      throw err;
    },
  );
  const extra = emptySnapshot({ kind: 'live', location: null });
  const [facts] = await Promise.all([
    gatherLive(HOST_GROUPS, host),
    ...SAVE_ONLY_COMMANDS.map((spec) =>
      host.hostFactsUnknown === undefined
        ? gatherHostCommand(extra, spec, host.run)
        : extra.missing.push({ path: spec.path, what: spec.command.join(' '), reason: host.hostFactsUnknown, cause: 'failed' }),
    ),
  ]);
  merge(facts, extra);
  const engine = await engineWork;
  if (engine.snapshot) merge(facts, engine.snapshot);
  else if (engine.error) {
    const cause = engineCause(engine.error);
    for (const [path, what] of ENGINE_FACTS) facts.missing.push({ path, what, reason: engine.error.message, cause });
  }
  return { snapshot: facts, engineError: engine.error };
}
