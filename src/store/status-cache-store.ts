/**
 * Derived status data kept between processes (status_cache): values that are costly to compute from the plans
 * and cheap to recompute, each under a name and valid only for the key it was stored with (the caller puts in
 * the key whatever the value depends on). Emptying the table loses nothing but time.
 */
import type Database from 'better-sqlite3';

export class StatusCacheStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare<{ name: string; key: string }, Buffer>('SELECT value FROM status_cache WHERE name = @name AND key = @key').pluck(),
      put: db.prepare<{ name: string; key: string; value: Buffer }>(
        `INSERT INTO status_cache (name, key, value) VALUES (@name, @key, @value)
         ON CONFLICT (name) DO UPDATE SET key = excluded.key, value = excluded.value`,
      ),
    };
  }

  /** The value stored under `name` for `key`; null when there is none or it was stored for another key. */
  get(name: string, key: string): Buffer | null {
    return this.s.get.get({ name, key }) ?? null;
  }

  /** Stores the value under `name` for `key`, replacing whatever was there. */
  put(name: string, key: string, value: Buffer): void {
    this.s.put.run({ name, key, value });
  }
}
