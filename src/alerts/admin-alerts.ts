/**
 * Alerts to the admins' own DingTalk group (ALERT_WEBHOOK): a channel that stopped, a message that cannot be
 * sent, an outage and its end. Each kind of alert is told at most once per quiet period — across restarts and CLI
 * runs, since the store remembers — so a long outage is one message an hour, not one per retry.
 *
 * An alert is sent at once, with a few retries, not through the outbox: it is about the outbox's own trouble,
 * and the same facts stay in the log, in `/healthz` and in `duban outbox`. It is recorded before the request and
 * confirmed after it, so an alert cut short by a crash or a stop is sent by the next process instead of being
 * lost or silencing its kind for an hour.
 *
 * The admins' robot is on the same DingTalk as the reminders: when DingTalk is down, the outage alert cannot go out
 * either. It is then kept, not dropped, and told once DingTalk is back, inside the one "recovered" alert.
 */
import { createHash } from 'node:crypto';
import { dateTimeInZone } from '../calendar/civil-date';
import { CHANNEL_LABELS, DeliveryError, systemClock, type Channel, type ChannelName, type Clock, type Recipient } from '../channels/channel';
import type { Logger } from '../logger';
import { backoffDelay, DEFAULT_BACKOFF } from '../outbox/backoff';
import { realSleep, type DeliveryEvent, type Sleep } from '../outbox/delivery-worker';
import { currentOwner, ownerMayBeAlive } from '../outbox/sender-identity';
import type { AlertRecord, AlertStore } from '../store/alert-store';

/** One alert of a kind per hour at most. */
export const ALERT_QUIET_MS = 60 * 60_000;
/** This many failed attempts in a row on a channel, each of a passing kind, mean an outage worth telling. */
export const OUTAGE_ATTEMPTS = 5;
/** The note `resume` adds to an alert sent late. */
const LATE_NOTE = /\n\n（此告警原于 [^（）]*现补发）$/;
/** How often alerts left by a stopped or crashed process are looked for. */
const RESUME_EVERY_MS = 60_000;

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
  /** Also told whether each alert (by its key) went out (a command prints it on stderr). */
  notice?: (text: string, key: string) => void;
  quietMs?: number;
  /** Tries per alert when the answer says to try again. */
  attempts?: number;
  /**
   * How long another live process may take to send an alert it took (all its tries); after that the alert is
   * sent again. Default one minute.
   */
  sendingMs?: number;
  /** This process, as recorded on the alerts it takes. */
  owner?: string;
}

export class AdminAlerts {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly quietMs: number;
  private readonly attempts: number;
  private readonly sendingMs: number;
  private readonly owner: string;
  private readonly inFlight = new Set<Promise<void>>();
  /** Failed attempts in a row per channel, of kinds that pass (network, 5xx, throttling). */
  private readonly streaks = new Map<string, number>();
  private readonly abort = new AbortController();
  private lastResume = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: AdminAlertsOptions) {
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? realSleep;
    this.quietMs = opts.quietMs ?? ALERT_QUIET_MS;
    this.attempts = opts.attempts ?? 3;
    this.sendingMs = opts.sendingMs ?? 60_000;
    this.owner = opts.owner ?? currentOwner();
  }

  /**
   * Tells the admins' group, unless an alert with this key went out within the quiet period (`quietMs`, by
   * default an hour) or is being sent by a live process. Never throws; the request runs in the background.
   * When DingTalk cannot be reached the alert is kept and sent later, unless `keep` is false (a test alert, whose
   * answer is wanted now or never).
   */
  alert(key: string, title: string, text: string, quietMs = this.quietMs, keep = true): void {
    if (this.abort.signal.aborted) return;
    const now = this.clock();
    const record = { key, title, text, sentAt: now, owner: this.owner };
    // Taken before other alerts are resumed: an alert of this kind kept since DingTalk failed is sent with today's
    // text, not resumed with the old one.
    if (this.take(record, (existing) => this.mayTake(existing, now, quietMs))) this.start(record, keep);
    else this.opts.logger?.debug({ alert: key }, `同类告警一小时内已发送过（或正由另一进程发送），这次不再通知管理员：${title}`);
    this.resumeNow(now);
  }

  /**
   * Sends the alerts that a process which died or stopped had taken but not sent. The service calls this when it
   * starts; it also runs by itself at most once a minute as alerts and deliveries happen.
   */
  resume(): void {
    if (this.abort.signal.aborted) return;
    const now = this.clock();
    this.lastResume = now;
    let left: AlertRecord[];
    try {
      left = this.opts.store.unconfirmed().filter((r) => this.abandoned(r, now));
    } catch (err) {
      this.opts.logger?.error({ err }, `无法读取未发出的管理员告警：${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    for (const old of left) {
      // Said once, also when this is not the first try to resume it.
      const text = `${old.text.replace(LATE_NOTE, '')}\n\n（此告警原于 ${dateTimeInZone(old.sentAt, this.opts.timeZone)} 发出时服务中断，现补发）`;
      const record = { key: old.key, title: old.title, text, sentAt: now, owner: this.owner };
      // Taken only if it is still the same abandoned row: another process may have resumed it meanwhile.
      const same = (e: AlertRecord | undefined) => e !== undefined && e.sentAt === old.sentAt && e.owner === old.owner && !e.confirmed;
      if (this.take(record, same)) this.start(record, true);
    }
  }

  /**
   * Waits for the alerts being sent, at most `maxWaitMs`; then cancels what is left, which the next process
   * sends (`resume`). No alert is taken afterwards. A command calls this before it exits; the service when it stops.
   */
  async close(maxWaitMs: number): Promise<void> {
    if (this.inFlight.size) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)));
      await Promise.race([this.idle(), timeout]);
      clearTimeout(timer);
    }
    this.abort.abort();
    await this.idle();
  }

  /** Resolves when no alert is being sent. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /** Alerts being sent right now. */
  get pending(): number {
    return this.inFlight.size;
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
    const channel = row.channel;
    const label = CHANNEL_LABELS[channel as ChannelName] ?? channel;
    if (outcome === 'sent') {
      this.streaks.set(channel, 0);
      if (this.tellUntoldOutage(channel, label, row.title)) return;
      if (this.outageOpen(channel)) {
        // Closes the outage whatever the quiet period: it was told, so its end must be too.
        this.alert(`recovered:${channel}`, `${label}已恢复发送`, `“${row.title}”已送达，发件箱中积压的消息正按顺序补发。`, 0);
      } else {
        this.resumeNow(this.clock());
      }
      return;
    }
    if (!error) return;
    if (outcome === 'failed' && error.kind === 'message') {
      this.alert(
        `failed:${channel}:${error.code}`,
        `${label}有消息无法发送`,
        `“${row.title}”已标为失败：${error.message}\n\n运行 duban outbox 查看所有失败的消息（同类失败一小时内只告警一次），修正后运行 duban outbox retry 重新发送。`,
      );
      return;
    }
    // An answer DingTalk does not document is retried a few times and then fails the message: that is no outage.
    if ((outcome === 'retry' || outcome === 'throttled') && error.attemptsLimit === undefined) {
      const streak = (this.streaks.get(channel) ?? 0) + 1;
      this.streaks.set(channel, streak);
      if (streak < OUTAGE_ATTEMPTS) return;
      this.alert(
        `outage:${channel}`,
        `${label}暂时无法送达`,
        `已连续 ${streak} 次发送失败，最近一次是“${row.title}”：${error.message}\n\n` +
          '消息保存在发件箱中，恢复后自动按顺序补发，无需操作；故障持续时每小时提醒一次。' +
          '如果长时间未恢复，请检查服务器的网络、钉钉的服务状态，以及是否发送过快被钉钉限流。',
      );
    }
  }

  /**
   * The outage alert that could not reach the admins (their robot failed too) and that nobody is sending now: told
   * with the recovery, in one alert, instead of an outage alert that would arrive after it was over. True when
   * that alert was taken.
   */
  private tellUntoldOutage(channel: string, label: string, sentTitle: string): boolean {
    const key = `outage:${channel}`;
    const now = this.clock();
    let untold: AlertRecord | undefined;
    try {
      untold = this.opts.store.get(key);
    } catch {
      return false;
    }
    if (!untold || untold.confirmed || !this.abandoned(untold, now)) return false;
    const old = untold;
    // Taken by this process first, so that no other process (or a resume) sends it meanwhile.
    const mine = { key, title: old.title, text: old.text, sentAt: now, owner: this.owner };
    const same = (e: AlertRecord | undefined) => e !== undefined && e.sentAt === old.sentAt && e.owner === old.owner && !e.confirmed;
    if (!this.take(mine, same)) return false;
    const [what = ''] = old.text.split('\n\n');
    this.alert(
      `recovered:${channel}`,
      `${label}已恢复发送`,
      `“${sentTitle}”已送达，发件箱中积压的消息正按顺序补发。\n\n` +
        `此前${label}暂时无法送达，管理员群机器人当时也无法送达，故障告警未能及时发出，现一并告知：` +
        `${dateTimeInZone(old.sentAt, this.opts.timeZone)} ${what}`,
      0,
    );
    // Told within the recovery: the outage alert itself is not sent any more.
    this.settle(() => this.opts.store.release(key, now, this.owner));
    return true;
  }

  /** An outage of the channel was told (by any process) and its recovery not yet. */
  private outageOpen(channel: string): boolean {
    try {
      const outage = this.opts.store.get(`outage:${channel}`);
      if (!outage?.confirmed) return false;
      const recovered = this.opts.store.get(`recovered:${channel}`);
      return !recovered || recovered.sentAt < outage.sentAt;
    } catch {
      return false;
    }
  }

  private mayTake(existing: AlertRecord | undefined, now: number, quietMs: number): boolean {
    if (!existing) return true;
    if (!existing.confirmed) return this.abandoned(existing, now);
    // A clock set back must not silence the kind until it catches up.
    return now < existing.sentAt || now - existing.sentAt >= quietMs;
  }

  /** An unconfirmed alert nobody will send: given up, or taken by a process that died or took too long. */
  private abandoned(r: AlertRecord, now: number): boolean {
    if (r.confirmed || r.owner === this.owner) return false;
    return r.owner === '' || !ownerMayBeAlive(r.owner) || now - r.sentAt >= this.sendingMs || now < r.sentAt;
  }

  private take(record: Omit<AlertRecord, 'confirmed'>, mayTake: (existing: AlertRecord | undefined) => boolean): boolean {
    try {
      return this.opts.store.claim(record, mayTake);
    } catch (err) {
      this.opts.logger?.error({ err, alert: record.key }, `无法记录管理员告警（${record.title}）：${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  private resumeNow(now: number): void {
    if (now - this.lastResume >= RESUME_EVERY_MS) this.resume();
  }

  private start(record: Omit<AlertRecord, 'confirmed'>, keep: boolean): void {
    const sending = this.send(record, keep).finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async send({ key, title, text, sentAt }: Omit<AlertRecord, 'confirmed'>, keep: boolean): Promise<void> {
    const { channel, logger, store } = this.opts;
    const mention: Recipient[] = this.opts.admins.map((id) => ({ name: id, mobile: null, userId: id }));
    const message = {
      key: `duban-alert-${createHash('sha256').update(`${key}@${sentAt}`).digest('hex').slice(0, 32)}`,
      title: `督办系统告警：${title}`,
      markdown: `#### 督办系统告警：${title}\n\n${text}\n\n${dateTimeInZone(sentAt, this.opts.timeZone)} · 同类告警一小时内只发一次`,
      to: { kind: 'group' as const, mention },
    };
    const say = (level: 'info' | 'warn' | 'error', line: string) => {
      logger?.[level]({ alert: key }, line);
      this.opts.notice?.(line, key);
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await channel.send(message, { signal: this.abort.signal });
        this.settle(() => store.confirm(key, sentAt, this.owner));
        say('info', `已通知管理员群：${title}`);
        return;
      } catch (err) {
        if (this.abort.signal.aborted) {
          // Left for the next process to send (resume), rather than lost.
          this.settle(() => store.abandon(key, sentAt, this.owner));
          say('warn', `程序正在停止，管理员告警“${title}”未发出，下次启动时补发。`);
          return;
        }
        const error = err instanceof DeliveryError ? err : new DeliveryError('retry', 'INTERNAL', err instanceof Error ? err.message : String(err));
        if ((error.kind === 'retry' || error.kind === 'throttled') && attempt < this.attempts) {
          await this.sleep(backoffDelay(attempt, DEFAULT_BACKOFF, false, this.opts.random), this.abort.signal);
          continue;
        }
        if (keep && (error.kind === 'retry' || error.kind === 'throttled') && error.attemptsLimit === undefined) {
          // DingTalk is unreachable or busy, very likely for the reminders too: kept for later (the next occasion,
          // `resume`, or the recovery alert) rather than lost.
          this.settle(() => store.abandon(key, sentAt, this.owner));
          const reason = alertRobotReason(error.message);
          say('error', `无法通知管理员群（${title}）：${reason}${/[。！？]$/.test(reason) ? '' : '。'}钉钉恢复后补发。`);
          return;
        }
        // Given back, so that the next occasion tries again instead of staying silent for the quiet period.
        this.settle(() => store.release(key, sentAt, this.owner));
        say('error', `无法通知管理员群（${title}）：${alertRobotReason(error.message)}`);
        return;
      }
    }
  }

  /** A bookkeeping write after the request: its failure must not turn into an unhandled rejection. */
  private settle(write: () => void): void {
    try {
      write();
    } catch (err) {
      this.opts.logger?.error({ err }, `无法记录管理员告警的结果：${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/**
 * The robot adapter names the reminder robot's settings in its fixes; for the admins' robot they are
 * ALERT_WEBHOOK and ALERT_SECRET.
 */
export function alertRobotReason(message: string): string {
  const named = message.replace(/DINGTALK_(WEBHOOK|SECRET)/g, 'ALERT_$1').replace(/^钉钉群机器人/, '管理员群机器人');
  return /^管理员群机器人/.test(named) ? named : `管理员群机器人：${named}`;
}
