/**
 * 浙政钉 (专有钉钉 / GovDD) open-platform request signing, the `X-Hmac-Auth` scheme of the official
 * `zwdd-sdk-java` (`com.alibaba.xxpt.gateway.shared.client.sign.Signature`, `AbstractRequest`,
 * `GetRequest`, `PostRequest`), reimplemented from the protocol notes.
 *
 * Verified in the decompiled official SDK [V-sdk]: the header names, the string to sign
 * `METHOD\nTIMESTAMP\nNONCE\nPATH[\nk=v&…]`, the case-insensitive key order, one `k=v` per value of a
 * repeated key (values sorted), dropping empty parameters from both signature and request, signing RAW
 * (not URL-encoded) values, base64(HMAC-SHA256(AppSecret)), the joda ISO-8601 timestamp with milliseconds
 * and offset. Inferred [INF]: that the gateway accepts exactly this (no published vector; validate once
 * against the dg-work sandbox), its clock-skew window (the fake server uses 15 minutes), and that
 * `X-Hmac-Auth-IP` / `X-Hmac-Auth-MAC` are not checked.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';

/** Request parameters: query fields of a GET, form fields of a POST. `null`/`undefined`/blank values are dropped. */
export type ZzdParams = Readonly<Record<string, string | number | readonly (string | number)[] | null | undefined>>;

/** What the signature covers. */
export interface ZzdSignInput {
  /** `GET` or `POST`. */
  method: string;
  /** `X-Hmac-Auth-Timestamp`, e.g. `2024-01-01T12:00:00.000+08:00`. */
  timestamp: string;
  /** `X-Hmac-Auth-Nonce`. */
  nonce: string;
  /** URI path only, without host or query: `/gettoken.json`. */
  path: string;
  /** Every parameter, or a list of pairs as received (repeated keys allowed). */
  params?: ZzdParams | Iterable<readonly [string, string]>;
}

/** Header names, as the SDK writes them (HTTP header names are case-insensitive). */
export const ZZD_HEADER = {
  apiKey: 'apiKey',
  timestamp: 'X-Hmac-Auth-Timestamp',
  version: 'X-Hmac-Auth-Version',
  nonce: 'X-Hmac-Auth-Nonce',
  signature: 'X-Hmac-Auth-Signature',
  ip: 'X-Hmac-Auth-IP',
  mac: 'X-Hmac-Auth-MAC',
} as const;

const isBlank = (s: string): boolean => s.trim() === '';

/**
 * The parameters that are actually sent, as `[key, value]` pairs in input order: pairs with an empty key or a
 * blank value are dropped, as the SDK's `GetRequest`/`PostRequest.addParameter` do before they sign.
 */
export function zzdParamPairs(params: ZzdSignInput['params']): [string, string][] {
  const out: [string, string][] = [];
  if (!params) return out;
  const add = (k: string, v: unknown): void => {
    if (v === null || v === undefined) return;
    const s = String(v);
    if (k !== '' && !isBlank(s)) out.push([k, s]);
  };
  if (Symbol.iterator in params) {
    for (const [k, v] of params as Iterable<readonly [string, string]>) add(k, v);
  } else {
    for (const [k, v] of Object.entries(params as ZzdParams)) {
      if (Array.isArray(v)) for (const item of v as readonly unknown[]) add(k, item);
      else add(k, v);
    }
  }
  return out;
}

/** One UTF-16 unit folded the way Java's `Character.toUpperCase` then `toLowerCase` compare it. */
function fold(c: string, f: 'toUpperCase' | 'toLowerCase'): string {
  const r = c[f]();
  return r.length === 1 ? r : c;
}

/** Java's `String.CASE_INSENSITIVE_ORDER`: char by char, upper-cased, then lower-cased, then by length. */
export function compareCaseInsensitive(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a[i] as string;
    let y = b[i] as string;
    if (x === y) continue;
    x = fold(x, 'toUpperCase');
    y = fold(y, 'toUpperCase');
    if (x === y) continue;
    x = fold(x, 'toLowerCase');
    y = fold(y, 'toLowerCase');
    if (x !== y) return x.charCodeAt(0) - y.charCodeAt(0);
  }
  return a.length - b.length;
}

/**
 * The `k=v&k=v` part of the string to sign ('' when there are no parameters): keys in case-insensitive order
 * (keys equal but for case are merged under the first spelling, as in Java's case-insensitive TreeMap), a
 * repeated key gives one `k=v` per value with the values sorted, values RAW (not URL-encoded).
 * @example zzdCanonicalParams({ b: '2', A: '1', c: ['z', 'y'], d: '' }) === 'A=1&b=2&c=y&c=z'
 */
export function zzdCanonicalParams(params: ZzdSignInput['params']): string {
  const groups: { key: string; values: string[] }[] = [];
  for (const [k, v] of zzdParamPairs(params)) {
    const g = groups.find((x) => compareCaseInsensitive(x.key, k) === 0);
    if (g) g.values.push(v);
    else groups.push({ key: k, values: [v] });
  }
  groups.sort((x, y) => compareCaseInsensitive(x.key, y.key));
  const parts: string[] = [];
  for (const g of groups) {
    const values = g.values.length > 1 ? [...g.values].sort() : g.values;
    for (const v of values) parts.push(`${g.key}=${v}`);
  }
  return parts.join('&');
}

/** `METHOD\nTIMESTAMP\nNONCE\nPATH`, plus `\nPARAMS` when there are parameters. */
export function zzdStringToSign(input: ZzdSignInput): string {
  const params = zzdCanonicalParams(input.params);
  const head = `${input.method}\n${input.timestamp}\n${input.nonce}\n${input.path}`;
  return params ? `${head}\n${params}` : head;
}

/**
 * `X-Hmac-Auth-Signature`: base64 HMAC-SHA256 of the string to sign, keyed with the AppSecret.
 * @example zzdSignature({ secret: 'test-app-secret', method: 'GET', timestamp: '2024-01-01T12:00:00.000+08:00',
 *   nonce: '17040816000001234', path: '/gettoken.json', params: { appkey: 'test-app-key', appsecret: 'test-app-secret' } })
 *   === 'bX0UP06Squjab+UocSxoNEoxSG1M7PFJzmBsD2LV+rM='
 */
export function zzdSignature(input: ZzdSignInput & { secret: string }): string {
  return createHmac('sha256', Buffer.from(input.secret, 'utf8')).update(zzdStringToSign(input), 'utf8').digest('base64');
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/**
 * `X-Hmac-Auth-Timestamp` for an instant: ISO-8601 with milliseconds in China time (+08:00), like joda's
 * `ISODateTimeFormat.dateTime()` on a server in Asia/Shanghai. Pure arithmetic, independent of the process TZ.
 * @example zzdTimestamp(Date.UTC(2024, 0, 1, 4)) === '2024-01-01T12:00:00.000+08:00'
 */
export function zzdTimestamp(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().replace(/Z$/, '+08:00');
}

/** `X-Hmac-Auth-Nonce`: the 13-digit millisecond timestamp and 4 random digits (`random` returns [0, 1)). */
export function zzdNonce(ms: number, random: () => number = Math.random): string {
  const digits = Math.min(9999, Math.max(0, Math.floor(random() * 10000)));
  return `${Math.floor(ms)}${String(digits).padStart(4, '0')}`;
}

let cachedHost: { ip: string; mac: string } | undefined;

/** This host's first external IPv4 address and its MAC, sent in `X-Hmac-Auth-IP`/`-MAC` as the SDK does. */
export function localHostAddress(): { ip: string; mac: string } {
  if (cachedHost) return cachedHost;
  cachedHost = { ip: '127.0.0.1', mac: '00:00:00:00:00:00' };
  for (const list of Object.values(networkInterfaces())) {
    const found = list?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) {
      cachedHost = { ip: found.address, mac: found.mac };
      break;
    }
  }
  return cachedHost;
}

/** Everything needed to sign one request. */
export interface ZzdHeaderInput {
  appKey: string;
  secret: string;
  method: 'GET' | 'POST';
  path: string;
  params?: ZzdSignInput['params'];
  /** Milliseconds since the epoch (from the injected clock). */
  now: number;
  /** For the nonce's 4 random digits; injectable for tests. */
  random?: () => number;
  ip?: string;
  mac?: string;
}

/** The seven `X-Hmac-Auth` headers for one request, computed fresh (never reuse them for another request). */
export function zzdHeaders(input: ZzdHeaderInput): Record<string, string> {
  const timestamp = zzdTimestamp(input.now);
  const nonce = zzdNonce(input.now, input.random);
  const host = input.ip && input.mac ? { ip: input.ip, mac: input.mac } : localHostAddress();
  const signature = zzdSignature({ secret: input.secret, method: input.method, timestamp, nonce, path: input.path, params: input.params });
  return {
    [ZZD_HEADER.apiKey]: input.appKey,
    [ZZD_HEADER.timestamp]: timestamp,
    [ZZD_HEADER.version]: '1.0',
    [ZZD_HEADER.nonce]: nonce,
    [ZZD_HEADER.signature]: signature,
    [ZZD_HEADER.ip]: input.ip ?? host.ip,
    [ZZD_HEADER.mac]: input.mac ?? host.mac,
  };
}

/** Why a request's signature was refused. */
export type ZzdVerifyFailure = 'missing-header' | 'api-key' | 'bad-timestamp' | 'stale-timestamp' | 'signature';

/** A received request, as a gateway sees it. */
export interface ZzdVerifyInput {
  appKey: string;
  secret: string;
  method: string;
  path: string;
  /** The received query (GET) or form (POST) parameters, decoded. */
  params: ZzdSignInput['params'];
  /** Received headers; names in any case (Node gives them lower-cased). */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The verifier's clock, in ms. */
  now: number;
  /** Largest accepted |now − timestamp|; 15 minutes unless told [INF: the real window is undocumented]. */
  maxSkewMs?: number;
}

/**
 * Checks a received request's X-Hmac-Auth headers the way the gateway would: recomputes the signature from the
 * received method, path and parameters, compares in constant time, and rejects a timestamp too far from `now`.
 */
export function verifyZzdSignature(input: ZzdVerifyInput): { ok: true } | { ok: false; reason: ZzdVerifyFailure } {
  const header = (name: string): string | undefined => {
    const lower = name.toLowerCase();
    const hit = Object.entries(input.headers).find(([k]) => k.toLowerCase() === lower)?.[1];
    return typeof hit === 'string' ? hit : hit?.[0];
  };
  const apiKey = header(ZZD_HEADER.apiKey);
  const timestamp = header(ZZD_HEADER.timestamp);
  const nonce = header(ZZD_HEADER.nonce);
  const signature = header(ZZD_HEADER.signature);
  if (!apiKey || !timestamp || !nonce || !signature) return { ok: false, reason: 'missing-header' };
  if (apiKey !== input.appKey) return { ok: false, reason: 'api-key' };
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:\d\d)$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return { ok: false, reason: 'bad-timestamp' };
  if (Math.abs(input.now - at) > (input.maxSkewMs ?? 15 * 60 * 1000)) return { ok: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(
    zzdSignature({ secret: input.secret, method: input.method, timestamp, nonce, path: input.path, params: input.params }),
  );
  const got = Buffer.from(signature);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return { ok: false, reason: 'signature' };
  return { ok: true };
}
