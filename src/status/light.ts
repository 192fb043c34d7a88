/**
 * 红黄绿灯: the status of one assignment (a single unit on a task) in its current cycle, and how statuses roll
 * up to tasks, items, sections and units. Pure: the facts and the working-day arithmetic come in as arguments.
 *
 * An assignment is, in this order of precedence:
 * 1. green  `已完成` when the unit's newest report says 已完成 (nothing more is owed, deadline or not);
 * 2. red    `已过计划时限` when the plan's deadline for the task has passed;
 * 3. red    `逾期未报送` when the unit still owes the previous cycle's report (its due date has passed);
 * 4. yellow `有困难` when the report that stands (this cycle's, else the one that closed the previous) says 有困难;
 * 5. yellow `临近时限` when the plan's deadline is within `warnWithin` working days;
 * 6. yellow `临近截止` when this cycle is not reported and its due date is within `warnWithin` working days;
 * 7. green  `已报送` when this cycle is reported, or `未到报送时间` when the previous one was and this one is
 *    not due soon.
 *
 * Roll-up (worst wins, red over yellow over green):
 * - a task takes the colour of its lead units (牵头单位): the lead's report stands for the task; co-units (配合单位)
 *   are shown beneath it but do not colour it. A task without a lead takes the worst of all its units;
 * - an item takes the worst of its tasks, a section the worst of its items;
 * - a unit takes the worst of all its assignments, led or co-operated.
 */
import type { CivilDate } from '../calendar/civil-date';
import type { ReportStatus } from '../store/store';

export type Light = 'green' | 'yellow' | 'red';

/** Why an assignment has its colour. */
export type LightReason = 'done' | 'past_deadline' | 'overdue' | 'blocked' | 'deadline_near' | 'due_soon' | 'reported' | 'not_due';

export const LIGHT_LABELS: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
export const LIGHT_EMOJI: Record<Light, string> = { green: '🟢', yellow: '🟡', red: '🔴' };
export const REASON_LABELS: Record<LightReason, string> = {
  done: '已完成',
  past_deadline: '已过计划时限',
  overdue: '逾期未报送',
  blocked: '有困难',
  deadline_near: '临近计划时限',
  due_soon: '临近截止未报送',
  reported: '本期已报送',
  not_due: '本期未到截止',
};

const RANK: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

/** What is known about one assignment today. */
export interface LightFacts {
  today: CivilDate;
  /** The status of the unit's newest live report on the task, in any cycle; null when it never reported. */
  latestStatus: ReportStatus | null;
  /** The status of this cycle's report (null when not reported this cycle). */
  currentStatus: ReportStatus | null;
  /** The status of the report that closed the previous cycle (null when the unit did not report it). */
  closingStatus: ReportStatus | null;
  /** This cycle's due date (moved to a working day). */
  due: CivilDate;
  /** The previous cycle's due date. */
  previousDue: CivilDate;
  /** The plan's deadline for the task, if it gives one. */
  deadline: CivilDate | null;
  /** Yellow from this many working days before a due date or deadline (WARN_WITHIN_WORKDAYS). */
  warnWithin: number;
  /** Working days after `a` up to and including `b` (0 when b ≤ a). */
  workdaysBetween: (a: CivilDate, b: CivilDate) => number;
}

export interface LightVerdict {
  light: Light;
  reason: LightReason;
  /** For `overdue`: working days since the previous due date; for `past_deadline`: since the deadline. */
  lateDays: number | null;
}

export function lightOf(f: LightFacts): LightVerdict {
  const verdict = (light: Light, reason: LightReason, lateDays: number | null = null): LightVerdict => ({ light, reason, lateDays });
  if (f.latestStatus === 'done') return verdict('green', 'done');
  if (f.deadline !== null && f.deadline < f.today) return verdict('red', 'past_deadline', f.workdaysBetween(f.deadline, f.today));
  if (f.closingStatus === null && f.previousDue < f.today) return verdict('red', 'overdue', f.workdaysBetween(f.previousDue, f.today));
  if ((f.currentStatus ?? f.closingStatus) === 'blocked') return verdict('yellow', 'blocked');
  if (f.deadline !== null && f.workdaysBetween(f.today, f.deadline) <= f.warnWithin) return verdict('yellow', 'deadline_near');
  if (f.currentStatus === null && f.workdaysBetween(f.today, f.due) <= f.warnWithin) return verdict('yellow', 'due_soon');
  return verdict('green', f.currentStatus === null ? 'not_due' : 'reported');
}

/** The worse of the colours; green for none. */
export function worst(lights: Iterable<Light>): Light {
  let out: Light = 'green';
  for (const l of lights) if (RANK[l] > RANK[out]) out = l;
  return out;
}

/** Red first, then yellow, then green: for sorting lists worst first. */
export function byRank(a: Light, b: Light): number {
  return RANK[b] - RANK[a];
}

export type LightCounts = Record<Light, number>;

export function countLights(lights: Iterable<Light>): LightCounts {
  const out: LightCounts = { green: 0, yellow: 0, red: 0 };
  for (const l of lights) out[l]++;
  return out;
}

/** A task's colour: its leads' (worst of them) when it has any, else the worst of all its units. */
export function taskLight(units: readonly { role: 'lead' | 'co'; light: Light }[]): Light {
  const leads = units.filter((u) => u.role === 'lead');
  return worst((leads.length ? leads : units).map((u) => u.light));
}
