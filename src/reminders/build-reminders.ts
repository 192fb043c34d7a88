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

/** `remind`: sent on demand (`duban remind --now`). The scheduler adds its own kinds. */
export type ReminderKind = 'remind';

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
}

export interface ReminderPlan {
  drafts: OutboxDraft[];
  /** Units that owe reports but have no liaison in the contacts: nobody can be reminded. */
  noLiaison: string[];
  /** Units with nothing open in this cycle. */
  upToDate: string[];
}

const HEADLINES: Record<ReminderKind, (c: Cycle) => string> = {
  remind: (c) => `${c.label}工作进度请报送`,
};

/**
 * The outbox key of a unit's reminder: queued once per (kind, cycle, unit). The console channel only prints, so
 * its keys are its own: a trial run before any credentials were set must not count as the cycle's reminder.
 */
export function reminderGroupKey(kind: string, cycle: string, unit: string, channel?: string): string {
  const key = `${kind}|${cycle}|${unit}`;
  return channel === 'console' ? `console:${key}` : key;
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
    const layout = reminderLayout({
      unit,
      cycle,
      headline: HEADLINES[kind](cycle),
      tasks: open,
      othersReported: [...reportedUnits].filter((u) => u !== unit && input.duties.has(u)).length,
      totalUnits: input.duties.size,
      showPlanTitles: planIds.size > 1,
      today: input.today,
    });
    const destination: Destination = { kind: 'unit', unit, people };
    plan.drafts.push({
      groupKey: reminderGroupKey(kind, cycle.id, unit, input.channel.name),
      channel: input.channel.name,
      kind,
      cycle: cycle.id,
      unit,
      destination,
      title: `督办提醒：${unit}${cycle.label}进度报送`,
      parts: splitIntoParts(layout, input.channel.maxMarkdownBytes),
    });
  }
  return plan;
}
