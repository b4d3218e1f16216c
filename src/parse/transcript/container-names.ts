// Container names and ids the transcript itself shows (docker ps rows, inspect objects, docker run
// --name, shell prompts), so that a container typed by id is filed under its name.
import { parseDockerPsText } from '../docker-ps-text.js';
import type { Block, Where } from './blocks.js';
import { dockerArgs, runArgs } from './docker-args.js';
import { jsonArray, kindOfObject, type Json } from './outputs.js';
import { basename, commandWords, shellWords } from './shell-words.js';

export const DOCKER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Container names and ids the transcript itself shows: `docker ps` rows, inspect objects, `docker run --name`. */
export class ContainerNames {
  private readonly names = new Set<string>();
  private readonly ids = new Map<string, { name: string; line: number; source: string }>();

  add(id: string, name: string, line: number, source: string): void {
    this.cache.clear();
    this.names.add(name);
    if (id) this.ids.set(id.toLowerCase(), { name, line, source });
  }

  addName(name: string): void {
    this.cache.clear();
    this.names.add(name);
  }

  private readonly cache = new Map<string, { name: string; how: string | null }>();

  /** The container's name, with how it was found when the ref was an id. */
  resolve(ref: string): { name: string; how: string | null } {
    let r = this.cache.get(ref);
    if (r === undefined) {
      r = this.lookUp(ref);
      this.cache.set(ref, r);
    }
    return r;
  }

  private lookUp(ref: string): { name: string; how: string | null } {
    const clean = ref.replace(/^\//, '');
    if (this.names.has(clean)) return { name: clean, how: null };
    if (/^[0-9a-f]{1,64}$/i.test(clean)) {
      const found = [...this.ids].filter(([id]) => id.startsWith(clean.toLowerCase()) || clean.toLowerCase().startsWith(id));
      const names = new Set(found.map(([, v]) => v.name));
      if (names.size === 1) {
        const [, v] = found[0] as [string, { name: string; line: number; source: string }];
        return { name: v.name, how: `${clean} is ${v.name} (${v.source}, line ${v.line})` };
      }
    }
    return { name: clean, how: null };
  }
}

export function refText(ref: string, names: ContainerNames): string {
  const { name } = names.resolve(ref);
  return name === ref ? ref : `${name} (${ref})`;
}

export function whereText(w: Where, names: ContainerNames): string {
  if (w.kind === 'host') return 'host';
  return w.ref === null ? 'container (unnamed)' : `container ${names.resolve(w.ref).name}`;
}

export function learnNames(b: Block, output: string, names: ContainerNames): void {
  const w = commandWords(shellWords(b.command).words);
  if (basename(w[0] ?? '') !== 'docker' || b.where.kind !== 'host') return;
  const d = dockerArgs(w.slice(1));
  if (!d) return;
  const line = b.index + 1;
  if (d.sub === 'ps') {
    for (const c of parseDockerPsText(output).value) names.add(c.id, c.name, line, '`docker ps`');
  } else if (d.sub === 'run' || d.sub === 'create') {
    const r = runArgs(d.rest);
    const id = /^([0-9a-f]{64})\s*$/m.exec(output)?.[1];
    if (r.name && id) names.add(id, r.name, line, `\`docker ${d.sub}\``);
    else if (r.name) names.addName(r.name);
  } else if (d.sub === 'inspect' || d.sub === 'network inspect') {
    const j = jsonArray(output, line + 1);
    for (const o of j.value ?? []) {
      const kind = kindOfObject(o);
      const { Id, Name, Containers } = o as Json;
      if (kind === 'container' && typeof Name === 'string' && Name !== '')
        names.add(typeof Id === 'string' ? Id : '', Name.replace(/^\//, ''), line, '`docker inspect`');
      // A network's members, by id: {"3386a527aa08...": {"Name": "container1", ...}} (newer engines).
      if (kind === 'network' && Containers !== null && typeof Containers === 'object')
        for (const [id, m] of Object.entries(Containers as Json)) {
          const member = (m ?? {}) as Json;
          if (typeof member.Name === 'string' && member.Name !== '' && /^[0-9a-f]{12,64}$/.test(id))
            names.add(id, member.Name, line, '`docker network inspect`');
        }
    }
  }
}
