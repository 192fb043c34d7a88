/**
 * A DingTalk app robot's chat message, whichever way it arrived (the HTTP callback or Stream mode): the body's
 * schema, its mapping to the bot's `IncomingMessage` and to a reply target, and the hand-over to the bot and the
 * replier. Both receivers use these, so a message means the same thing on either path.
 */
import { z } from 'zod';
import type { BotHandler, BotReply, IncomingMessage } from '../bot/message';
import type { RecentIds } from '../http/recent-ids';
import { describeError, maskSecrets, type Logger } from '../logger';
import type { Replier, ReplyTarget } from './dingtalk-reply';
import type { SenderLimit } from './sender-limit';

/** Milliseconds as a number or a decimal string (DingTalk's table says String, its examples send numbers). */
const millis = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,16}$/).transform(Number)]);
const optionalText = z.string().nullish();

/**
 * The fields of a robot message the bot and the replier use (protocol doc §2.3); unknown fields are dropped.
 * `content` (pictures, files, rich text) is not kept: the bot only reads text.
 */
export const robotMessageSchema = z.object({
  msgId: z.string().min(1),
  msgtype: z.string(),
  conversationId: z.string(),
  /** `1` single chat, `2` group. */
  conversationType: z.enum(['1', '2']),
  conversationTitle: optionalText,
  text: z.object({ content: z.string().optional() }).nullish(),
  senderStaffId: optionalText,
  /** The sender's DingTalk-wide id: the rate limit's key when there is no `senderStaffId`. */
  senderId: optionalText,
  senderNick: optionalText,
  sessionWebhook: z.url({ protocol: /^https?$/ }).nullish(),
  sessionWebhookExpiredTime: millis.nullish(),
  createAt: millis.nullish(),
});

export type RobotMessageBody = z.output<typeof robotMessageSchema>;

/** The Chinese reason a body failed the schema, naming the fields (never their values). */
export function schemaProblem(error: z.ZodError): string {
  const fields = [...new Set(error.issues.map((i) => (i.path.length ? i.path.join('.') : '消息体')))];
  return `消息格式不对（${fields.join('、')}缺失或无效）`;
}

/**
 * The bot's view of a message: text trimmed (DingTalk leaves a space where the @mention was) and '' unless
 * msgtype is `text`; `createdAt` falls back to `receivedAt` when the body has no `createAt`.
 */
export function toIncomingMessage(body: RobotMessageBody, receivedAt: number): IncomingMessage {
  const group = body.conversationType === '2';
  return {
    msgId: body.msgId,
    msgtype: body.msgtype,
    text: body.msgtype === 'text' ? (body.text?.content ?? '').trim() : '',
    senderId: body.senderStaffId?.trim() || null,
    senderNick: body.senderNick ?? '',
    conversation: { type: group ? 'group' : 'single', id: body.conversationId, title: group ? body.conversationTitle || null : null },
    createdAt: body.createAt ?? receivedAt,
  };
}

/** Where the reply to a message goes. */
export function replyTargetOf(body: RobotMessageBody): ReplyTarget {
  return {
    sessionWebhook: body.sessionWebhook ?? null,
    sessionWebhookExpiredTime: body.sessionWebhookExpiredTime ?? null,
    conversation: { type: body.conversationType === '2' ? 'group' : 'single', id: body.conversationId },
    senderId: body.senderStaffId?.trim() || null,
  };
}

export interface RobotMessageDeps {
  bot: BotHandler;
  replier: Replier;
  logger: Logger;
  /** The receiver's de-duplication set; the caller has already `begin`-marked the message. */
  seen: RecentIds;
  clock: () => number;
  /** Named in the logs: `HTTP 回调` or `Stream`. */
  source: string;
  /** The per-sender rate limit (CALLBACK_RATE_PER_MINUTE); none when absent. */
  limit?: SenderLimit;
  /**
   * Called once the message is settled, before any reply goes out: `handled` when the bot has answered (its report,
   * if any, is committed) or the message was dropped over the limit; `failed` when the bot threw. The receiver
   * acknowledges the message to DingTalk here, so that a process killed before the commit has not acknowledged it.
   */
  onSettled?: (outcome: 'handled' | 'failed') => void;
}

/** The reply to the first message over the limit in a minute. */
export function slowDownReply(perMinute: number): BotReply {
  return {
    title: '督办',
    markdown: `您发消息太频繁了（每分钟最多 ${perMinute} 条），请稍等一分钟再发。刚才超出的消息没有处理，也没有记录报送，需要的请稍后重新发送。`,
    mentionSender: true,
  };
}

/** Who the limit counts a message against: `senderStaffId`, else `senderId` ('' when neither: one shared count). */
export function limitKey(body: RobotMessageBody): string {
  return body.senderStaffId?.trim() || body.senderId?.trim() || '';
}

/**
 * Hands a verified, de-duplicated message to the bot and sends its reply. Never throws: every failure is logged
 * in Chinese. A bot that throws clears the message's in-flight mark (a redelivery is processed again); once the
 * bot has answered the message counts as handled even if the reply could not be sent, so a redelivery does not
 * run the bot (and its side effects) twice. Logs carry ids only: no text, no sessionWebhook.
 * `onSettled` fires between the bot and the reply: the HTTP callback answers DingTalk and Stream mode acknowledges
 * the frame there, after the report is committed, so a crash before the commit leaves the message unacknowledged.
 */
export async function handleRobotMessage(body: RobotMessageBody, deps: RobotMessageDeps): Promise<void> {
  let settled = false;
  const settle = (outcome: 'handled' | 'failed'): void => {
    if (settled) return;
    settled = true;
    deps.onSettled?.(outcome);
  };
  try {
    await handleSettling(body, deps, settle);
  } catch (err) {
    // Not expected (the bot's own failures are caught below); the receiver still gets its answer.
    deps.seen.fail(body.msgId);
    deps.logger.error({ msgId: body.msgId, source: deps.source, error: describeError(err) }, `处理钉钉消息时出错：${reasonOf(err)}`);
    settle('failed');
  }
}

async function handleSettling(body: RobotMessageBody, deps: RobotMessageDeps, settle: (outcome: 'handled' | 'failed') => void): Promise<void> {
  const message = toIncomingMessage(body, deps.clock());
  const ids = { msgId: message.msgId, conversationId: message.conversation.id, senderId: message.senderId, source: deps.source };
  if (deps.limit && !(await withinLimit(body, deps, deps.limit, ids, settle))) return;
  deps.logger.info({ ...ids, msgtype: message.msgtype, conversationType: message.conversation.type, chars: message.text.length }, '收到钉钉消息');
  let reply: BotReply | null;
  try {
    reply = await deps.bot(message);
  } catch (err) {
    deps.seen.fail(message.msgId);
    deps.logger.error({ ...ids, error: describeError(err) }, `机器人处理钉钉消息时出错，未回复：${reasonOf(err)}`);
    settle('failed');
    return;
  }
  deps.seen.done(message.msgId);
  settle('handled');
  if (!reply) {
    deps.logger.debug(ids, '机器人对这条钉钉消息不作回复');
    return;
  }
  try {
    const receipt = await deps.replier.reply(replyTargetOf(body), reply);
    deps.logger.info({ ...ids, via: receipt.via }, `已回复钉钉消息（${ROUTE_NAMES[receipt.via]}）`);
  } catch (err) {
    deps.logger.error({ ...ids, error: describeError(err) }, `回复钉钉消息失败：${reasonOf(err)}`);
  }
}

/**
 * Counts the message against its sender's limit. Over it, the message counts as handled without reaching the bot
 * (nothing stored); the first one over in a minute gets one polite reply and one warning (ids only, no text).
 */
async function withinLimit(
  body: RobotMessageBody,
  deps: RobotMessageDeps,
  limit: SenderLimit,
  ids: Record<string, unknown>,
  settle: (outcome: 'handled') => void,
): Promise<boolean> {
  const key = limitKey(body);
  const verdict = limit.check(key);
  if (verdict.allowed) return true;
  deps.seen.done(body.msgId);
  settle('handled');
  if (!verdict.notify) {
    deps.logger.debug(ids, '发送人消息过于频繁，这条钉钉消息未处理');
    return false;
  }
  deps.logger.warn(
    { ...ids, sender: key, perMinute: limit.perMinute },
    `发送人 ${key || '（未知）'} 一分钟内发来的消息超过 ${limit.perMinute} 条（CALLBACK_RATE_PER_MINUTE），超出的消息暂不处理，已提醒对方稍后再发`,
  );
  try {
    await deps.replier.reply(replyTargetOf(body), slowDownReply(limit.perMinute));
  } catch (err) {
    deps.logger.error({ ...ids, error: describeError(err) }, `提醒发送人稍后再发时回复失败：${reasonOf(err)}`);
  }
  return false;
}

const ROUTE_NAMES = { session: '会话 Webhook', group: 'OpenAPI 群消息', oto: 'OpenAPI 单聊消息' } as const;

/** The error's message for a readable log line, credentials masked. */
export function reasonOf(err: unknown): string {
  return maskSecrets(err instanceof Error ? err.message : String(err));
}
