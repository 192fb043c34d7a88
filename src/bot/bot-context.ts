/**
 * What the bot knows when a message arrives: who the sender is, the duties of every unit, the cycle each
 * assignment is in today, and the names units go by. Computed per message from the database, the units
 * directory and the contacts as they are then, so an import or an edited contacts file counts at once.
 */
import { dateInZone, type CivilDate } from '../calendar/civil-date';
import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { Channel } from '../channels/channel';
import type { Config } from '../config';
import type { ContactBook } from '../contacts/contacts-file';
import type { UnitDuty } from '../reminders/unit-duties';
import { dutiesAndRules } from '../app/schedule-run';
import type { Cycle, CycleRule } from '../schedule/cycle';
import { cyclesOn, type CyclePair } from '../schedule/reporting-cycle';
import type { StoredReport, Store } from '../store/store';
import type { UnitDirectory } from '../units/unit-directory';
import { addTo } from '../multimap';

export interface BotDeps {
  store: Store;
  config: Config;
  /** Read per message: an admin's edit counts from the next message on. */
  directory: () => UnitDirectory;
  contacts: () => ContactBook;
  calendar: WorkdayCalendar;
  /** Where a leader's 催办 is queued. */
  channel: Pick<Channel, 'name' | 'maxMarkdownBytes'>;
  clock?: () => number;
  /** Called after a 催办 was queued (wakes the delivery worker). */
  onQueued?: () => void;
}

export interface Speaker {
  id: string;
  name: string;
  isLeader: boolean;
  isAdmin: boolean;
  /** Units the sender reports for (as liaison or 分管领导), canonical names. */
  units: string[];
}

/** One assignment of a single unit, with its cycles today. */
export interface Assignment {
  unit: string;
  duty: UnitDuty;
  rule: CycleRule;
  cycles: CyclePair;
}

export class BotContext {
  readonly now: number;
  readonly today: CivilDate;
  readonly duties: Map<string, UnitDuty[]>;
  private readonly ruleOf: (duty: UnitDuty, unit: string) => CycleRule;
  private readonly names: Map<string, string>;
  private readonly pairs = new Map<string, CyclePair>();
  private readonly inCycle = new Map<string, Map<string, StoredReport>>();
  private readonly done = new Map<string, boolean>();

  constructor(readonly deps: BotDeps) {
    this.now = (deps.clock ?? Date.now)();
    this.today = dateInZone(this.now, deps.config.TIMEZONE);
    const plans = planData(deps);
    this.duties = plans.duties;
    this.ruleOf = plans.ruleOf;
    this.names = plans.names;
  }

  /** Names and aliases a message may use for a unit. */
  unitNames(): string[] {
    return [...this.names.keys()];
  }

  /** The canonical unit a name means, or null when no unit of the plans goes by it. */
  resolveUnit(name: string): string | null {
    return this.names.get(name.replace(/\s+/g, '')) ?? null;
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
      map = new Map(this.deps.store.reports.latestOfUnit(cycle.id, unit).map((r) => [String(r.taskId), r]));
      this.inCycle.set(key, map);
    }
    return map.get(String(taskId)) ?? null;
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
}

interface PlanData {
  version: number;
  directory: UnitDirectory;
  duties: Map<string, UnitDuty[]>;
  ruleOf: (duty: UnitDuty, unit: string) => CycleRule;
  names: Map<string, string>;
}

/** The duties and names of the last message, kept while no plan was imported and the units file is the same. */
const planCache = new WeakMap<BotDeps, PlanData>();

function planData(deps: BotDeps): PlanData {
  const version = deps.store.planVersion();
  const directory = deps.directory();
  const cached = planCache.get(deps);
  if (cached && cached.version === version && cached.directory === directory) return cached;
  const { duties, ruleOf } = dutiesAndRules({ store: deps.store, config: deps.config, directory });
  const data = { version, directory, duties, ruleOf, names: unitNames([...duties.keys()], directory) };
  planCache.set(deps, data);
  return data;
}

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

/** Who is speaking: the contacts say which units; LEADER_IDS and ADMIN_IDS name leaders and admins. */
export function identify(senderId: string | null, nick: string, contacts: ContactBook, config: Config): Speaker | null {
  if (!senderId) return null;
  const entries = contacts.byDingtalkId(senderId);
  const isLeader = config.LEADER_IDS.includes(senderId);
  const isAdmin = config.ADMIN_IDS.includes(senderId);
  if (entries.length === 0 && !isLeader && !isAdmin) return null;
  const units = [...new Set(entries.map((c) => c.unit))];
  return { id: senderId, name: entries[0]?.name ?? (nick || senderId), isLeader, isAdmin, units };
}
