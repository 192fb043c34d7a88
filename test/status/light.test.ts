/**
 * The 红黄绿灯 rule, table-driven: each row is one assignment's facts on a given day and the colour it must get.
 * Working days come from the real calendar (National Day 2025), so "within N working days" skips the holiday.
 */
import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { countLights, lightOf, taskLight, worst, type LightFacts } from '../../src/status/light';

const calendar = WorkdayCalendar.create(null);
const between = (a: string, b: string) => (b <= a ? 0 : calendar.workdaysBetween(a, b));

/** September 2025 is due on the 30th, August's report was due on 1 September. */
function facts(over: Partial<LightFacts>): LightFacts {
  return {
    today: '2025-09-15',
    latestStatus: 'in_progress',
    currentStatus: null,
    closingStatus: 'in_progress',
    due: '2025-09-30',
    previousDue: '2025-09-01',
    deadline: null,
    warnWithin: 2,
    workdaysBetween: between,
    ...over,
  };
}

describe('lightOf', () => {
  it.each<[string, Partial<LightFacts>, string, string, number | null]>([
    ['reported this cycle, on track', { currentStatus: 'in_progress' }, 'green', 'reported', null],
    ['previous cycle reported, this one not due for weeks', {}, 'green', 'not_due', null],
    ['done long ago, nothing this cycle', { latestStatus: 'done', closingStatus: null }, 'green', 'done', null],
    ['done even though the plan deadline passed', { latestStatus: 'done', deadline: '2025-06-30' }, 'green', 'done', null],
    ['the plan deadline passed and not done', { deadline: '2025-09-10', currentStatus: 'in_progress' }, 'red', 'past_deadline', 3],
    ['the previous cycle was never reported', { closingStatus: null, latestStatus: null }, 'red', 'overdue', 10],
    ['overdue counts only working days (the National Day week does not)', { today: '2025-10-09', previousDue: '2025-09-30', due: '2025-10-31', closingStatus: null }, 'red', 'overdue', 1],
    ['reported 有困难 this cycle', { currentStatus: 'blocked', latestStatus: 'blocked' }, 'yellow', 'blocked', null],
    ['the closing report says 有困难 and nothing yet this cycle', { closingStatus: 'blocked', latestStatus: 'blocked' }, 'yellow', 'blocked', null],
    ['a newer 推进中 this cycle clears an old 有困难', { closingStatus: 'blocked', currentStatus: 'in_progress' }, 'green', 'reported', null],
    // Sunday 28 September 2025 is a 调休 working day: from Friday the 26th, the 30th is three working days away.
    ['not reported, due in two working days (on the 调休 Sunday)', { today: '2025-09-28' }, 'yellow', 'due_soon', null],
    ['not reported, due in three working days (the 调休 Sunday counts)', { today: '2025-09-26' }, 'green', 'not_due', null],
    ['not reported, due today', { today: '2025-09-30' }, 'yellow', 'due_soon', null],
    ['reported, due today', { today: '2025-09-30', currentStatus: 'not_started' }, 'green', 'reported', null],
    ['plan deadline within two working days', { deadline: '2025-09-16', currentStatus: 'in_progress' }, 'yellow', 'deadline_near', null],
    ['WARN_WITHIN_WORKDAYS=0: yellow only on the due day', { today: '2025-09-29', warnWithin: 0 }, 'green', 'not_due', null],
  ])('%s', (_name, over, light, reason, lateDays) => {
    expect(lightOf(facts(over))).toEqual({ light, reason, lateDays });
  });
});

describe('roll-up', () => {
  it('takes the worst colour, green for none', () => {
    expect(worst([])).toBe('green');
    expect(worst(['green', 'yellow'])).toBe('yellow');
    expect(worst(['yellow', 'red', 'green'])).toBe('red');
    expect(countLights(['red', 'red', 'green'])).toEqual({ red: 2, yellow: 0, green: 1 });
  });

  it('colours a task by its lead units, and by all units when it has no lead', () => {
    expect(taskLight([{ role: 'lead', light: 'green' }, { role: 'co', light: 'red' }])).toBe('green');
    expect(taskLight([{ role: 'lead', light: 'yellow' }, { role: 'lead', light: 'red' }, { role: 'co', light: 'green' }])).toBe('red');
    expect(taskLight([{ role: 'co', light: 'green' }, { role: 'co', light: 'yellow' }])).toBe('yellow');
  });
});
