import { getDayDetail, isWorkday as packageIsWorkday } from 'chinese-days';
import { addDays, isoWeekday, makeDate, type CivilDate } from '../../src/calendar/civil-date';
import { WorkdayCalendar, type CalendarExtras } from '../../src/calendar/workday-calendar';

/** Hand-built extras (the file parser has its own tests). */
function extras(holidays: [CivilDate, string][], workdays: [CivilDate, string][], years: number[] = []): CalendarExtras {
  return { file: 'data/calendar.yaml', years: new Set(years), holidays: new Map(holidays), workdays: new Map(workdays) };
}

function range(from: CivilDate, to: CivilDate): CivilDate[] {
  const days: CivilDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

const calendar = WorkdayCalendar.create();

describe('WorkdayCalendar with the chinese-days data', () => {
  it('derives the packaged years from the data', () => {
    expect(calendar.packagedYears).toEqual({ first: 2004, last: 2026 });
    expect(calendar.hasData(2004)).toBe(true);
    expect(calendar.hasData(2026)).toBe(true);
    expect(calendar.hasData(2003)).toBe(false);
  });

  it('knows National Day and Mid-Autumn 2025 (1–8 October off, 28 September and 11 October worked)', () => {
    for (const d of range('2025-10-01', '2025-10-08')) expect(calendar.isWorkday(d)).toBe(false);
    expect(isoWeekday('2025-09-28')).toBe(7);
    expect(isoWeekday('2025-10-11')).toBe(6);
    expect(calendar.isWorkday('2025-09-28')).toBe(true);
    expect(calendar.isWorkday('2025-10-11')).toBe(true);
    expect(calendar.isWorkday('2025-10-12')).toBe(false);
    expect(calendar.isWorkday('2025-09-30')).toBe(true);
  });

  it('names the day: the whole holiday block, make-up workdays, weekends, ordinary days', () => {
    expect(calendar.dayName('2025-10-01')).toBe('国庆节、中秋节');
    expect(calendar.dayName('2025-10-06')).toBe('国庆节、中秋节');
    expect(calendar.dayName('2026-02-17')).toBe('春节');
    expect(calendar.dayName('2026-01-01')).toBe('元旦');
    expect(calendar.dayName('2026-04-05')).toBe('清明节');
    expect(calendar.dayName('2025-09-28')).toBe('调休上班');
    expect(calendar.dayName('2025-10-12')).toBe('周末');
    expect(calendar.dayName('2025-10-09')).toBeNull();
  });

  it('counts working days around National Day 2025', () => {
    expect(calendar.addWorkdays('2025-09-30', -2)).toBe('2025-09-28');
    expect(calendar.addWorkdays('2025-09-30', 1)).toBe('2025-10-09');
    expect(calendar.addWorkdays('2025-09-30', 2)).toBe('2025-10-10');
    expect(calendar.addWorkdays('2025-09-30', 3)).toBe('2025-10-11');
    expect(calendar.addWorkdays('2025-09-30', 4)).toBe('2025-10-13');
    expect(calendar.addWorkdays('2025-10-03', 0)).toBe('2025-10-03');
    expect(calendar.addWorkdays('2025-10-05', -1)).toBe('2025-09-30');
    expect(calendar.workdaysBetween('2025-09-30', '2025-10-13')).toBe(4);
    expect(calendar.workdaysBetween('2025-10-13', '2025-09-30')).toBe(0);
    expect(calendar.workdaysBetween('2025-09-30', '2025-09-30')).toBe(0);
  });

  it('shifts a due date off a holiday', () => {
    expect(calendar.shift('2025-10-01', 'next')).toBe('2025-10-09');
    expect(calendar.shift('2025-10-01', 'previous')).toBe('2025-09-30');
    expect(calendar.shift('2025-09-28', 'next')).toBe('2025-09-28');
    expect(calendar.shift('2025-10-12', 'previous')).toBe('2025-10-11');
  });

  it('knows Spring Festival 2026 as the package has it (15–23 February off; Saturdays 14 and 28 February worked)', () => {
    expect(getDayDetail('2026-02-14').work).toBe(true);
    expect(getDayDetail('2026-02-28').work).toBe(true);
    expect(isoWeekday('2026-02-14')).toBe(6);
    expect(isoWeekday('2026-02-28')).toBe(6);
    for (const d of range('2026-02-15', '2026-02-23')) expect(calendar.isWorkday(d)).toBe(false);
    expect(calendar.isWorkday('2026-02-14')).toBe(true);
    expect(calendar.isWorkday('2026-02-28')).toBe(true);
    expect(calendar.isWorkday('2026-02-24')).toBe(true);
    expect(calendar.shift('2026-02-15', 'next')).toBe('2026-02-24');
    expect(calendar.addWorkdays('2026-02-13', 1)).toBe('2026-02-14');
    expect(calendar.addWorkdays('2026-02-14', 1)).toBe('2026-02-24');
  });

  it('agrees with chinese-days on every day it has data for', () => {
    const { first, last } = calendar.packagedYears;
    for (const d of range(makeDate(first, 1, 1), makeDate(last, 12, 31))) {
      if (calendar.isWorkday(d) !== packageIsWorkday(d)) throw new Error(`disagrees on ${d}`);
    }
  });

  it('keeps addWorkdays and workdaysBetween consistent', () => {
    for (const start of range('2025-09-20', '2026-03-10')) {
      for (const n of [1, 2, 5, 13]) {
        const later = calendar.addWorkdays(start, n);
        expect(calendar.workdaysBetween(start, later)).toBe(n);
        expect(calendar.addWorkdays(later, -n)).toBe(calendar.shift(start, 'previous'));
      }
    }
  });

  it('counts the working days of a span as its days one by one say, across years', () => {
    const byDay = (cal: WorkdayCalendar, a: CivilDate, b: CivilDate): number => range(addDays(a, 1), b).filter((d) => cal.isWorkday(d)).length;
    const with2027 = WorkdayCalendar.create(extras([['2027-01-04', '']], [['2027-01-09', '']], [2027]));
    for (const [a, b] of [
      ['2025-09-15', '2025-09-15'],
      ['2025-09-15', '2025-09-14'],
      ['2025-09-30', '2025-10-13'],
      ['2025-03-30', '2025-09-15'],
      ['2024-12-30', '2025-01-02'],
      ['2025-12-31', '2026-01-01'],
      ['2023-02-01', '2027-03-01'],
    ] as const) {
      expect(calendar.workdaysBetween(a, b)).toBe(byDay(calendar, a, b));
      expect(with2027.workdaysBetween(a, b)).toBe(byDay(with2027, a, b));
    }
  });

  it('answers Monday–Friday for a year beyond the data, and says so', () => {
    expect(calendar.hasData(2027)).toBe(false);
    expect(calendar.yearsWithoutData('2026-12-20', '2027-01-10')).toEqual([2027]);
    expect(calendar.yearsWithoutData('2025-01-01', '2026-12-31')).toEqual([]);
    expect(calendar.yearsWithoutData('2027-01-10', '2026-12-20')).toEqual([]);
    expect(calendar.isWorkday('2027-01-01')).toBe(true); // a Friday; in reality New Year's Day
    expect(calendar.isWorkday('2027-01-02')).toBe(false);
    expect(calendar.dayName('2027-01-02')).toBe('周末');
    expect(calendar.dayName('2027-01-01')).toBeNull();
    expect(calendar.shift('2027-01-02', 'next')).toBe('2027-01-04');
    expect(calendar.workdaysBetween('2026-12-31', '2027-01-08')).toBe(6);
  });

  it('rejects malformed dates and counts', () => {
    expect(() => calendar.isWorkday('2025-02-30')).toThrow(RangeError);
    expect(() => calendar.shift('2025/10/01', 'next')).toThrow(/YYYY-MM-DD/);
    expect(() => calendar.addWorkdays('2025-10-01', 1.5)).toThrow(/整数/);
  });
});

describe('WorkdayCalendar with an extras file', () => {
  const spring2027 = range('2027-02-06', '2027-02-12').map((d): [CivilDate, string] => [d, '春节']);
  const with2027 = WorkdayCalendar.create(
    extras([['2027-01-01', '元旦'], ...spring2027], [['2027-02-14', '春节调休'], ['2027-02-20', '']], [2027]),
  );

  it('declares the year known', () => {
    expect(with2027.hasData(2027)).toBe(true);
    expect(with2027.yearsWithoutData('2026-12-20', '2027-01-10')).toEqual([]);
    expect(with2027.yearsWithoutData('2026-12-20', '2028-01-10')).toEqual([2028]);
  });

  it('changes the answers for holidays and make-up workdays', () => {
    expect(with2027.isWorkday('2027-01-01')).toBe(false);
    expect(with2027.dayName('2027-01-01')).toBe('元旦');
    expect(with2027.isWorkday('2027-02-08')).toBe(false);
    expect(with2027.dayName('2027-02-08')).toBe('春节');
    expect(isoWeekday('2027-02-14')).toBe(7);
    expect(with2027.isWorkday('2027-02-14')).toBe(true);
    expect(with2027.dayName('2027-02-14')).toBe('春节调休');
    expect(with2027.dayName('2027-02-20')).toBe('调休上班');
    expect(with2027.addWorkdays('2026-12-31', 1)).toBe('2027-01-04');
    expect(with2027.shift('2027-02-06', 'next')).toBe('2027-02-14');
    expect(with2027.workdaysBetween('2027-02-05', '2027-02-15')).toBe(2);
  });

  it('lets the extras file correct a packaged date', () => {
    const corrected = WorkdayCalendar.create(extras([['2025-10-09', '国庆节']], [['2025-10-12', ''], ['2025-10-03', '']]));
    expect(corrected.isWorkday('2025-10-09')).toBe(false);
    expect(corrected.shift('2025-10-01', 'next')).toBe('2025-10-03');
    expect(corrected.isWorkday('2025-10-12')).toBe(true);
    expect(corrected.dayName('2025-10-12')).toBe('调休上班');
    expect(corrected.dayName('2025-10-03')).toBeNull();
    expect(corrected.hasData(2025)).toBe(true);
    expect(corrected.hasData(2027)).toBe(false);
  });

  it('keeps the package name for an unnamed extra holiday on a packaged holiday', () => {
    const unnamed = WorkdayCalendar.create(extras([['2025-10-02', ''], ['2027-03-01', '']], []));
    expect(unnamed.dayName('2025-10-02')).toBe('国庆节、中秋节');
    expect(unnamed.dayName('2027-03-01')).toBe('节假日');
  });

  it('rejects a date both off and worked', () => {
    expect(() => WorkdayCalendar.create(extras([['2027-02-14', '']], [['2027-02-14', '']]))).toThrow(/同时被写成放假和上班/);
  });

  it('stops scanning when a bad file declares a whole year off', () => {
    const allOff = range('2027-01-01', '2028-03-01').map((d): [CivilDate, string] => [d, '']);
    const broken = WorkdayCalendar.create(extras(allOff, [], [2027, 2028]));
    expect(() => broken.shift('2027-01-01', 'next')).toThrow(RangeError);
    expect(() => broken.addWorkdays('2027-01-01', 1)).toThrow(/400 天内找不到工作日.*data\/calendar\.yaml/);
    expect(broken.shift('2027-06-01', 'previous')).toBe('2026-12-31');
  });
});
