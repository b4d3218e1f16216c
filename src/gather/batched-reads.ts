// Runs gather's synchronous file readers against a remote host: every reader queued meanwhile is run
// together, each round's missing files are fetched in one batch, and the readers run again until they
// need nothing more. Answers are kept for the run, so a file is fetched once.
import type { HostFs } from './host-fs.js';
import { answeringFs, type Answer } from './remote-files.js';

/** Past this many rounds what is still missing is failed (a reader whose reads never settle). */
const MAX_ROUNDS = 8;

interface Job {
  read: (fs: HostFs) => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class BatchedReads {
  private readonly answers = new Map<string, Answer>();
  private queue: Job[] = [];
  private running = false;
  /** How many batches were fetched: the round trips this reader cost. */
  batches = 0;

  constructor(private readonly fetch: (requests: string[]) => Promise<Map<string, Answer>>) {}

  readFiles<T>(read: (fs: HostFs) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ read, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        // A macrotask later, so that readers queued in the same turn share their batches.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const jobs = this.queue;
      this.queue = [];
      await this.settle(jobs);
    }
    this.running = false;
  }

  private async settle(jobs: Job[]): Promise<void> {
    let pending = jobs;
    for (let round = 0; pending.length; round++) {
      const last = round >= MAX_ROUNDS;
      const misses = new Set<string>();
      const next: Job[] = [];
      for (const job of pending) {
        const own = new Set<string>();
        let value: unknown;
        try {
          value = job.read(answeringFs(this.answers, last ? null : own));
        } catch (err) {
          // A reader that lets a read's error escape may have thrown for a file not fetched yet: it runs
          // again once that file is (as it would read it locally); with nothing missed, the error is its own.
          if (own.size === 0) {
            job.reject(err);
            continue;
          }
        }
        if (own.size === 0) job.resolve(value);
        else {
          for (const m of own) misses.add(m);
          next.push(job);
        }
      }
      if (misses.size) {
        this.batches++;
        try {
          for (const [k, v] of await this.fetch([...misses])) this.answers.set(k, v);
        } catch (err) {
          for (const job of next) job.reject(err);
          return;
        }
      }
      pending = next;
    }
  }
}
