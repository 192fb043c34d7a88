/**
 * The local chat page's clock: the real time (or a test's clock) moved forward by the page's 「下一个工作日」
 * button. The bot, the scheduler and the delivery worker all read it, so a visitor can walk a whole reporting
 * cycle in minutes. It only ever moves forward: the outbox and the reports were written at the times it showed.
 */
import { systemClock, type Clock } from '../channels/channel';

export class SimulatedClock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  /** The simulated time, ms since the epoch. */
  readonly now: Clock = () => this.base() + this.offsetMs;

  /** How far ahead of the real time the clock runs. */
  get aheadMs(): number {
    return this.offsetMs;
  }

  /** Moves the clock to `at`; an instant that has passed leaves it where it is. */
  moveTo(at: number): void {
    if (at > this.now()) this.offsetMs = at - this.base();
  }
}
