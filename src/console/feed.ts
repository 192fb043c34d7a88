/**
 * What the local chat page shows, in order: the robot's messages as the console channel delivered them, what
 * visitors said to the bot and its answers, and what the page's buttons did. Kept in memory (the newest
 * MAX_EVENTS), numbered so a page that reconnects asks only for what it missed.
 */

/** Who a robot message is for: the page shows it to them (to everyone when `everyone`). */
export interface Audience {
  /** `区司法局的联络员`, `区领导`, `督办群`. */
  label: string;
  /** The DingTalk ids it reaches. */
  ids: string[];
  /** The names it @-mentions. */
  names: string[];
  everyone: boolean;
}

interface Stamp {
  seq: number;
  /** Simulated time, ms. */
  at: number;
  /** `9月15日 10:00` in TIMEZONE. */
  time: string;
}

export interface Speaker {
  id: string;
  name: string;
}

export type FeedEvent = Stamp &
  (
    | { type: 'robot'; title: string; html: string; audience: Audience }
    | { type: 'said'; from: Speaker; text: string }
    | { type: 'answer'; to: Speaker; replyTo: number; title: string; html: string; mention: boolean }
    | { type: 'notice'; text: string }
  );

/** `Omit` over each member of a union. */
type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;
/** An event before the feed numbered it. */
export type NewEvent = WithoutSeq<FeedEvent>;

export const MAX_EVENTS = 2_000;

export class ChatFeed {
  private readonly events: FeedEvent[] = [];
  private readonly listeners = new Set<(e: FeedEvent) => void>();
  private last = 0;

  publish(event: NewEvent): FeedEvent {
    const e = { ...event, seq: ++this.last } as FeedEvent;
    this.events.push(e);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    for (const listener of this.listeners) listener(e);
    return e;
  }

  /** The events after `seq`, oldest first. */
  since(seq: number): FeedEvent[] {
    const i = this.events.findIndex((e) => e.seq > seq);
    return i < 0 ? [] : this.events.slice(i);
  }

  /** The last number given. */
  get lastSeq(): number {
    return this.last;
  }

  /** Calls `listener` with each new event until the returned function is called. */
  subscribe(listener: (e: FeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
