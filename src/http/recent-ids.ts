/**
 * The message ids seen lately, to drop DingTalk's redeliveries (delivery is at least once). Two states: a message
 * is `in flight` from receipt until the bot has handled it, then `done`; both expire after the TTL. A failed
 * handling clears the mark, so a redelivery of that message is processed again. Bounded: past `max` ids the
 * oldest are forgotten first. In memory only: a restart forgets everything (DingTalk redelivers within minutes).
 */

export interface RecentIdsOptions {
  /** Most ids remembered; default 10,000. */
  max?: number;
  /** How long an id is remembered after it was received or handled; default 2 hours. */
  ttlMs?: number;
  clock?: () => number;
}

export const RECENT_IDS_MAX = 10_000;
export const RECENT_IDS_TTL_MS = 2 * 60 * 60 * 1000;

interface Entry {
  state: 'in-flight' | 'done';
  expiresAt: number;
}

export class RecentIds {
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly clock: () => number;
  /** In order of last change, oldest first (re-inserted on every change), so eviction takes from the front. */
  private readonly entries = new Map<string, Entry>();

  constructor(options: RecentIdsOptions = {}) {
    this.max = Math.max(1, options.max ?? RECENT_IDS_MAX);
    this.ttlMs = options.ttlMs ?? RECENT_IDS_TTL_MS;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Marks `id` in flight and returns true when it is new; returns false (and changes nothing) when it is in
   * flight or was handled within the TTL: the caller drops the message.
   */
  begin(id: string): boolean {
    const now = this.clock();
    this.prune(now);
    if (this.entries.has(id)) return false;
    this.set(id, 'in-flight', now);
    this.prune(now);
    return true;
  }

  /** The message was handled: remembered as done for the TTL from now. */
  done(id: string): void {
    const now = this.clock();
    this.set(id, 'done', now);
    this.prune(now);
  }

  /** Handling failed: forget the id, so a redelivery is processed. */
  fail(id: string): void {
    this.entries.delete(id);
  }

  /** `in-flight`, `done`, or null when the id is not (or no longer) remembered. */
  state(id: string): Entry['state'] | null {
    const entry = this.entries.get(id);
    return entry && entry.expiresAt > this.clock() ? entry.state : null;
  }

  get size(): number {
    this.prune(this.clock());
    return this.entries.size;
  }

  private set(id: string, state: Entry['state'], now: number): void {
    this.entries.delete(id);
    this.entries.set(id, { state, expiresAt: now + this.ttlMs });
  }

  /** Drops expired ids (all at the front, since every change re-inserts at the end) and then the oldest over `max`. */
  private prune(now: number): void {
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now && this.entries.size <= this.max) break;
      this.entries.delete(id);
    }
  }
}
