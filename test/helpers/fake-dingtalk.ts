/**
 * A fake DingTalk: a real node:http server on 127.0.0.1 (random port) that answers like the real one, for tests of
 * the channels, the outbox, crashes and outages.
 *
 * Custom group robot, `POST /robot/send?access_token=T[&timestamp=ms&sign=S]` — always HTTP 200 with `{errcode, errmsg}`:
 * - unknown `access_token` → 300001 `token is not exist`;
 * - with `secret` set: timestamp missing or more than 1 hour from the fake's clock → 310000 `invalid timestamp`;
 *   missing or wrong sign → 310000 `sign not match` (`sign` is read URL-decoded once, like DingTalk, so a raw
 *   unencoded or a doubly encoded signature fails);
 * - with `keywords` set: none in the title or text → 310000 `keywords not in content`;
 * - body over `maxBodyBytes` (20,000) → 460101; not JSON → 40035; unknown msgtype → 400105; markdown without
 *   title or text → 400402;
 * - a `msgUuid` already accepted for this token → `ok` but NOT delivered again (attempt outcome `duplicate`);
 * - more than `ratePerMinute` (20) accepted messages in the last 60 s of the fake's clock, per token → 410100
 *   `发送速度太快而限流` (and for `throttleMs` more after that, if set, like DingTalk's 10-minute penalty).
 *
 * A message's reply address, `POST /robot/sendBySession?session=S` (build one with `sessionWebhook`) — HTTP 200 with
 * `{errcode, errmsg}` like the custom robot, no signature: any session is accepted until it expires (the `expiresAt`
 * given to `sessionWebhook`, per the fake's clock, or `expireSession`); an expired one answers 300001
 * `session expired` (real DingTalk's answer is not documented); body checks as for `/robot/send`. Accepted replies
 * are in `delivered` with `api: 'session'`.
 *
 * App robot OpenAPI — errors as HTTP 4xx with `{code, message, requestid}`:
 * - `POST /v1.0/oauth2/accessToken {appKey, appSecret}` → `{accessToken, expireIn}`; wrong pair → 400;
 * - `POST /v1.0/robot/oToMessages/batchSend {robotCode, userIds (1–20), msgKey, msgParam}` and
 *   `POST /v1.0/robot/groupMessages/send {robotCode, openConversationId, msgKey, msgParam (≤ 15,000 bytes)}` with
 *   header `x-acs-dingtalk-access-token`: a missing, unknown, expired (per the fake's clock) or revoked token →
 *   400 `InvalidAuthentication`; wrong robotCode, unknown group, bad msgKey/msgParam, too many userIds → 400.
 *   batchSend answers `{processQueryKey, invalidStaffIdList, flowControlledStaffIdList}` (see `userIds` and
 *   `flowControlledUserIds`).
 *
 * A message is recorded in `delivered` as soon as it is accepted; the answer comes `delayMs` later, so a client that
 * times out meanwhile does not know the outcome (the case `msgUuid` exists for). Every request, rejected or not, is
 * in `attempts`. Failures are injected with `fail`, `failUntil` and `failWhen` (they apply before any check).
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How an injected failure answers: a robot-style errcode (HTTP 200 on `/robot/send`, HTTP 400 `{code, message}` on
 * the OpenAPI); an HTTP status with an optional OpenAPI `code`/`message` or a verbatim `body`; `'hang'` (never
 * answers, until the client gives up or the fake is closed); `'reset'` (destroys the connection).
 */
export type FailHow =
  | { errcode: number; errmsg: string }
  | { status: number; code?: string; message?: string; body?: unknown }
  | 'hang'
  | 'reset';

/** Which requests an injected failure applies to: message sends (default), token requests, or all. */
export type FailScope = 'send' | 'token' | 'all';

export interface FakeDingtalkOptions {
  /** access_tokens of the custom robots that exist; default `['robot-token']`. */
  robotTokens?: string[];
  /** When set, `/robot/send` requires a valid 加签 `timestamp` and `sign` for this `SEC…` secret. */
  secret?: string;
  /** When set, `/robot/send` requires one of these words in the title or text (keyword security). */
  keywords?: string[];
  /** The fake's clock (ms); default `Date.now`. Share one with the code under test. */
  clock?: () => number;
  /** Accepted robot messages per rolling minute per token; default 20. */
  ratePerMinute?: number;
  /** After a rate-limit rejection, the token stays throttled this long (DingTalk: 10 min); default 0. */
  throttleMs?: number;
  /** Largest accepted `/robot/send` body; default 20,000 bytes. */
  maxBodyBytes?: number;
  /** Delay before every answer, in real milliseconds; default 0. Can be changed later through `delayMs`. */
  delayMs?: number;
  /** The app's credentials; default `fake-app-key` / `fake-app-secret`. */
  appKey?: string;
  appSecret?: string;
  /** The app robot's robotCode; default the app key. */
  robotCode?: string;
  /** Lifetime of issued access tokens in seconds; default 7200. */
  tokenTtlSeconds?: number;
  /** openConversationIds of the groups the app robot is in; default `['cid-fake-group']`. */
  groupIds?: string[];
  /** userIds that exist; others are answered in `invalidStaffIdList`. Default: every userId exists. */
  userIds?: string[];
}

/** A request as the fake received it. `time` is the fake's clock when it arrived. */
export interface FakeRequest {
  id: number;
  method: string;
  /** The request target as sent (path and query string, still URL-encoded). */
  rawUrl: string;
  path: string;
  /** The query string, decoded once. */
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: unknown;
  bytes: number;
  time: number;
}

/** What became of a request: accepted, a repeated msgUuid, refused by a check, an injected failure, a token. */
export type AttemptOutcome = 'delivered' | 'duplicate' | 'rejected' | 'failed' | 'hang' | 'reset' | 'token' | 'pending';

export interface Attempt extends FakeRequest {
  outcome: AttemptOutcome;
  /** HTTP status of the answer (absent for hang and reset). */
  status?: number;
  /** The JSON answered. */
  answer?: unknown;
}

/** A message the fake accepted. */
export interface DeliveredMessage {
  api: 'robot' | 'oto' | 'group' | 'session';
  path: string;
  query: Record<string, string>;
  /** The parsed request body. */
  body: Record<string, unknown>;
  time: number;
  /** Robot: the `msgUuid`, if any. */
  msgUuid?: string;
  /** Robot: the access_token it was sent with. */
  robotToken?: string;
  /** sendBySession: the `session` of the reply address. */
  session?: string;
  /** Robot: `markdown.title`/`text.content…`; app: `msgParam.title`. */
  title?: string;
  /** Robot markdown `text` (or text `content`); app: `msgParam.text` (or `content`). */
  text?: string;
  /** Robot: `at.atMobiles` and `at.atUserIds`. */
  atMobiles?: string[];
  atUserIds?: string[];
  /** batchSend: the userIds it reached (invalid and flow-controlled ones left out). */
  userIds?: string[];
  /** Group send: the group. */
  openConversationId?: string;
  msgKey?: string;
  /** App: `msgParam` parsed. */
  msgParam?: Record<string, unknown>;
}

export interface IssuedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export interface FakeDingtalk {
  /** `http://127.0.0.1:<port>`: use it as DINGTALK_API_BASE. */
  readonly baseUrl: string;
  readonly port: number;
  /** The webhook of the first robot token: use it as DINGTALK_WEBHOOK. */
  readonly webhook: string;
  /** The app credentials the fake accepts. */
  readonly appKey: string;
  readonly appSecret: string;
  readonly robotCode: string;
  readonly groupId: string;
  /** A full URL on the fake. */
  url(path: string, query?: Record<string, string>): string;
  /** The webhook for a robot token (it need not exist). */
  webhookFor(token: string): string;
  /**
   * A sessionWebhook as a callback carries it, `…/robot/sendBySession?session=…` (a random session unless given);
   * with `expiresAt`, the fake refuses it once its clock reaches that time.
   */
  sessionWebhook(session?: string, expiresAt?: number): string;
  /** From now on the session's replies are refused as expired. */
  expireSession(session: string): void;
  /** Accepted messages, in order. */
  readonly delivered: DeliveredMessage[];
  /** Every request, in order of arrival, with its outcome. */
  readonly attempts: Attempt[];
  /** Access tokens issued by `/v1.0/oauth2/accessToken`. */
  readonly tokensIssued: IssuedToken[];
  /** Real milliseconds to wait before each answer. */
  delayMs: number;
  /** userIds batchSend reports in `flowControlledStaffIdList` (and does not deliver to). */
  readonly flowControlledUserIds: Set<string>;
  /** The next `n` matching requests fail as `how`. */
  fail(n: number, how: FailHow, scope?: FailScope): void;
  /**
   * Every matching request fails as `how` until the fake's clock reaches `until` (ms), or, given a function, until
   * it returns true (asked at each request; once true the failure is over).
   */
  failUntil(until: number | (() => boolean), how: FailHow, scope?: FailScope): void;
  /** Every matching request for which `predicate` is true fails as `how`, until `clearFailures`. */
  failWhen(predicate: (request: FakeRequest) => boolean, how: FailHow, scope?: FailScope): void;
  /** Ends every injected failure (requests already hanging stay so). */
  clearFailures(): void;
  /** Makes every issued access token invalid, as if DingTalk had revoked them. */
  revokeTokens(): void;
  /** Resolves once at least `count` requests have arrived (rejects after `timeoutMs` real ms). */
  waitForAttempts(count: number, timeoutMs?: number): Promise<void>;
  /** Forgets deliveries, attempts, failures, tokens, rate windows and seen msgUuids; restores `delayMs`. */
  reset(): void;
  /** Stops the server, ending hanging and delayed requests. */
  close(): Promise<void>;
}

const ROBOT_PATH = '/robot/send';
const TOKEN_PATH = '/v1.0/oauth2/accessToken';
const OTO_PATH = '/v1.0/robot/oToMessages/batchSend';
const GROUP_PATH = '/v1.0/robot/groupMessages/send';
const SESSION_PATH = '/robot/sendBySession';
const SEND_PATHS = new Set([ROBOT_PATH, OTO_PATH, GROUP_PATH, SESSION_PATH]);
const ROBOT_MSGTYPES = new Set(['text', 'link', 'markdown', 'actionCard', 'feedCard']);
const MSG_KEYS = new Set(['sampleText', 'sampleMarkdown', 'sampleLink', 'sampleImageMsg', 'sampleActionCard', 'sampleActionCard2', 'sampleActionCard3', 'sampleActionCard4', 'sampleActionCard5', 'sampleActionCard6', 'sampleAudio', 'sampleVideo', 'sampleFile']);

interface FailRule {
  how: FailHow;
  scope: FailScope;
  remaining?: number;
  until?: number | (() => boolean);
  when?: (request: FakeRequest) => boolean;
}

/** An answer: HTTP status + JSON, or a connection that is left hanging or destroyed. */
type Reply = { status: number; body: unknown; outcome: AttemptOutcome } | { outcome: 'hang' | 'reset' };

/** Starts a fake DingTalk on 127.0.0.1 and a random port. Close it in `afterEach`/`afterAll`. */
export async function startFakeDingtalk(options: FakeDingtalkOptions = {}): Promise<FakeDingtalk> {
  const clock = options.clock ?? Date.now;
  const robotTokens = options.robotTokens ?? ['robot-token'];
  const appKey = options.appKey ?? 'fake-app-key';
  const appSecret = options.appSecret ?? 'fake-app-secret';
  const robotCode = options.robotCode ?? appKey;
  const groupIds = options.groupIds ?? ['cid-fake-group'];
  const knownUsers = options.userIds ? new Set(options.userIds) : null;
  const ratePerMinute = options.ratePerMinute ?? 20;
  const maxBodyBytes = options.maxBodyBytes ?? 20_000;
  const ttlMs = (options.tokenTtlSeconds ?? 7200) * 1000;

  let rules: FailRule[] = [];
  let nextId = 1;
  const accepted = new Map<string, number[]>();
  const throttledUntil = new Map<string, number>();
  const seenUuids = new Map<string, Set<string>>();
  const timers = new Set<NodeJS.Timeout>();
  /** session → when it expires (fake clock); sessions not listed never expire. */
  const sessionExpiry = new Map<string, number>();
  /** Sessions expired by `expireSession`, whatever their expiry time. */
  const expiredSessions = new Set<string>();
  let closed = false;

  const fake = {
    delivered: [] as DeliveredMessage[],
    attempts: [] as Attempt[],
    tokensIssued: [] as IssuedToken[],
    delayMs: options.delayMs ?? 0,
    flowControlledUserIds: new Set<string>(),
  };

  const requestId = (): string => crypto.randomUUID().toUpperCase();
  const apiError = (status: number, code: string, message: string): Reply => ({ status, body: { code, message, requestid: requestId() }, outcome: 'rejected' });
  const robotError = (errcode: number, errmsg: string): Reply => ({ status: 200, body: { errcode, errmsg }, outcome: 'rejected' });

  function scopeOf(path: string): 'send' | 'token' | 'other' {
    if (SEND_PATHS.has(path)) return 'send';
    return path === TOKEN_PATH ? 'token' : 'other';
  }

  /** The injected failure for this request, if any (consuming counted ones, dropping ended ones). */
  function injectedFailure(req: FakeRequest): FailHow | null {
    const scope = scopeOf(req.path);
    for (const rule of [...rules]) {
      if (rule.scope !== 'all' && rule.scope !== scope) continue;
      if (rule.until !== undefined) {
        const over = typeof rule.until === 'number' ? clock() >= rule.until : rule.until();
        if (over) {
          rules = rules.filter((r) => r !== rule);
          continue;
        }
        return rule.how;
      }
      if (rule.when) {
        if (rule.when(req)) return rule.how;
        continue;
      }
      if (rule.remaining !== undefined) {
        rule.remaining -= 1;
        if (rule.remaining <= 0) rules = rules.filter((r) => r !== rule);
        return rule.how;
      }
    }
    return null;
  }

  function failureReply(how: FailHow, path: string): Reply {
    if (how === 'hang' || how === 'reset') return { outcome: how };
    if ('errcode' in how) {
      if (path === ROBOT_PATH || path === SESSION_PATH) return { status: 200, body: { errcode: how.errcode, errmsg: how.errmsg }, outcome: 'failed' };
      return { status: 400, body: { code: String(how.errcode), message: how.errmsg, requestid: requestId() }, outcome: 'failed' };
    }
    const body =
      how.body !== undefined
        ? how.body
        : (path === ROBOT_PATH || path === SESSION_PATH) && !how.code
          ? { errcode: -1, errmsg: '系统繁忙' }
          : { code: how.code ?? (how.status >= 500 ? 'ServiceUnavailable' : 'Failed'), message: how.message ?? `fake failure ${how.status}`, requestid: requestId() };
    return { status: how.status, body, outcome: 'failed' };
  }

  /** A robot message body as DingTalk checks it (size, JSON, msgtype, markdown's title and text), or its error. */
  function robotMessage(req: FakeRequest): { body: Record<string, unknown>; title: string | undefined; text: string | undefined } | Reply {
    if (req.bytes > maxBodyBytes) return robotError(460101, `message too long, exceed ${maxBodyBytes} bytes`);
    const body = req.body;
    if (!isObject(body)) return robotError(40035, '缺少参数 json');
    if (typeof body.msgtype !== 'string' || !ROBOT_MSGTYPES.has(body.msgtype)) return robotError(400105, '不支持的消息类型');
    const { title, text } = robotContent(body);
    if (body.msgtype === 'markdown' && (!title || !text)) return robotError(400402, '错误描述:参数 markdown --》 title 或 text 缺失，或者参数格式不正确');
    return { body, title, text };
  }

  function handleRobot(req: FakeRequest): Reply {
    const token = req.query.access_token ?? '';
    if (!robotTokens.includes(token)) return robotError(300001, 'token is not exist');
    if (options.secret) {
      const ts = req.query.timestamp ?? '';
      if (!/^\d{1,16}$/.test(ts) || Math.abs(clock() - Number(ts)) > 60 * 60 * 1000) return robotError(310000, 'invalid timestamp');
      const expected = crypto.createHmac('sha256', options.secret).update(`${ts}\n${options.secret}`).digest('base64');
      if (req.query.sign !== expected) return robotError(310000, 'sign not match');
    }
    const message = robotMessage(req);
    if ('outcome' in message) return message;
    const { body, title, text } = message;
    if (options.keywords && !options.keywords.some((k) => `${title ?? ''}\n${text ?? ''}`.includes(k))) return robotError(310000, 'keywords not in content');
    const msgUuid = typeof body.msgUuid === 'string' && body.msgUuid ? body.msgUuid : undefined;
    const seen = seenUuids.get(token) ?? new Set<string>();
    seenUuids.set(token, seen);
    if (msgUuid && seen.has(msgUuid)) return { status: 200, body: { errcode: 0, errmsg: 'ok' }, outcome: 'duplicate' };
    const now = clock();
    const window = (accepted.get(token) ?? []).filter((t) => t > now - 60_000);
    accepted.set(token, window);
    if (now < (throttledUntil.get(token) ?? 0) || window.length >= ratePerMinute) {
      if (options.throttleMs && !(now < (throttledUntil.get(token) ?? 0))) throttledUntil.set(token, now + options.throttleMs);
      return robotError(410100, '发送速度太快而限流');
    }
    window.push(now);
    if (msgUuid) seen.add(msgUuid);
    const at = isObject(body.at) ? body.at : {};
    fake.delivered.push({
      api: 'robot',
      path: req.path,
      query: req.query,
      body,
      time: req.time,
      msgUuid,
      robotToken: token,
      title,
      text,
      atMobiles: stringArray(at.atMobiles),
      atUserIds: stringArray(at.atUserIds),
    });
    return { status: 200, body: { errcode: 0, errmsg: 'ok' }, outcome: 'delivered' };
  }

  function handleSession(req: FakeRequest): Reply {
    const session = req.query.session ?? '';
    if (!session) return robotError(300001, 'session is empty');
    if (expiredSessions.has(session) || clock() >= (sessionExpiry.get(session) ?? Infinity)) return robotError(300001, 'session expired');
    const message = robotMessage(req);
    if ('outcome' in message) return message;
    const { body, title, text } = message;
    const at = isObject(body.at) ? body.at : {};
    fake.delivered.push({
      api: 'session',
      path: req.path,
      query: req.query,
      body,
      time: req.time,
      session,
      title,
      text,
      atMobiles: stringArray(at.atMobiles),
      atUserIds: stringArray(at.atUserIds),
    });
    return { status: 200, body: { errcode: 0, errmsg: 'ok' }, outcome: 'delivered' };
  }

  function handleToken(req: FakeRequest): Reply {
    const body = isObject(req.body) ? req.body : {};
    if (body.appKey !== appKey || body.appSecret !== appSecret) return apiError(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
    const now = clock();
    const token: IssuedToken = { token: `fake-at-${fake.tokensIssued.length + 1}-${crypto.randomBytes(4).toString('hex')}`, issuedAt: now, expiresAt: now + ttlMs, revoked: false };
    fake.tokensIssued.push(token);
    return { status: 200, body: { accessToken: token.token, expireIn: ttlMs / 1000 }, outcome: 'token' };
  }

  function handleApp(req: FakeRequest): Reply {
    const header = req.headers['x-acs-dingtalk-access-token'];
    const issued = fake.tokensIssued.find((t) => t.token === header);
    if (!issued || issued.revoked || clock() >= issued.expiresAt) return apiError(400, 'InvalidAuthentication', '不合法的access_token');
    const body = isObject(req.body) ? req.body : {};
    if (body.robotCode !== robotCode) return apiError(400, 'invalidParameter.robotCode.invalid', 'robotCode 不合法');
    if (typeof body.msgKey !== 'string' || !MSG_KEYS.has(body.msgKey)) return apiError(400, 'invalidParameter.msgKey.invalid', 'msgKey 不合法');
    const msgParam = typeof body.msgParam === 'string' ? parseJson(body.msgParam) : undefined;
    if (!isObject(msgParam)) return apiError(400, 'invalidParameter.msgParam.invalid', 'msgParam 必须是 JSON 字符串');
    if (body.msgKey === 'sampleMarkdown' && (typeof msgParam.title !== 'string' || typeof msgParam.text !== 'string')) {
      return apiError(400, 'invalidParameter.msgParam.invalid', 'sampleMarkdown 需要 title 和 text');
    }
    const title = typeof msgParam.title === 'string' ? msgParam.title : undefined;
    const text = typeof msgParam.text === 'string' ? msgParam.text : typeof msgParam.content === 'string' ? msgParam.content : undefined;
    const processQueryKey = `fake-pqk-${req.id}`;
    const common = { path: req.path, query: req.query, body, time: req.time, title, text, msgKey: body.msgKey, msgParam };

    if (req.path === GROUP_PATH) {
      if (typeof body.openConversationId !== 'string' || !groupIds.includes(body.openConversationId)) {
        return apiError(400, 'invalidParameter.openConversationId.invalid', '群不存在或机器人不在群中');
      }
      if (Buffer.byteLength(body.msgParam as string) > 15_000) return apiError(400, 'invalidParameter.msgParam.overMax', 'msgParam 超过 15000 字节');
      fake.delivered.push({ api: 'group', ...common, openConversationId: body.openConversationId });
      return { status: 200, body: { processQueryKey }, outcome: 'delivered' };
    }

    const userIds = stringArray(body.userIds);
    if (!userIds.length) return apiError(400, 'invalidParameter.userIds.empty', 'userIds 不能为空');
    if (userIds.length > 20) return apiError(400, 'invalidParameter.userIds.overMax', 'userIds 最多 20 个');
    const invalid = userIds.filter((id) => knownUsers && !knownUsers.has(id));
    const limited = userIds.filter((id) => !invalid.includes(id) && fake.flowControlledUserIds.has(id));
    const reached = userIds.filter((id) => !invalid.includes(id) && !limited.includes(id));
    if (reached.length) fake.delivered.push({ api: 'oto', ...common, userIds: reached });
    return {
      status: 200,
      body: { processQueryKey, invalidStaffIdList: invalid, flowControlledStaffIdList: limited },
      outcome: reached.length ? 'delivered' : 'rejected',
    };
  }

  function route(req: FakeRequest): Reply {
    const known = req.path === ROBOT_PATH || req.path === TOKEN_PATH || req.path === OTO_PATH || req.path === GROUP_PATH || req.path === SESSION_PATH;
    if (!known) return apiError(404, 'NotFound', `fake DingTalk has no ${req.path}`);
    if (req.method !== 'POST') return apiError(405, 'MethodNotAllowed', `${req.method} ${req.path}`);
    const how = injectedFailure(req);
    if (how) return failureReply(how, req.path);
    if (req.path === ROBOT_PATH) return handleRobot(req);
    if (req.path === SESSION_PATH) return handleSession(req);
    if (req.path === TOKEN_PATH) return handleToken(req);
    return handleApp(req);
  }

  const server = http.createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const rawBody = raw.toString('utf8');
      const attempt: Attempt = {
        id: nextId++,
        method: incoming.method ?? 'GET',
        rawUrl: incoming.url ?? '/',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: incoming.headers,
        rawBody,
        body: parseJson(rawBody),
        bytes: raw.length,
        time: clock(),
        outcome: 'pending',
      };
      fake.attempts.push(attempt);
      const reply = route(attempt);
      attempt.outcome = reply.outcome;
      if (reply.outcome === 'hang') return;
      if (reply.outcome === 'reset') {
        incoming.socket.destroy();
        return;
      }
      const { status, body } = reply as { status: number; body: unknown };
      attempt.status = status;
      attempt.answer = body;
      const write = (): void => {
        if (res.destroyed || res.writableEnded) return;
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      if (fake.delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          write();
        }, fake.delayMs);
        timers.add(timer);
      } else write();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const url = (path: string, query: Record<string, string> = {}): string => {
    const u = new URL(path, baseUrl);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.toString();
  };

  return Object.assign(fake, {
    baseUrl,
    port,
    webhook: url(ROBOT_PATH, { access_token: robotTokens[0] ?? 'robot-token' }),
    appKey,
    appSecret,
    robotCode,
    groupId: groupIds[0] ?? 'cid-fake-group',
    url,
    webhookFor: (token: string) => url(ROBOT_PATH, { access_token: token }),
    sessionWebhook(session: string = crypto.randomBytes(8).toString('hex'), expiresAt?: number) {
      if (expiresAt !== undefined) sessionExpiry.set(session, expiresAt);
      return url(SESSION_PATH, { session });
    },
    expireSession(session: string) {
      expiredSessions.add(session);
    },
    fail(n: number, how: FailHow, scope: FailScope = 'send') {
      if (n > 0) rules.push({ how, scope, remaining: n });
    },
    failUntil(until: number | (() => boolean), how: FailHow, scope: FailScope = 'send') {
      rules.push({ how, scope, until });
    },
    failWhen(predicate: (request: FakeRequest) => boolean, how: FailHow, scope: FailScope = 'send') {
      rules.push({ how, scope, when: predicate });
    },
    clearFailures() {
      rules = [];
    },
    revokeTokens() {
      for (const t of fake.tokensIssued) t.revoked = true;
    },
    async waitForAttempts(count: number, timeoutMs = 2000) {
      const start = Date.now();
      while (fake.attempts.length < count) {
        if (Date.now() - start > timeoutMs) throw new Error(`fake DingTalk: ${fake.attempts.length} of ${count} requests after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    reset() {
      fake.delivered.length = 0;
      fake.attempts.length = 0;
      fake.tokensIssued.length = 0;
      fake.flowControlledUserIds.clear();
      fake.delayMs = options.delayMs ?? 0;
      rules = [];
      accepted.clear();
      throttledUntil.clear();
      seenUuids.clear();
      sessionExpiry.clear();
      expiredSessions.clear();
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The title and text of a robot message, whatever its msgtype. */
function robotContent(body: Record<string, unknown>): { title?: string; text?: string } {
  const part = body[body.msgtype as string];
  if (!isObject(part)) return {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return { title: str(part.title), text: str(part.text) ?? str(part.content) };
}
