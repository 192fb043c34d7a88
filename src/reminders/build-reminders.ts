/**
 * Who gets which reminder for a cycle: one message per single unit that still owes reports, listing its open
 * tasks. A pure function of the duties, the reports and the contacts; the result is queued in the outbox.
 */
import type { Destination, Recipient } from '../channels/channel';
import type { Cycle } from '../schedule/cycle';
import type { OutboxDraft, ReportState } from '../store/store';
import { reminderLayout } from './reminder-text';
import { splitIntoParts } from './split-parts';
import type { UnitDuty } from './unit-duties';
import { monthDay } from '../calendar/civil-date';

/**
 * `remind`: sent on demand (`duban remind --now`). The scheduler's: `before` the due date, on the `due` day,
 * `overdue` (催办), `escalate` (to the 分管领导 and leaders), `deadline` (a deadline written in the plan). `urge`:
 * a leader's 催办 from the chat.
 */
export type ReminderKind = 'remind' | 'before' | 'due' | 'overdue' | 'escalate' | 'deadline' | 'urge';

export interface ReminderInput {
  kind: ReminderKind;
  cycle: Cycle;
  duties: ReadonlyMap<string, readonly UnitDuty[]>;
  states: readonly ReportState[];
  /** The liaisons of a unit (canonical name), as the channel can reach them. */
  liaisonsOf: (unit: string) => Recipient[];
  channel: { name: string; maxMarkdownBytes: number };
  /** The day the reminders are written (`YYYY-MM-DD` in TIMEZONE): past the due date they say so. */
  today?: string;
  /** The co-units' latest reports under the tasks a unit leads. */
  partners?: (duty: UnitDuty) => readonly string[];
}

export interface ReminderPlan {
  drafts: OutboxDraft[];
  /** Units that owe reports but have no liaison in the contacts: nobody can be reminded. */
  noLiaison: string[];
  /** Units with nothing open in this cycle. */
  upToDate: string[];
}

/** What the headline and title of a unit's reminder say. */
export interface ReminderWording {
  kind: ReminderKind;
  cycle: Cycle;
  unit: string;
  /** `before`: working days left; `overdue`/`escalate`: working days overdue; `deadline`: days left (0: today). */
  workdays?: number;
  deadline?: string;
  taskCount: number;
  /** `urge`: the leader who asked. */
  urgedBy?: string;
}

export function headline(w: ReminderWording): string {
  const { cycle } = w;
  switch (w.kind) {
    case 'remind':
      return `${cycle.label}工作进度请报送`;
    case 'before':
      return `${cycle.label}工作进度还有 ${w.workdays ?? 0} 个工作日截止（${monthDay(cycle.due)}），请及时报送`;
    case 'due':
      return `今天是${cycle.label}工作进度报送截止日，请于今天报送`;
    case 'overdue':
      return `【催办】${cycle.label}工作进度已逾期 ${w.workdays ?? 0} 个工作日，请尽快报送`;
    case 'escalate':
      return `【督办升级】${w.unit}${cycle.label}工作进度逾期 ${w.workdays ?? 0} 个工作日仍未报送`;
    case 'deadline':
      return w.workdays ? `有 ${w.taskCount} 项任务还有 ${w.workdays} 个工作日到期` : `有 ${w.taskCount} 项任务今天到期`;
    case 'urge':
      return `【催办】${w.urgedBy ? `${w.urgedBy}请` : '请'}尽快报送${cycle.label}工作进度`;
  }
}

export function reminderTitle(w: ReminderWording): string {
  switch (w.kind) {
    case 'overdue':
      return `督办催办：${w.unit}${w.cycle.label}进度已逾期`;
    case 'urge':
      return `督办催办：${w.unit}${w.cycle.label}进度请尽快报送`;
    case 'escalate':
      return `督办升级：${w.unit}${w.cycle.label}进度逾期未报`;
    case 'deadline':
      return `督办时限提醒：${w.unit}${w.taskCount} 项任务${w.deadline ? monthDay(w.deadline) : ''}到期`;
    default:
      return `督办提醒：${w.unit}${w.cycle.label}进度报送`;
  }
}

/**
 * The outbox key of a message: queued once per (kind, cycle, unit), and for the scheduler's reminders per day
 * too. The console channel only prints, so its keys are its own: a trial run before any credentials were set
 * must not count as the cycle's reminder.
 */
export function reminderGroupKey(kind: string, cycle: string, unit: string, channel?: string, date?: string): string {
  const key = `${kind}|${cycle}|${unit}${date ? `|${date}` : ''}`;
  return channel === 'console' ? `console:${key}` : key;
}

export interface UnitReminder extends ReminderWording {
  tasks: readonly UnitDuty[];
  destination: Destination;
  channel: { name: string; maxMarkdownBytes: number };
  /** The key's cycle part: the cycle id, or the deadline for a deadline reminder. */
  keyCycle?: string;
  /** The day a scheduled reminder fires: part of its key. */
  date?: string;
  othersReported: number;
  totalUnits: number;
  showPlanTitles: boolean;
  today?: string;
  /** `escalate`: the unit's liaisons, named for the leaders. */
  liaisonNames?: string[];
  /** The co-units' latest reports under the tasks the unit leads (see status/partners.ts). */
  partners?: (duty: UnitDuty) => readonly string[];
}

/** One unit's message, as an outbox draft. */
export function unitReminderDraft(r: UnitReminder): OutboxDraft {
  const keyCycle = r.keyCycle ?? r.cycle.id;
  const layout = reminderLayout({
    unit: r.unit,
    cycle: r.cycle,
    headline: headline(r),
    tasks: r.tasks,
    othersReported: r.othersReported,
    totalUnits: r.totalUnits,
    showPlanTitles: r.showPlanTitles,
    today: r.today,
    overdueWorkdays: r.kind === 'overdue' || r.kind === 'escalate' ? r.workdays : undefined,
    variant: r.kind === 'escalate' ? 'escalate' : r.kind === 'deadline' ? 'deadline' : 'report',
    deadline: r.deadline,
    liaisonNames: r.liaisonNames,
    partners: r.partners,
  });
  return {
    groupKey: reminderGroupKey(r.kind, keyCycle, r.unit, r.channel.name, r.date),
    channel: r.channel.name,
    kind: r.kind,
    cycle: keyCycle,
    unit: r.unit,
    destination: r.destination,
    title: reminderTitle(r),
    parts: splitIntoParts(layout, r.channel.maxMarkdownBytes),
  };
}

export function buildReminders(input: ReminderInput): ReminderPlan {
  const { cycle, kind } = input;
  const reported = new Set<string>();
  const closed = new Set<string>();
  const reportedUnits = new Set<string>();
  for (const s of input.states) {
    const key = `${s.taskId}|${s.unit}`;
    if (s.reportedInCycle) {
      reported.add(key);
      reportedUnits.add(s.unit);
    }
    if (s.latestStatus === 'done') closed.add(key);
  }
  const planIds = new Set<number>();
  for (const list of input.duties.values()) for (const d of list) planIds.add(d.planId);

  const plan: ReminderPlan = { drafts: [], noLiaison: [], upToDate: [] };
  for (const [unit, duties] of input.duties) {
    const open = duties.filter((d) => !reported.has(`${d.taskId}|${unit}`) && !closed.has(`${d.taskId}|${unit}`));
    if (open.length === 0) {
      plan.upToDate.push(unit);
      continue;
    }
    const people = input.liaisonsOf(unit);
    if (people.length === 0) {
      plan.noLiaison.push(unit);
      continue;
    }
    plan.drafts.push(
      unitReminderDraft({
        kind,
        cycle,
        unit,
        taskCount: open.length,
        tasks: open,
        destination: { kind: 'unit', unit, people },
        channel: input.channel,
        othersReported: [...reportedUnits].filter((u) => u !== unit && input.duties.has(u)).length,
        totalUnits: input.duties.size,
        showPlanTitles: planIds.size > 1,
        today: input.today,
        partners: input.partners,
      }),
    );
  }
  return plan;
}
