// The file reads gather makes of a host's /proc and /sys, as one interface: node:fs on this machine,
// or answers fetched in batches over ssh (gather/remote-files.ts). Readers are handed one of these.
import { readdirSync, readFileSync, readlinkSync, statfsSync, statSync } from 'node:fs';

export interface HostFs {
  readText(path: string): string;
  readBytes(path: string): Buffer;
  readdir(path: string): string[];
  readlink(path: string): string;
  /** Throws as statSync does when the path does not exist. */
  stat(path: string): void;
  /** The filesystem type (statfs f_type) of the file system holding path. */
  fsType(path: string): number;
}

export const localFs: HostFs = {
  readText: (path) => readFileSync(path, 'utf8'),
  readBytes: (path) => readFileSync(path),
  readdir: (path) => readdirSync(path),
  readlink: (path) => readlinkSync(path),
  stat: (path) => {
    statSync(path);
  },
  fsType: (path) => statfsSync(path).type,
};

/** Whether path exists, as existsSync says. */
export function exists(fs: HostFs, path: string): boolean {
  try {
    fs.stat(path);
    return true;
  } catch {
    return false;
  }
}
