/**
 * `POST /dingtalk/callback`: the DingTalk app robot's HTTP callback (protocol doc §2). The handler only verifies,
 * decodes and hands over, in this order:
 * 1. Content-Type `application/json` (charset utf-8 or none) → else 415;
 * 2. a declared Content-Length over 64 KB → 413 before anything is read;
 * 3. `timestamp` and `sign` headers present → else 401; the timestamp within an hour of our clock → else 401; the
 *    sign equal (constant time) to HMAC-SHA256(AppSecret, timestamp + "\n" + AppSecret) → else 401;
 * 4. the body read with the 64 KB limit (chunked bodies are counted) → 413;
 * 5. JSON → else 400; the schema of `robotMessageSchema` → else 400;
 * 6. a msgId already handled or in flight → 200 `{}` and nothing else;
 * 7. otherwise the message goes to the bot, and 200 `{}` is answered as soon as the bot has handled it (its report
 *    committed), before the reply to the sender is sent; a bot that throws gets 503 (the msgId may be sent again).
 *    Answering only after the commit means a process killed in between has not acknowledged a message it lost.
 *    A sender over the per-sender limit (CALLBACK_RATE_PER_MINUTE) is answered 200 `{}` too (DingTalk must not
 *    retry), but the message never reaches the bot.
 * Error bodies are `{ "error": "<中文原因>" }`. Logs never contain the AppSecret, the sign or the sessionWebhook.
 */
import type * as http from 'node:http';
import type { BotHandler } from '../bot/message';
import { handleRobotMessage, reasonOf, robotMessageSchema, schemaProblem } from '../channels/dingtalk-incoming';
import type { Replier } from '../channels/dingtalk-reply';
import type { SenderLimit } from '../channels/sender-limit';
import { isFreshTimestamp, verifySign } from '../channels/dingtalk-sign';
import type { Logger } from '../logger';
import { BodyTooLargeError, declaredTooLarge, MAX_BODY_BYTES, readBody } from './read-body';
import { RecentIds } from './recent-ids';
import { type Handler, sendJson } from './server';

export const CALLBACK_PATH = '/dingtalk/callback';

export interface DingtalkCallbackDeps {
  /** DINGTALK_APP_SECRET: the key of the callback's signature. */
  appSecret: string;
  bot: BotHandler;
  replier: Replier;
  logger: Logger;
  /** Checks the timestamp's freshness and stamps messages without `createAt`; defaults to `Date.now`. */
  clock?: () => number;
  /** De-duplication of msgIds; defaults to a new `RecentIds` (10,000 ids, 2 h). */
  seen?: RecentIds;
  /** Body limit in bytes; default 64 KB. */
  maxBodyBytes?: number;
  /** The per-sender rate limit (shared with Stream mode); none when absent. */
  limit?: SenderLimit;
}

/** The route handler, plus `idle()`: resolves once every message handed over so far is handled (tests, shutdown). */
export type DingtalkCallback = Handler & { idle(): Promise<void> };

/** Repeated rejections (a scanner, a wrong secret) are logged as warnings at most once a minute per reason. */
const WARN_EVERY_MS = 60_000;

export function createDingtalkCallback(deps: DingtalkCallbackDeps): DingtalkCallback {
  const clock = deps.clock ?? Date.now;
  const seen = deps.seen ?? new RecentIds({ clock });
  const limit = deps.maxBodyBytes ?? MAX_BODY_BYTES;
  const { logger } = deps;
  const pending = new Set<Promise<void>>();
  const warnedAt = new Map<string, number>();

  /** Answers an error and logs why (a warning the first time in a minute, debug after that). */
  function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, error: string, hint = ''): void {
    const now = clock();
    const last = warnedAt.get(error);
    const level = last === undefined || now - last >= WARN_EVERY_MS ? 'warn' : 'debug';
    if (level === 'warn') warnedAt.set(error, now);
    logger[level]({ status, ip: req.socket.remoteAddress }, `拒绝了钉钉回调请求：${error}${hint}`);
    sendJson(res, status, { error });
  }

  function tooLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
    // Close the connection after the answer rather than read (and discard) the rest of a huge body.
    res.setHeader('connection', 'close');
    refuse(req, res, 413, `请求体超过 ${Math.round(limit / 1024)} KB 的上限`);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isJsonContentType(req.headers['content-type'])) {
      return refuse(req, res, 415, '请求的 Content-Type 应为 application/json');
    }
    if (declaredTooLarge(req, limit)) return tooLarge(req, res);

    const timestamp = singleHeader(req.headers.timestamp);
    const sign = singleHeader(req.headers.sign);
    if (!timestamp || !sign) return refuse(req, res, 401, '缺少 timestamp 或 sign 请求头');
    if (!isFreshTimestamp(timestamp, clock())) {
      return refuse(req, res, 401, '时间戳无效或与服务器时间相差超过 1 小时', '。若钉钉的正常请求也被拒绝，请校准本机时钟（例如开启 NTP 时间同步）');
    }
    if (!verifySign(deps.appSecret, timestamp, sign)) {
      return refuse(req, res, 401, '签名校验失败', '。若钉钉的正常请求也被拒绝，请检查 DINGTALK_APP_SECRET 是否与钉钉开发者后台中应用的 AppSecret（Client Secret）一致');
    }

    let raw: Buffer;
    try {
      raw = await readBody(req, limit);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return tooLarge(req, res);
      logger.debug({ ip: req.socket.remoteAddress, reason: (err as Error).message }, '钉钉回调请求体读取失败');
      if (!res.headersSent && !res.destroyed) sendJson(res, 400, { error: '请求体不完整' });
      return;
    }

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(req, res, 400, '请求体不是有效的 JSON');
    }
    const parsed = robotMessageSchema.safeParse(json);
    if (!parsed.success) return refuse(req, res, 400, schemaProblem(parsed.error));
    const body = parsed.data;

    if (!seen.begin(body.msgId)) {
      logger.debug({ msgId: body.msgId, state: seen.state(body.msgId) }, '钉钉重复推送了已收到的消息，已忽略');
      return sendJson(res, 200, {});
    }
    // Answered once the bot has committed the message's report (or dropped it over the limit): a process killed
    // before that has not said 200, and the reply to the sender goes out after the answer.
    const answer = (outcome: 'handled' | 'failed'): void => {
      if (res.headersSent || res.destroyed) return;
      if (outcome === 'handled') sendJson(res, 200, {});
      else sendJson(res, 503, { error: '服务暂时无法处理这条消息，请稍后重发' });
    };
    const task = handleRobotMessage(body, { bot: deps.bot, replier: deps.replier, logger, seen, clock, source: 'HTTP 回调', limit: deps.limit, onSettled: answer });
    pending.add(task);
    void task.finally(() => pending.delete(task));
  }

  const handler: Handler = (req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Nothing above is expected to throw; if it does, the request is answered and the process keeps running.
      logger.error({ reason: reasonOf(err) }, `处理钉钉回调时出错：${reasonOf(err)}`);
      if (!res.headersSent && !res.destroyed) sendJson(res, 400, { error: '无法处理这个请求' });
    });
  };

  return Object.assign(handler, {
    async idle(): Promise<void> {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  });
}

/** `application/json`, optionally with `charset=utf-8` (any case, quoted or not); other charsets are refused. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const [type = '', ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => {
    const [key, val = ''] = p.split('=').map((s) => s.trim());
    return key !== 'charset' || /^"?utf-?8"?$/.test(val);
  });
}

/** A header's value, trimmed; '' when absent (Node joins a repeated header into one value, which then fails the checks). */
function singleHeader(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value.trim() : '';
}
