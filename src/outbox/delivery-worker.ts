/**
 * The delivery worker: sends the outbox's messages, one channel at a time in queue order, at most
 * `ratePerMinute` attempts a minute per channel, retrying what may succeed later with exponential backoff and
 * stopping a channel that cannot work until an admin fixes it.
 *
 * Never twice: a message is claimed (status `sending`, attempt logged) in a committed transaction before the
 * request goes out, and marked `sent` after the platform accepted it. A crash between the two leaves it
 * `sending`; it is sent again with the same idempotency key (`msgUuid`, `bizMsgId`), which the platform uses to
 * drop the repeat.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../logger';
import { DeliveryError, systemClock, type Channel, type Clock, type OutgoingMessage } from '../channels/channel';
import type { OutboxStore, OutboxRow } from '../store/outbox-store';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { currentOwner, ownerMayBeAlive } from './sender-identity';

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export interface DeliveryEvent {
  row: OutboxRow;
  outcome: 'sent' | 'retry' | 'throttled' | 'failed';
  error?: DeliveryError;
}

export interface WorkerOptions {
  outbox: OutboxStore;
  channels: readonly Channel[];
  /** Attempts allowed per minute on a channel; null for no limit (the console). */
  ratePerMinute: (channel: Channel) => number | null;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** How long a claim protects a message from other senders (longer than any request may take). */
  leaseMs?: number;
  owner?: string;
  logger?: Logger;
  /** Called once when a channel is stopped by a permanent error, after its messages were failed. */
  onChannelStopped?: (channel: Channel, error: DeliveryError, failedMessages: number) => void;
  onEvent?: (event: DeliveryEvent) => void;
}

type Step =
  | { state: 'progress' }
  | { state: 'idle' }
  | { state: 'stopped' }
  | { state: 'waiting'; until: number };

/** The idempotency key sent to the platform: short, ASCII, the same for every attempt of one message. */
export function platformKey(row: Pick<OutboxRow, 'key'>): string {
  return `duban-${createHash('sha256').update(row.key).digest('hex').slice(0, 32)}`;
}

/** Longest single sleep while waiting, so that a stop or a new message is noticed. */
const MAX_NAP_MS = 30_000;
/** How long the background sender pauses after an unexpected error (a locked or briefly unwritable database). */
const ERROR_PAUSE_MS = 5_000;

export class DeliveryWorker {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly stopped = new Map<string, DeliveryError>();
  private readonly inFlight = new Set<number>();
  private abort = new AbortController();
  private running: Promise<void> | null = null;
  private halted = false;

  constructor(private readonly opts: WorkerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? realSleep;
    this.owner = opts.owner ?? currentOwner();
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
  }

  /** The channel stopped by a permanent error, with that error, or undefined while it works. */
  stoppedReason(channel: string): DeliveryError | undefined {
    return this.stopped.get(channel);
  }


  /**
   * Sends until no channel has a message it can send, waiting out backoff and rate limits; resolves early
   * at `deadline` (ms on the worker's clock). Messages of channels that are not configured are left alone.
   */
  async drain(deadline = Number.POSITIVE_INFINITY): Promise<void> {
    await Promise.all(this.opts.channels.map((c) => this.loop(c, { forever: false, deadline })));
  }

  /** Starts sending in the background until `stop()`; `notify()` wakes it when something was queued. */
  start(): void {
    if (this.running) return;
    this.halted = false;
    this.running = Promise.all(
      this.opts.channels.map((c) => this.loop(c, { forever: true, deadline: Number.POSITIVE_INFINITY })),
    ).then(() => undefined);
  }

  notify(): void {
    const old = this.abort;
    this.abort = new AbortController();
    old.abort();
  }

  /** Stops after the message in flight (if any) was answered and recorded. */
  async stop(): Promise<void> {
    this.halted = true;
    this.notify();
    await this.running;
    this.running = null;
  }

  private async loop(channel: Channel, mode: { forever: boolean; deadline: number }): Promise<void> {
    while (!this.halted) {
      let step: Step;
      try {
        step = await this.step(channel);
      } catch (err) {
        // A command (drain) reports the error and exits; the service must outlive a database that another process
        // kept locked for a while, instead of dying with an unhandled rejection and sending nothing more.
        if (!mode.forever) throw err;
        const why = err instanceof Error ? err.message : String(err);
        this.opts.logger?.error({ channel: channel.name, err }, `${channel.label}的发送程序出错，${ERROR_PAUSE_MS / 1000} 秒后继续：${why}`);
        step = { state: 'waiting', until: this.clock() + ERROR_PAUSE_MS };
      }
      if (step.state === 'progress') continue;
      if (!mode.forever && (step.state === 'idle' || step.state === 'stopped')) return;
      const now = this.clock();
      if (now >= mode.deadline) return;
      const until = step.state === 'waiting' ? step.until : now + MAX_NAP_MS;
      await this.sleep(Math.min(until - now, MAX_NAP_MS, mode.deadline - now), this.abort.signal);
      // A sleep may end late (a busy or suspended machine): no new attempt once the deadline has passed.
      if (this.clock() >= mode.deadline) return;
    }
  }

  private async step(channel: Channel): Promise<Step> {
    const { outbox } = this.opts;
    const row = outbox.head(channel.name);
    if (this.stopped.has(channel.name)) {
      // Stopping failed everything queued; a message queued since (new, or put back by `duban outbox retry`
      // after the admin fixed the cause) is worth one more try.
      if (!row) return { state: 'stopped' };
      this.stopped.delete(channel.name);
      this.opts.logger?.info({ channel: channel.name }, `发件箱中有新的消息，重新尝试通过${channel.label}发送`);
    }
    if (!row) return { state: 'idle' };
    const now = this.clock();
    if (row.status === 'sending' && this.heldElsewhere(row, now)) return { state: 'waiting', until: Math.min(row.claimUntil ?? now, now + 1000) };
    if (row.nextAttemptAt > now) return { state: 'waiting', until: row.nextAttemptAt };
    const claim = outbox.claim(row.id, row.attempts, this.owner, now, this.leaseMs, this.opts.ratePerMinute(channel));
    if (!claim.ok) return 'gone' in claim ? { state: 'progress' } : { state: 'waiting', until: claim.waitUntil };
    this.inFlight.add(row.id);
    try {
      const receipt = await channel.send(toMessage(row));
      outbox.markSent(row.id, claim.attemptId, this.clock(), receipt.platformId ?? null);
      this.opts.onEvent?.({ row, outcome: 'sent' });
    } catch (err) {
      this.onFailure(channel, row, claim.attemptId, asDeliveryError(err));
    } finally {
      this.inFlight.delete(row.id);
    }
    return { state: 'progress' };
  }

  /** Another live sender holds the message (a claim by a dead process, or by this worker earlier, does not count). */
  private heldElsewhere(row: OutboxRow, now: number): boolean {
    if (!row.claimedBy || (row.claimUntil ?? 0) <= now) return false;
    if (row.claimedBy === this.owner) return this.inFlight.has(row.id);
    return ownerMayBeAlive(row.claimedBy);
  }

  private onFailure(channel: Channel, row: OutboxRow, attemptId: number, error: DeliveryError): void {
    const { outbox, logger } = this.opts;
    const where = `${channel.label}发送“${row.title}”`;
    // `row` was read before the claim counted this attempt.
    const attempts = row.attempts + 1;
    if (error.kind === 'retry' && error.attemptsLimit !== undefined && attempts >= error.attemptsLimit) {
      error = new DeliveryError('message', error.code, `已尝试 ${attempts} 次仍未成功，放弃这条消息：${error.message}`);
    }
    if (error.kind === 'retry' || error.kind === 'throttled') {
      const delay = backoffDelay(attempts, this.backoff, error.kind === 'throttled', this.opts.random);
      outbox.markRetry(row.id, attemptId, this.clock() + delay, error.kind, error.code, error.message);
      logger?.warn({ outbox: row.id, code: error.code, attempts, delayMs: delay }, `${where}失败，${Math.round(delay / 1000)} 秒后重试：${error.message}`);
      this.opts.onEvent?.({ row, outcome: error.kind, error });
      return;
    }
    outbox.markFailed(row.id, attemptId, error.kind, error.code, error.message);
    this.opts.onEvent?.({ row, outcome: 'failed', error });
    if (error.kind === 'message') {
      logger?.error({ outbox: row.id, code: error.code }, `${where}失败，这条消息无法发送，已标为失败：${error.message}`);
      return;
    }
    const failed = 1 + outbox.failChannel(channel.name, error.code, `渠道已停用：${error.message}`);
    this.stopped.set(channel.name, error);
    logger?.error(
      { channel: channel.name, code: error.code, failed },
      `${channel.label}无法使用，已停止发送，${failed} 条消息标为失败：${error.message.replace(/。$/, '')}。修正后运行 duban outbox retry 重新发送。`,
    );
    this.opts.onChannelStopped?.(channel, error, failed);
  }
}

function toMessage(row: OutboxRow): OutgoingMessage {
  return { key: platformKey(row), title: row.title, markdown: row.markdown, to: row.destination };
}

function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DeliveryError('retry', 'INTERNAL', `发送时出现意外错误：${message}`);
}
