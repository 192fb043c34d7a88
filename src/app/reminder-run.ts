/**
 * The reminders of the current cycle, as `duban remind` computes them: from the plans in the database, the
 * units directory, the contacts file and the reports so far. Each assignment follows its cycle rule
 * (SCHEDULE_OVERRIDES), and due dates sit on working days as the scheduler keeps them.
 */
import { dateInZone } from '../calendar/civil-date';
import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { Config } from '../config';
import { buildReminders, type ReminderKind, type ReminderPlan } from '../reminders/build-reminders';
import type { UnitDuty } from '../reminders/unit-duties';
import { cycleOf, onWorkday, type Cycle, type CycleRule } from '../schedule/cycle';
import { ruleKey } from '../schedule/overrides';
import { partnerLines } from '../status/partners';
import { defaultRule, dutiesAndRules, type ScheduleContext } from './schedule-run';

/** What `duban remind` reads: the same as the scheduler. */
export type ReminderSetup = ScheduleContext;

/** The cycle of the default rule that the day `now` falls on in TIMEZONE, its due date on a working day. */
export function currentCycle(config: Config, calendar: WorkdayCalendar, now: Date): Cycle {
  return onWorkday(cycleOf(dateInZone(now, config.TIMEZONE), defaultRule(config)), (d) => calendar.shift(d, config.DUE_ON_HOLIDAY));
}

export interface CycleReminders {
  /** The default rule's current cycle, for the summary. */
  cycle: Cycle;
  plan: ReminderPlan;
  /** Group keys of the drafts that were queued (or sent) before: `enqueue` leaves them alone. */
  queuedBefore: Set<string>;
}

/** What `duban remind` shows and `--now` queues (the local chat page's 「发送本期提醒」 too). */
export function cycleReminders(setup: ReminderSetup, now: Date): CycleReminders {
  const plan = planReminders(setup, now);
  return { cycle: currentCycle(setup.config, setup.calendar, now), plan, queuedBefore: setup.store.outbox.liveGroups(plan.drafts.map((d) => d.groupKey)) };
}

/**
 * One reminder per unit and current cycle: the default rule's cycle, and that of any rule an override gives
 * (an item reported weekly gets its own message for its week). Units count as up to date when they are in
 * every cycle.
 */
export function planReminders(setup: ReminderSetup, now: Date, kind: ReminderKind = 'remind'): ReminderPlan {
  const { store, config, contacts, channel, calendar } = setup;
  const today = dateInZone(now, config.TIMEZONE);
  const { duties, ruleOf } = dutiesAndRules(setup);
  const groups = new Map<string, { cycle: Cycle; duties: Map<string, UnitDuty[]> }>();
  // Few rules, many duties: each rule's cycle is computed once.
  const cycles = new Map<string, Cycle>();
  const cycleFor = (rule: CycleRule): Cycle => {
    const key = ruleKey(rule);
    let c = cycles.get(key);
    if (!c) cycles.set(key, (c = onWorkday(cycleOf(today, rule), (d) => calendar.shift(d, config.DUE_ON_HOLIDAY))));
    return c;
  };
  for (const [unit, list] of duties) {
    for (const duty of list) {
      const cycle = cycleFor(ruleOf(duty, unit));
      let group = groups.get(cycle.id);
      if (!group) groups.set(cycle.id, (group = { cycle, duties: new Map() }));
      // Two rules with one cycle id (monthly on the 20th and on the 25th): one message, due on the earlier day.
      if (cycle.due < group.cycle.due) group.cycle = cycle;
      const mine = group.duties.get(unit);
      if (mine) mine.push(duty);
      else group.duties.set(unit, [duty]);
    }
  }
  const out: ReminderPlan = { drafts: [], noLiaison: [], upToDate: [] };
  const owing = new Set<string>();
  const partners = partnerLines(store, duties, config.TIMEZONE);
  for (const { cycle, duties: groupDuties } of groups.values()) {
    const plan = buildReminders({
      kind,
      cycle,
      duties: groupDuties,
      states: store.reports.statesForCycle(cycle.id),
      liaisonsOf: (unit) => contacts.liaisonsOf(unit).map((c) => ({ name: c.name, mobile: c.mobile, userId: c.dingtalkId })),
      channel,
      today,
      partners,
    });
    out.drafts.push(...plan.drafts);
    for (const u of plan.noLiaison) if (!out.noLiaison.includes(u)) out.noLiaison.push(u);
    for (const d of plan.drafts) if (d.unit) owing.add(d.unit);
    for (const u of plan.noLiaison) owing.add(u);
  }
  out.upToDate = [...duties.keys()].filter((u) => !owing.has(u));
  return out;
}
