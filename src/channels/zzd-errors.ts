/**
 * Reading 浙政钉 open-platform answers. The envelope `{success, content, _RequestId, Code, Message,
 * bizErrorCode, HostId}` is verified in the official SDK (`OapiResponse.java`) [V-sdk]; the SDK also treats
 * HTTP ≥ 300 and 203 as errors and keeps their body (`ExecutableClient.StringResponseHandler`) [V-sdk].
 * No error-code table was found: the classification below goes by the words in the codes and messages
 * (Auth / Signature / Token / 限流 / 繁忙 / 参数 / 重复…) and is inferred [INF].
 */
import { DeliveryError } from './channel';

/** One answer (or failed call) of the gateway, reduced to what classification needs. */
export interface ZzdFailure {
  /** HTTP status, when there was a response. */
  status?: number;
  /** `Code`, or for "Sp" APIs `content.responseCode`. */
  code?: string;
  /** `Message`, or `content.responseMessage`. */
  message?: string;
  bizErrorCode?: string;
  requestId?: string;
}

/**
 * Does the answer say this `bizMsgId` was already accepted ("duplicate" / 重复)? Then the send succeeded before.
 * A repeated nonce or a replayed signature (the gateway's anti-replay check) is not that: it is an auth failure.
 */
export function isDuplicateBizMsgId(f: ZzdFailure): boolean {
  const t = text(f);
  return /duplicat|repeat|重复/i.test(t) && !/nonce|replay|sign|timestamp|随机数|重放|签名|时间戳/i.test(t);
}

/** Does the answer say the access token is invalid or expired (worth fetching a new one once)? */
export function isTokenError(f: ZzdFailure): boolean {
  const t = text(f);
  return /token/i.test(t) && /invalid|illegal|expire|not.?exist|无效|过期|失效|不合法|不存在|错误/i.test(t);
}

const AUTH = /auth|sign|api.?key|app.?key|app.?secret|secret|forbidden|unauthori|permission|denied|access.?key|timestamp|nonce|签名|鉴权|认证|授权|权限|密钥|时间戳|白名单/i;
const THROTTLE = /throttl|flow.?control|rate.?limit|too.?many|qps|frequen|限流|流控|频率|频繁|次数超|超过.*(上限|限制)/i;
/** Limits of one message (its length, its receivers): `超过…限制` then means "too big", not "too fast". */
const TOO_BIG = /too.?long|length|长度|过长|超长|字节|字数|人数/i;
const BUSY = /busy|unavailable|system.?error|internal|timeout|timed.?out|retry|try.?again|繁忙|稍后|系统(异常|错误)|服务(异常|不可用)|超时/i;
const PARAM = /param|argument|invalid|illegal|missing|required|too.?long|exceed|length|format|参数|不合法|不能为空|必填|格式|超长|过长|长度/i;

function text(f: ZzdFailure): string {
  return [f.code, f.bizErrorCode, f.message].filter(Boolean).join(' ');
}

function describe(f: ZzdFailure): { code: string; detail: string } {
  const http = f.status !== undefined ? `HTTP ${f.status}` : undefined;
  const code = f.code || f.bizErrorCode || http || 'UNKNOWN';
  const parts = [code, f.bizErrorCode !== code ? f.bizErrorCode : undefined, f.message, http !== code ? http : undefined];
  if (f.requestId) parts.push(`请求号 ${f.requestId}`);
  return { code, detail: parts.filter(Boolean).join('，') };
}

/**
 * Turns a refused call into the DeliveryError the outbox needs:
 * - HTTP 401/403, Auth / Signature / AppKey / invalid-token codes → `channel` (an admin must fix the credentials,
 *   the server clock or the app's permissions); HTTP 3xx/404/405 → `channel` (ZZD_BASE_URL is wrong);
 * - rate or flow control (HTTP 429) → `throttled`;
 * - HTTP 5xx, system busy, timeouts → `retry`;
 * - parameter errors, and any other refusal → `message` (this message cannot be sent; the others can).
 * @param what what was being done, for the message: `发送工作通知`, `获取 access_token`.
 */
export function classifyZzdFailure(f: ZzdFailure, what: string): DeliveryError {
  const { code, detail } = describe(f);
  const head = `浙政钉${what}失败（${detail}）`;
  const t = text(f);
  if (f.status === 401 || f.status === 403 || isTokenError(f) || AUTH.test(t)) {
    return new DeliveryError(
      'channel',
      code,
      `${head}：应用凭据或签名未通过校验。请检查 ZZD_APP_KEY、ZZD_APP_SECRET、ZZD_TENANT_ID 是否与浙政钉开放平台一致、应用是否已授权工作通知，以及服务器时间是否准确。`,
    );
  }
  if (f.status !== undefined && ((f.status >= 300 && f.status < 400) || f.status === 404 || f.status === 405)) {
    // The gateway answers business errors with `success: false`; a missing path or a redirect means a wrong address.
    return new DeliveryError(
      'channel',
      code,
      `${head}：地址不对，平台上没有这个接口。请检查 ZZD_BASE_URL（正式环境为 https://openplatform-pro.ding.zj.gov.cn，测试环境为 https://openplatform.dg-work.cn）。`,
    );
  }
  if (f.status === 429 || (THROTTLE.test(t) && !TOO_BIG.test(t))) {
    return new DeliveryError('throttled', code, `${head}：平台限流，稍后自动重试。`);
  }
  if ((f.status !== undefined && f.status >= 500) || BUSY.test(t)) {
    return new DeliveryError('retry', code, `${head}：平台暂时不可用，稍后自动重试。`);
  }
  if (PARAM.test(t)) {
    return new DeliveryError('message', code, `${head}：平台认为这条消息的参数有误，这条消息无法发送，其他消息不受影响。`);
  }
  return new DeliveryError('message', code, `${head}：平台拒绝了这条消息，其他消息不受影响。`);
}

/** A call that got no usable answer (network error, timeout, reset, unreadable body) → `retry`. */
export function networkFailure(code: string, reason: string, what: string): DeliveryError {
  return new DeliveryError('retry', code, `浙政钉${what}失败（${code}：${reason}），稍后自动重试。`);
}
