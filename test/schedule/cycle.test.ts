import { cycleLabelOf, cycleOf, cycleSpan, shiftCycle, type CycleRule } from '../../src/schedule/cycle';

describe('cycleOf', () => {
  it('gives the month with its due day', () => {
    const rule: CycleRule = { kind: 'monthly', dueDay: 30 };
    expect(cycleOf('2025-09-12', rule)).toEqual({
      id: '2025-09',
      kind: 'monthly',
      label: '2025年9月',
      start: '2025-09-01',
      end: '2025-09-30',
      due: '2025-09-30',
    });
    // February has no 30th: the due day is its last day.
    expect(cycleOf('2026-02-03', rule).due).toBe('2026-02-28');
  });

  it('gives the ISO week, due on the configured weekday', () => {
    const c = cycleOf('2025-09-24', { kind: 'weekly', dueDay: 5 });
    expect(c).toMatchObject({ id: '2025-W39', label: '2025年第39周', start: '2025-09-22', end: '2025-09-28', due: '2025-09-26' });
    // The last days of December can belong to week 1 of the next year.
    expect(cycleOf('2024-12-31', { kind: 'weekly', dueDay: 1 })).toMatchObject({ id: '2025-W01', due: '2024-12-30' });
  });

  it('gives the quarter, due in its last month', () => {
    const c = cycleOf('2025-08-01', { kind: 'quarterly', dueDay: 20 });
    expect(c).toMatchObject({ id: '2025-Q3', label: '2025年第三季度', start: '2025-07-01', end: '2025-09-30', due: '2025-09-20' });
  });

  it('steps to the next and previous cycle', () => {
    const rule: CycleRule = { kind: 'monthly', dueDay: 25 };
    const dec = cycleOf('2025-12-10', rule);
    expect(shiftCycle(dec, 1, rule).id).toBe('2026-01');
    expect(shiftCycle(dec, -2, rule).id).toBe('2025-10');
    expect(cycleSpan(dec)).toBe('2025年12月1日至12月31日');
    expect(cycleSpan(cycleOf('2024-12-31', { kind: 'weekly', dueDay: 5 }))).toBe('2024年12月30日至2025年1月5日');
  });
});

describe('cycleLabelOf', () => {
  it('labels a stored cycle id as cycleOf labels the cycle', () => {
    for (const [date, kind] of [['2025-09-12', 'monthly'], ['2025-01-03', 'weekly'], ['2025-12-31', 'quarterly']] as const) {
      const cycle = cycleOf(date, { kind, dueDay: 5 });
      expect(cycleLabelOf(cycle.id)).toBe(cycle.label);
    }
    expect(cycleLabelOf('2025-W01')).toBe('2025年第1周');
    expect(cycleLabelOf('2025-Q4')).toBe('2025年第四季度');
  });

  it('gives an id it does not know back as it is', () => {
    for (const id of ['2025-13', '2025-Q5', 'later', '']) expect(cycleLabelOf(id)).toBe(id);
  });
});
