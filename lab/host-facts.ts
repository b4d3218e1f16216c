// Facts about the host the lab asks for (swarm, links, docker's JSON lines), and the lab's state file.
import { readFileSync, writeFileSync } from 'node:fs';
import type { LabState } from './build.js';
import { LAB_STATE_FILE, SWARM_ADDR, SWARM_NODE_LABEL } from './lab-spec.js';
import { lines, must, run } from './run.js';

interface SwarmInfo {
  state: string;
  active: boolean;
  manager: boolean;
  error: string;
}

export async function swarmInfo(): Promise<SwarmInfo> {
  const s = JSON.parse(await must(['docker', 'info', '--format', '{{json .Swarm}}'])) as {
    LocalNodeState?: string;
    ControlAvailable?: boolean;
    Error?: string;
  };
  const state = s.LocalNodeState || 'inactive';
  return { state, active: state === 'active', manager: Boolean(s.ControlAvailable), error: s.Error ?? '' };
}

export async function swarmMadeByLab(): Promise<boolean> {
  const r = await run(['docker', 'node', 'inspect', 'self', '--format', `{{index .Spec.Labels "${SWARM_NODE_LABEL}"}}`]);
  return r.exitCode === 0 && r.stdout.trim() === 'created';
}

export async function swarmUsesLabAddr(): Promise<boolean> {
  const r = await run(['docker', 'info', '--format', '{{.Swarm.NodeAddr}}']);
  return r.stdout.trim() === SWARM_ADDR;
}

export async function linkKind(name: string): Promise<string | null> {
  const r = await run(['ip', '-j', '-d', 'link', 'show', 'dev', name]);
  if (r.exitCode !== 0) return null;
  const [link] = JSON.parse(r.stdout) as { linkinfo?: { info_kind?: string } }[];
  return link?.linkinfo?.info_kind ?? 'device';
}

export async function linkExists(name: string): Promise<boolean> {
  return (await linkKind(name)) !== null;
}

export async function exists(command: string[]): Promise<boolean> {
  return (await run(command)).exitCode === 0;
}

export function jsonLines(text: string): Record<string, unknown>[] {
  return lines(text).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function readState(): LabState | null {
  try {
    return JSON.parse(readFileSync(LAB_STATE_FILE, 'utf8')) as LabState;
  } catch {
    return null; // no lab has been brought up here, or /tmp was cleared
  }
}

export function writeState(state: LabState): void {
  writeFileSync(LAB_STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}
