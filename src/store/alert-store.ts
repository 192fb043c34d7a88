/**
 * What the admins' group was last told, by kind of alert: the memory that keeps an alert from repeating within
 * its quiet period, shared by the service and every CLI run on the same database.
 */
import type Database from 'better-sqlite3';

export interface AlertRecord {
  key: string;
  sentAt: number;
  text: string;
}

export class AlertStore {
  private readonly last;
  private readonly upsert;
  private readonly remove;
  private readonly claimTx;

  constructor(db: Database.Database) {
    this.last = db.prepare<{ key: string }, AlertRecord>('SELECT key, sent_at AS sentAt, text FROM admin_alerts WHERE key = @key');
    this.upsert = db.prepare<AlertRecord>(
      `INSERT INTO admin_alerts (key, sent_at, text) VALUES (@key, @sentAt, @text)
       ON CONFLICT (key) DO UPDATE SET sent_at = excluded.sent_at, text = excluded.text`,
    );
    this.remove = db.prepare<{ key: string; sentAt: number }>('DELETE FROM admin_alerts WHERE key = @key AND sent_at = @sentAt');
    this.claimTx = db.transaction((record: AlertRecord, quietMs: number): boolean => {
      const before = this.last.get({ key: record.key });
      if (before && record.sentAt - before.sentAt < quietMs && record.sentAt >= before.sentAt) return false;
      this.upsert.run(record);
      return true;
    });
  }

  /**
   * Takes the right to send the alert `key` at `now`: false when it was sent (or is being sent by another
   * process) less than `quietMs` ago. One transaction, so two processes cannot both take it.
   */
  claim(key: string, now: number, quietMs: number, text: string): boolean {
    return this.claimTx.immediate({ key, sentAt: now, text }, quietMs);
  }

  /** Gives a claim back after the alert could not be sent, so the next occasion tries again. */
  release(key: string, sentAt: number): void {
    this.remove.run({ key, sentAt });
  }

  get(key: string): AlertRecord | undefined {
    return this.last.get({ key });
  }
}
