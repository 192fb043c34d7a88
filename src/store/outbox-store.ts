/**
 * The durable outbox: messages are written here before they are sent, and leave the queue only when the
 * platform accepted them (`sent`) or can never take them (`failed`). Attempts are logged per channel, which
 * gives the rate limit a memory that survives restarts.
 */
import type Database from 'better-sqlite3';
import type { Destination } from '../channels/channel';

/** `replaced`: failed, then queued again as a new message (see `enqueue`); kept for the record. */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'replaced';
export type AttemptOutcome = 'ok' | 'retry' | 'throttled' | 'channel' | 'message';

/** One message to queue, possibly in several parts. */
export interface OutboxDraft {
  /** `kind|cycle|unit`: queued at most once, ever. */
  groupKey: string;
  channel: string;
  kind: string;
  cycle: string | null;
  unit: string | null;
  destination: Destination;
  /** The title of part 1; later parts get `（2/3）` appended. */
  title: string;
  /** Markdown of each part, in order. */
  parts: string[];
}

export interface OutboxRow {
  id: number;
  key: string;
  groupKey: string;
  channel: string;
  kind: string;
  cycle: string | null;
  unit: string | null;
  part: number;
  parts: number;
  destination: Destination;
  title: string;
  markdown: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  claimedBy: string | null;
  claimUntil: number | null;
  lastError: string | null;
  lastErrorCode: string | null;
  platformId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface EnqueueResult {
  /** Groups queued now (requeued ones included). */
  queued: number;
  /** Of those, groups that had failed entirely before and were queued again. */
  requeued: number;
  /** Messages (parts) queued now. */
  messages: number;
  /** Groups already queued, being sent or sent before, left alone. */
  skipped: number;
  /** Group keys queued now, in order. */
  queuedKeys: string[];
}

export type ClaimResult = { ok: true; attemptId: number } | { ok: false; waitUntil: number } | { ok: false; gone: true };

export interface OutboxCounts {
  pending: number;
  sending: number;
  sent: number;
  failed: number;
}

type RawRow = Omit<OutboxRow, 'destination'> & { destinationJson: string };

const COLUMNS = `id, key, group_key AS groupKey, channel, kind, cycle, unit, part, parts,
  destination_json AS destinationJson, title, markdown, status, attempts, next_attempt_at AS nextAttemptAt,
  claimed_by AS claimedBy, claim_until AS claimUntil, last_error AS lastError, last_error_code AS lastErrorCode,
  platform_id AS platformId, created_at AS createdAt, sent_at AS sentAt`;

function toRow({ destinationJson, ...rest }: RawRow): OutboxRow {
  return { ...rest, destination: JSON.parse(destinationJson) as Destination };
}

function prepare(db: Database.Database) {
  return {
    groupState: db.prepare<[string], { total: number; failed: number }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE status = 'failed') AS failed
       FROM outbox WHERE group_key = ? AND status <> 'replaced'`,
    ),
    retireGroup: db.prepare(
      `UPDATE outbox SET status = 'replaced', key = key || '~' || id, group_key = group_key || '~' || id
       WHERE group_key = ? AND status = 'failed'`,
    ),
    liveGroups: db
      .prepare<{ keys: string }, string>(
        `SELECT DISTINCT group_key FROM outbox
         WHERE group_key IN (SELECT value FROM json_each(@keys)) AND status IN ('pending', 'sending', 'sent')`,
      )
      .pluck(),
    insert: db.prepare(
      `INSERT INTO outbox (key, group_key, channel, kind, cycle, unit, part, parts, destination_json, title, markdown,
         status, next_attempt_at, created_at)
       VALUES (@key, @groupKey, @channel, @kind, @cycle, @unit, @part, @parts, @destinationJson, @title, @markdown,
         'pending', @now, @createdAt)`,
    ),
    head: db.prepare<{ channel: string }, RawRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE channel = @channel AND status IN ('pending', 'sending') ORDER BY id LIMIT 1`,
    ),
    byId: db.prepare<[number], RawRow>(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`),
    attemptTimes: db
      .prepare<{ channel: string; since: number }, number>(
        'SELECT at FROM outbox_attempts WHERE channel = @channel AND at >= @since ORDER BY at',
      )
      .pluck(),
    claim: db.prepare(
      `UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_by = @owner, claim_until = @until
       WHERE id = @id AND status IN ('pending', 'sending')`,
    ),
    logAttempt: db.prepare(
      `INSERT INTO outbox_attempts (outbox_id, channel, at, outcome) VALUES (@id, @channel, @now, 'started')`,
    ),
    endAttempt: db.prepare('UPDATE outbox_attempts SET outcome = @outcome, code = @code, error = @error WHERE id = @attemptId'),
    sent: db.prepare(
      `UPDATE outbox SET status = 'sent', sent_at = @sentAt, platform_id = @platformId, claimed_by = NULL,
         claim_until = NULL WHERE id = @id`,
    ),
    retry: db.prepare(
      `UPDATE outbox SET status = 'pending', next_attempt_at = @nextAt, last_error = @error, last_error_code = @code,
         claimed_by = NULL, claim_until = NULL WHERE id = @id AND status = 'sending'`,
    ),
    fail: db.prepare(
      `UPDATE outbox SET status = 'failed', last_error = @error, last_error_code = @code, claimed_by = NULL,
         claim_until = NULL WHERE id = @id`,
    ),
    failChannel: db.prepare(
      `UPDATE outbox SET status = 'failed', last_error = @error, last_error_code = @code, claimed_by = NULL,
         claim_until = NULL WHERE channel = @channel AND status IN ('pending', 'sending')`,
    ),
    listByStatus: db.prepare<{ statuses: string }, RawRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE status IN (SELECT value FROM json_each(@statuses)) ORDER BY id`,
    ),
    listGroups: db.prepare<{ keys: string }, RawRow>(
      `SELECT ${COLUMNS} FROM outbox WHERE group_key IN (SELECT value FROM json_each(@keys)) ORDER BY id`,
    ),
    retryFailed: db.prepare(
      `UPDATE outbox SET status = 'pending', next_attempt_at = @now, last_error = NULL, last_error_code = NULL,
         channel = coalesce(@channel, channel)
       WHERE status = 'failed' AND (@id IS NULL OR id = @id)`,
    ),
    failOtherChannels: db.prepare(
      `UPDATE outbox SET status = 'failed', last_error = @error, last_error_code = 'CHANNEL_CHANGED', claimed_by = NULL,
         claim_until = NULL WHERE channel <> @channel AND status IN ('pending', 'sending')`,
    ),
    counts: db.prepare<[], OutboxCounts>(
      `SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'sending') AS sending,
         count(*) FILTER (WHERE status = 'sent') AS sent, count(*) FILTER (WHERE status = 'failed') AS failed FROM outbox`,
    ),
    queuedByChannel: db.prepare<[], { channel: string; n: number }>(
      `SELECT channel, count(*) AS n FROM outbox WHERE status IN ('pending', 'sending') GROUP BY channel`,
    ),
  };
}

/**
 * The window the rate limit counts attempts in: a minute, plus a second of margin so that a platform whose clock
 * or counting differs slightly from ours never sees one message too many (DingTalk then blocks for 10 minutes).
 */
export const RATE_WINDOW_MS = 61_000;

export function partTitle(title: string, part: number, parts: number): string {
  return parts > 1 ? `${title}（${part}/${parts}）` : title;
}

export class OutboxStore {
  private readonly s: ReturnType<typeof prepare>;

  constructor(private readonly db: Database.Database) {
    this.s = prepare(db);
  }

  /**
   * Queues every draft whose group was never queued before, or whose every part failed (after the admin fixed a
   * liaison's id, say: nothing reached anyone, so sending it again cannot send anything twice). All in one
   * transaction: a crash leaves either all of them or none. Re-running with the same drafts queues nothing.
   */
  enqueue(drafts: readonly OutboxDraft[], now: number): EnqueueResult {
    const run = this.db.transaction(() => {
      const result: EnqueueResult = { queued: 0, requeued: 0, messages: 0, skipped: 0, queuedKeys: [] };
      const createdAt = new Date(now).toISOString();
      for (const d of drafts) {
        const state = this.s.groupState.get(d.groupKey) ?? { total: 0, failed: 0 };
        if (state.total > 0 && state.failed < state.total) {
          result.skipped++;
          continue;
        }
        if (state.total > 0) {
          // Nothing of it reached anyone: queue it afresh, with the recipients and text as they are now.
          this.s.retireGroup.run(d.groupKey);
          result.requeued++;
        }
        d.parts.forEach((markdown, i) => {
          const part = i + 1;
          this.s.insert.run({
            key: `${d.groupKey}#${part}`,
            groupKey: d.groupKey,
            channel: d.channel,
            kind: d.kind,
            cycle: d.cycle,
            unit: d.unit,
            part,
            parts: d.parts.length,
            destinationJson: JSON.stringify(d.destination),
            title: partTitle(d.title, part, d.parts.length),
            markdown,
            now,
            createdAt,
          });
        });
        result.queued++;
        result.messages += d.parts.length;
        result.queuedKeys.push(d.groupKey);
      }
      return result;
    });
    return run.immediate();
  }

  /** The first message of a channel still to be sent (pending, or claimed by a sender that may have died). */
  head(channel: string): OutboxRow | null {
    const row = this.s.head.get({ channel });
    return row ? toRow(row) : null;
  }

  get(id: number): OutboxRow | null {
    const row = this.s.byId.get(id);
    return row ? toRow(row) : null;
  }

  /** Times (ms) of the channel's send attempts after `since`, oldest first. */
  attemptTimes(channel: string, since: number): number[] {
    return this.s.attemptTimes.all({ channel, since });
  }

  /**
   * Takes a message for sending, atomically with the rate check, so two senders on one database never
   * exceed the rate between them: when `ratePerMinute` attempts were made in the last minute, answers the
   * time the oldest of them leaves the window. `seenAttempts` is the attempt count the caller read: when another
   * sender claimed the message since, the claim fails and nothing is sent twice.
   */
  claim(
    id: number,
    seenAttempts: number,
    owner: string,
    now: number,
    leaseMs: number,
    ratePerMinute: number | null,
  ): ClaimResult {
    const run = this.db.transaction((): ClaimResult => {
      const row = this.s.byId.get(id);
      // Someone else claimed or finished it since the caller looked: the caller must look again.
      if (!row || row.status === 'sent' || row.status === 'failed' || row.attempts !== seenAttempts) return { ok: false, gone: true };
      if (ratePerMinute !== null) {
        const times = this.s.attemptTimes.all({ channel: row.channel, since: now - RATE_WINDOW_MS });
        if (times.length >= ratePerMinute) {
          const oldest = times[times.length - ratePerMinute] ?? now;
          return { ok: false, waitUntil: oldest + RATE_WINDOW_MS + 1 };
        }
      }
      this.s.claim.run({ id, owner, until: now + leaseMs });
      const attemptId = Number(this.s.logAttempt.run({ id, channel: row.channel, now }).lastInsertRowid);
      return { ok: true, attemptId };
    });
    return run.immediate();
  }

  markSent(id: number, attemptId: number, now: number, platformId: string | null): void {
    this.db.transaction(() => {
      this.s.sent.run({ id, sentAt: new Date(now).toISOString(), platformId });
      this.s.endAttempt.run({ attemptId, outcome: 'ok', code: null, error: null });
    })();
  }

  markRetry(id: number, attemptId: number, nextAt: number, outcome: 'retry' | 'throttled', code: string, error: string): void {
    this.db.transaction(() => {
      this.s.retry.run({ id, nextAt, code, error });
      this.s.endAttempt.run({ attemptId, outcome, code, error });
    })();
  }

  markFailed(id: number, attemptId: number, outcome: 'channel' | 'message', code: string, error: string): void {
    this.db.transaction(() => {
      this.s.fail.run({ id, code, error });
      this.s.endAttempt.run({ attemptId, outcome, code, error });
    })();
  }

  /** Fails every message still queued on a channel (its credentials are wrong, its group is gone…). */
  failChannel(channel: string, code: string, error: string): number {
    return this.s.failChannel.run({ channel, code, error }).changes;
  }

  list(statuses: readonly OutboxStatus[]): OutboxRow[] {
    return this.s.listByStatus.all({ statuses: JSON.stringify(statuses) }).map(toRow);
  }

  /** The groups among `groupKeys` that are queued, being sent or sent (so `enqueue` would leave them alone). */
  liveGroups(groupKeys: readonly string[]): Set<string> {
    return new Set(this.s.liveGroups.all({ keys: JSON.stringify(groupKeys) }));
  }

  listGroups(groupKeys: readonly string[]): OutboxRow[] {
    return this.s.listGroups.all({ keys: JSON.stringify(groupKeys) }).map(toRow);
  }

  /** Puts failed messages (one, or all) back in the queue, on `channel` when given. Returns how many. */
  retryFailed(now: number, id: number | null = null, channel: string | null = null): number {
    return this.s.retryFailed.run({ now, id, channel }).changes;
  }

  /**
   * Fails what is still queued for another channel than `channel` (the settings changed since it was queued):
   * nothing would ever send it. Returns how many.
   */
  failOtherChannels(channel: string, error: string): number {
    return this.s.failOtherChannels.run({ channel, error }).changes;
  }

  counts(): OutboxCounts {
    return this.s.counts.get() as OutboxCounts;
  }

  /** Messages still to send (pending or being sent): on `channel`, and on every other channel together. */
  queuedCount(channel: string): { mine: number; others: number } {
    let mine = 0;
    let others = 0;
    for (const { channel: c, n } of this.s.queuedByChannel.all()) {
      if (c === channel) mine += n;
      else others += n;
    }
    return { mine, others };
  }
}
