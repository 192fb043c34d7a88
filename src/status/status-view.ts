/**
 * Where every assignment stands today: the duties of every single unit (collectives expanded), the cycle each
 * assignment is in, the reports that count for it, and its 红黄绿灯 colour (light.ts). Chat answers, the
 * dashboard, the 台账 and the 通报 all read the plan's status through this one view, so they always agree.
 *
 * A view is a snapshot of one moment: build a new one per message or request. One unit's or one item's status
 * reads only the tasks concerned; the duties of every unit are read on first use (`duties`, `allAssignments`,
 * `board`) and kept until a plan is imported again or the units file changes (`store.planVersion()`). Reports
 * are read in bulk from report_latest for what is asked (a unit's tasks, an item's tasks, whole cycles). The whole
 * board's colours and counts without its assignments (`summary()`) come from a compact index of every unit's
 * duties kept in the database (duty-index.ts) and the cycles' report facts, for a province's half a million.
 */
import { dateInZone, type CivilDate } from '../calendar/civil-date';
import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { Config } from '../config';
import { unitDuties, type UnitDuty } from '../reminders/unit-duties';
import { defaultRule, planTrees, resolveOverrides } from '../schedule/plan-duties';
import type { Cycle, CycleRule } from '../schedule/cycle';
import { ruleFor, ruleKey, type ScheduleOverride } from '../schedule/overrides';
import { cyclesOn, type CyclePair } from '../schedule/reporting-cycle';
import { REPORT_STATUSES, type PlanHeading, type PlanTree, type StoredReport, type Store } from '../store/store';
import type { UnitDirectory } from '../units/unit-directory';
import { buildDutyIndex, decodeDutyIndex, directoryKey, DUTY_INDEX_FORMAT, encodeDutyIndex, type DutyIndex } from './duty-index';
import { addTo } from '../multimap';
import { lightOf, type LightVerdict } from './light';
import { ReportCache } from './report-cache';
import { itemRollUp, rollUp, sortAssignments, unitRollUp, type StatusBoard, type ItemStatus, type UnitStatus } from './roll-up';
import { summarizeIndex, type StatusSummary } from './summary';

export type { PlanHeading };

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

/** SCHEDULE_OVERRIDES with unit names made canonical, and the default rule. */
export interface Rules {
  overrides: ScheduleOverride[];
  fallback: CycleRule;
}

export class StatusView {
  readonly now: number;
  readonly today: CivilDate;
  protected readonly directory: UnitDirectory;
  private readonly pairs = new Map<string, CyclePair>();
  /** Working days between two dates, by `a|b`: the same few spans (today to a due date or deadline) recur. */
  private readonly spans = new Map<string, number>();
  private readonly reports: ReportCache;
  private headings: PlanHeading[] | null = null;
  private ruleSet: Rules | null = null;

  constructor(readonly deps: StatusDeps) {
    this.now = (deps.clock ?? Date.now)();
    this.today = dateInZone(this.now, deps.config.TIMEZONE);
    this.directory = deps.directory();
    this.reports = new ReportCache(deps.store.reports);
  }

  /**
   * The duties of every single unit (collectives expanded), units in order of first appearance. Read from every
   * plan on first use, and kept while no plan is imported and the units file stays the same; one unit's or one
   * item's status does not need them.
   */
  get duties(): Map<string, UnitDuty[]> {
    return planDuties(this.deps, this.directory);
  }

  /** Names and aliases a message or a link may use for a unit. */
  unitNames(): string[] {
    return [...this.names().keys()];
  }

  /**
   * The canonical unit a name means — a canonical name, an alias from the units directory, or the short form
   * without a leading 区/县/市 (`司法局`) when no other unit has it — or null when no unit of the plans goes by it.
   */
  resolveUnit(name: string): string | null {
    return this.names().get(name.replace(/\s+/g, '')) ?? null;
  }

  private names(): Map<string, string> {
    const duties = this.duties;
    let names = namesCache.get(duties);
    if (!names) namesCache.set(duties, (names = unitNames([...duties.keys()], this.directory)));
    return names;
  }

  /** Every plan's id, title and sections. */
  get plans(): PlanHeading[] {
    return (this.headings ??= this.deps.store.planHeadings());
  }

  /** The overrides (resolved against the plans' units) and the default rule. */
  rules(): Rules {
    if (!this.ruleSet) {
      const { config, store } = this.deps;
      const overrides = config.SCHEDULE_OVERRIDES.length ? resolveOverrides(config.SCHEDULE_OVERRIDES, this.directory, store.liveUnitNames()) : [];
      this.ruleSet = { overrides, fallback: defaultRule(config) };
    }
    return this.ruleSet;
  }

  private assignmentOf(unit: string, duty: UnitDuty): Assignment {
    const { overrides, fallback } = this.rules();
    const rule = ruleFor(overrides, fallback, duty.itemNumber, unit);
    return { unit, duty, rule, cycles: this.cyclesFor(rule) };
  }

  /** A unit's assignments, in document order (read for this unit alone unless every plan is read already). */
  assignments(unit: string): Assignment[] {
    return this.unitDuties(unit).map((duty) => this.assignmentOf(unit, duty));
  }

  allAssignments(): Assignment[] {
    return [...this.duties].flatMap(([unit, list]) => list.map((duty) => this.assignmentOf(unit, duty)));
  }

  cyclesFor(rule: CycleRule): CyclePair {
    const key = `${rule.kind}:${rule.dueDay}`;
    let pair = this.pairs.get(key);
    if (!pair) {
      pair = sharedCycles(this.deps.calendar, this.today, this.deps.config.DUE_ON_HOLIDAY, rule);
      this.pairs.set(key, pair);
    }
    return pair;
  }

  /** The newest live report of a unit on a task in a cycle. */
  report(cycle: Cycle, taskId: number, unit: string): StoredReport | null {
    return this.reports.report(cycle.id, taskId, unit);
  }

  /** Whether the unit's newest live report on the task, in any cycle, says done: nothing more is owed. */
  isDone(taskId: number, unit: string): boolean {
    return this.reports.isDone(taskId, unit);
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
    const { config } = this.deps;
    const verdict = lightOf({
      today: this.today,
      latestStatus: done ? 'done' : (current ?? closing)?.status ?? null,
      currentStatus: current?.status ?? null,
      closingStatus: closing?.status ?? null,
      due: a.cycles.active.due,
      previousDue: a.cycles.previous.due,
      deadline: a.duty.deadline,
      warnWithin: config.WARN_WITHIN_WORKDAYS,
      workdaysBetween: (x, y) => this.workdaysBetween(x, y),
    });
    // Written out rather than spread: a province's board builds half a million of these.
    return {
      unit: a.unit,
      duty: a.duty,
      rule: a.rule,
      cycles: a.cycles,
      light: verdict.light,
      reason: verdict.reason,
      lateDays: verdict.lateDays,
      current,
      closing,
      standing: current ?? closing,
      done,
    };
  }

  /** Working days after `a` up to and including `b` (0 when b ≤ a). */
  workdaysBetween(a: CivilDate, b: CivilDate): number {
    if (b <= a) return 0;
    const key = `${a}|${b}`;
    let n = this.spans.get(key);
    if (n === undefined) this.spans.set(key, (n = this.deps.calendar.workdaysBetween(a, b)));
    return n;
  }

  /**
   * Reads in bulk what `report` and `isDone` will be asked about one unit's assignments: its newest report on each
   * task in each of their cycles, and which of them are done (a query per cycle and one more, instead of one per task).
   */
  loadUnitReports(unit: string, list: readonly Assignment[]): void {
    this.reports.loadTasks(cycleIds(list), list.map((a) => a.duty.taskId), unit);
  }

  /** One unit: its assignments with their colours. */
  unitStatus(unit: string): UnitStatus | null {
    const list = this.unitDuties(unit).map((duty) => this.assignmentOf(unit, duty));
    if (list.length === 0) return null;
    this.loadUnitReports(unit, list);
    return unitRollUp(unit, sortAssignments(list.map((a) => this.assess(a))));
  }

  /** An item (by number; one per plan that has it), every unit on it with its colour. Reads the item's tasks only. */
  itemStatus(number: number, planId?: number): ItemStatus[] {
    const trees = this.deps.store.partialTrees(this.deps.store.taskIdsOfItem(number, planId ?? null), false);
    const list: Assignment[] = [];
    for (const [unit, duties] of unitDuties(trees, this.directory)) for (const duty of duties) list.push(this.assignmentOf(unit, duty));
    this.reports.loadTasks(cycleIds(list), [...new Set(list.map((a) => a.duty.taskId))], null);
    return itemRollUp(sortAssignments(list.map((a) => this.assess(a))), headingsOf(trees)).items;
  }

  /** Everything: every assignment, task, item, section and unit with its colour. */
  board(): StatusBoard {
    const all = this.allAssignments();
    this.reports.loadCycles(cycleIds(all));
    this.reports.loadAllDone();
    return this.rollUp(all.map((a) => this.assess(a)), [...this.duties.keys()]);
  }

  /**
   * The whole board's colours and counts without its assignments: what `summarize(board())` gives, computed from
   * the duties kept in the database (rebuilt after an import or a change of the units directory) and the reports
   * read in bulk, without building an object per assignment.
   */
  summary(): StatusSummary {
    const index = this.dutyIndex();
    const { overrides, fallback } = this.rules();
    const pairs: CyclePair[] = [];
    const ruleIndex = new Map<string, number>();
    const indexOf = (rule: CycleRule): number => {
      const key = ruleKey(rule);
      let r = ruleIndex.get(key);
      if (r === undefined) {
        ruleIndex.set(key, (r = pairs.length));
        pairs.push(this.cyclesFor(rule));
      }
      return r;
    };
    const dutyRule = new Uint16Array(index.dutyUnit.length);
    if (overrides.length === 0) {
      if (dutyRule.length) indexOf(fallback);
    } else {
      // An item's override decides alone; otherwise only the unit matters (ruleFor's precedence).
      const byItem = new Set(overrides.flatMap((o) => ('item' in o.target ? [o.target.item] : [])));
      const memo = new Map<string, number>();
      for (let t = 0; t < index.taskIds.length; t++) {
        const number = index.items[index.taskItem[t] as number]?.number ?? 0;
        for (let d = index.taskStart[t] as number, end = index.taskStart[t + 1] as number; d < end; d++) {
          const u = index.dutyUnit[d] as number;
          const key = byItem.has(number) ? `i${number}` : `u${u}`;
          let r = memo.get(key);
          if (r === undefined) memo.set(key, (r = indexOf(ruleFor(overrides, fallback, number, index.units[u] as string))));
          dutyRule[d] = r;
        }
      }
    }
    const { store, config } = this.deps;
    return summarizeIndex({
      index,
      plans: this.plans,
      now: this.now,
      today: this.today,
      rules: pairs,
      dutyRule,
      cycleFacts: (cycle) => store.reports.cycleFacts(cycle),
      doneFacts: store.reports.doneFacts(),
      lightOf: (f) => {
        const pair = pairs[f.rule] as CyclePair;
        const current = f.current === null ? null : (REPORT_STATUSES[f.current] ?? null);
        const closing = f.closing === null ? null : (REPORT_STATUSES[f.closing] ?? null);
        return lightOf({
          today: this.today,
          latestStatus: f.done ? 'done' : (current ?? closing),
          currentStatus: current,
          closingStatus: closing,
          due: pair.active.due,
          previousDue: pair.previous.due,
          deadline: f.deadline,
          warnWithin: config.WARN_WITHIN_WORKDAYS,
          workdaysBetween: (x, y) => this.workdaysBetween(x, y),
        }).light;
      },
    });
  }

  /** Every unit's duties in compact form: kept in memory and in the database, valid for the plans and units directory they come from. */
  private dutyIndex(): DutyIndex {
    const { store } = this.deps;
    const key = `${DUTY_INDEX_FORMAT}|${store.planVersion()}|${directoryKey(this.directory)}`;
    const kept = indexCache.get(this.deps);
    if (kept?.key === key) return kept.index;
    const stored = store.statusCache.get('duties', key);
    let index = stored && decodeDutyIndex(stored);
    if (!index) {
      index = buildDutyIndex(this.duties, (units) => store.reports.unitNumbers(units));
      store.statusCache.put('duties', key, encodeDutyIndex(index));
    }
    indexCache.set(this.deps, { key, index });
    return index;
  }

  /** The unit's duties: from the plans already read, else from its own tasks only. */
  private unitDuties(unit: string): UnitDuty[] {
    const loaded = cachedDuties(this.deps, this.directory);
    if (loaded) return loaded.get(unit) ?? [];
    const { store } = this.deps;
    const names = store.unitNamesAmong(this.directory.namesFor(unit)).filter((name) => this.directory.expand(name).includes(unit));
    const trees = store.partialTrees(store.taskIdsOfUnits(names), false);
    return unitDuties(trees, this.directory, unit).get(unit) ?? [];
  }

  /** Rolls the statuses up; `plans` are the headings of the plans they are in (null: every plan's). */
  private rollUp(statuses: AssignmentStatus[], unitOrder: string[], plans: PlanHeading[] | null = null): StatusBoard {
    return rollUp(statuses, { plans: plans ?? this.plans, unitOrder, today: this.today, now: this.now });
  }
}

/** The headings of the plans of some trees (read without sections: a unit's or an item's status has none). */
function headingsOf(trees: readonly PlanTree[]): PlanHeading[] {
  return trees.map((t) => ({ id: t.plan.id, title: t.plan.title, sections: t.sections }));
}

/** The active and previous cycles of the assignments. */
function cycleIds(list: readonly Assignment[]): Set<string> {
  const out = new Set<string>();
  for (const a of list) {
    out.add(a.cycles.active.id);
    out.add(a.cycles.previous.id);
  }
  return out;
}

/**
 * The cycle pairs of the day, by calendar, then by the due date's shift and the rule: every view of a day asks
 * for the same few (cyclesOn depends on nothing else), and a chat message builds a view. Frozen, being shared.
 */
const cyclesOfDay = new WeakMap<WorkdayCalendar, { today: CivilDate; pairs: Map<string, CyclePair> }>();

function sharedCycles(calendar: WorkdayCalendar, today: CivilDate, dueShift: Config['DUE_ON_HOLIDAY'], rule: CycleRule): CyclePair {
  let day = cyclesOfDay.get(calendar);
  if (day?.today !== today) cyclesOfDay.set(calendar, (day = { today, pairs: new Map() }));
  const key = `${dueShift}|${rule.kind}:${rule.dueDay}`;
  let pair = day.pairs.get(key);
  if (!pair) {
    const { active, previous } = cyclesOn(rule, today, (d) => calendar.shift(d, dueShift));
    pair = Object.freeze({ active: Object.freeze(active), previous: Object.freeze(previous) });
    day.pairs.set(key, pair);
  }
  return pair;
}

interface PlanData {
  version: number;
  directory: UnitDirectory;
  duties: Map<string, UnitDuty[]>;
}

/** The duties of the last view, kept while no plan was imported and the units file is the same. */
const planCache = new WeakMap<StatusDeps, PlanData>();

/** The duty index of the last summary, with its key. */
const indexCache = new WeakMap<StatusDeps, { key: string; index: DutyIndex }>();

/** The duties kept from an earlier view of these deps, if still valid. */
function cachedDuties(deps: StatusDeps, directory: UnitDirectory): Map<string, UnitDuty[]> | null {
  const cached = planCache.get(deps);
  return cached && cached.directory === directory && cached.version === deps.store.planVersion() ? cached.duties : null;
}

function planDuties(deps: StatusDeps, directory: UnitDirectory): Map<string, UnitDuty[]> {
  const cached = cachedDuties(deps, directory);
  if (cached) return cached;
  const version = deps.store.planVersion();
  const duties = unitDuties(planTrees(deps.store), directory);
  planCache.set(deps, { version, directory, duties });
  return duties;
}

/** Unit names by the duties they were computed from (the duties are cached until the plans or units change). */
const namesCache = new WeakMap<Map<string, UnitDuty[]>, Map<string, string>>();

/**
 * Canonical names, the directory's aliases, and the short form without a leading 区/县/市 (`司法局`) when no
 * other unit has it.
 */
function unitNames(units: readonly string[], directory: UnitDirectory): Map<string, string> {
  const out = new Map<string, string>();
  const known = new Set(units);
  for (const u of units) out.set(u, u);
  for (const [alias, canonical] of directory.aliasEntries()) if (known.has(canonical)) out.set(alias, canonical);
  const short = new Map<string, string[]>();
  for (const u of units) {
    const m = /^[区县市](.{3,})$/.exec(u);
    if (m?.[1]) addTo(short, m[1], u);
  }
  for (const [name, list] of short) if (list.length === 1 && !out.has(name)) out.set(name, list[0] ?? name);
  return out;
}
