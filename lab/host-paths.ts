// Where each generation's host keeps its files (hostPaths): the engine cache, data and run roots.
import path from 'node:path';
import { GENERATIONS, type Generation, type GenerationId } from './lab-spec.js';

/** Downloaded and extracted engines, kept between runs (a cache: outside the repository, not part of any host). */
export const ENGINE_CACHE = '/var/cache/docknet-engines';
export const DATA_ROOT = '/var/lib/docknet-engines';
export const RUN_ROOT = '/run/docknet-engines';

/**
 * Where one host keeps its files: by default the generation's own host; `name` gives another host of that
 * generation (a swarm node) its own data, run directory, log and cgroup, sharing the fetched programs.
 */
export function hostPaths(gen: Generation, name: string = gen.id) {
  const cache = path.join(ENGINE_CACHE, gen.id);
  const run = path.join(RUN_ROOT, name);
  return {
    cache,
    /** The packages' files, as dpkg-deb -x laid them out. */
    root: path.join(cache, 'root'),
    /** One symlink per program, first on the engine's PATH. */
    bin: path.join(cache, 'bin'),
    versions: path.join(cache, 'versions.json'),
    dataRoot: path.join(DATA_ROOT, name),
    run,
    execRoot: path.join(run, 'exec'),
    pidfile: path.join(run, 'docker.pid'),
    config: path.join(run, 'daemon.json'),
    log: `/tmp/docknet-dockerd-${name}.log`,
    cgroupParent: name === gen.id ? `docknet-e${gen.id}` : name,
  };
}

export function generation(id: GenerationId): Generation {
  return GENERATIONS[id];
}
