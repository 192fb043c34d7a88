/**
 * DingTalk Stream mode (DINGTALK_MODE=stream): the official `dingtalk-stream` SDK keeps a WebSocket open to
 * DingTalk, so no public address is needed. Robot messages arrive on `TOPIC_ROBOT`; each is acknowledged once the bot
 * has handled it and its report is committed (the SDK does not acknowledge, and an unacknowledged message is pushed
 * again about 60 s later, so a message the process lost or the bot failed on comes back), de-duplicated on `msgId`
 * (or the frame's `messageId`), converted with the same mapping as the HTTP callback and answered through the
 * replier (a reply cannot go over the WebSocket). No signature: the connection itself is authenticated.
 */
import { DWClient, type DWClientDownStream, TOPIC_ROBOT } from 'dingtalk-stream';
import type { BotHandler } from '../bot/message';
import { RecentIds } from '../http/recent-ids';
import { describeError, type Logger } from '../logger';
import { handleRobotMessage, reasonOf, robotMessageSchema, schemaProblem } from './dingtalk-incoming';
import type { Replier } from './dingtalk-reply';
import type { SenderLimit } from './sender-limit';

/** The part of the SDK's `DWClient` used here (tests pass a small fake). */
export interface StreamClient {
  registerCallbackListener(topic: string, callback: (message: DWClientDownStream) => void): unknown;
  socketCallBackResponse(messageId: string, result: unknown): void;
  connect(): Promise<void>;
  disconnect(): void;
  /** Whether the WebSocket is open (the SDK's field). */
  readonly connected?: boolean;
  /** The SDK's settings: `autoReconnect` is switched off by `stop()`. */
  readonly config?: { autoReconnect?: boolean };
}

export interface DingtalkStreamOptions {
  /** DINGTALK_APP_KEY (Client ID). */
  appKey: string;
  /** DINGTALK_APP_SECRET (Client Secret). */
  appSecret: string;
  bot: BotHandler;
  replier: Replier;
  logger: Logger;
  /** De-duplication of message ids; defaults to a new `RecentIds` (10,000 ids, 2 h). */
  seen?: RecentIds;
  /** Stamps messages without `createAt`; defaults to `Date.now`. */
  clock?: () => number;
  /** The per-sender rate limit (shared with the HTTP callback); none when absent. */
  limit?: SenderLimit;
  /** Replaces the SDK's client (tests); default `new DWClient({ clientId: appKey, clientSecret: appSecret })`. */
  client?: StreamClient;
}

export interface DingtalkStream {
  /** Disconnects and stops reconnecting; messages arriving after this are ignored. */
  stop(): void;
  /** Resolves once every message received so far is handled (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Registers the robot topic and connects (in the background: the SDK retries every second by itself while
 * DingTalk cannot be reached). Failures are logged in Chinese, never thrown.
 */
export function startDingtalkStream(options: DingtalkStreamOptions): DingtalkStream {
  const { logger } = options;
  const clock = options.clock ?? Date.now;
  const seen = options.seen ?? new RecentIds({ clock });
  // `debug` stays off: the SDK's debug output prints the client secret.
  const client: StreamClient = options.client ?? new DWClient({ clientId: options.appKey, clientSecret: options.appSecret, debug: false });
  const pending = new Set<Promise<void>>();
  let stopped = false;

  const onMessage = (frame: DWClientDownStream): void => {
    if (stopped) return;
    const frameId = typeof frame.headers?.messageId === 'string' ? frame.headers.messageId : '';
    const ack = (): void => {
      if (!frameId) return;
      try {
        client.socketCallBackResponse(frameId, null);
      } catch (err) {
        logger.warn({ frameId, error: describeError(err) }, `无法确认收到钉钉 Stream 消息（钉钉可能会再推送一次）：${reasonOf(err)}`);
      }
    };
    let data: unknown;
    try {
      data = JSON.parse(frame.data);
    } catch {
      ack();
      logger.warn({ frameId }, '钉钉 Stream 推送的机器人消息不是有效的 JSON，已忽略');
      return;
    }
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      const record = data as Record<string, unknown>;
      if ((typeof record.msgId !== 'string' || !record.msgId) && frameId) data = { ...record, msgId: frameId };
    }
    const parsed = robotMessageSchema.safeParse(data);
    if (!parsed.success) {
      ack();
      logger.warn({ frameId }, `钉钉 Stream 推送的机器人消息${schemaProblem(parsed.error)}，已忽略`);
      return;
    }
    const body = parsed.data;
    if (!seen.begin(body.msgId)) {
      ack();
      logger.debug({ msgId: body.msgId, frameId, state: seen.state(body.msgId) }, '钉钉重复推送了已收到的消息，已忽略');
      return;
    }
    // Acknowledged once its report is committed; a message the bot failed on stays unacknowledged, and DingTalk
    // pushes it again about a minute later.
    const onSettled = (outcome: 'handled' | 'failed'): void => {
      if (outcome === 'handled') ack();
      else logger.warn({ msgId: body.msgId, frameId }, '这条钉钉 Stream 消息未确认收到，钉钉约一分钟后会再推送一次');
    };
    const task = handleRobotMessage(body, { bot: options.bot, replier: options.replier, logger, seen, clock, source: 'Stream', limit: options.limit, onSettled });
    pending.add(task);
    void task.finally(() => pending.delete(task));
  };

  client.registerCallbackListener(TOPIC_ROBOT, (frame) => {
    try {
      onMessage(frame);
    } catch (err) {
      // A listener that throws would surface inside the SDK's WebSocket handler: keep it here.
      logger.error({ error: describeError(err) }, `处理钉钉 Stream 消息时出错：${reasonOf(err)}`);
    }
  });

  logger.info('正在连接钉钉 Stream（Stream 模式接收机器人消息）');
  client.connect().then(
    () => {
      if (stopped) return;
      if (client.connected === false) {
        logger.warn(
          '暂时连不上钉钉 Stream，会自动重试。若一直如此，请检查 DINGTALK_APP_KEY 和 DINGTALK_APP_SECRET、应用的机器人是否选择了 Stream 模式，以及本机能否访问 api.dingtalk.com 和 wss-open-connection.dingtalk.com',
        );
      } else logger.info('已连接钉钉 Stream');
    },
    (err: unknown) => logger.error({ error: describeError(err) }, `连接钉钉 Stream 失败：${reasonOf(err)}`),
  );

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      if (client.config) client.config.autoReconnect = false;
      // The SDK may already have a retry scheduled (`setTimeout(() => this.connect())` after a failed attempt),
      // which would open a new WebSocket after `disconnect`: make that call do nothing.
      client.connect = () => Promise.resolve();
      client.disconnect();
      logger.info('已断开钉钉 Stream');
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
