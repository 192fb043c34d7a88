/**
 * The per-sender limit on chat messages (CALLBACK_RATE_PER_MINUTE): at most `perMinute` messages from one sender in
 * any rolling minute reach the bot. A message over the limit is dropped; the first one over in a minute is
 * `notify` (the receiver then tells the sender, once, to wait, and logs one warning). Memory is bounded: senders
 * idle for a minute are forgotten, and past `maxSenders` the least recently seen go first.
 */

export interface SenderLimitOptions {
  /** Messages one sender may send in any rolling minute. */
  perMinute: number;
  /** Milliseconds since the epoch; `Date.now` by default. */
  clock?: () => number;
  /** Senders remembered at most (default 10,000). */
  maxSenders?: number;
}

/** What to do with a message: hand it to the bot, or drop it (telling the sender when `notify`). */
export type LimitVerdict = { allowed: true } | { allowed: false; notify: boolean };

interface SenderState {
  /** When the messages of the last minute that were let through arrived, oldest first. */
  times: number[];
  /** When the sender was last told to wait (null: not within the window). */
  toldAt: number | null;
  /** The last message, allowed or not. */
  lastSeen: number;
}

export const WINDOW_MS = 60_000;

export class SenderLimit {
  readonly perMinute: number;
  private readonly clock: () => number;
  private readonly maxSenders: number;
  /** Least recently seen first (a sender is moved to the end on every message). */
  private readonly senders = new Map<string, SenderState>();
  private lastSweep = 0;

  constructor(options: SenderLimitOptions) {
    this.perMinute = options.perMinute;
    this.clock = options.clock ?? Date.now;
    this.maxSenders = options.maxSenders ?? 10_000;
  }

  /** Counts a message from `sender` (its id) and says whether it may go to the bot. */
  check(sender: string): LimitVerdict {
    const now = this.clock();
    this.sweep(now);
    const state = this.senders.get(sender) ?? { times: [], toldAt: null, lastSeen: now };
    this.senders.delete(sender);
    this.senders.set(sender, state);
    state.lastSeen = now;
    while (state.times.length && now - (state.times[0] ?? 0) >= WINDOW_MS) state.times.shift();
    if (state.toldAt !== null && now - state.toldAt >= WINDOW_MS) state.toldAt = null;
    if (state.times.length < this.perMinute) {
      state.times.push(now);
      this.evict();
      return { allowed: true };
    }
    const notify = state.toldAt === null;
    if (notify) state.toldAt = now;
    return { allowed: false, notify };
  }

  /** Senders currently remembered (tests). */
  get size(): number {
    return this.senders.size;
  }

  /** Forgets senders idle for a window, at most once a second (the oldest come first, so it stops early). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 1_000 && this.senders.size <= this.maxSenders) return;
    this.lastSweep = now;
    for (const [sender, state] of this.senders) {
      if (now - state.lastSeen < WINDOW_MS) break;
      this.senders.delete(sender);
    }
  }

  private evict(): void {
    for (const sender of this.senders.keys()) {
      if (this.senders.size <= this.maxSenders) break;
      this.senders.delete(sender);
    }
  }
}
