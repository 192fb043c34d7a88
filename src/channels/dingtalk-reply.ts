/**
 * Answers a chat message for the bot. While the message's `sessionWebhook` is valid (with a safety margin) the
 * reply is POSTed there as markdown, @-mentioning the sender in a group when the bot asks for it; after it
 * expired (about 90 minutes after the message), or when the message had none, the robot OpenAPI sends it:
 * `groupMessages/send` to the group (openConversationId = the message's conversationId) or
 * `oToMessages/batchSend` to the sender in a single chat. A sessionWebhook that refuses the reply (errcode ≠ 0,
 * an HTTP error) is given up for the OpenAPI too, unless the content itself was refused.
 *
 * The sessionWebhook URL carries a credential (its `session` query): it never appears in an error message.
 */
import type { BotReply } from '../bot/message';
import { type Clock, DeliveryError, type SendReceipt, systemClock } from './channel';
import { robotAnswerError } from './dingtalk-errors';
import { postJson, snippet } from './http-post';

/** Where a message came from, as much as a reply needs. */
export interface ReplyTarget {
  /** The callback's `sessionWebhook`, or null when it had none. */
  sessionWebhook: string | null;
  /** When the sessionWebhook expires (ms), or null when unknown (then it is not used). */
  sessionWebhookExpiredTime: number | null;
  /** The conversation: for a group, `id` is the openConversationId the OpenAPI group send takes. */
  conversation: { type: 'single' | 'group'; id: string };
  /** The sender's userId (`senderStaffId`); null for external users. */
  senderId: string | null;
}

/** How a reply went out: the sessionWebhook, the OpenAPI group send, or the OpenAPI 1:1 send. */
export type ReplyRoute = 'session' | 'group' | 'oto';

export interface Replier {
  /**
   * Sends the bot's reply to where the message came from.
   * @throws DeliveryError (Chinese message, never containing the sessionWebhook) when it could not be sent.
   */
  reply(target: ReplyTarget, reply: BotReply): Promise<{ via: ReplyRoute } & SendReceipt>;
}

/** The OpenAPI sends the replier falls back to: `DingtalkAppChannel` has both. */
export interface ConversationSender {
  sendToConversation(openConversationId: string, title: string, markdown: string): Promise<SendReceipt>;
  sendToUser(userId: string, title: string, markdown: string): Promise<SendReceipt>;
}

export interface DingtalkReplierOptions {
  /**
   * The robot OpenAPI (a `DingtalkAppChannel` built from DINGTALK_APP_KEY/SECRET/ROBOT_CODE), for replies after the
   * sessionWebhook expired. Without it such replies fail with a DeliveryError saying DINGTALK_APP_KEY is missing.
   */
  app?: ConversationSender | null;
  /** Per-request timeout for the sessionWebhook (DINGTALK_TIMEOUT_MS). */
  timeoutMs: number;
  /** Decides whether the sessionWebhook is still valid; defaults to the system clock. */
  clock?: Clock;
  /** The sessionWebhook is not used in its last `sessionMarginMs` (default 60 s). */
  sessionMarginMs?: number;
  /** Told (in Chinese) when the sessionWebhook refused a reply and the OpenAPI is tried instead. */
  onWarning?: (text: string) => void;
}

/** The sessionWebhook is not used this close to its expiry: the reply could arrive after it. */
export const SESSION_MARGIN_MS = 60_000;

const LABEL = '钉钉机器人回复';

/** The JSON a sessionWebhook takes for a markdown reply (same shape as the custom robot's). */
export interface SessionMarkdownBody {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
  at: { atUserIds: string[]; isAtAll: false };
}

/**
 * The sessionWebhook body for `reply`. When the sender is mentioned (a group, `mentionSender`, a known userId)
 * DingTalk needs both `at.atUserIds` and `@userId` in the text, so it is appended on its own line.
 */
export function sessionReplyBody(target: ReplyTarget, reply: BotReply): SessionMarkdownBody {
  const mention = reply.mentionSender && target.conversation.type === 'group' && target.senderId ? target.senderId : null;
  return {
    msgtype: 'markdown',
    markdown: { title: reply.title, text: mention ? `${reply.markdown}\n\n@${mention}` : reply.markdown },
    at: { atUserIds: mention ? [mention] : [], isAtAll: false },
  };
}

export function createDingtalkReplier(options: DingtalkReplierOptions): Replier {
  const clock = options.clock ?? systemClock;
  const margin = options.sessionMarginMs ?? SESSION_MARGIN_MS;

  const sessionUsable = (target: ReplyTarget): target is ReplyTarget & { sessionWebhook: string; sessionWebhookExpiredTime: number } =>
    Boolean(target.sessionWebhook) && target.sessionWebhookExpiredTime !== null && clock() < target.sessionWebhookExpiredTime - margin;

  async function viaOpenApi(target: ReplyTarget, reply: BotReply, why: string): Promise<{ via: ReplyRoute } & SendReceipt> {
    const app = options.app;
    if (!app) {
      throw new DeliveryError('channel', 'NO_APP_KEY', `${LABEL}失败：${why}，需要通过钉钉 OpenAPI 发送，但没有设置 DINGTALK_APP_KEY 和 DINGTALK_APP_SECRET。`);
    }
    if (target.conversation.type === 'group') {
      return { via: 'group', ...(await app.sendToConversation(target.conversation.id, reply.title, reply.markdown)) };
    }
    if (!target.senderId) {
      throw new DeliveryError('message', 'NO_USER_ID', `${LABEL}失败：${why}，而发送人没有钉钉ID（userId，外部联系人没有），无法单聊回复。`);
    }
    return { via: 'oto', ...(await app.sendToUser(target.senderId, reply.title, reply.markdown)) };
  }

  return {
    async reply(target, reply) {
      if (!sessionUsable(target)) {
        const why = target.sessionWebhook ? '会话 Webhook（sessionWebhook）已过期或即将过期' : '消息中没有会话 Webhook（sessionWebhook）';
        return viaOpenApi(target, reply, why);
      }
      // A network error (timeout, reset) leaves the outcome unknown: it is thrown, not retried elsewhere, so the
      // person never gets the answer twice.
      const answer = await postJson(target.sessionWebhook, sessionReplyBody(target, reply), { timeoutMs: options.timeoutMs, label: `${LABEL}（会话 Webhook）` });
      const error = sessionAnswerError(answer.status, answer.data, answer.text);
      if (!error) return { via: 'session' };
      if (error.kind === 'message' || !options.app) throw error;
      options.onWarning?.(`${error.message}改用钉钉 OpenAPI 发送。`);
      return viaOpenApi(target, reply, '会话 Webhook 拒绝了回复');
    },
  };
}

/** Classifies a sessionWebhook answer like the custom robot's (`errcode` ≠ 0 is an error), with its own message. */
export function sessionAnswerError(status: number, data: unknown, text: string): DeliveryError | null {
  const error = robotAnswerError(status, data, text);
  if (!error) return null;
  const errmsg = (data as { errmsg?: unknown } | undefined)?.errmsg;
  const detail = status === 200 && typeof errmsg === 'string' ? errmsg : snippet(text);
  return new DeliveryError(error.kind, error.code, `${LABEL}失败（会话 Webhook 回答 ${error.code}：${detail || '无说明'}）。`);
}
