/**
 * The reminders of the current cycle, as `duban remind` and the service compute them: from the plans in the
 * database, the units directory, the contacts file and the reports so far.
 */
import { dateInZone } from '../calendar/civil-date';
import type { Channel } from '../channels/channel';
import { reportDueDay, type Config } from '../config';
import type { ContactBook } from '../contacts/contacts-file';
import { buildReminders, type ReminderKind, type ReminderPlan } from '../reminders/build-reminders';
import { unitDuties } from '../reminders/unit-duties';
import { cycleOf, type Cycle, type CycleRule } from '../schedule/cycle';
import type { PlanTree, Store } from '../store/store';
import type { UnitDirectory } from '../units/unit-directory';

export interface ReminderSetup {
  store: Store;
  config: Config;
  directory: UnitDirectory;
  contacts: ContactBook;
  channel: Pick<Channel, 'name' | 'maxMarkdownBytes'>;
}

export function cycleRule(config: Config): CycleRule {
  return { kind: config.REPORT_CYCLE, dueDay: reportDueDay(config) };
}

/** The cycle of the day `now` falls on in TIMEZONE. */
export function currentCycle(config: Config, now: Date): Cycle {
  return cycleOf(dateInZone(now, config.TIMEZONE), cycleRule(config));
}

export function planTrees(store: Store): PlanTree[] {
  return store.listPlans().flatMap((p) => store.getPlanTree(p.id) ?? []);
}

export function planReminders(setup: ReminderSetup, cycle: Cycle, today: string, kind: ReminderKind = 'remind'): ReminderPlan {
  const { store, directory, contacts, channel } = setup;
  return buildReminders({
    kind,
    cycle,
    duties: unitDuties(planTrees(store), directory),
    states: store.reports.statesForCycle(cycle.id),
    liaisonsOf: (unit) => contacts.liaisonsOf(unit).map((c) => ({ name: c.name, mobile: c.mobile, userId: c.dingtalkId })),
    channel,
    today,
  });
}
