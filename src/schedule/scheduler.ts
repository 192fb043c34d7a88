/**
 * The ticking: one cron job (croner) per time of day reminders fire at (REMIND_AT, DIGEST_AT, BULLETIN_AT), in TIMEZONE. Each
 * firing runs one tick; what a tick queues is decided by the pure calendar logic from the clock, so a late or
 * missed firing only delays reminders, it never loses or repeats them.
 */
import { Cron } from 'croner';

export interface SchedulerOptions {
  /** `HH:mm` times of day, in `timeZone`. */
  times: readonly string[];
  timeZone: string;
  /** One tick; errors are reported through `onError` and the next firing ticks again. */
  tick: () => unknown;
  onError: (err: unknown) => void;
}

/** `09:00` → `0 0 9 * * *` (seconds, minutes, hours, day, month, weekday). */
export function cronPattern(time: string): string {
  const [h = '0', m = '0'] = time.split(':');
  return `0 ${Number(m)} ${Number(h)} * * *`;
}

export class Scheduler {
  private readonly jobs: Cron[];
  private running = false;

  constructor(private readonly opts: SchedulerOptions) {
    const patterns = [...new Set(opts.times.map(cronPattern))];
    // Created paused: nextRun() answers before start(), for `duban schedule status` and tests.
    this.jobs = patterns.map(
      (pattern) => new Cron(pattern, { timezone: opts.timeZone, paused: true, protect: true }, () => this.fire()),
    );
  }

  /** The cron patterns, one per distinct time. */
  get patterns(): string[] {
    return this.jobs.map((j) => j.getPattern() ?? '');
  }

  start(): void {
    for (const job of this.jobs) job.resume();
  }

  stop(): void {
    for (const job of this.jobs) job.stop();
  }

  /** The next firing after `after` (default now), whichever job it is. */
  nextRun(after?: Date): Date | null {
    const runs = this.jobs.flatMap((j) => j.nextRun(after ?? null) ?? []);
    return runs.length ? new Date(Math.min(...runs.map((d) => d.getTime()))) : null;
  }

  /** The next `n` firings after `after`, all jobs merged. */
  nextRuns(n: number, after: Date): Date[] {
    return this.jobs
      .flatMap((j) => j.nextRuns(n, after))
      .sort((a, b) => a.getTime() - b.getTime())
      .slice(0, n);
  }

  /** Runs a tick unless one is still running (a tick that outlasts the gap to the next time is not doubled). */
  async fire(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      // Synchronous ticks run to the end before fire() returns its promise: callers may rely on it.
      await this.opts.tick();
    } catch (err) {
      this.opts.onError(err);
    } finally {
      this.running = false;
    }
  }
}
