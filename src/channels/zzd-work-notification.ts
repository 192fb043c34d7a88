/**
 * 浙政钉 work notifications (工作通知): each reminder goes to the people's 浙政钉 accountIds through
 * `POST /message/workNotification`, signed with X-Hmac-Auth (see zzd-sign.ts).
 *
 * Verified [V-sdk] (decompiled `zwdd-sdk-java`): the paths `/gettoken.json` (params `appkey`, `appsecret`) and
 * `/message/workNotification` (params `organizationCodes`, `receiverIds`, `tenantId`, `bizMsgId`, `msg`), the
 * form-urlencoded POST body, the response envelope. Third-party [3P]: `content.data.accessToken` /
 * `expiresIn` (7200 s), `content` = the msgId, the 2,048-byte `msg` limit, ≤ 1,000 receivers, the "重复"
 * answer for a repeated `bizMsgId`. Inferred [INF]: error classification (zzd-errors.ts).
 *
 * `access_token`: the SDK's `OapiMessageWorkNotificationRequest` has no such field and the third-party callers
 * found send work notifications without it (one has it commented out); it is used for the oauth2 login APIs.
 * The X-Hmac-Auth signature alone authenticates the app. So by default no token is fetched or sent; set
 * `sendAccessToken` if the sandbox proves otherwise (the token is then cached, refreshed 5 minutes before it
 * expires, and fetched again once when the platform rejects it).
 */
import axios from 'axios';
import { CHANNEL_LABELS, type Channel, type Clock, DeliveryError, type OutgoingMessage, peopleOf, type Recipient, type SendReceipt, systemClock } from './channel';
import { classifyZzdFailure, isDuplicateBizMsgId, networkFailure, type ZzdFailure } from './zzd-errors';
import { zzdHeaders, zzdParamPairs, type ZzdParams } from './zzd-sign';

export interface ZzdWorkNotificationOptions {
  /** ZZD_BASE_URL: `https://openplatform-pro.ding.zj.gov.cn` (test: `https://openplatform.dg-work.cn`). */
  baseUrl: string;
  appKey: string;
  appSecret: string;
  /** ZZD_TENANT_ID. */
  tenantId: string;
  /** Per request, DINGTALK_TIMEOUT_MS. */
  timeoutMs: number;
  clock?: Clock;
  /** For the nonce's random digits; [0, 1). */
  random?: () => number;
  /** Also fetch an access token and send it as `access_token` (default false, see the file comment). */
  sendAccessToken?: boolean;
  /** Told (in Chinese) about recipients a message could not reach while it reached the others. */
  onWarning?: (text: string) => void;
}

/** Largest `msg` JSON the platform takes, in UTF-8 bytes [3P]. */
export const ZZD_MSG_MAX_BYTES = 2048;
/** Most receivers of one work notification [3P]. */
export const ZZD_MAX_RECEIVERS = 1000;
/** Title + markdown per message: leaves ~500 bytes of the 2,048 for the JSON envelope and escaping. */
export const ZZD_MAX_MARKDOWN_BYTES = 1500;
/** Fetch a new token this long before the cached one expires. */
const TOKEN_EARLY_MS = 5 * 60 * 1000;

const SEND = '发送工作通知';
const TOKEN = '获取 access_token';

type CallResult = { ok: true; content: unknown } | { ok: false; failure: ZzdFailure };

export class ZzdWorkNotificationChannel implements Channel {
  readonly name = 'zzd' as const;
  readonly label = CHANNEL_LABELS.zzd;
  readonly maxMarkdownBytes = ZZD_MAX_MARKDOWN_BYTES;

  private readonly baseUrl: string;
  private readonly clock: Clock;
  private token: { value: string; refreshAt: number } | undefined;
  private tokenPending: Promise<string> | undefined;

  constructor(private readonly options: ZzdWorkNotificationOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
  }

  /** Sends one work notification; a "duplicate bizMsgId" answer means it was accepted before and counts as sent. */
  async send(message: OutgoingMessage): Promise<SendReceipt> {
    const { ids, unreachable } = receiversOf(message);
    const receiverIds = ids.join(',');
    const msg = JSON.stringify({ msgtype: 'markdown', markdown: { title: message.title, text: message.markdown } });
    const bytes = Buffer.byteLength(msg, 'utf8');
    if (bytes > ZZD_MSG_MAX_BYTES) {
      throw new DeliveryError(
        'message',
        'ZZD_MSG_TOO_LONG',
        `浙政钉工作通知的消息内容为 ${bytes} 字节，超过平台上限 ${ZZD_MSG_MAX_BYTES} 字节，无法发送。请缩短标题或正文后重新生成提醒。`,
      );
    }
    for (let attempt = 0; ; attempt++) {
      const accessToken = this.options.sendAccessToken ? await this.accessToken() : undefined;
      const result = await this.call('POST', '/message/workNotification', SEND, {
        tenantId: this.options.tenantId,
        receiverIds,
        bizMsgId: message.key,
        msg,
        access_token: accessToken,
      });
      if (result.ok) {
        this.warnUnreachable(message, unreachable);
        const platformId = msgIdOf(result.content);
        return platformId ? { platformId } : {};
      }
      if (isDuplicateBizMsgId(result.failure)) {
        this.warnUnreachable(message, unreachable);
        return {};
      }
      const error = classifyZzdFailure(result.failure, SEND);
      if (error.kind === 'channel' && accessToken !== undefined && attempt === 0) {
        this.token = undefined;
        continue;
      }
      throw error;
    }
  }

  /** The people without an accountId are left out of a message that reached the others: say so, not silently. */
  private warnUnreachable(message: OutgoingMessage, names: string[]): void {
    if (!names.length) return;
    const whom = message.to.kind === 'unit' ? `${message.to.unit}的联络员` : '';
    this.options.onWarning?.(`${this.label}：“${message.title}”没有发给${whom}${names.join('、')}，因为联络员名单（CONTACTS_FILE）中没有填钉钉ID（浙政钉 accountId），请补填。`);
  }

  /** The app's access token from `/gettoken.json`, cached until 5 minutes before it expires. */
  accessToken(): Promise<string> {
    if (this.token && this.clock() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.tokenPending ??= this.fetchToken().finally(() => {
      this.tokenPending = undefined;
    });
    return this.tokenPending;
  }

  private async fetchToken(): Promise<string> {
    const fetchedAt = this.clock();
    const result = await this.call('GET', '/gettoken.json', TOKEN, { appkey: this.options.appKey, appsecret: this.options.appSecret });
    if (!result.ok) throw classifyZzdFailure(result.failure, TOKEN);
    const data = field(result.content, 'data');
    const value = field(data, 'accessToken');
    if (typeof value !== 'string' || value === '') throw networkFailure('ZZD_BAD_TOKEN', '应答中没有 accessToken', TOKEN);
    const expiresIn = Number(field(data, 'expiresIn')) || 7200;
    const lifetime = expiresIn * 1000;
    this.token = { value, refreshAt: fetchedAt + Math.max(lifetime - TOKEN_EARLY_MS, lifetime / 2) };
    return value;
  }

  /** One signed call; network trouble becomes a `retry` DeliveryError, a refusal a `failure`. */
  private async call(method: 'GET' | 'POST', api: string, what: string, params: ZzdParams): Promise<CallResult> {
    const url = new URL(this.baseUrl + api);
    const pairs = zzdParamPairs(params);
    const headers = zzdHeaders({
      appKey: this.options.appKey,
      secret: this.options.appSecret,
      method,
      path: url.pathname,
      params: pairs,
      now: this.clock(),
      random: this.options.random,
    });
    const form = new URLSearchParams(pairs).toString();
    if (method === 'GET') url.search = form;
    let status: number;
    let body: string;
    try {
      const res = await axios.request<string>({
        method,
        url: url.toString(),
        headers: method === 'POST' ? { ...headers, 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' } : headers,
        data: method === 'POST' ? form : undefined,
        timeout: this.options.timeoutMs,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        responseType: 'text',
        transformResponse: (d: unknown) => d,
        validateStatus: () => true,
        maxRedirects: 0,
      });
      status = res.status;
      body = typeof res.data === 'string' ? res.data : '';
    } catch (e) {
      const err = e as { code?: string; message?: string };
      const timedOut = err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' || err.code === 'ERR_CANCELED';
      const code = timedOut ? 'TIMEOUT' : (err.code ?? 'NETWORK');
      throw networkFailure(code, timedOut ? `${this.options.timeoutMs} 毫秒内没有应答` : (err.message ?? '网络错误'), what);
    }
    return readAnswer(status, body, what);
  }
}

/** Creates the 浙政钉 work-notification channel. */
export function createZzdWorkNotificationChannel(options: ZzdWorkNotificationOptions): ZzdWorkNotificationChannel {
  return new ZzdWorkNotificationChannel(options);
}

/**
 * The distinct accountIds of the destination's people, and the names of those without one; fails for groups and
 * when nobody has an id.
 */
function receiversOf(message: OutgoingMessage): { ids: string[]; unreachable: string[] } {
  const to = message.to;
  if (to.kind === 'group') {
    // Only this message is wrong: the unit reminders queued beside it can still go out.
    throw new DeliveryError(
      'message',
      'ZZD_NO_GROUP',
      '浙政钉工作通知只能发给具体的人，不能发到群：汇总和通报会逐一发给每位领导，请改为按人发送（person）。',
    );
  }
  const people: Recipient[] = peopleOf(to);
  const ids = [...new Set(people.map((p) => p.userId?.trim() ?? '').filter((id) => id !== ''))];
  if (ids.length === 0) {
    const who = to.kind === 'unit' ? `单位“${to.unit}”的联络人` : to.kind === 'people' ? to.label : `“${to.person.name}”`;
    throw new DeliveryError(
      'message',
      'ZZD_NO_RECEIVER',
      `${who}没有填写钉钉ID（浙政钉 accountId），工作通知无法送达。请在联络员名单（CONTACTS_FILE）的“钉钉ID”一栏填写浙政钉 accountId 后重试。`,
    );
  }
  if (ids.length > ZZD_MAX_RECEIVERS) {
    throw new DeliveryError('message', 'ZZD_TOO_MANY_RECEIVERS', `一条浙政钉工作通知最多发给 ${ZZD_MAX_RECEIVERS} 人，这条有 ${ids.length} 人。`);
  }
  return { ids, unreachable: people.filter((p) => (p.userId?.trim() ?? '') === '').map((p) => p.name) };
}

/** Reads the gateway's answer: `success: true` (and, for "Sp" APIs, `content.success` not false) is ok. */
function readAnswer(status: number, body: string, what: string): CallResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const env = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
  const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
  if (!env) {
    if (status >= 200 && status < 300) throw networkFailure('ZZD_BAD_RESPONSE', `应答不是 JSON：${body.slice(0, 100)}`, what);
    return { ok: false, failure: { status } };
  }
  const failure: ZzdFailure = {
    status: status >= 200 && status < 300 && status !== 203 ? undefined : status,
    code: str(env.Code) ?? str(env.code) ?? str(env.errorCode),
    message: str(env.Message) ?? str(env.message) ?? str(env.errorMsg),
    bizErrorCode: str(env.bizErrorCode),
    requestId: str(env._RequestId),
  };
  if (env.success !== true || failure.status !== undefined) return { ok: false, failure };
  const inner = env.content;
  if (field(inner, 'success') === false) {
    return {
      ok: false,
      failure: { ...failure, code: str(field(inner, 'responseCode')) ?? failure.code, message: str(field(inner, 'responseMessage')) ?? failure.message },
    };
  }
  return { ok: true, content: inner };
}

/** The msgId in a work-notification `content`: a plain id, or JSON/objects carrying `msgId` [3P: both seen]. */
function msgIdOf(content: unknown): string | undefined {
  let c = content;
  if (typeof c === 'string') {
    const raw = c;
    try {
      c = JSON.parse(raw);
    } catch {
      return raw || undefined;
    }
  }
  if (typeof c === 'string' || typeof c === 'number') return String(c);
  const id = field(c, 'msgId') ?? field(field(c, 'content'), 'msgId') ?? field(c, 'data');
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}
