/** The channel and the delivery worker the settings ask for, wired to the outbox of a store. */
import { AdminAlerts } from '../alerts/admin-alerts';
import type { Channel, Clock } from '../channels/channel';
import { channelRate, createChannel, type ChannelDeps } from '../channels/create-channel';
import { DingtalkRobotChannel } from '../channels/dingtalk-robot';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { DeliveryWorker, type DeliveryEvent, type Sleep } from '../outbox/delivery-worker';
import type { Store } from '../store/store';

export interface DeliveryDeps {
  clock?: Clock;
  sleep?: Sleep;
  /** The jitter of retry delays (the worker's and the admin alerts'), a number in [0, 1); Math.random by default. */
  random?: () => number;
  logger?: Logger;
  consoleStream?: NodeJS.WritableStream;
  /** Told of each message the console channel shows (the local chat page's feed). */
  onConsoleMessage?: ChannelDeps['onConsoleMessage'];
  onEvent?: (event: DeliveryEvent) => void;
  onChannelStopped?: (channel: Channel, message: string) => void;
  /** Whether each admin alert went out, besides the log. */
  onAlertNotice?: (text: string, key: string) => void;
  /** Recipients a sent message did not reach (no id, unknown id); logged as warnings when not given. */
  onWarning?: (text: string) => void;
}

export interface Delivery {
  channel: Channel;
  worker: DeliveryWorker;
  /** Alerts to the admins' group, when ALERT_WEBHOOK is set; close them before exiting. */
  alerts: AdminAlerts | null;
}

export function createDelivery(config: Config, store: Store, deps: DeliveryDeps = {}): Delivery {
  const channel = createChannel(config, {
    clock: deps.clock,
    consoleStream: deps.consoleStream,
    onConsoleMessage: deps.onConsoleMessage,
    onWarning: deps.onWarning ?? ((text) => deps.logger?.warn(text)),
  });
  const alerts = createAlerts(config, store, deps);
  const worker = new DeliveryWorker({
    outbox: store.outbox,
    channels: [channel],
    ratePerMinute: (c) => channelRate(config, c),
    clock: deps.clock,
    sleep: deps.sleep,
    random: deps.random,
    logger: deps.logger,
    onEvent: (event) => {
      deps.onEvent?.(event);
      alerts?.onDelivery(event);
    },
    // One send may take several requests (a token, a batch per 20 liaisons, one retry after an expired token):
    // another sender must not take the message over while this one may still be waiting for DingTalk.
    leaseMs: Math.max(120_000, 5 * config.DINGTALK_TIMEOUT_MS + 60_000),
    onChannelStopped: (c, error, failed) => {
      deps.onChannelStopped?.(
        c,
        `${c.label}无法使用，已停止发送，${failed} 条消息标为失败。原因：${error.message}\n修正设置后运行 duban outbox retry 重新发送。`,
      );
      alerts?.channelStopped(c, error, failed);
    },
  });
  return { channel, worker, alerts };
}

/** The admins' group robot (ALERT_WEBHOOK), @-mentioning ADMIN_IDS; null when it is not set. */
export function createAlerts(config: Config, store: Store, deps: DeliveryDeps = {}): AdminAlerts | null {
  if (!config.ALERT_WEBHOOK) return null;
  return new AdminAlerts({
    channel: new DingtalkRobotChannel({
      webhook: config.ALERT_WEBHOOK,
      secret: config.ALERT_SECRET,
      timeoutMs: config.DINGTALK_TIMEOUT_MS,
      clock: deps.clock,
    }),
    admins: config.ADMIN_IDS,
    store: store.alerts,
    timeZone: config.TIMEZONE,
    // Three tries with their timeouts and the pauses between them.
    sendingMs: 3 * config.DINGTALK_TIMEOUT_MS + 30_000,
    clock: deps.clock,
    sleep: deps.sleep,
    random: deps.random,
    logger: deps.logger,
    notice: deps.onAlertNotice,
  });
}

/**
 * Fails what was queued for another channel than the one configured now (the admin changed the settings):
 * nobody would ever send it. Not when the console runs for want of credentials. Returns a Chinese notice for the admin, or null when there was nothing.
 */
export function failOtherChannels(store: Store, channel: Channel): string | null {
  // The console is no channel choice: it is what runs when no credentials were found (a shell without the .env,
  // say). Messages for DingTalk wait for a run that has them.
  if (channel.name === 'console') return null;
  const why =
    `发送渠道已改为${channel.label}，这条消息是为原来的渠道排队的，没有发出。` +
    '运行 duban remind --now 按新渠道重新生成本期提醒，或运行 duban outbox retry 用新渠道重发。';
  const n = store.outbox.failOtherChannels(channel.name, why);
  return n ? `发件箱中有 ${n} 条消息是为其他发送渠道排队的（现在的渠道是${channel.label}），已标为失败。${why.slice(why.indexOf('运行'))}` : null;
}

/**
 * Messages queued for DingTalk or 浙政钉 while this run has no credentials for them (the console runs): they wait,
 * nobody sends them now. A Chinese notice for the admin, or null when there are none.
 */
export function waitingElsewhereNotice(store: Store, channel: Channel): string | null {
  const { others } = store.outbox.queuedCount(channel.name);
  return others
    ? `发件箱中有 ${others} 条消息等待通过钉钉或浙政钉发送，但现在没有设置它们的凭据（.env 是否在当前目录？），这次不会发送。`
    : null;
}
