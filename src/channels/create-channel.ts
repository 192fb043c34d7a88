/** The channel the settings ask for (CHANNEL, or under `auto` the one whose credentials are filled in). */
import { channelKind, type Config } from '../config';
import { systemClock, type Channel, type Clock } from './channel';
import { ConsoleChannel, type ConsoleChannelOptions } from './console-channel';
import { DingtalkAppChannel } from './dingtalk-app';
import { DingtalkRobotChannel } from './dingtalk-robot';
import { ZzdWorkNotificationChannel } from './zzd-work-notification';

export interface ChannelDeps {
  clock?: Clock;
  /** Where the console channel prints; stdout by default. */
  consoleStream?: NodeJS.WritableStream;
  /** Told of each message the console channel shows (the local chat page's feed). */
  onConsoleMessage?: ConsoleChannelOptions['onShown'];
  /** Warnings of adapters (recipients a message could not reach). */
  onWarning?: (text: string) => void;
}

export function createChannel(config: Config, deps: ChannelDeps = {}): Channel {
  const clock = deps.clock ?? systemClock;
  const timeoutMs = config.DINGTALK_TIMEOUT_MS;
  switch (channelKind(config)) {
    case 'dingtalk-robot':
      return new DingtalkRobotChannel({ webhook: need(config.DINGTALK_WEBHOOK), secret: config.DINGTALK_SECRET, timeoutMs, clock });
    case 'dingtalk-app':
      return new DingtalkAppChannel({
        appKey: need(config.DINGTALK_APP_KEY),
        appSecret: need(config.DINGTALK_APP_SECRET),
        robotCode: config.DINGTALK_ROBOT_CODE,
        groupId: config.DINGTALK_GROUP_ID,
        apiBase: config.DINGTALK_API_BASE,
        timeoutMs,
        clock,
        onWarning: deps.onWarning,
      });
    case 'zzd':
      return new ZzdWorkNotificationChannel({
        baseUrl: config.ZZD_BASE_URL,
        appKey: need(config.ZZD_APP_KEY),
        appSecret: need(config.ZZD_APP_SECRET),
        tenantId: need(config.ZZD_TENANT_ID),
        timeoutMs,
        clock,
        onWarning: deps.onWarning,
      });
    case 'console':
      return new ConsoleChannel({ stream: deps.consoleStream, clock, timeZone: config.TIMEZONE, onShown: deps.onConsoleMessage });
  }
}

/** Attempts a minute the outbox allows on a channel: DingTalk's limit per robot; none for the console. */
export function channelRate(config: Config, channel: Pick<Channel, 'name'>): number | null {
  return channel.name === 'console' ? null : config.DINGTALK_RATE_PER_MINUTE;
}

/** loadConfig has checked that the channel's settings are present. */
function need(value: string | undefined): string {
  if (value === undefined) throw new Error('channel setting missing after validation');
  return value;
}
