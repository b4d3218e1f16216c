// Finds containers: the one a user named (exact name, full id, or an unambiguous id prefix), and the
// owner of a `container:<ref>` network namespace, by the same rule, so every command agrees.
import { DocknetError } from '../model/errors.js';
import { shortId, type ContainerInfo } from '../model/engine.js';
import type { Fact } from '../model/fact.js';
import { closest } from '../util/closest.js';
import { naturalCompare } from '../util/natural-compare.js';

export type ContainerMatch = { kind: 'one'; container: ContainerInfo } | { kind: 'none' } | { kind: 'many'; containers: ContainerInfo[] };

/** The rule Docker itself applies to a reference: full id, then name, then a unique id prefix. */
export function matchContainer(containers: ContainerInfo[], input: string): ContainerMatch {
  const name = input.replace(/^\//, '');
  const exact = containers.find((c) => c.id !== '' && c.id === input) ?? containers.find((c) => c.name === name);
  if (exact) return { kind: 'one', container: exact };
  if (!/^[0-9a-f]+$/i.test(input)) return { kind: 'none' };
  const byId = containers.filter((c) => c.id !== '' && c.id.startsWith(input.toLowerCase()));
  if (byId.length === 1) return { kind: 'one', container: byId[0] as ContainerInfo };
  return byId.length > 1 ? { kind: 'many', containers: byId } : { kind: 'none' };
}

/** Whether a container may be the one `input` names, by matchContainer's rule (a prefix may match several): which containers' files to read. */
export function mayMatch(input: string, c: Pick<ContainerInfo, 'id' | 'name'>): boolean {
  return c.name === input.replace(/^\//, '') || (/^[0-9a-f]+$/i.test(input) && c.id !== '' && c.id.startsWith(input.toLowerCase()));
}

export function ambiguous(input: string, matches: ContainerInfo[]): DocknetError {
  return new DocknetError(
    `'${input}' is ambiguous: it matches ${matches.map((c) => `${c.name} (${shortId(c.id)})`).join(', ')}`,
    'give more characters of the id, or the name',
  );
}

export function findContainer(containers: ContainerInfo[], input: string, list: Fact<true>): ContainerInfo {
  const m = matchContainer(containers, input);
  if (m.kind === 'one') return m.container;
  if (m.kind === 'many') throw ambiguous(input, m.containers);
  if (!list.known)
    throw new DocknetError(
      `'${input}' is not among the containers the data names, and the container list itself is unknown (${list.reason})`,
      containers.length
        ? `containers the data names: ${containers
            .map((c) => c.name)
            .sort(naturalCompare)
            .join(', ')}`
        : 'add docker/containers.json (docker inspect $(docker ps -aq)) to the snapshot',
    );
  const near = closest(
    input,
    containers.map((c) => c.name),
  );
  throw new DocknetError(
    `no container matches '${input}'`,
    near.length ? `closest names: ${near.join(', ')}` : 'run `docker ps -a` to list the containers',
  );
}

const SHARED = 'container:';

/** The `<ref>` of network mode `container:<ref>`, or null for a container with a namespace of its own (or host/none). */
export function netnsOwnerRef(c: ContainerInfo): string | null {
  return c.networkMode.startsWith(SHARED) ? c.networkMode.slice(SHARED.length) : null;
}

/** Who shares whose network namespace, resolved once for a set of containers. */
export interface NetnsSharing {
  /** The owner of a follower's namespace; undefined when the owner is not among the containers. */
  ownerOf(c: ContainerInfo): ContainerInfo | undefined;
  /** The followers of an owner, in natural order of their names. */
  followersOf(c: ContainerInfo): ContainerInfo[];
}

export function netnsSharing(containers: ContainerInfo[]): NetnsSharing {
  const owners = new Map<ContainerInfo, ContainerInfo>();
  const followers = new Map<ContainerInfo, ContainerInfo[]>();
  for (const c of containers) {
    const ref = netnsOwnerRef(c);
    if (ref === null) continue;
    const m = matchContainer(containers, ref);
    if (m.kind !== 'one' || m.container === c) continue;
    owners.set(c, m.container);
    followers.set(m.container, [...(followers.get(m.container) ?? []), c]);
  }
  for (const list of followers.values()) list.sort((a, b) => naturalCompare(a.name, b.name));
  return { ownerOf: (c) => owners.get(c), followersOf: (c) => followers.get(c) ?? [] };
}
