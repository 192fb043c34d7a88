/**
 * Where every assignment stands today: the duties of every single unit (collectives expanded), the cycle each
 * assignment is in, the reports that count for it, and its 红黄绿灯 colour (light.ts). Chat answers, the
 * dashboard, the 台账 and the 通报 all read the plan's status through this one view, so they always agree.
 *
 * A view is a snapshot of one moment: build a new one per message or request. The plans' duties are cached
 * until a plan is imported again or the units file changes (`store.planVersion()`).
 */
import { dateInZone, type CivilDate } from '../calendar/civil-date';
import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { Config } from '../config';
import type { UnitDuty } from '../reminders/unit-duties';
import { dutiesAndRules } from '../schedule/plan-duties';
import type { Cycle, CycleRule } from '../schedule/cycle';
import { cyclesOn, type CyclePair } from '../schedule/reporting-cycle';
import type { StoredReport, Store } from '../store/store';
import type { UnitDirectory } from '../units/unit-directory';
import { lightOf, type LightVerdict } from './light';
import { rollUp, type StatusBoard, type ItemStatus, type UnitStatus } from './roll-up';

export interface StatusDeps {
  store: Store;
  config: Config;
  /** Read per view: an admin's edit of the units file counts from the next view on. */
  directory: () => UnitDirectory;
  calendar: WorkdayCalendar;
  clock?: () => number;
}

/** One assignment of a single unit, with its cycles today. */
export interface Assignment {
  unit: string;
  duty: UnitDuty;
  rule: CycleRule;
  cycles: CyclePair;
}

/** An assignment with its colour and the reports behind it. */
export interface AssignmentStatus extends Assignment, LightVerdict {
  /** This cycle's report (the newest live one). */
  current: StoredReport | null;
  /** The report that closed the previous cycle. */
  closing: StoredReport | null;
  /** The report that says where the task stands: this cycle's, else the one that closed the previous cycle. */
  standing: StoredReport | null;
  /** The unit's newest report on the task says 已完成. */
  done: boolean;
}

export interface PlanHeading {
  id: number;
  title: string;
  sections: { number: string; title: string }[];
}

export class StatusView {
  readonly now: number;
  readonly today: CivilDate;
  readonly duties: Map<string, UnitDuty[]>;
  readonly plans: PlanHeading[];
  private readonly ruleOf: (duty: UnitDuty, unit: string) => CycleRule;
  protected readonly directory: UnitDirectory;
  private readonly pairs = new Map<string, CyclePair>();
  private readonly inCycle = new Map<string, Map<number, StoredReport>>();
  private readonly done = new Map<string, boolean>();

  constructor(readonly deps: StatusDeps) {
    this.now = (deps.clock ?? Date.now)();
    this.today = dateInZone(this.now, deps.config.TIMEZONE);
    const plans = planData(deps);
    this.duties = plans.duties;
    this.ruleOf = plans.ruleOf;
    this.plans = plans.headings;
    this.directory = plans.directory;
  }

  assignments(unit: string): Assignment[] {
    return (this.duties.get(unit) ?? []).map((duty) => {
      const rule = this.ruleOf(duty, unit);
      return { unit, duty, rule, cycles: this.cyclesFor(rule) };
    });
  }

  allAssignments(): Assignment[] {
    return [...this.duties.keys()].flatMap((u) => this.assignments(u));
  }

  cyclesFor(rule: CycleRule): CyclePair {
    const key = `${rule.kind}:${rule.dueDay}`;
    let pair = this.pairs.get(key);
    if (!pair) {
      pair = cyclesOn(rule, this.today, (d) => this.deps.calendar.shift(d, this.deps.config.DUE_ON_HOLIDAY));
      this.pairs.set(key, pair);
    }
    return pair;
  }

  /** The newest live report of a unit on a task in a cycle (read once per cycle and unit). */
  report(cycle: Cycle, taskId: number, unit: string): StoredReport | null {
    const key = `${cycle.id}|${unit}`;
    let map = this.inCycle.get(key);
    if (!map) {
      map = new Map(this.deps.store.reports.latestOfUnit(cycle.id, unit).map((r) => [r.taskId, r]));
      this.inCycle.set(key, map);
    }
    return map.get(taskId) ?? null;
  }

  /** Whether the unit's newest live report on the task, in any cycle, says done: nothing more is owed. */
  isDone(taskId: number, unit: string): boolean {
    const key = `${taskId}|${unit}`;
    let done = this.done.get(key);
    if (done === undefined) this.done.set(key, (done = this.deps.store.reports.latestStatus(taskId, unit) === 'done'));
    return done;
  }

  /** Whether the unit still owes the previous cycle's report on this assignment (not reported, not done). */
  owesPrevious(a: Assignment): boolean {
    return !this.report(a.cycles.previous, a.duty.taskId, a.unit) && !this.isDone(a.duty.taskId, a.unit);
  }

  /** The assignment's colour today and the reports behind it. */
  assess(a: Assignment): AssignmentStatus {
    const current = this.report(a.cycles.active, a.duty.taskId, a.unit);
    const closing = this.report(a.cycles.previous, a.duty.taskId, a.unit);
    const done = this.isDone(a.duty.taskId, a.unit);
    const { calendar, config } = this.deps;
    const verdict = lightOf({
      today: this.today,
      latestStatus: done ? 'done' : (current ?? closing)?.status ?? null,
      currentStatus: current?.status ?? null,
      closingStatus: closing?.status ?? null,
      due: a.cycles.active.due,
      previousDue: a.cycles.previous.due,
      deadline: a.duty.deadline,
      warnWithin: config.WARN_WITHIN_WORKDAYS,
      workdaysBetween: (x, y) => (y <= x ? 0 : calendar.workdaysBetween(x, y)),
    });
    return { ...a, ...verdict, current, closing, standing: current ?? closing, done };
  }

  /** One unit: its assignments with their colours. */
  unitStatus(unit: string): UnitStatus | null {
    if (!this.duties.has(unit)) return null;
    return this.rollUp(this.assignments(unit).map((a) => this.assess(a))).units[0] ?? null;
  }

  /** An item (by number; one per plan that has it), every unit on it with its colour. */
  itemStatus(number: number, planId?: number): ItemStatus[] {
    const list = this.allAssignments().filter((a) => a.duty.itemNumber === number && (planId === undefined || a.duty.planId === planId));
    return this.rollUp(list.map((a) => this.assess(a))).items;
  }

  /** Everything: every assignment, task, item, section and unit with its colour. */
  board(): StatusBoard {
    return this.rollUp(this.allAssignments().map((a) => this.assess(a)));
  }

  private rollUp(statuses: AssignmentStatus[]): StatusBoard {
    return rollUp(statuses, { plans: this.plans, unitOrder: [...this.duties.keys()], today: this.today, now: this.now });
  }
}

interface PlanData {
  version: number;
  directory: UnitDirectory;
  duties: Map<string, UnitDuty[]>;
  ruleOf: (duty: UnitDuty, unit: string) => CycleRule;
  headings: PlanHeading[];
}

/** The duties of the last view, kept while no plan was imported and the units file is the same. */
const planCache = new WeakMap<StatusDeps, PlanData>();

function planData(deps: StatusDeps): PlanData {
  const version = deps.store.planVersion();
  const directory = deps.directory();
  const cached = planCache.get(deps);
  if (cached && cached.version === version && cached.directory === directory) return cached;
  const { duties, ruleOf, trees } = dutiesAndRules({ store: deps.store, config: deps.config, directory });
  const headings = trees.map((t) => ({ id: t.plan.id, title: t.plan.title, sections: t.sections }));
  const data = { version, directory, duties, ruleOf, headings };
  planCache.set(deps, data);
  return data;
}
