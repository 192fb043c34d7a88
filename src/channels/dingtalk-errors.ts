/**
 * What DingTalk's answers mean for the outbox. Two styles of API:
 * - the custom robot (`oapi.dingtalk.com/robot/send`) answers HTTP 200 with `{errcode, errmsg}`, even on failure;
 * - the new OpenAPI (`api.dingtalk.com/v1.0/…`) answers errors as HTTP 4xx/5xx with `{code, message, requestid}`.
 * Every error becomes a DeliveryError whose Chinese message names the code, DingTalk's own text and what to do.
 */
import { DeliveryError } from './channel';
import { snippet } from './http-post';

const ROBOT = '钉钉群机器人';
const APP = '钉钉应用机器人';

const WEBHOOK_FIX = '请检查 DINGTALK_WEBHOOK：应填写群机器人的完整 Webhook 地址（含 access_token=…）；机器人被删除后需重新添加并更新该地址';

/** errcode → [kind, Chinese reason]; 310000 is handled apart because its errmsg tells the cause. */
const ROBOT_CODES: Record<number, [DeliveryError['kind'], string]> = {
  [-1]: ['retry', '钉钉系统繁忙，稍后自动重试'],
  300001: ['channel', `access_token 不存在。${WEBHOOK_FIX}`],
  300005: ['channel', `access_token 不存在（外部群的机器人也会这样回答）。${WEBHOOK_FIX}`],
  400101: ['channel', `access_token 不存在。${WEBHOOK_FIX}`],
  400013: ['channel', '督办群已被解散。请新建群、添加自定义机器人，并更新 DINGTALK_WEBHOOK'],
  400102: ['channel', '机器人已被停用。请群管理员在“群设置 → 机器人”中重新启用它'],
  400106: ['channel', `机器人不存在（可能已被移出群）。${WEBHOOK_FIX}`],
  400105: ['message', '钉钉不支持这种消息类型（程序问题，请联系开发者）'],
  400402: ['message', '消息缺少必要的参数或参数格式不对（程序问题，请联系开发者）'],
  430101: ['message', '消息含有钉钉认为不安全的外链，请修改内容后重发'],
  430102: ['message', '消息含有钉钉认为不合适的文字，请修改内容后重发'],
  430103: ['message', '消息含有钉钉认为不合适的图片，请修改内容后重发'],
  430104: ['message', '消息含有钉钉认为不合适的内容，请修改内容后重发'],
  460101: ['message', '消息超过钉钉 20000 字节的上限，请缩短内容'],
  101002: ['message', '消息超过钉钉的长度上限，请缩短内容'],
  410100: ['throttled', '发送太快被钉钉限流（每个机器人每分钟最多 20 条，超过后限流 10 分钟），稍后自动重发'],
  130101: ['throttled', '发送太快被钉钉限流（每个机器人每分钟最多 20 条，超过后限流 10 分钟），稍后自动重发'],
};

/** The Chinese reason for a `310000` security-check failure, from the substrings of DingTalk's errmsg. */
export function securityReason(errmsg: string): string {
  if (/sign not match|签名不匹配/i.test(errmsg)) {
    return '加签校验失败，签名不匹配。请检查 DINGTALK_SECRET 是否与群机器人“安全设置 → 加签”中的密钥完全一致（以 SEC 开头）；若机器人没有开启加签，请删除 DINGTALK_SECRET';
  }
  if (/invalid timestamp|签名过期|timestamp/i.test(errmsg)) {
    return '钉钉认为签名缺失或已过期。如果机器人的安全设置是“加签”，请设置 DINGTALK_SECRET；已经设置时，是本机时间与钉钉服务器相差超过 1 小时，请校准本机时钟（例如开启 NTP 时间同步）';
  }
  if (/keyword|关键词|关键字/i.test(errmsg)) {
    return '消息中没有机器人设置的自定义关键词。督办的每条消息都含有“督办”二字：请在群机器人的安全设置中把自定义关键词设为“督办”，或改为“加签”并填写 DINGTALK_SECRET';
  }
  if (/\bip\b|白名单|whitelist/i.test(errmsg)) {
    const ip = /\d{1,3}(?:\.\d{1,3}){3}/.exec(errmsg)?.[0];
    return `本机的出口 IP${ip ? ` ${ip}` : ''} 不在机器人的 IP 白名单中。请在群机器人“安全设置 → IP 地址（段）”中加入本机的公网出口 IP`;
  }
  return '没有通过钉钉的安全校验。请检查群机器人的安全设置（自定义关键词、加签或 IP 白名单）与 DINGTALK_SECRET';
}

/** The DeliveryError for a custom-robot `errcode` other than 0. */
export function robotErrcodeError(errcode: number, errmsg: string): DeliveryError {
  const [kind, reason] =
    errcode === 310000
      ? (['channel', securityReason(errmsg)] as const)
      : (ROBOT_CODES[errcode] ?? ['retry', '钉钉返回了不认识的错误码，会再试几次；若一直失败，请按钉钉的说明处理']);
  // An errcode nobody documented is more likely about this message than an outage: a few tries, then give up on it.
  const limit = errcode in ROBOT_CODES || errcode === 310000 ? undefined : UNKNOWN_CODE_ATTEMPTS;
  return new DeliveryError(kind, String(errcode), `${ROBOT}发送失败（错误码 ${errcode}：${errmsg || '无说明'}）：${reason}。`, limit);
}

/** Attempts before a message DingTalk keeps refusing with an unknown errcode is given up. */
export const UNKNOWN_CODE_ATTEMPTS = 6;

/**
 * Classifies a custom-robot answer: `null` when DingTalk accepted the message (HTTP 200, errcode 0), else the
 * DeliveryError. `errcode` is checked on every HTTP 200, since DingTalk reports failures that way.
 */
export function robotAnswerError(status: number, data: unknown, text: string): DeliveryError | null {
  if (status !== 200) return httpStatusError(status, text, ROBOT, WEBHOOK_FIX);
  const body = (data ?? {}) as { errcode?: unknown; errmsg?: unknown };
  const errcode = typeof body.errcode === 'string' && /^-?\d+$/.test(body.errcode) ? Number(body.errcode) : body.errcode;
  if (errcode === 0) return null;
  if (typeof errcode !== 'number') {
    return new DeliveryError('retry', 'HTTP 200', `${ROBOT}发送失败（HTTP 200，但回答不是钉钉的格式：${snippet(text) || '空'}），稍后自动重试。`);
  }
  return robotErrcodeError(errcode, typeof body.errmsg === 'string' ? body.errmsg : '');
}

/**
 * Classifies an HTTP status that is not the platform's normal answer: 5xx and 429 → `retry`; 401/403, 404/405
 * (wrong address) and 3xx → `channel` with `fix`; any other 4xx → `message`.
 */
export function httpStatusError(status: number, text: string, label: string, fix: string): DeliveryError {
  const code = `HTTP ${status}`;
  const head = `${label}发送失败（${code}：${snippet(text) || '无内容'}）：`;
  if (status >= 500 || status === 429 || status < 300) return new DeliveryError('retry', code, `${head}钉钉服务器暂时出错或繁忙，稍后自动重试。`);
  if (status === 401 || status === 403) return new DeliveryError('channel', code, `${head}钉钉拒绝访问。${fix}。`);
  if (status < 400 || status === 404 || status === 405) return new DeliveryError('channel', code, `${head}地址不对。${fix}。`);
  return new DeliveryError('message', code, `${head}钉钉不接受这条消息，这条消息无法发送。`);
}

/** The `{code, message}` of a new-style OpenAPI error answer. */
export interface OpenApiError {
  status: number;
  code: string;
  message: string;
}

/** Reads `{code, message}` from an OpenAPI answer (falls back to the status and the raw text). */
export function openApiError(status: number, data: unknown, text: string): OpenApiError {
  const body = (data ?? {}) as { code?: unknown; message?: unknown };
  return {
    status,
    code: typeof body.code === 'string' && body.code ? body.code : `HTTP ${status}`,
    message: typeof body.message === 'string' ? body.message : snippet(text),
  };
}

const THROTTLE_CODE = /QpsLimit|Throttl|too\.?fast|tooFast|too\.many|flowControl|rateLimit/i;
const AUTH_CODE = /InvalidAuthentication|authFailed|Unauthorized|invalid.?(access.?)?token|token.?(invalid|expired)|access_token/i;

/** Whether an OpenAPI error says the access token is bad (so a fresh token might help). */
export function isOpenApiAuthFailure(e: OpenApiError): boolean {
  if (THROTTLE_CODE.test(e.code)) return false;
  return e.status === 401 || e.status === 403 || AUTH_CODE.test(e.code) || /access_?token/i.test(e.message);
}

/**
 * Classifies a failed OpenAPI call (`/v1.0/robot/…`): throttling codes and 429 → `throttled`; auth failures →
 * `channel` (the adapter refreshes the token once before it gives up); 5xx → `retry`; a wrong robotCode or group
 * id → `channel` naming the setting; any other 4xx → `message`.
 */
export function openApiAnswerError(e: OpenApiError): DeliveryError {
  const head = `${APP}发送失败（${e.status === 200 ? '' : `HTTP ${e.status}，`}错误码 ${e.code}：${e.message || '无说明'}）：`;
  const fail = (kind: DeliveryError['kind'], reason: string): DeliveryError => new DeliveryError(kind, e.code, `${head}${reason}。`);
  if (e.status === 429 || THROTTLE_CODE.test(e.code)) return fail('throttled', '调用太频繁被钉钉限流，稍后自动重发');
  if (e.status >= 500) return fail('retry', '钉钉服务器暂时出错，稍后自动重试');
  if (e.status === 403 && /AccessDenied|Forbidden|permission/i.test(e.code)) {
    return fail('channel', '应用没有调用此接口的权限。请在钉钉开发者后台为应用开通“企业内机器人发送消息”权限（qyapi_robot_sendmsg）并发布新版本');
  }
  if (isOpenApiAuthFailure(e)) {
    return fail('channel', 'access_token 无效，重新获取后仍被拒绝。请检查 DINGTALK_APP_KEY 和 DINGTALK_APP_SECRET');
  }
  if (/robotCode|robot\.?not/i.test(e.code)) {
    return fail('channel', '机器人编码无效。请检查 DINGTALK_ROBOT_CODE（企业内部应用一般与 AppKey 相同），并确认应用已开启机器人能力并发布');
  }
  if (/openConversationId|conversation|group/i.test(e.code)) {
    return fail('channel', '督办群无效或机器人不在群中。请检查 DINGTALK_GROUP_ID（群的 openConversationId），并把应用机器人添加到该群');
  }
  if (e.status >= 400) return fail('message', '钉钉不接受这条消息，这条消息无法发送');
  return fail('retry', '钉钉的回答不是预期的格式，稍后自动重试');
}

/**
 * Classifies a failed `/v1.0/oauth2/accessToken` call: wrong key or secret → `channel`; throttled → `throttled`;
 * 5xx or an odd answer → `retry`.
 */
export function tokenAnswerError(e: OpenApiError): DeliveryError {
  const head = `${APP}获取 access_token 失败（HTTP ${e.status}，错误码 ${e.code}：${e.message || '无说明'}）：`;
  if (e.status === 429 || THROTTLE_CODE.test(e.code)) {
    return new DeliveryError('throttled', e.code, `${head}获取太频繁被钉钉限流，稍后自动重试。`);
  }
  if (e.status >= 400 && e.status < 500) {
    return new DeliveryError('channel', e.code, `${head}请检查 DINGTALK_APP_KEY 和 DINGTALK_APP_SECRET 是否与钉钉开发者后台“凭证与基础信息”中的一致。`);
  }
  return new DeliveryError('retry', e.code, `${head}钉钉服务器暂时出错，稍后自动重试。`);
}
