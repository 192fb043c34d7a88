/** A clock tests move by hand, and a sleep that moves it instead of waiting. */
import type { Sleep } from '../../src/outbox/delivery-worker';

export interface FakeClock {
  now: () => number;
  advance: (ms: number) => void;
  set: (ms: number) => void;
  /** Sleeps by advancing the clock (after letting pending I/O callbacks run). */
  sleep: Sleep;
  /** Total time slept. */
  slept: () => number;
}

export function fakeClock(start: Date | number): FakeClock {
  let t = typeof start === 'number' ? start : start.getTime();
  let slept = 0;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
    sleep: async (ms) => {
      await new Promise((r) => setImmediate(r));
      const step = Math.max(1, Math.ceil(ms));
      t += step;
      slept += step;
    },
    slept: () => slept,
  };
}
