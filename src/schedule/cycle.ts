/**
 * Report cycles (报送周期): every open assignment owes one report per cycle. A cycle is a week (ISO week),
 * a month or a quarter, identified by `2025-W39`, `2025-09` or `2025-Q3`, with a due date inside it.
 * Pure functions of a date; the calendar of working days moves due dates in the scheduler, not here.
 */
import {
  addDays,
  chineseDate,
  daysInMonth,
  isoWeek,
  isoWeekday,
  makeDate,
  dateParts,
  type CivilDate,
} from '../calendar/civil-date';

export type CycleKind = 'weekly' | 'monthly' | 'quarterly';

/** The due day when REPORT_DUE_DAY (or an override) does not name one: Friday, the 25th, the 20th. */
export const DEFAULT_DUE_DAYS: Record<CycleKind, number> = { weekly: 5, monthly: 25, quarterly: 20 };

export interface CycleRule {
  kind: CycleKind;
  /**
   * Weekly: ISO weekday 1–7. Monthly: day of the month (a day the month lacks means its last day).
   * Quarterly: day of the quarter's last month.
   */
  dueDay: number;
}

export interface Cycle {
  /** `2025-W39`, `2025-09`, `2025-Q3`. */
  id: string;
  kind: CycleKind;
  /** `2025年第39周`, `2025年9月`, `2025年第三季度`. */
  label: string;
  start: CivilDate;
  end: CivilDate;
  /** The day reports are due: the rule's day, moved to a working day by `onWorkday` when the calendar says so. */
  due: CivilDate;
  /** The rule's day before it was moved (set only by `onWorkday`, and only when it moved). */
  nominalDue?: CivilDate;
}

/** The cycle with its due date moved to a working day by `shift` (a function of the working-day calendar). */
export function onWorkday(cycle: Cycle, shift: (d: CivilDate) => CivilDate): Cycle {
  const due = shift(cycle.due);
  return due === cycle.due ? cycle : { ...cycle, due, nominalDue: cycle.due };
}

const QUARTER_NAMES = ['一', '二', '三', '四'];

function monthly(year: number, month: number, dueDay: number): Cycle {
  const last = daysInMonth(year, month);
  return {
    id: `${year}-${String(month).padStart(2, '0')}`,
    kind: 'monthly',
    label: `${year}年${month}月`,
    start: makeDate(year, month, 1),
    end: makeDate(year, month, last),
    due: makeDate(year, month, Math.min(dueDay, last)),
  };
}

function quarterly(year: number, quarter: number, dueDay: number): Cycle {
  const lastMonth = quarter * 3;
  const last = daysInMonth(year, lastMonth);
  return {
    id: `${year}-Q${quarter}`,
    kind: 'quarterly',
    label: `${year}年第${QUARTER_NAMES[quarter - 1]}季度`,
    start: makeDate(year, lastMonth - 2, 1),
    end: makeDate(year, lastMonth, last),
    due: makeDate(year, lastMonth, Math.min(dueDay, last)),
  };
}

function weekly(date: CivilDate, dueDay: number): Cycle {
  const monday = addDays(date, 1 - isoWeekday(date));
  const { year, week } = isoWeek(date);
  return {
    id: `${year}-W${String(week).padStart(2, '0')}`,
    kind: 'weekly',
    label: `${year}年第${week}周`,
    start: monday,
    end: addDays(monday, 6),
    due: addDays(monday, Math.min(Math.max(dueDay, 1), 7) - 1),
  };
}

/** The cycle a calendar day belongs to. */
export function cycleOf(date: CivilDate, rule: CycleRule): Cycle {
  const { year, month } = dateParts(date);
  if (rule.kind === 'weekly') return weekly(date, rule.dueDay);
  if (rule.kind === 'quarterly') return quarterly(year, Math.ceil(month / 3), rule.dueDay);
  return monthly(year, month, rule.dueDay);
}

/** The cycle after (n = 1) or before (n = -1) the given one. */
export function shiftCycle(cycle: Cycle, n: number, rule: CycleRule): Cycle {
  let c = cycle;
  for (let i = 0; i < Math.abs(n); i++) c = cycleOf(n > 0 ? addDays(c.end, 1) : addDays(c.start, -1), rule);
  return c;
}

/** The label of a stored cycle id (`2025-09` → `2025年9月`, `2025-W39` → `2025年第39周`); the id itself when unknown. */
export function cycleLabelOf(id: string): string {
  const m = /^(\d{4})-(?:(\d{2})|W(\d{2})|Q([1-4]))$/.exec(id);
  if (!m) return id;
  const [, year, month, week, quarter] = m;
  if (month !== undefined) return Number(month) >= 1 && Number(month) <= 12 ? `${year}年${Number(month)}月` : id;
  if (week !== undefined) return `${year}年第${Number(week)}周`;
  return `${year}年第${QUARTER_NAMES[Number(quarter) - 1]}季度`;
}

/** `2025年9月1日至9月30日` (the year is not repeated inside one year). */
export function cycleSpan(cycle: Cycle): string {
  const end = chineseDate(cycle.end);
  const sameYear = cycle.start.slice(0, 4) === cycle.end.slice(0, 4);
  return `${chineseDate(cycle.start)}至${sameYear ? end.replace(/^\d{4}年/, '') : end}`;
}
