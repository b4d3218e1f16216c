// The client beyond each host's uplink: a network namespace joined to the host by a veth, as a LAN
// machine that routes the host's container subnets to it. Tests connect from it to container addresses
// and host ports; it reaches nothing else (no default route, and the host forwards only those subnets for it).
import { existsSync } from 'node:fs';
import type { Log } from './engine.js';
import { netnsPath } from './host-enter.js';
import type { Generation } from './lab-spec.js';
import { must, run } from './run.js';

/** `ip` in the host's namespace: `ip -n` for a host of its own, nsenter into the system engine's for 20.10. */
function hostIp(gen: Generation, args: string[]): string[] {
  return gen.netns ? ['ip', '-n', gen.netns, ...args] : ['nsenter', `--net=${netnsPath(gen)}`, '--', 'ip', ...args];
}

function clientIp(gen: Generation, args: string[]): string[] {
  return ['ip', '-n', gen.outside.netns, ...args];
}

export interface OutsideState {
  netns: boolean;
  link: boolean;
}

export async function outsideState(gen: Generation): Promise<OutsideState> {
  const o = gen.outside;
  const netns = existsSync(`/run/netns/${o.netns}`);
  return { netns, link: netns && (await run(clientIp(gen, ['link', 'show', 'dev', o.clientEnd]))).exitCode === 0 };
}

/**
 * Makes the client namespace, its veth to the host, its routes, and the host's rules that forward
 * nothing from it but to the container subnets; each part only when it is not there yet. Needs the
 * root mount namespace (where /run/netns lives), so it runs from the lab's own process, not inside a host.
 */
export async function outsideUp(gen: Generation, log: Log): Promise<string[]> {
  const o = gen.outside;
  const made: string[] = [];
  if (gen.netns && !existsSync(`/run/netns/${gen.netns}`)) throw new Error(`the host ${gen.netns} of Docker ${gen.id} is not up`);
  if (!existsSync(`/run/netns/${o.netns}`)) {
    await must(['ip', 'netns', 'add', o.netns]);
    made.push(`network namespace ${o.netns}`);
  }
  if ((await run(clientIp(gen, ['link', 'show', 'dev', o.clientEnd]))).exitCode !== 0) {
    // A leftover host end (its client namespace gone) would make the add fail.
    if ((await run(hostIp(gen, ['link', 'show', 'dev', o.hostEnd]))).exitCode === 0) await must(hostIp(gen, ['link', 'del', o.hostEnd]));
    await must(hostIp(gen, ['link', 'add', o.hostEnd, 'type', 'veth', 'peer', 'name', o.clientEnd, 'netns', o.netns]));
    await must(hostIp(gen, ['link', 'set', 'dev', o.hostEnd, 'alias', `docknet.lab LAN to ${o.netns}`]));
    made.push(`veth ${o.hostEnd} ${o.hostAddr}/${o.prefix} <-> ${o.netns} ${o.clientEnd} ${o.clientAddr}/${o.prefix}`);
  }
  await must(hostIp(gen, ['addr', 'replace', `${o.hostAddr}/${o.prefix}`, 'dev', o.hostEnd]));
  await must(hostIp(gen, ['link', 'set', o.hostEnd, 'up']));
  await must(clientIp(gen, ['addr', 'replace', `${o.clientAddr}/${o.prefix}`, 'dev', o.clientEnd]));
  await must(clientIp(gen, ['link', 'set', o.clientEnd, 'up']));
  await must(clientIp(gen, ['link', 'set', 'lo', 'up']));
  for (const r of o.routes) await must(clientIp(gen, ['route', 'replace', r, 'via', o.hostAddr, 'dev', o.clientEnd]));
  // In the host, what arrives from the client is forwarded to the container subnets only: routing rules,
  // which no firewall change by Docker or a test undoes.
  const rules = (await must(hostIp(gen, ['rule', 'show']))).split('\n');
  const has = (prio: number, text: string) => rules.some((l) => l.startsWith(`${prio}:`) && l.includes(text));
  for (const r of o.routes) {
    if (has(o.rulePriority.allow, `to ${r}`)) continue;
    await must(hostIp(gen, ['rule', 'add', 'priority', String(o.rulePriority.allow), 'iif', o.hostEnd, 'to', r, 'lookup', 'main']));
  }
  if (!has(o.rulePriority.deny, `iif ${o.hostEnd}`)) {
    await must(hostIp(gen, ['rule', 'add', 'priority', String(o.rulePriority.deny), 'iif', o.hostEnd, 'unreachable']));
    made.push(`routing rules ${o.rulePriority.allow}/${o.rulePriority.deny}: from ${o.hostEnd} only to ${o.routes.join(', ')}`);
  }
  if (made.length) log(`${gen.id}: client namespace ${o.netns} ready`);
  return made;
}

/** Removes the client namespace (its veth goes with it) and the host's rules for it; what was removed. */
export async function outsideDown(gen: Generation): Promise<string[]> {
  const o = gen.outside;
  const removed: string[] = [];
  if (existsSync(`/run/netns/${o.netns}`)) {
    await must(['ip', 'netns', 'del', o.netns]);
    removed.push(`network namespace ${o.netns}`);
  }
  // The host's end goes with its peer; a host namespace already gone took it and the rules along.
  const hostThere = !gen.netns || existsSync(`/run/netns/${gen.netns}`);
  if (!hostThere) return removed;
  if ((await run(hostIp(gen, ['link', 'show', 'dev', o.hostEnd]))).exitCode === 0) {
    await run(hostIp(gen, ['link', 'del', o.hostEnd]));
    removed.push(`veth ${o.hostEnd}`);
  }
  for (const prio of [o.rulePriority.allow, o.rulePriority.deny]) {
    let n = 0;
    while ((await run(hostIp(gen, ['rule', 'show', 'priority', String(prio)]))).stdout.trim() && n < 64) {
      await must(hostIp(gen, ['rule', 'del', 'priority', String(prio)]));
      n += 1;
    }
    if (n) removed.push(`routing rules ${prio} (${n})`);
  }
  return removed;
}
