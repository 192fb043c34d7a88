/**
 * A fake 浙政钉 open platform on 127.0.0.1: a real node:http server that checks every request's X-Hmac-Auth
 * headers as the gateway would (signature recomputed from the received method, path and parameters; timestamp
 * within 15 minutes of its own clock), and answers `/gettoken.json` and `/message/workNotification`.
 * Error bodies follow the envelope `{success:false, Code, Message, _RequestId, bizErrorCode}`; the codes and
 * messages themselves are made up [INF: no error table was found].
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Clock } from '../../src/channels/channel';
import { verifyZzdSignature, type ZzdVerifyFailure } from '../../src/channels/zzd-sign';

/** Platform-style error bodies for `fail()` and the fake's own refusals. */
export const ZZD_ERROR = {
  busy: { Code: 'ServiceUnavailable', Message: '系统繁忙，请稍后重试' },
  throttled: { Code: 'Throttling.User', Message: '请求过于频繁，触发限流' },
  param: { Code: 'InvalidParameter', Message: '参数不合法：receiverIds' },
  signature: { Code: 'InvalidSignature', Message: '签名校验失败' },
  apiKey: { Code: 'InvalidApiKey', Message: 'apiKey 不存在' },
  timestamp: { Code: 'InvalidTimestamp', Message: '时间戳已过期' },
  token: { Code: 'InvalidAccessToken', Message: 'access_token 无效或已过期' },
  tenant: { Code: 'InvalidParameter.TenantId', Message: 'tenantId 不正确' },
  msgTooLong: { Code: 'InvalidParameter.Msg', Message: 'msg 超过长度限制' },
  duplicate: { Code: 'BizMsgIdDuplicate', Message: 'bizMsgId 重复' },
} as const;

export interface ZzdErrorBody {
  Code: string;
  Message: string;
  bizErrorCode?: string;
}

/** How the next requests fail: a platform error (HTTP 200 unless `status`), HTTP 500, no answer, or a reset. */
export type ZzdFailMode = { status?: number; body: ZzdErrorBody } | 'http500' | 'hang' | 'reset';

export interface FakeZzdOptions {
  appKey?: string;
  appSecret?: string;
  tenantId?: string;
  /** The server's clock, for timestamps and token expiry. */
  clock?: Clock;
  /** Accepted |clock − X-Hmac-Auth-Timestamp|; 15 minutes. */
  maxSkewMs?: number;
  /** Token lifetime in seconds; 7200. */
  tokenTtlSeconds?: number;
  /** Refuse work notifications without `access_token` (the real need is unknown); false. */
  requireToken?: boolean;
}

export interface ZzdAttempt {
  method: string;
  path: string;
  /** Decoded query or form parameters (the last value of a repeated key). */
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** `ok`, the signature check's failure, or the reason it was refused. */
  verdict: 'ok' | ZzdVerifyFailure | 'token' | 'tenant' | 'param' | 'msg-too-long' | 'duplicate' | 'injected' | 'not-found';
}

export interface ZzdDelivery {
  bizMsgId: string;
  receiverIds: string[];
  msg: unknown;
  msgId: string;
  accessToken?: string;
}

export interface FakeZzd {
  /** `http://127.0.0.1:PORT`, to pass as baseUrl. */
  readonly url: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly tenantId: string;
  /** Work notifications accepted, once per bizMsgId. */
  readonly delivered: ZzdDelivery[];
  /** Every request received, in order. */
  readonly attempts: ZzdAttempt[];
  /** Tokens handed out by `/gettoken.json`, in order. */
  readonly tokens: string[];
  /** Makes the next `n` requests to `path` (default `/message/workNotification`) fail as `how`. */
  fail(n: number, how: ZzdFailMode, path?: string): void;
  /** Forgets every token issued (the platform revoked them). */
  revokeTokens(): void;
  /** Stops listening and destroys every connection, hanging ones included. */
  close(): Promise<void>;
}

/** Starts the fake server on 127.0.0.1, on a free port. */
export async function startFakeZzd(options: FakeZzdOptions = {}): Promise<FakeZzd> {
  const appKey = options.appKey ?? 'test-app-key';
  const appSecret = options.appSecret ?? 'test-app-secret';
  const tenantId = options.tenantId ?? '196729';
  const clock = options.clock ?? Date.now;
  const ttl = (options.tokenTtlSeconds ?? 7200) * 1000;
  const delivered: ZzdDelivery[] = [];
  const attempts: ZzdAttempt[] = [];
  const tokens: string[] = [];
  const liveTokens = new Map<string, number>();
  const failures: { path: string; how: ZzdFailMode }[] = [];
  const sockets = new Set<Socket>();
  let seq = 0;

  const reply = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: http.ServerResponse, status: number, err: ZzdErrorBody): void =>
    reply(res, status, { success: false, ...err, _RequestId: `req-${++seq}`, HostId: '127.0.0.1' });

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const received = method === 'POST' ? new URLSearchParams(raw) : url.searchParams;
    const attempt: ZzdAttempt = { method, path: url.pathname, params: Object.fromEntries(received), headers: req.headers, verdict: 'ok' };
    attempts.push(attempt);

    const i = failures.findIndex((f) => f.path === url.pathname);
    if (i >= 0) {
      const how = (failures.splice(i, 1)[0] as { how: ZzdFailMode }).how;
      attempt.verdict = 'injected';
      if (how === 'hang') return;
      if (how === 'reset') return void req.socket.destroy();
      if (how === 'http500') return void refuse(res, 500, { Code: 'InternalError', Message: 'Internal Server Error' });
      return void refuse(res, how.status ?? 200, how.body);
    }

    const check = verifyZzdSignature({
      appKey,
      secret: appSecret,
      method,
      path: url.pathname,
      params: [...received],
      headers: req.headers,
      now: clock(),
      maxSkewMs: options.maxSkewMs,
    });
    if (!check.ok) {
      attempt.verdict = check.reason;
      const err = check.reason === 'api-key' ? ZZD_ERROR.apiKey : check.reason.endsWith('timestamp') ? ZZD_ERROR.timestamp : ZZD_ERROR.signature;
      return void refuse(res, 401, err);
    }
    const p = attempt.params;

    if (url.pathname === '/gettoken.json' && method === 'GET') {
      if (p.appkey !== appKey || p.appsecret !== appSecret) return void refuse(res, 200, ZZD_ERROR.apiKey);
      const token = `token-${tokens.length + 1}`;
      tokens.push(token);
      liveTokens.set(token, clock() + ttl);
      return void reply(res, 200, {
        success: true,
        content: { success: true, data: { accessToken: token, expiresIn: ttl / 1000 }, responseCode: '0', responseMessage: 'OK' },
        _RequestId: `req-${++seq}`,
      });
    }

    if (url.pathname === '/message/workNotification' && method === 'POST') {
      const token = p.access_token;
      if (token !== undefined || options.requireToken) {
        const until = token === undefined ? undefined : liveTokens.get(token);
        if (until === undefined || clock() >= until) {
          attempt.verdict = 'token';
          return void refuse(res, 200, ZZD_ERROR.token);
        }
      }
      if (p.tenantId !== tenantId) {
        attempt.verdict = 'tenant';
        return void refuse(res, 200, ZZD_ERROR.tenant);
      }
      const msg = p.msg ?? '';
      if (!p.receiverIds || !p.bizMsgId || !msg) {
        attempt.verdict = 'param';
        return void refuse(res, 200, ZZD_ERROR.param);
      }
      if (Buffer.byteLength(msg, 'utf8') > 2048) {
        attempt.verdict = 'msg-too-long';
        return void refuse(res, 200, ZZD_ERROR.msgTooLong);
      }
      if (delivered.some((d) => d.bizMsgId === p.bizMsgId)) {
        attempt.verdict = 'duplicate';
        return void refuse(res, 200, ZZD_ERROR.duplicate);
      }
      const msgId = `msg-${delivered.length + 1}`;
      delivered.push({ bizMsgId: p.bizMsgId, receiverIds: p.receiverIds.split(','), msg: JSON.parse(msg), msgId, accessToken: token });
      return void reply(res, 200, { success: true, content: msgId, _RequestId: `req-${++seq}` });
    }

    attempt.verdict = 'not-found';
    refuse(res, 404, { Code: 'ApiNotFound', Message: `API 不存在：${url.pathname}` });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    appKey,
    appSecret,
    tenantId,
    delivered,
    attempts,
    tokens,
    fail(n, how, path = '/message/workNotification') {
      for (let k = 0; k < n; k++) failures.push({ path, how });
    },
    revokeTokens() {
      liveTokens.clear();
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
