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

export interface VirtualClock extends FakeClock {
  /** Sleepers waiting now. */
  readonly sleeping: () => number;
}

/**
 * A clock for several loops that sleep at once (the delivery worker and the admin alerts' retries). With
 * `fakeClock` each sleeper moves the clock by itself, so while one loop waits for an HTTP answer the other's
 * sleeps race the clock ahead, and the answer arrives minutes "later" depending on the machine's speed. Here time
 * jumps to the earliest wake-up only when every actor is asleep: `actors()` says how many loops there are now
 * (the test counts them), and time stands still while any of them is busy, e.g. waiting for a request.
 */
export function virtualClock(start: Date | number, actors: () => number): VirtualClock {
  let t = typeof start === 'number' ? start : start.getTime();
  let slept = 0;
  const waiting = new Set<{ at: number; wake: () => void }>();
  let driving = false;

  const drive = (): void => {
    if (waiting.size === 0) {
      driving = false;
      return;
    }
    if (waiting.size >= actors()) {
      const at = Math.min(...[...waiting].map((w) => w.at));
      if (at > t) {
        slept += at - t;
        t = at;
      }
      for (const w of [...waiting]) if (w.at <= t) w.wake();
    }
    setImmediate(drive);
  };

  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        const entry = { at: t + Math.max(1, Math.ceil(ms)), wake };
        function wake() {
          waiting.delete(entry);
          signal.removeEventListener('abort', wake);
          resolve();
        }
        waiting.add(entry);
        signal.addEventListener('abort', wake, { once: true });
        if (!driving) {
          driving = true;
          setImmediate(drive);
        }
      }),
    slept: () => slept,
    sleeping: () => waiting.size,
  };
}
