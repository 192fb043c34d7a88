/**
 * Timing helpers of the benchmark: warm-up runs that are thrown away, then N timed runs with
 * process.hrtime.bigint; the median is what gets reported. Setup and teardown run outside the timer.
 */

export interface Reps {
  /** Runs thrown away before measuring (JIT warm-up, page cache, SQLite statement cache). */
  warmup: number;
  /** Timed runs; the median of these is reported. */
  runs: number;
}

export interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function summarise(samples: number[]): Timing {
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), runs: samples.length };
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Times `body` `reps.runs` times after `reps.warmup` discarded runs. `setup` builds what one run needs
 * (a fresh database, say) and `teardown` disposes of it; neither is timed.
 */
export function timeSync<S>(reps: Reps, setup: () => S, body: (state: S) => void, teardown?: (state: S) => void): Timing {
  const samples: number[] = [];
  for (let i = 0; i < reps.warmup + reps.runs; i++) {
    const state = setup();
    let ms: number;
    try {
      const start = process.hrtime.bigint();
      body(state);
      ms = elapsedMs(start);
    } finally {
      teardown?.(state);
    }
    if (i >= reps.warmup) samples.push(ms);
  }
  return summarise(samples);
}

/** `timeSync` for a body that returns a promise (the whole await is timed). */
export async function timeAsync<S>(
  reps: Reps,
  setup: () => S,
  body: (state: S) => Promise<void>,
  teardown?: (state: S) => void,
): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < reps.warmup + reps.runs; i++) {
    const state = setup();
    let ms: number;
    try {
      const start = process.hrtime.bigint();
      await body(state);
      ms = elapsedMs(start);
    } finally {
      teardown?.(state);
    }
    if (i >= reps.warmup) samples.push(ms);
  }
  return summarise(samples);
}

/** Times a body that needs no setup. */
export function time(reps: Reps, body: () => void): Timing {
  return timeSync(reps, () => undefined, body);
}

/**
 * Times a body made of consecutive phases: the body calls `lap()` at the end of each phase but the last, and one
 * Timing is returned per phase, then one for the whole body. All come from the same runs, so the phases add up to
 * the total run by run. `setup` gets the run's index (warm-up runs included) and is not timed.
 */
export function timeLaps<S>(
  reps: Reps,
  setup: (run: number) => S,
  body: (state: S, lap: () => void) => void,
  teardown?: (state: S) => void,
): Timing[] {
  const phases: number[][] = [];
  const totals: number[] = [];
  for (let i = 0; i < reps.warmup + reps.runs; i++) {
    const state = setup(i);
    const marks: bigint[] = [];
    let start: bigint;
    try {
      start = process.hrtime.bigint();
      body(state, () => marks.push(process.hrtime.bigint()));
      marks.push(process.hrtime.bigint());
    } finally {
      teardown?.(state);
    }
    if (i < reps.warmup) continue;
    let from = start;
    marks.forEach((mark, k) => {
      (phases[k] ??= []).push(Number(mark - from) / 1e6);
      from = mark;
    });
    totals.push(Number((marks[marks.length - 1] as bigint) - start) / 1e6);
  }
  if (phases.some((p) => p.length !== totals.length)) throw new Error('timeLaps: the body did not call lap() the same number of times in every run');
  return [...phases.map(summarise), summarise(totals)];
}
