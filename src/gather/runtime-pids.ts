// Finds running containers' init pids from the OCI runtime's own state files (runc's state.json),
// one small file read per container instead of one Engine API inspect call per container.
import { readFileSync } from 'node:fs';

/** Where Docker's containerd shims keep runc state, by Docker's default runtime root. */
export const RUNC_STATE_ROOTS: readonly string[] = ['/run/docker/runtime-runc/moby', '/var/run/docker/runtime-runc/moby'];

export interface RuntimePid {
  pid: number;
  source: string;
}

/** Pids for the given container ids; ids whose state cannot be read are absent (the caller inspects them). */
export function readRuntimePids(ids: string[], roots: readonly string[]): Record<string, RuntimePid> {
  const out: Record<string, RuntimePid> = {};
  for (const id of ids) {
    for (const root of roots) {
      const path = `${root}/${id}/state.json`;
      let state: { id?: unknown; init_process_pid?: unknown };
      try {
        state = JSON.parse(readFileSync(path, 'utf8')) as typeof state;
      } catch {
        // Not a value made up: a container without a readable state file is inspected instead (engine-api.ts).
        continue;
      }
      // The state must be this container's; whether its init still runs shows when /proc/<pid> is read.
      if (state.id !== id || typeof state.init_process_pid !== 'number' || state.init_process_pid <= 0) continue;
      out[id] = { pid: state.init_process_pid, source: path };
      break;
    }
  }
  return out;
}
