import {
  addDays,
  chineseDate,
  dateInZone,
  dateTimeInZone,
  daysBetween,
  isCivilDate,
  isoWeek,
  isoWeekday,
  timeInZone,
  weekdayName,
} from '../../src/calendar/civil-date';

describe('civil dates', () => {
  it('takes the day in Asia/Shanghai, not in the UTC process zone', () => {
    // 2025-09-30 17:30 UTC is already 1 October in China.
    expect(dateInZone(new Date('2025-09-30T17:30:00Z'), 'Asia/Shanghai')).toBe('2025-10-01');
    expect(dateInZone(new Date('2025-09-30T15:59:59Z'), 'Asia/Shanghai')).toBe('2025-09-30');
    expect(timeInZone(new Date('2025-09-30T01:00:00Z'), 'Asia/Shanghai')).toBe('09:00');
  });

  it('shows date and time in the users\' zone, with seconds when asked', () => {
    const t = Date.parse('2025-09-30T16:05:09Z');
    expect(dateTimeInZone(t, 'Asia/Shanghai')).toBe('2025-10-01 00:05');
    expect(dateTimeInZone(t, 'Asia/Shanghai', { seconds: true })).toBe('2025-10-01 00:05:09');
    expect(dateTimeInZone(t, 'UTC', { seconds: true })).toBe('2025-09-30 16:05:09');
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2025-09-30', '2025-10-09')).toBe(9);
  });

  it.each([
    ['2025-09-29', 1, '星期一'],
    ['2025-09-30', 2, '星期二'],
    ['2025-10-05', 7, '星期日'],
  ])('%s is ISO weekday %i (%s)', (d, n, name) => {
    expect(isoWeekday(d)).toBe(n);
    expect(weekdayName(d)).toBe(name);
  });

  it.each([
    ['2025-09-22', 2025, 39],
    ['2024-12-30', 2025, 1],
    ['2021-01-03', 2020, 53],
    ['2026-01-01', 2026, 1],
  ])('%s is in ISO week %i-W%i', (d, year, week) => {
    expect(isoWeek(d)).toEqual({ year, week });
  });

  it('validates and formats dates', () => {
    expect(isCivilDate('2025-02-29')).toBe(false);
    expect(isCivilDate('2024-02-29')).toBe(true);
    expect(isCivilDate('2025-9-1')).toBe(false);
    expect(chineseDate('2025-09-30')).toBe('2025年9月30日');
  });
});
