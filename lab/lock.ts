// One lab operation at a time (tests and people may both run it): a lock directory holding its holder's pid.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { sleep } from './engine.js';
import { LAB_LOCK_DIR } from './lab-spec.js';

const LOCK_DIR = LAB_LOCK_DIR;

export async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(`${LOCK_DIR}/pid`, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!lockHolderAlive()) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another lab operation holds ${LOCK_DIR} for over 5 minutes`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function lockHolderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(`${LOCK_DIR}/pid`, 'utf8'));
  } catch {
    return true; // the holder has made the directory but not yet written its pid
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
