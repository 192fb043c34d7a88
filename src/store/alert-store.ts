/**
 * What the admins' group was told, by kind of alert: the memory that keeps an alert from repeating within its
 * quiet period and lets an alert cut short by a crash be sent by the next process. Shared by the service and
 * every CLI run on the same database. The policy (when a row may be taken) belongs to the caller.
 */
import type Database from 'better-sqlite3';

export interface AlertRecord {
  key: string;
  title: string;
  text: string;
  /** When the alert was (or is being) sent, ms. */
  sentAt: number;
  /** The process sending it; '' when nobody is (it gave up while stopping). */
  owner: string;
  /** DingTalk accepted it. */
  confirmed: boolean;
}

type Raw = Omit<AlertRecord, 'confirmed'> & { confirmed: number };

const toRecord = (r: Raw): AlertRecord => ({ ...r, confirmed: r.confirmed === 1 });

export class AlertStore {
  private readonly s;
  private readonly claimTx;

  constructor(db: Database.Database) {
    this.s = {
      get: db.prepare<{ key: string }, Raw>('SELECT key, title, text, sent_at AS sentAt, owner, confirmed FROM admin_alerts WHERE key = @key'),
      unconfirmed: db.prepare<[], Raw>(
        'SELECT key, title, text, sent_at AS sentAt, owner, confirmed FROM admin_alerts WHERE confirmed = 0 ORDER BY sent_at, key',
      ),
      upsert: db.prepare<Raw>(
        `INSERT INTO admin_alerts (key, title, text, sent_at, owner, confirmed) VALUES (@key, @title, @text, @sentAt, @owner, 0)
         ON CONFLICT (key) DO UPDATE SET title = excluded.title, text = excluded.text, sent_at = excluded.sent_at,
           owner = excluded.owner, confirmed = 0`,
      ),
      confirm: db.prepare<{ key: string; sentAt: number; owner: string }>(
        'UPDATE admin_alerts SET confirmed = 1 WHERE key = @key AND sent_at = @sentAt AND owner = @owner',
      ),
      abandon: db.prepare<{ key: string; sentAt: number; owner: string }>(
        "UPDATE admin_alerts SET owner = '' WHERE key = @key AND sent_at = @sentAt AND owner = @owner AND confirmed = 0",
      ),
      remove: db.prepare<{ key: string; sentAt: number; owner: string }>(
        'DELETE FROM admin_alerts WHERE key = @key AND sent_at = @sentAt AND owner = @owner AND confirmed = 0',
      ),
    };
    this.claimTx = db.transaction((record: Omit<AlertRecord, 'confirmed'>, mayTake: (existing: AlertRecord | undefined) => boolean): boolean => {
      const raw = this.s.get.get({ key: record.key });
      if (!mayTake(raw ? toRecord(raw) : undefined)) return false;
      this.s.upsert.run({ ...record, confirmed: 0 });
      return true;
    });
  }

  /**
   * Takes the alert `record.key` for sending, unconfirmed, when `mayTake` allows it given the row as it stands.
   * One immediate transaction, so two processes cannot both take it.
   */
  claim(record: Omit<AlertRecord, 'confirmed'>, mayTake: (existing: AlertRecord | undefined) => boolean): boolean {
    return this.claimTx.immediate(record, mayTake);
  }

  /** DingTalk accepted the alert taken at `sentAt` by `owner`. */
  confirm(key: string, sentAt: number, owner: string): void {
    this.s.confirm.run({ key, sentAt, owner });
  }

  /** The alert could not be sent: forget the claim, so the next occasion tries again. */
  release(key: string, sentAt: number, owner: string): void {
    this.s.remove.run({ key, sentAt, owner });
  }

  /** The process stops before the alert went out: leave it for the next process to send. */
  abandon(key: string, sentAt: number, owner: string): void {
    this.s.abandon.run({ key, sentAt, owner });
  }

  get(key: string): AlertRecord | undefined {
    const raw = this.s.get.get({ key });
    return raw ? toRecord(raw) : undefined;
  }

  /** Alerts taken but not (yet) accepted, oldest first. */
  unconfirmed(): AlertRecord[] {
    return this.s.unconfirmed.all().map(toRecord);
  }
}
