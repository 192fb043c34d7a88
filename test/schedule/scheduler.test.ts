import { cronPattern, Scheduler } from '../../src/schedule/scheduler';

describe('Scheduler', () => {
  it('turns times of day into cron patterns, one job per distinct time', () => {
    expect(cronPattern('09:00')).toBe('0 0 9 * * *');
    expect(cronPattern('17:30')).toBe('0 30 17 * * *');
    const s = new Scheduler({ times: ['09:00', '17:30', '09:00'], timeZone: 'Asia/Shanghai', tick: () => {}, onError: () => {} });
    try {
      expect(s.patterns).toEqual(['0 0 9 * * *', '0 30 17 * * *']);
    } finally {
      s.stop();
    }
  });

  it('fires at the times in Asia/Shanghai although the process runs in UTC', () => {
    const s = new Scheduler({ times: ['09:00', '17:30'], timeZone: 'Asia/Shanghai', tick: () => {}, onError: () => {} });
    try {
      // 2025-09-30 08:00 in Shanghai is 00:00 UTC.
      const runs = s.nextRuns(4, new Date('2025-09-30T00:00:00Z')).map((d) => d.toISOString());
      expect(runs).toEqual(['2025-09-30T01:00:00.000Z', '2025-09-30T09:30:00.000Z', '2025-10-01T01:00:00.000Z', '2025-10-01T09:30:00.000Z']);
      expect(s.nextRun(new Date('2025-09-30T09:31:00Z'))?.toISOString()).toBe('2025-10-01T01:00:00.000Z');
    } finally {
      s.stop();
    }
  });

  it('runs one tick at a time and reports a failing tick without stopping', async () => {
    let release: () => void = () => {};
    let ticks = 0;
    const errors: unknown[] = [];
    const s = new Scheduler({
      times: ['09:00'],
      timeZone: 'Asia/Shanghai',
      tick: async () => {
        ticks++;
        if (ticks === 2) throw new Error('boom');
        await new Promise<void>((r) => (release = r));
      },
      onError: (e) => errors.push(e),
    });
    try {
      const first = s.fire();
      await s.fire(); // still running: skipped
      expect(ticks).toBe(1);
      release();
      await first;
      await s.fire();
      expect(ticks).toBe(2);
      expect(errors).toEqual([new Error('boom')]);
    } finally {
      s.stop();
    }
  });
});
