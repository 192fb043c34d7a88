/**
 * The scheduler's memory in the database: up to when reminders were computed and queued. Shared by every
 * process on the file, so a restart (or a second instance) starts from where the last tick ended.
 */
import type Database from 'better-sqlite3';

export class ScheduleStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare<{ name: string }, string>('SELECT value FROM schedule_state WHERE name = @name').pluck(),
      set: db.prepare(
        `INSERT INTO schedule_state (name, value, updated_at) VALUES (@name, @value, @updatedAt)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
    };
  }

  /** The moment (ms) up to which reminders were queued; null before the scheduler's first tick. */
  lastTick(): number | null {
    const v = this.s.get.get({ name: 'last_tick' });
    return v === undefined ? null : Number(v);
  }

  /** Records a tick; never moves it backwards (another process may have ticked later). */
  setLastTick(at: number): void {
    const current = this.lastTick();
    if (current !== null && current >= at) return;
    this.s.set.run({ name: 'last_tick', value: String(at), updatedAt: new Date(at).toISOString() });
  }
}
