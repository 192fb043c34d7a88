import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { cyclesOn, reportCycle } from '../../src/schedule/reporting-cycle';

const calendar = WorkdayCalendar.create(null);
const shift = (d: string) => calendar.shift(d, 'next');

describe('cyclesOn', () => {
  it.each([
    // Monthly, due on the 30th: September is due on 30 September; during the holiday and until 9 October it
    // is past due; October is active from 1 October.
    ['2025-09-15', 30, '2025-09', '2025-08'],
    ['2025-09-30', 30, '2025-09', '2025-08'],
    ['2025-10-05', 30, '2025-10', '2025-09'],
    // Due on the 1st, moved from 1 to 9 October: October is still active until then.
    ['2025-09-29', 1, '2025-10', '2025-09'],
    ['2025-10-09', 1, '2025-10', '2025-09'],
    ['2025-10-10', 1, '2025-11', '2025-10'],
  ])('on %s with due day %i the active cycle is %s after %s', (today, dueDay, active, previous) => {
    const pair = cyclesOn({ kind: 'monthly', dueDay }, today, shift);
    expect([pair.active.id, pair.previous.id]).toEqual([active, previous]);
  });

  it('counts a late report for the cycle the unit still owes, otherwise for the active one', () => {
    const pair = cyclesOn({ kind: 'weekly', dueDay: 5 }, '2025-10-13', shift);
    expect(reportCycle(pair, true).id).toBe('2025-W41');
    expect(reportCycle(pair, false).id).toBe('2025-W42');
  });
});
