/** Exponential backoff with jitter for retries of one message. */

export interface BackoffPolicy {
  /** Delay before the first retry. */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** Throttling answers (the platform's rate limit) wait at least this long. */
  throttleMinMs: number;
}

/**
 * Retries start after about 2 s and double up to 10 minutes. A throttling answer waits at least a minute: DingTalk
 * blocks a robot for up to 10 minutes after it sent too fast, so the first retries after that are spaced out and
 * the doubling soon reaches the 10 minutes, a few attempts in all rather than a hot loop.
 */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 10 * 60_000, throttleMinMs: 60_000 };

/**
 * The delay after the `attempt`-th failed attempt (1-based): base × 2^(attempt−1), capped, then "equal jitter"
 * (between half and all of it) so that many senders recovering together do not retry in step.
 * `random` is injectable for tests and returns a number in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  throttled: boolean,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const jittered = exp / 2 + (exp / 2) * random();
  return Math.round(throttled ? Math.max(jittered, policy.throttleMinMs) : jittered);
}
