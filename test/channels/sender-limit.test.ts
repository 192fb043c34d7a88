import { SenderLimit, WINDOW_MS } from '../../src/channels/sender-limit';

describe('SenderLimit', () => {
  let now: number;
  const clock = (): number => now;
  beforeEach(() => {
    now = Date.UTC(2026, 0, 5, 1, 0, 0);
  });

  it('lets perMinute messages of one sender through, drops the rest and asks to notify once', () => {
    const limit = new SenderLimit({ perMinute: 3, clock });
    const verdicts = Array.from({ length: 6 }, () => {
      now += 1_000;
      return limit.check('u1');
    });
    expect(verdicts).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
      { allowed: false, notify: true },
      { allowed: false, notify: false },
      { allowed: false, notify: false },
    ]);
  });

  it('counts each sender on its own', () => {
    const limit = new SenderLimit({ perMinute: 2, clock });
    expect([limit.check('a'), limit.check('a'), limit.check('a')].map((v) => v.allowed)).toEqual([true, true, false]);
    expect(limit.check('b')).toEqual({ allowed: true });
  });

  it('is a rolling minute: a slot frees exactly a minute after the message that took it', () => {
    const limit = new SenderLimit({ perMinute: 2, clock });
    const start = now;
    expect(limit.check('u').allowed).toBe(true);
    now = start + 30_000;
    expect(limit.check('u').allowed).toBe(true);
    now = start + WINDOW_MS - 1;
    expect(limit.check('u')).toEqual({ allowed: false, notify: true });
    now = start + WINDOW_MS;
    expect(limit.check('u').allowed).toBe(true);
    // The second message (at +30 s) still holds its slot.
    expect(limit.check('u')).toEqual({ allowed: false, notify: false });
  });

  it('notifies again only a minute after the last notice', () => {
    const limit = new SenderLimit({ perMinute: 1, clock });
    limit.check('u');
    const notices: boolean[] = [];
    for (let i = 0; i < 200; i++) {
      now += 1_000;
      const v = limit.check('u');
      notices.push(!v.allowed && v.notify);
    }
    // A message every second: one allowed per minute, one notice in each minute after the first allowed one.
    const told = notices.filter(Boolean).length;
    expect(told).toBeGreaterThanOrEqual(3);
    expect(told).toBeLessThanOrEqual(4);
    const indexes = notices.flatMap((n, i) => (n ? [i] : []));
    for (let i = 1; i < indexes.length; i++) expect(indexes[i]! - indexes[i - 1]!).toBeGreaterThanOrEqual(60);
  });

  it('forgets senders idle for a minute', () => {
    const limit = new SenderLimit({ perMinute: 5, clock });
    for (let i = 0; i < 1_000; i++) limit.check(`sender-${i}`);
    expect(limit.size).toBe(1_000);
    now += WINDOW_MS + 1_000;
    limit.check('someone-new');
    expect(limit.size).toBe(1);
  });

  it('remembers at most maxSenders, dropping the least recently seen', () => {
    const limit = new SenderLimit({ perMinute: 1, clock, maxSenders: 100 });
    limit.check('flooder');
    for (let i = 0; i < 500; i++) {
      limit.check(`sender-${i}`);
      if (i % 10 === 0) expect(limit.check('flooder').allowed).toBe(false);
    }
    expect(limit.size).toBeLessThanOrEqual(100);
    // The flooder, seen recently, is still counted.
    expect(limit.check('flooder').allowed).toBe(false);
  });
});
