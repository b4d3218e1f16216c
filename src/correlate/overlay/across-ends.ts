// The two ends of a reach across nodes: a task or container named by the user (`web.1`, `swc-2`, an id
// prefix, each optionally `node/` qualified), found on the node of the fleet that runs it, and the
// swarm overlay both are attached to.
import type { ContainerInfo } from '../../model/engine.js';
import { DocknetError, UsageError } from '../../model/errors.js';
import type { Fact } from '../../model/fact.js';
import type { ListeningSocket } from '../../model/port-path.js';
import type { NodeOverlayFacts, OverlayOnNode } from '../../parse/overlay-facts.js';
import { bareAddress } from '../../util/address.js';
import { naturalCompare } from '../../util/natural-compare.js';
import { matchContainer } from '../find-container.js';

/** One node of the fleet as reach across nodes reads it: its overlay facts and its containers' socket tables. */
export interface AcrossNode {
  facts: NodeOverlayFacts;
  sockets: Map<string, Fact<ListeningSocket[]>>;
}

/** An end as the user wrote it: `node/name` or `name`. */
export interface EndRef {
  node: string | null;
  name: string;
}

export interface TaskEnd {
  node: AcrossNode;
  container: ContainerInfo;
}

/** The forms an end takes, for usage errors and help. */
export const ACROSS_END_FORMS =
  'a task (service.slot, e.g. web.1, or its full name), a container name or id prefix, each optionally NODE/ in front (the node as --from labels it)';

/** `node/name` splits at the first slash; a name never holds one. */
export function parseEndRef(text: string): EndRef {
  const i = text.indexOf('/');
  if (i < 0) return { node: null, name: text };
  return { node: text.slice(0, i), name: text.slice(i + 1) };
}

/** `node/name:port/proto`: the node in front (a slash before the port's colon), and the rest as single-host reach reads a destination. */
export function splitNode(text: string): { node: string | null; rest: string } {
  const i = text.indexOf('/');
  const colon = text.lastIndexOf(':');
  return i >= 0 && colon > i ? { node: text.slice(0, i), rest: text.slice(i + 1) } : { node: null, rest: text };
}

/** The container of a node a name means: Docker's own rule (id, name, id prefix), then a task's `service.slot`. */
function onNode(n: AcrossNode, name: string): ContainerInfo[] {
  const containers = n.facts.model.containers.all;
  const m = matchContainer(containers, name);
  if (m.kind === 'one') return [m.container];
  if (m.kind === 'many') return m.containers;
  // A task's container is named service.slot.taskid: `web.1` is the one of slot 1 on whichever node runs
  // it; `web` alone is the service's only task (several are ambiguous, and listed).
  const rest = (c: ContainerInfo) => (c.name.startsWith(`${name}.`) ? c.name.slice(name.length + 1).split('.').length : 0);
  const task = containers.filter((c) => rest(c) === 1);
  return task.length ? task : containers.filter((c) => rest(c) === 2);
}

function nodeNamed(nodes: readonly AcrossNode[], name: string): AcrossNode | null {
  return nodes.find((n) => n.facts.host === name) ?? nodes.find((n) => n.facts.hostname === name) ?? null;
}

/** Finds an end on the fleet: not found (a node or name the data does not hold) is a DocknetError; a name on two nodes a usage error. */
export function findTask(nodes: readonly AcrossNode[], unreadable: readonly { host: string; reason: string }[], ref: EndRef): TaskEnd {
  const labels = nodes.map((n) => n.facts.host);
  const missingNodes = unreadable.length ? `; not read: ${unreadable.map((u) => `${u.host} (${u.reason})`).join(', ')}` : '';
  let where = nodes;
  if (ref.node !== null) {
    const n = nodeNamed(nodes, ref.node);
    if (!n) {
      const down = unreadable.find((u) => u.host === ref.node);
      throw new DocknetError(
        down ? `node '${ref.node}' could not be read: ${down.reason}` : `no node '${ref.node}' among the snapshots given`,
        `the nodes: ${labels.join(', ')}${missingNodes}`,
      );
    }
    where = [n];
  }
  const found = where.flatMap((n) => onNode(n, ref.name).map((container) => ({ node: n, container })));
  if (found.length === 1) return found[0] as TaskEnd;
  const text = ref.node === null ? ref.name : `${ref.node}/${ref.name}`;
  if (found.length > 1) {
    const byNode = [...new Set(found.map((f) => f.node.facts.host))];
    if (byNode.length > 1)
      throw new UsageError(
        `'${text}' names containers on ${byNode.length} nodes (${found.map((f) => `${f.node.facts.host}/${f.container.name}`).join(', ')}): say which, as ${byNode.map((h) => `${h}/${ref.name}`).join(' or ')}`,
      );
    throw new UsageError(`'${text}' is ambiguous on ${byNode[0]}: it matches ${found.map((f) => f.container.name).join(', ')}`);
  }
  const names = where.flatMap((n) => n.facts.model.containers.all.map((c) => `${n.facts.host}/${c.name}`)).sort(naturalCompare);
  throw new DocknetError(
    `no task or container '${text}' on ${ref.node === null ? `any node (${labels.join(', ')})` : ref.node}${missingNodes}`,
    names.length ? `containers: ${names.join(', ')}` : null,
  );
}

/** A container's overlay attachment: the network as its node's engine reports it, and its address there. */
export interface Attachment {
  on: OverlayOnNode;
  ip: string;
}

function attachments(end: TaskEnd): Attachment[] {
  const f = end.node.facts.overlays;
  if (!f.known) return [];
  const out: Attachment[] = [];
  for (const e of end.container.endpoints) {
    const on = f.value.find((o) => o.network.id === e.networkId || o.network.name === e.network);
    const ip = bareAddress(e.ipv4);
    if (on && ip && !on.network.ingress) out.push({ on, ip });
  }
  return out;
}

/** The overlays both ends are attached to, by network id, each with both ends' attachments; the first by name is the one walked. */
export function sharedOverlays(a: TaskEnd, b: TaskEnd): { from: Attachment; to: Attachment }[] {
  const bs = attachments(b);
  return attachments(a)
    .flatMap((x) => {
      const y = bs.find((z) => z.on.network.id === x.on.network.id);
      return y ? [{ from: x, to: y }] : [];
    })
    .sort((p, q) => naturalCompare(p.from.on.network.name, q.from.on.network.name));
}

/** Why two ends share no overlay, in words: which overlays each is on, or that a node's overlay list is unknown. */
export function noSharedOverlay(a: TaskEnd, b: TaskEnd): string {
  const on = (e: TaskEnd) =>
    e.node.facts.overlays.known
      ? attachments(e)
          .map((x) => x.on.network.name)
          .join(', ') || 'no swarm overlay'
      : `unknown overlays (${e.node.facts.overlays.reason})`;
  return `${a.node.facts.host}/${a.container.name} is on ${on(a)}; ${b.node.facts.host}/${b.container.name} is on ${on(b)}`;
}
