/**
 * DingTalk's HMAC signature, used twice: the custom group robot's 加签 (`timestamp` and `sign` in the webhook URL)
 * and the app robot's HTTP callback (`timestamp` and `sign` headers, keyed with the AppSecret). Both compute
 * `base64(HMAC_SHA256(key = secret, msg = timestamp + "\n" + secret))` with the timestamp in milliseconds.
 */
import * as crypto from 'node:crypto';

/** DingTalk rejects a signature whose timestamp is more than one hour from its own clock. */
export const SIGN_MAX_SKEW_MS = 60 * 60 * 1000;

/**
 * The raw base64 signature for `timestampMs`. It is NOT URL-encoded: put it in the URL with `URLSearchParams`
 * (which encodes it exactly once), or compare it with a callback's `sign` header as is.
 * @example robotSign('SECb909…5c68', 1582163555000) === 'BQKsG+QOCl+bYJOLc6pxDHxjVquzlZPWgvRzeN2J5zY='
 */
export function robotSign(secret: string, timestampMs: number | string): string {
  return crypto.createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/**
 * Whether `sign` is the signature of `timestamp` under `secret`, compared in constant time. It does not look at
 * the clock: check the timestamp with `isFreshTimestamp` too.
 */
export function verifySign(secret: string, timestamp: number | string, sign: string): boolean {
  if (!/^\d+$/.test(String(timestamp))) return false;
  const expected = Buffer.from(robotSign(secret, timestamp), 'utf8');
  const given = Buffer.from(sign, 'utf8');
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

/** Whether a millisecond timestamp (number or decimal string) is within `maxSkewMs` of `nowMs`, either way. */
export function isFreshTimestamp(timestamp: number | string, nowMs: number, maxSkewMs = SIGN_MAX_SKEW_MS): boolean {
  const text = String(timestamp);
  if (!/^\d{1,16}$/.test(text)) return false;
  return Math.abs(nowMs - Number(text)) <= maxSkewMs;
}
