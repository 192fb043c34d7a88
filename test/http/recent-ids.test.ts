import { RECENT_IDS_MAX, RECENT_IDS_TTL_MS, RecentIds } from '../../src/http/recent-ids';

describe('RecentIds', () => {
  let now: number;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_700_000_000_000;
  });

  it('defaults to 10,000 ids for 2 hours', () => {
    expect(RECENT_IDS_MAX).toBe(10_000);
    expect(RECENT_IDS_TTL_MS).toBe(2 * 60 * 60 * 1000);
  });

  it('accepts a new id once and refuses it while it is in flight and after it is done', () => {
    const ids = new RecentIds({ clock });
    expect(ids.begin('msg-1')).toBe(true);
    expect(ids.state('msg-1')).toBe('in-flight');
    expect(ids.begin('msg-1')).toBe(false);
    ids.done('msg-1');
    expect(ids.state('msg-1')).toBe('done');
    expect(ids.begin('msg-1')).toBe(false);
    expect(ids.begin('msg-2')).toBe(true);
    expect(ids.size).toBe(2);
  });

  it('forgets an id whose handling failed, so a redelivery is processed', () => {
    const ids = new RecentIds({ clock });
    expect(ids.begin('msg-1')).toBe(true);
    ids.fail('msg-1');
    expect(ids.state('msg-1')).toBeNull();
    expect(ids.begin('msg-1')).toBe(true);
  });

  it('forgets ids after the TTL, counted from when they were handled', () => {
    const ids = new RecentIds({ clock, ttlMs: 1000 });
    ids.begin('a'); // t = 0
    now += 600;
    ids.begin('b'); // t = 600: remembered until 1600
    now += 300;
    ids.done('a'); // t = 900: remembered until 1900
    now += 600; // t = 1500
    expect(ids.begin('a')).toBe(false);
    expect(ids.state('b')).toBe('in-flight');
    now += 200; // t = 1700
    expect(ids.state('b')).toBeNull();
    expect(ids.begin('b')).toBe(true);
    expect(ids.begin('a')).toBe(false);
    now += 1000;
    expect(ids.begin('a')).toBe(true);
  });

  it('keeps at most max ids, dropping the oldest first', () => {
    const ids = new RecentIds({ clock, max: 3 });
    for (const id of ['a', 'b', 'c', 'd']) expect(ids.begin(id)).toBe(true);
    expect(ids.size).toBe(3);
    expect(ids.state('a')).toBeNull();
    expect(ids.begin('b')).toBe(false);
    ids.done('b'); // now the newest
    ids.begin('e');
    expect(ids.state('c')).toBeNull();
    expect(ids.state('b')).toBe('done');
  });

  it('stays bounded under a flood of distinct ids', () => {
    const ids = new RecentIds({ clock, max: 100 });
    for (let i = 0; i < 5000; i++) {
      ids.begin(`m${i}`);
      if (i % 2) ids.done(`m${i}`);
    }
    expect(ids.size).toBe(100);
    expect(ids.begin('m4999')).toBe(false);
  });
});
