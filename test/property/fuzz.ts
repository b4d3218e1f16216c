// Shared settings of the property tests: a fixed seed and bounded runs under `npm test`, wider under
// `npm run fuzz` (FUZZ_RUNS=<n>, and FUZZ_SEED=<n> to explore other inputs or replay a reported one).
import type fc from 'fast-check';

const envInt = (name: string): number | null => {
  const v = process.env[name];
  if (v === undefined || v === '') return null;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`${name}=${v} is not an integer`);
  return n;
};

export const FUZZ_SEED = envInt('FUZZ_SEED') ?? 20261128;
const FUZZ_RUNS = envInt('FUZZ_RUNS');

/** fast-check parameters: `runs` under `npm test`, FUZZ_RUNS when set. */
export function params<T>(runs: number): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: FUZZ_RUNS ?? runs, includeErrorInReport: true };
}

/** Whether this is a wide run (`npm run fuzz`): slow exhaustive checks may then run too. */
export const WIDE = FUZZ_RUNS !== null;
