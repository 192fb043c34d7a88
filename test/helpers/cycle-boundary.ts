/**
 * Tests that run `duban remind` twice expect both runs in the same report cycle. Every cycle (week, month,
 * quarter) turns at midnight in Asia/Shanghai, so such tests first step past a midnight that is seconds away.
 */

/** Shanghai has kept UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Milliseconds until the next midnight in Asia/Shanghai. */
export function msToShanghaiMidnight(now = Date.now()): number {
  return DAY_MS - ((now + SHANGHAI_OFFSET_MS) % DAY_MS);
}

/** Resolves at once, or, within `marginMs` before a Shanghai midnight, a second after it. */
export async function clearOfCycleTurn(marginMs = 20_000): Promise<void> {
  const left = msToShanghaiMidnight();
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 1000));
}

/** Time a beforeEach calling clearOfCycleTurn may take. */
export const CYCLE_TURN_TIMEOUT_MS = 30_000;
