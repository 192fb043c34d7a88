/**
 * When reminders fire: the working-day rules applied to report cycles and to deadlines written in the plan.
 * Pure functions of the rule, the settings, the calendar and a window of dates; who owes what is decided
 * elsewhere (agenda.ts).
 *
 * For a cycle C with due date D (moved to a working day by DUE_ON_HOLIDAY), and P and N the due dates of the
 * cycles before and after it:
 * - `before`: on the k-th working day before D for each k of REMIND_BEFORE_WORKDAYS, when that day is after P;
 * - `due`: on D; `digest`: on D at DIGEST_AT;
 * - `overdue`: every OVERDUE_EVERY_WORKDAYS working days after D, while before N (then N's reminders take over);
 * - `escalate`: once, ESCALATE_AFTER_WORKDAYS working days after D, when that is before N;
 * - `bulletin`: the 通报 on the cycle's close, on the first working day after D at BULLETIN_AT.
 */
import { addDays, type CivilDate } from '../calendar/civil-date';
import type { DueShift } from '../calendar/workday-calendar';
import { cycleOf, onWorkday, shiftCycle, type Cycle, type CycleRule } from './cycle';

export type FiringKind = 'before' | 'due' | 'overdue' | 'escalate' | 'digest' | 'bulletin' | 'deadline';

/** The order kinds are listed in when they fire at the same time. */
export const FIRING_KINDS: readonly FiringKind[] = ['before', 'due', 'overdue', 'escalate', 'deadline', 'digest', 'bulletin'];

export type { DueShift };

/** What the rules need of the working-day calendar. */
export interface Workdays {
  isWorkday(d: CivilDate): boolean;
  shift(d: CivilDate, direction: DueShift): CivilDate;
  addWorkdays(d: CivilDate, n: number): CivilDate;
}

export interface ScheduleSettings {
  /** `HH:mm` in TIMEZONE. */
  remindAt: string;
  /** `HH:mm`, or null for no digest. */
  digestAt: string | null;
  /** `HH:mm` of the 通报 on the first working day after the due date, or null for none. */
  bulletinAt: string | null;
  /** Working days before the due date, descending (`[3, 1]`). */
  beforeWorkdays: readonly number[];
  /** 0: no 催办. */
  overdueEvery: number;
  /** 0: no escalation. */
  escalateAfter: number;
  dueOnHoliday: DueShift;
}

export interface CycleFiring {
  date: CivilDate;
  time: string;
  kind: Exclude<FiringKind, 'deadline'>;
  /** The cycle, its due date on a working day. */
  cycle: Cycle;
  /** `before`: working days left until the due date; `overdue`, `escalate`: working days overdue; else 0. */
  workdays: number;
}

export interface DeadlineFiring {
  date: CivilDate;
  time: string;
  kind: 'deadline';
  /** The deadline as the plan writes it, and the working day it is kept on. */
  deadline: CivilDate;
  due: CivilDate;
  /** Working days left (0 on the day itself). */
  workdays: number;
}

/** How far before a window a cycle's firings can begin (a quarter's overdue run) and after it they can reach. */
const LOOK_BEHIND_DAYS = 100;
const LOOK_AHEAD_DAYS = 45;

function inWindow(d: CivilDate, from: CivilDate, to: CivilDate): boolean {
  return d >= from && d <= to;
}

/** The cycles of a rule whose firings may fall in [from, to], each with its due date on a working day. */
export function cyclesAround(rule: CycleRule, calendar: Workdays, dueOnHoliday: DueShift, from: CivilDate, to: CivilDate): Cycle[] {
  const out: Cycle[] = [];
  const shift = (d: CivilDate) => calendar.shift(d, dueOnHoliday);
  const last = addDays(to, LOOK_AHEAD_DAYS);
  for (let c = cycleOf(addDays(from, -LOOK_BEHIND_DAYS), rule); c.start <= last; c = shiftCycle(c, 1, rule)) {
    out.push(onWorkday(c, shift));
  }
  return out;
}

/** Every firing of a rule's cycles in [from, to], in date order. */
export function cycleFirings(rule: CycleRule, settings: ScheduleSettings, calendar: Workdays, from: CivilDate, to: CivilDate): CycleFiring[] {
  const shift = (d: CivilDate) => calendar.shift(d, settings.dueOnHoliday);
  const cycles = cyclesAround(rule, calendar, settings.dueOnHoliday, from, to);
  const out: CycleFiring[] = [];
  const add = (f: CycleFiring) => {
    if (inWindow(f.date, from, to)) out.push(f);
  };
  for (const cycle of cycles) {
    const due = cycle.due;
    const prevDue = shift(shiftCycle(cycle, -1, rule).due);
    const nextDue = shift(shiftCycle(cycle, 1, rule).due);
    for (const k of settings.beforeWorkdays) {
      const date = calendar.addWorkdays(due, -k);
      if (date > prevDue) add({ date, time: settings.remindAt, kind: 'before', cycle, workdays: k });
    }
    add({ date: due, time: settings.remindAt, kind: 'due', cycle, workdays: 0 });
    if (settings.digestAt) add({ date: due, time: settings.digestAt, kind: 'digest', cycle, workdays: 0 });
    if (settings.bulletinAt) add({ date: calendar.addWorkdays(due, 1), time: settings.bulletinAt, kind: 'bulletin', cycle, workdays: 1 });
    if (settings.overdueEvery > 0) {
      for (let n = settings.overdueEvery; ; n += settings.overdueEvery) {
        const date = calendar.addWorkdays(due, n);
        if (date >= nextDue || date > to) break;
        add({ date, time: settings.remindAt, kind: 'overdue', cycle, workdays: n });
      }
    }
    if (settings.escalateAfter > 0) {
      const date = calendar.addWorkdays(due, settings.escalateAfter);
      if (date < nextDue) add({ date, time: settings.remindAt, kind: 'escalate', cycle, workdays: settings.escalateAfter });
    }
  }
  return out.sort(byWhen);
}

/**
 * Reminders of a deadline written in the plan (`2020年9月底前`): on the working days before it given by
 * REMIND_BEFORE_WORKDAYS and on the day itself, the deadline kept on a working day like a due date.
 */
export function deadlineFirings(deadline: CivilDate, settings: ScheduleSettings, calendar: Workdays, from: CivilDate, to: CivilDate): DeadlineFiring[] {
  const due = calendar.shift(deadline, settings.dueOnHoliday);
  const out: DeadlineFiring[] = [];
  for (const k of [...settings.beforeWorkdays, 0]) {
    const date = calendar.addWorkdays(due, -k);
    if (inWindow(date, from, to)) out.push({ date, time: settings.remindAt, kind: 'deadline', deadline, due, workdays: k });
  }
  return out.sort(byWhen);
}

export function byWhen(a: { date: string; time: string; kind: FiringKind }, b: { date: string; time: string; kind: FiringKind }): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return FIRING_KINDS.indexOf(a.kind) - FIRING_KINDS.indexOf(b.kind);
}
