// Runs one parser over huge and pathological inputs in a worker thread, so that a parser that is not
// linear can be stopped from outside (a synchronous regex cannot be interrupted on the main thread).
import { parentPort, workerData } from 'node:worker_threads';
import { CASES } from './parser-cases.js';
import { PATHOLOGICAL } from './damage.js';

const { caseName } = workerData as { caseName: string };
const c = CASES.find((x) => x.name === caseName);
const post = (m: { at?: string; done?: boolean; error?: string }): void => parentPort?.postMessage(m);

try {
  if (!c) throw new Error(`no parser case ${caseName}`);
  for (const [what, text] of PATHOLOGICAL) {
    post({ at: what });
    c.parse(text);
  }
  // Every fixture repeated until the input is a few MB.
  for (const f of c.fixtures.slice(0, 3)) {
    post({ at: `${f.path} repeated to 2 MB` });
    c.parse(f.text.repeat(Math.max(1, Math.floor(2_000_000 / Math.max(1, f.text.length)))));
  }
  post({ done: true });
} catch (err) {
  post({ error: (err as Error)?.stack ?? String(err) });
}
