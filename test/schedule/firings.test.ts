import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { cycleFirings, deadlineFirings, type ScheduleSettings } from '../../src/schedule/firings';
import type { CycleRule } from '../../src/schedule/cycle';

const calendar = WorkdayCalendar.create(null);
const settings: ScheduleSettings = {
  remindAt: '09:00',
  digestAt: '17:30',
  // The 通报 has its own test below.
  bulletinAt: null,
  beforeWorkdays: [2, 1],
  overdueEvery: 1,
  escalateAfter: 3,
  dueOnHoliday: 'next',
};

function firings(rule: CycleRule, from: string, to: string, s: Partial<ScheduleSettings> = {}) {
  return cycleFirings(rule, { ...settings, ...s }, calendar, from, to).map((f) => `${f.date} ${f.time} ${f.kind} ${f.cycle.id}`);
}

/** The firings of one cycle only (the cycle before is still chased at the start of a window). */
function ofCycle(list: string[], cycle: string): string[] {
  return list.filter((l) => l.endsWith(` ${cycle}`));
}

describe('cycleFirings around the 2025 National Day and Mid-Autumn holiday', () => {
  it('reminds on 28 (a Sunday worked) and 29 September, is due on 30, and chases on 9, 10, 11 (a Saturday worked) and 13 October', () => {
    const all = firings({ kind: 'monthly', dueDay: 30 }, '2025-09-22', '2025-10-13');
    // August (due Saturday 30 August, so Monday 1 September) is chased until September falls due.
    expect(ofCycle(all, '2025-08')).toEqual(['2025-09-22', '2025-09-23', '2025-09-24', '2025-09-25', '2025-09-26', '2025-09-28', '2025-09-29'].map((d) => `${d} 09:00 overdue 2025-08`));
    expect(ofCycle(all, '2025-09')).toEqual([
      '2025-09-28 09:00 before 2025-09',
      '2025-09-29 09:00 before 2025-09',
      '2025-09-30 09:00 due 2025-09',
      '2025-09-30 17:30 digest 2025-09',
      '2025-10-09 09:00 overdue 2025-09',
      '2025-10-10 09:00 overdue 2025-09',
      '2025-10-11 09:00 overdue 2025-09',
      '2025-10-11 09:00 escalate 2025-09',
      '2025-10-13 09:00 overdue 2025-09',
    ]);
  });

  it('sends the 通报 on the first working day after the due date, and none with BULLETIN_AT=off', () => {
    const bulletins = (s: Partial<ScheduleSettings>) =>
      cycleFirings({ kind: 'monthly', dueDay: 30 }, { ...settings, bulletinAt: '09:30', ...s }, calendar, '2025-08-01', '2025-10-31').filter((f) => f.kind === 'bulletin');
    // August is due Monday 1 September (the 30th is a Saturday): 通报 on the 2nd; September's after the holiday.
    expect(bulletins({}).map((f) => `${f.date} ${f.time} ${f.cycle.id}`)).toEqual(['2025-09-02 09:30 2025-08', '2025-10-09 09:30 2025-09', '2025-10-31 09:30 2025-10']);
    expect(bulletins({ bulletinAt: null })).toEqual([]);
  });

  it('moves a due date on 1 October to 9 October, or back to 30 September with DUE_ON_HOLIDAY=previous', () => {
    const due = (s: Partial<ScheduleSettings>) =>
      cycleFirings({ kind: 'monthly', dueDay: 1 }, { ...settings, ...s }, calendar, '2025-09-25', '2025-10-20').filter((f) => f.kind === 'due');
    const next = due({});
    expect(next.map((f) => [f.date, f.cycle.id, f.cycle.due, f.cycle.nominalDue])).toEqual([['2025-10-09', '2025-10', '2025-10-09', '2025-10-01']]);
    expect(due({ dueOnHoliday: 'previous' }).map((f) => f.date)).toEqual(['2025-09-30']);
  });

  it('stops chasing a cycle when the next one falls due, and counts working days overdue', () => {
    const all = cycleFirings({ kind: 'weekly', dueDay: 5 }, settings, calendar, '2025-11-03', '2025-11-16');
    const overdue = all.filter((f) => f.kind === 'overdue' && f.cycle.id === '2025-W45').map((f) => `${f.date}:${f.cycle.id}:${f.workdays}`);
    // Friday 7 November is due; the next Friday is week 46's due day, so week 45 is chased Monday–Thursday.
    expect(overdue).toEqual(['2025-11-10:2025-W45:1', '2025-11-11:2025-W45:2', '2025-11-12:2025-W45:3', '2025-11-13:2025-W45:4']);
    expect(all.filter((f) => f.kind === 'escalate').map((f) => `${f.date}:${f.cycle.id}`)).toEqual(['2025-11-05:2025-W44', '2025-11-12:2025-W45']);
  });

  it('keeps a weekly due weekday that is a holiday on the next working day (Friday 3 October 2025 → Thursday 9 October)', () => {
    const all = cycleFirings({ kind: 'weekly', dueDay: 5 }, settings, calendar, '2025-09-29', '2025-10-12');
    expect(all.filter((f) => f.kind === 'due').map((f) => `${f.date}:${f.cycle.id}`)).toEqual(['2025-10-09:2025-W40', '2025-10-10:2025-W41']);
    // Week 40 is due the day before week 41: it is never chased, and no reminder falls in the holiday.
    expect(all.filter((f) => f.kind === 'overdue' && f.cycle.id === '2025-W40')).toEqual([]);
    expect(all.some((f) => f.date >= '2025-10-01' && f.date <= '2025-10-08')).toBe(false);
  });

  it('skips the 2026 Spring Festival (15–23 February) and counts Saturday 14 and 28 February as working days', () => {
    const all = firings({ kind: 'monthly', dueDay: 15 }, '2026-02-09', '2026-03-02', { digestAt: null });
    // 15 February is a Sunday in the holiday: due on Tuesday 24; the two working days before are 13 and 14.
    expect(ofCycle(all, '2026-02')).toEqual([
      '2026-02-13 09:00 before 2026-02',
      '2026-02-14 09:00 before 2026-02',
      '2026-02-24 09:00 due 2026-02',
      '2026-02-25 09:00 overdue 2026-02',
      '2026-02-26 09:00 overdue 2026-02',
      '2026-02-27 09:00 overdue 2026-02',
      '2026-02-27 09:00 escalate 2026-02',
      '2026-02-28 09:00 overdue 2026-02',
      '2026-03-02 09:00 overdue 2026-02',
    ]);
  });

  it('turns reminders off with empty lists and zeros', () => {
    expect(firings({ kind: 'monthly', dueDay: 30 }, '2025-09-01', '2025-10-31', { beforeWorkdays: [], overdueEvery: 0, escalateAfter: 0, digestAt: null })).toEqual([
      '2025-09-01 09:00 due 2025-08',
      '2025-09-30 09:00 due 2025-09',
      '2025-10-30 09:00 due 2025-10',
    ]);
  });

  it('quarterly: due in the quarter’s last month', () => {
    expect(firings({ kind: 'quarterly', dueDay: 20 }, '2025-09-01', '2025-09-30', { overdueEvery: 0, escalateAfter: 0, digestAt: null })).toEqual([
      '2025-09-18 09:00 before 2025-Q3',
      '2025-09-19 09:00 before 2025-Q3',
      // Saturday 20 September 2025 is a weekend: the due date moves to Monday 22.
      '2025-09-22 09:00 due 2025-Q3',
    ]);
  });
});

describe('deadlineFirings', () => {
  it('reminds before a deadline written in the plan and on the day, by working days', () => {
    const list = deadlineFirings('2025-10-08', settings, calendar, '2025-09-01', '2025-10-31');
    // 8 October is a holiday: the deadline is kept on 9 October, reminded on 29 and 30 September.
    expect(list.map((f) => `${f.date}:${f.workdays}`)).toEqual(['2025-09-29:2', '2025-09-30:1', '2025-10-09:0']);
    expect(list[0]?.due).toBe('2025-10-09');
  });
});
