/**
 * How many runs a soak makes and from which seeds: `SOAK_RUNS` runs per scenario (default 20), run `i` seeded
 * `SOAK_SEED + i` (`SOAK_SEED` random when not set, and printed). A failing run prints its seed; it is replayed
 * alone with `SOAK_SEED=<that seed> SOAK_RUNS=1 npm run test:soak`.
 */

export interface SoakRuns {
  runs: number;
  baseSeed: number;
  /** The seed of run `i` (0-based). */
  seedOf(i: number): number;
}

export function soakRuns(defaultRuns = 20): SoakRuns {
  const runs = process.env.SOAK_RUNS ? Number(process.env.SOAK_RUNS) : defaultRuns;
  if (!(Number.isInteger(runs) && runs > 0)) throw new Error(`SOAK_RUNS must be a positive integer, got ${process.env.SOAK_RUNS}`);
  const baseSeed = process.env.SOAK_SEED ? Number(process.env.SOAK_SEED) : Math.floor(Math.random() * 1_000_000_000);
  if (!Number.isSafeInteger(baseSeed) || baseSeed < 0) throw new Error(`SOAK_SEED must be a non-negative integer, got ${process.env.SOAK_SEED}`);
  return { runs, baseSeed, seedOf: (i) => baseSeed + i };
}

/** A small seeded generator (mulberry32): numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A line the person running the soak sees as it happens (jest's console would add a stack trace to each). */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Summary statistics of a list of milliseconds, for the closing line of a soak. */
export function spread(ms: readonly number[]): string {
  if (ms.length === 0) return 'none';
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `min ${sorted[0]} / median ${at(0.5)} / max ${sorted[sorted.length - 1]} ms`;
}
