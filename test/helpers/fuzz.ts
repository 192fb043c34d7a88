/**
 * Shared settings of the fast-check properties: a fixed seed (so CI is repeatable) that `FC_SEED` replaces, and
 * run counts that `FC_NUM_RUNS` replaces (one number for every property, e.g. `FC_NUM_RUNS=20000` for a long
 * local hunt). Tests put the seed and count in their names, so a failing run says how to repeat it.
 */
export const FUZZ_SEED = Number(process.env.FC_SEED ?? 20261127);

export function fuzzRuns(defaultRuns: number): number {
  const override = Number(process.env.FC_NUM_RUNS);
  return Number.isInteger(override) && override > 0 ? override : defaultRuns;
}

/** `{ numRuns, seed }` for `fc.assert`. */
export function fuzzParams(defaultRuns: number): { numRuns: number; seed: number } {
  return { numRuns: fuzzRuns(defaultRuns), seed: FUZZ_SEED };
}

/** `(seed 20261127, 500 runs)`: for test names. */
export function fuzzLabel(defaultRuns: number): string {
  return `(seed ${FUZZ_SEED}, ${fuzzRuns(defaultRuns)} runs)`;
}
