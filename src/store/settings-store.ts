/**
 * Values the service chose for itself and keeps across restarts (the `app_settings` table), such as the
 * dashboard's generated token. Shared by every process on the file: the first to store a value wins.
 */
import type Database from 'better-sqlite3';

export class SettingsStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare<{ name: string }, string>('SELECT value FROM app_settings WHERE name = @name').pluck(),
      insert: db.prepare<{ name: string; value: string; updatedAt: string }>(
        `INSERT INTO app_settings (name, value, updated_at) VALUES (@name, @value, @updatedAt)
         ON CONFLICT (name) DO NOTHING`,
      ),
    };
  }

  /** The stored value, or null when none was stored. */
  get(name: string): string | null {
    return this.s.get.get({ name }) ?? null;
  }

  /**
   * The stored value; when there is none, stores `make()` first. Two processes starting together agree on one
   * value: the insert keeps the row another process wrote first, and the value is read back after it.
   */
  getOrCreate(name: string, make: () => string, now: Date): string {
    const stored = this.get(name);
    if (stored !== null) return stored;
    this.s.insert.run({ name, value: make(), updatedAt: now.toISOString() });
    return this.get(name) as string;
  }
}
