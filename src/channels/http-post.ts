/**
 * A small axios wrapper shared by the platform adapters: POST JSON, never throw on an HTTP status (the adapter
 * classifies every answer itself), and turn network failures (timeout, refused, reset, DNS) into a `retry`
 * DeliveryError with a Chinese explanation. Platform-neutral: the 浙政钉 adapter can use it too.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import axios, { AxiosError } from 'axios';
import { DeliveryError } from './channel';

/** An HTTP answer, whatever its status. */
export interface HttpAnswer {
  status: number;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  data: unknown;
  /** The raw body text (for error messages). */
  text: string;
}

export interface PostOptions {
  /** Gives up (kind `retry`) when the whole exchange takes longer than this. */
  timeoutMs: number;
  headers?: Record<string, string>;
  /** The channel's Chinese name, used in error messages (钉钉群机器人…). */
  label: string;
  /** Ends the request early (the program is stopping); it then fails with code `ABORTED`. */
  signal?: AbortSignal;
}

/**
 * Connections are kept open between requests: a reply to a chat message or the next reminder reuses the TLS
 * connection to DingTalk instead of opening one each time (a handshake costs more than the request).
 */
const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 16, timeout: 60_000 };
const httpAgent = new http.Agent(KEEP_ALIVE);
const httpsAgent = new https.Agent(KEEP_ALIVE);

/**
 * POSTs `body` as UTF-8 JSON and resolves with the answer whatever its HTTP status.
 * @throws DeliveryError kind `retry` when no answer came (see `networkError`).
 */
export async function postJson(url: string, body: unknown, options: PostOptions): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const deadline = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const res = await axios.post<string>(url, JSON.stringify(body), {
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json', ...options.headers },
      timeout: options.timeoutMs,
      signal: deadline,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      httpAgent,
      httpsAgent,
    });
    const text = typeof res.data === 'string' ? res.data : '';
    return { status: res.status, data: parseJson(text), text };
  } catch (err) {
    if (options.signal?.aborted) throw new DeliveryError('retry', 'ABORTED', `${options.label}：程序正在停止，请求已取消。`);
    throw networkError(err, new URL(url).host, options);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Turns an error from axios (or node:net) into a `retry` DeliveryError naming the host; errors that are not
 * network errors (bugs) are returned unchanged so they are not retried forever.
 */
export function networkError(err: unknown, host: string, options: Pick<PostOptions, 'timeoutMs' | 'label'>): unknown {
  if (!(err instanceof AxiosError) && !isNodeNetError(err)) return err;
  const code = (err as { code?: string }).code ?? 'ERR_NETWORK';
  const text = (err as Error).message;
  const retry = (why: string, shownCode = code, detail: string | null = text): DeliveryError =>
    new DeliveryError('retry', shownCode, `${options.label}：${why}（${detail ? `${shownCode}：${detail}` : shownCode}），稍后自动重试。`);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED' || /timeout/i.test(text)) {
    // The library's own words ("canceled", "timeout of 10000ms exceeded") add nothing to the Chinese reason.
    return retry(`${host} 在 ${options.timeoutMs} 毫秒内没有应答`, 'ETIMEDOUT', null);
  }
  if (code === 'ECONNREFUSED') return retry(`无法连接 ${host}，连接被拒绝；若一直如此，请检查网络或地址是否正确`);
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(text)) {
    return retry(`与 ${host} 的连接被中断`, code === 'EPIPE' ? code : 'ECONNRESET');
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return retry(`找不到 ${host} 的地址，请检查本机的网络和 DNS 设置`);
  return retry(`访问 ${host} 时网络出错`);
}

function isNodeNetError(err: unknown): boolean {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** The first `max` characters of a body, for error messages. */
export function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
