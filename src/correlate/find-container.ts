// Finds the container a user named: exact name, full id, or an unambiguous id prefix.
import { DocknetError } from '../cli/errors.js';
import { shortId, type ContainerInfo } from '../model/engine.js';
import { closest } from '../util/closest.js';

export type ContainerMatch = { kind: 'one'; container: ContainerInfo } | { kind: 'none' } | { kind: 'many'; containers: ContainerInfo[] };

export function matchContainer(containers: ContainerInfo[], input: string): ContainerMatch {
  const name = input.replace(/^\//, '');
  const exact = containers.find((c) => c.name === name || (c.id !== '' && c.id === input));
  if (exact) return { kind: 'one', container: exact };
  if (!/^[0-9a-f]+$/i.test(input)) return { kind: 'none' };
  const byId = containers.filter((c) => c.id !== '' && c.id.startsWith(input.toLowerCase()));
  if (byId.length === 1) return { kind: 'one', container: byId[0] as ContainerInfo };
  return byId.length > 1 ? { kind: 'many', containers: byId } : { kind: 'none' };
}

export function ambiguous(input: string, matches: ContainerInfo[]): DocknetError {
  return new DocknetError(
    `'${input}' is ambiguous: it matches ${matches.map((c) => `${c.name} (${shortId(c.id)})`).join(', ')}`,
    'give more characters of the id, or the name',
  );
}

export function findContainer(containers: ContainerInfo[], input: string): ContainerInfo {
  const m = matchContainer(containers, input);
  if (m.kind === 'one') return m.container;
  if (m.kind === 'many') throw ambiguous(input, m.containers);
  const near = closest(
    input,
    containers.map((c) => c.name),
  );
  throw new DocknetError(
    `no container matches '${input}'`,
    near.length ? `closest names: ${near.join(', ')}` : 'run `docker ps -a` to list the containers',
  );
}
