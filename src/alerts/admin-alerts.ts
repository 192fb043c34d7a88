/**
 * Alerts to the admins' own DingTalk group (ALERT_WEBHOOK): a channel that stopped, a message that cannot be
 * sent, an outage and its end. Each kind of alert is told once per quiet period — across restarts and CLI runs,
 * since the store remembers — so a long outage is one message, not one per retry.
 *
 * An alert is sent at once, with a few retries, not through the outbox: it is about the outbox's own trouble,
 * and the same facts stay in the log, in `/healthz` and in `duban outbox`.
 */
import { createHash } from 'node:crypto';
import { dateInZone, timeInZone } from '../calendar/civil-date';
import { CHANNEL_LABELS, DeliveryError, systemClock, type Channel, type ChannelName, type Clock, type Recipient } from '../channels/channel';
import type { Logger } from '../logger';
import { backoffDelay, DEFAULT_BACKOFF } from '../outbox/backoff';
import { realSleep, type DeliveryEvent, type Sleep } from '../outbox/delivery-worker';
import type { AlertStore } from '../store/alert-store';

/** One alert of a kind per hour at most. */
export const ALERT_QUIET_MS = 60 * 60_000;
/** A message that failed this many attempts in a row with a passing error means an outage worth telling. */
export const OUTAGE_ATTEMPTS = 5;

export interface AdminAlertsOptions {
  /** The robot of the admins' group. */
  channel: Channel;
  /** DingTalk user ids of the admins (ADMIN_IDS), @-mentioned in each alert. */
  admins: readonly string[];
  store: AlertStore;
  timeZone: string;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  logger?: Logger;
  /** Also told whether each alert went out (a command prints it on stderr). */
  notice?: (text: string) => void;
  quietMs?: number;
  /** Tries per alert when the answer says to try again. */
  attempts?: number;
}

export class AdminAlerts {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly quietMs: number;
  private readonly attempts: number;
  private readonly inFlight = new Set<Promise<void>>();
  /** Channels whose outage this process saw, so that their recovery is told too. */
  private readonly outages = new Set<string>();
  private readonly abort = new AbortController();

  constructor(private readonly opts: AdminAlertsOptions) {
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? realSleep;
    this.quietMs = opts.quietMs ?? ALERT_QUIET_MS;
    this.attempts = opts.attempts ?? 3;
  }

  /** Tells the admins' group, unless an alert with this key went out within the quiet period. Never throws. */
  alert(key: string, title: string, text: string): void {
    const at = this.clock();
    let claimed: boolean;
    try {
      claimed = this.opts.store.claim(key, at, this.quietMs, text);
    } catch (err) {
      this.opts.logger?.error({ err, alert: key }, `无法记录管理员告警（${title}）：${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (!claimed) {
      this.opts.logger?.debug({ alert: key }, `同类告警一小时内已发送过，这次不再通知管理员：${title}`);
      return;
    }
    const sending = this.send(key, at, title, text).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  /** Waits for the alerts being sent (a command calls this before it exits). */
  async flush(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /** Stops waiting between retries and waits for the request in flight (the service calls this when it stops). */
  async close(): Promise<void> {
    this.abort.abort();
    await this.flush();
  }

  /** The delivery worker stopped a channel after a permanent error. */
  channelStopped(channel: Pick<Channel, 'name' | 'label'>, error: DeliveryError, failed: number): void {
    this.alert(
      `stopped:${channel.name}:${error.code}`,
      `${channel.label}已停止发送`,
      `${failed} 条消息已标为失败。原因：${error.message}\n\n修正设置后运行 duban outbox retry 重新发送。`,
    );
  }

  /** Every outcome of the delivery worker: failed messages, outages and recoveries are told. */
  onDelivery(event: DeliveryEvent): void {
    const { row, outcome, error } = event;
    const label = CHANNEL_LABELS[row.channel as ChannelName] ?? row.channel;
    if (outcome === 'sent') {
      if (!this.outages.delete(row.channel)) return;
      this.alert(`recovered:${row.channel}`, `${label}已恢复发送`, `“${row.title}”已送达，发件箱中积压的消息正按顺序补发。`);
      return;
    }
    if (!error) return;
    if (outcome === 'failed' && error.kind === 'message') {
      this.alert(
        `failed:${row.channel}:${error.code}`,
        `${label}有消息无法发送`,
        `“${row.title}”已标为失败：${error.message}\n\n运行 duban outbox 查看所有失败的消息（同类失败一小时内只告警一次），修正后运行 duban outbox retry 重新发送。`,
      );
      return;
    }
    const attempts = row.attempts + 1;
    if ((outcome === 'retry' || outcome === 'throttled') && attempts >= OUTAGE_ATTEMPTS) {
      this.outages.add(row.channel);
      this.alert(
        `outage:${row.channel}`,
        `${label}暂时无法送达`,
        `“${row.title}”已连续 ${attempts} 次发送失败，最近一次：${error.message}\n\n` +
          '消息保存在发件箱中，恢复后自动按顺序补发，无需操作；如果长时间未恢复，请检查服务器网络和钉钉的状态。',
      );
    }
  }

  private async send(key: string, at: number, title: string, text: string): Promise<void> {
    const { channel, logger, timeZone } = this.opts;
    const mention: Recipient[] = this.opts.admins.map((id) => ({ name: id, mobile: null, userId: id }));
    const markdown =
      `#### 督办系统告警：${title}\n\n${text}\n\n` +
      `${dateInZone(at, timeZone)} ${timeInZone(at, timeZone)} · 同类告警一小时内只发一次`;
    const message = {
      key: `duban-alert-${createHash('sha256').update(`${key}@${at}`).digest('hex').slice(0, 32)}`,
      title: `督办系统告警：${title}`,
      markdown,
      to: { kind: 'group' as const, mention },
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await channel.send(message);
        logger?.info({ alert: key }, `已通知管理员群：${title}`);
        this.opts.notice?.(`已通知管理员群：${title}`);
        return;
      } catch (err) {
        const error = err instanceof DeliveryError ? err : new DeliveryError('retry', 'INTERNAL', err instanceof Error ? err.message : String(err));
        const again = (error.kind === 'retry' || error.kind === 'throttled') && attempt < this.attempts && !this.abort.signal.aborted;
        if (again) {
          await this.sleep(backoffDelay(attempt, DEFAULT_BACKOFF, false, this.opts.random), this.abort.signal);
          if (!this.abort.signal.aborted) continue;
        }
        // Given back, so that the next occasion tries again instead of staying silent for the quiet period.
        try {
          this.opts.store.release(key, at);
        } catch {
          // The alert is lost either way; the log line below says so.
        }
        logger?.error({ alert: key, code: error.code }, `无法通知管理员群（${title}）：${error.message}`);
        this.opts.notice?.(`无法通知管理员群（${title}）：${error.message}`);
        return;
      }
    }
  }
}
