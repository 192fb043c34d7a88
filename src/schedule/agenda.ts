/**
 * The agenda: every reminder that fires in a window of dates, for whom, given the duties, the report cycles
 * (with their overrides) and the reports as they stand. Before, due, overdue and escalation reminders go only to
 * units that still owe a report for the cycle; deadline reminders to units whose task is not done; the digest
 * goes to the leaders whoever reported. Pure: the reports are read through `statesFor`.
 */
import type { CivilDate } from '../calendar/civil-date';
import type { UnitDuty } from '../reminders/unit-duties';
import type { ReportState } from '../store/store';
import { cycleOf, onWorkday, type Cycle, type CycleRule } from './cycle';
import { byWhen, cycleFirings, deadlineFirings, type FiringKind, type ScheduleSettings, type Workdays } from './firings';
import { ruleKey } from './overrides';
import { addTo } from '../multimap';

/** One reminder as `duban schedule preview --json` prints it. */
export interface AgendaEntry {
  /** `YYYY-MM-DD` in TIMEZONE. */
  date: CivilDate;
  /** `HH:mm` in TIMEZONE. */
  time: string;
  kind: FiringKind;
  /** The cycle id (`2025-09`); for a deadline reminder, the deadline (`2020-09-30`). */
  cycle: string;
  /** The single unit reminded (or escalated about); null for the digest. */
  unit: string | null;
}

export interface AgendaItem extends AgendaEntry {
  /** The report cycle (its due date on a working day); for a deadline, the cycle of the default rule holding it. */
  cycleInfo: Cycle;
  /** `before`/`deadline`: working days left; `overdue`/`escalate`: working days overdue. */
  workdays: number;
  /** The unit's open tasks the reminder is about (empty for the digest). */
  tasks: UnitDuty[];
  /** Digest: the units whose reports it sums up, in plan order, with their duties in this cycle. */
  roster: Map<string, UnitDuty[]>;
  /** Deadline: the working day the deadline is kept on. */
  deadlineDue?: CivilDate;
}

export interface AgendaInput {
  /** Duties by single unit (unitDuties). */
  duties: ReadonlyMap<string, readonly UnitDuty[]>;
  /** The cycle rule an assignment follows (ruleFor with the overrides). */
  ruleOf: (duty: UnitDuty, unit: string) => CycleRule;
  settings: ScheduleSettings;
  calendar: Workdays;
  /** Report states as `reports.statesForCycle` gives them. */
  statesFor: (cycleId: string) => readonly ReportState[];
  from: CivilDate;
  to: CivilDate;
}

interface RuleGroup {
  rule: CycleRule;
  /** Unit → its duties under this rule. */
  units: Map<string, UnitDuty[]>;
}

function groupByRule(input: AgendaInput): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const [unit, duties] of input.duties) {
    for (const duty of duties) {
      const rule = input.ruleOf(duty, unit);
      const key = ruleKey(rule);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { rule, units: new Map() }));
      const list = group.units.get(unit) ?? [];
      list.push(duty);
      group.units.set(unit, list);
    }
  }
  return [...groups.values()];
}

/** Per cycle: which (task, unit) reported in it, and which are done for good. */
function reportLookup(statesFor: AgendaInput['statesFor']) {
  const cache = new Map<string, { reported: Set<string>; done: Set<string> }>();
  return (cycleId: string) => {
    let hit = cache.get(cycleId);
    if (!hit) {
      hit = { reported: new Set(), done: new Set() };
      for (const s of statesFor(cycleId)) {
        const key = `${s.taskId}|${s.unit}`;
        if (s.reportedInCycle) hit.reported.add(key);
        if (s.latestStatus === 'done') hit.done.add(key);
      }
      cache.set(cycleId, hit);
    }
    return hit;
  };
}

/** The item key: reminders of the same kind, cycle, unit and day are one message. */
export function agendaKey(e: AgendaEntry): string {
  return `${e.kind}|${e.cycle}|${e.unit ?? ''}|${e.date}`;
}

export function agenda(input: AgendaInput): AgendaItem[] {
  const lookup = reportLookup(input.statesFor);
  const items = new Map<string, AgendaItem>();
  const unitOrder = new Map([...input.duties.keys()].map((u, i) => [u, i]));
  const add = (item: AgendaItem) => {
    const key = agendaKey(item);
    const existing = items.get(key);
    if (!existing) {
      items.set(key, item);
      return;
    }
    // Two rules that give the same cycle id on the same day (an item override and the default, say): one message.
    const seen = new Set(existing.tasks.map((t) => t.taskId));
    existing.tasks.push(...item.tasks.filter((t) => !seen.has(t.taskId)));
    for (const [unit, list] of item.roster) {
      const mine = existing.roster.get(unit) ?? [];
      const have = new Set(mine.map((t) => t.taskId));
      existing.roster.set(unit, [...mine, ...list.filter((t) => !have.has(t.taskId))]);
    }
  };

  const groups = groupByRule(input);
  // The 通报 is of the board's main cycle: the rule most assignments follow (see status/cycle-record.ts).
  const size = (g: (typeof groups)[number]) => [...g.units.values()].reduce((n, list) => n + list.length, 0);
  const main = groups.reduce<(typeof groups)[number] | null>((best, g) => (best === null || size(g) > size(best) ? g : best), null);
  for (const group of groups) {
    for (const f of cycleFirings(group.rule, input.settings, input.calendar, input.from, input.to)) {
      const base = { date: f.date, time: f.time, kind: f.kind, cycle: f.cycle.id, cycleInfo: f.cycle, workdays: f.workdays };
      if (f.kind === 'bulletin' && group !== main) continue;
      if (f.kind === 'digest' || f.kind === 'bulletin') {
        add({ ...base, unit: null, tasks: [], roster: new Map([...group.units].map(([u, list]) => [u, [...list]])) });
        continue;
      }
      const { reported, done } = lookup(f.cycle.id);
      for (const [unit, duties] of group.units) {
        const open = duties.filter((d) => !reported.has(`${d.taskId}|${unit}`) && !done.has(`${d.taskId}|${unit}`));
        if (open.length) add({ ...base, unit, tasks: open, roster: new Map() });
      }
    }
  }

  // Deadlines written in the plan, whatever the cycle: for each unit whose task is not done.
  const deadlines = new Map<CivilDate, Map<string, UnitDuty[]>>();
  for (const [unit, duties] of input.duties) {
    for (const d of duties) {
      if (!d.deadline) continue;
      const byUnit = deadlines.get(d.deadline) ?? new Map<string, UnitDuty[]>();
      addTo(byUnit, unit, d);
      deadlines.set(d.deadline, byUnit);
    }
  }
  for (const [deadline, byUnit] of deadlines) {
    for (const f of deadlineFirings(deadline, input.settings, input.calendar, input.from, input.to)) {
      for (const [unit, duties] of byUnit) {
        const first = duties[0];
        if (!first) continue;
        const cycle = cyclesFor(input, first, unit, f.date);
        const { done } = lookup(cycle.id);
        const open = duties.filter((d) => !done.has(`${d.taskId}|${unit}`));
        if (open.length === 0) continue;
        add({ date: f.date, time: f.time, kind: 'deadline', cycle: deadline, unit, cycleInfo: cycle, workdays: f.workdays, tasks: open, roster: new Map(), deadlineDue: f.due });
      }
    }
  }

  return [...items.values()].sort(
    (a, b) => byWhen(a, b) || (unitOrder.get(a.unit ?? '') ?? -1) - (unitOrder.get(b.unit ?? '') ?? -1) || a.cycle.localeCompare(b.cycle),
  );
}

/** The report cycle a day falls in for an assignment (deadline reminders read its reports). */
function cyclesFor(input: AgendaInput, duty: UnitDuty, unit: string, date: CivilDate): Cycle {
  return onWorkday(cycleOf(date, input.ruleOf(duty, unit)), (d) => input.calendar.shift(d, input.settings.dueOnHoliday));
}

/** Only what preview --json prints: exactly these keys. */
export function entryOf(item: AgendaItem): AgendaEntry {
  return { date: item.date, time: item.time, kind: item.kind, cycle: item.cycle, unit: item.unit };
}
