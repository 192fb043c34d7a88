/**
 * How each of the last cycles went, for the dashboard's chart and the 通报: for every assignment that owed the
 * cycle, whether it was reported in it and whether on time (by the end of the due date in TIMEZONE). An
 * assignment stops owing cycles after the cycle in which it was reported done. Only assignments following the
 * board's main rule count (those under SCHEDULE_OVERRIDES have other cycles).
 */
import { dateInZone, type CivilDate } from '../calendar/civil-date';
import { shiftCycle, onWorkday, type Cycle } from '../schedule/cycle';
import type { Assignment, StatusView } from './status-view';
import { addTo } from '../multimap';

export interface UnitRecord {
  unit: string;
  /** Assignments that owed the cycle. */
  expected: number;
  /** Of them, reported in the cycle (at any time). */
  reported: number;
  /** Of them, reported by the end of the due date. */
  onTime: number;
  /** The latest first-report day among them (for "how late"), null when none reported. */
  lastFirstReport: CivilDate | null;
}

export interface CycleRecord {
  cycle: Cycle;
  expected: number;
  reported: number;
  onTime: number;
  units: UnitRecord[];
}

/** The last `count` cycles of the main rule, oldest first, ending with the active one. */
export function cycleRecords(view: StatusView, count: number): CycleRecord[] {
  const all = view.allAssignments();
  const main = mainRuleAssignments(all);
  if (main.length === 0) return [];
  const first = main[0] as Assignment;
  const shift = (d: CivilDate) => view.deps.calendar.shift(d, view.deps.config.DUE_ON_HOLIDAY);
  const cycles: Cycle[] = [];
  for (let i = count - 1; i >= 0; i--) cycles.push(onWorkday(shiftCycle(first.cycles.active, -i, first.rule), shift));
  const reported = new Map<string, string>();
  for (const r of view.deps.store.reports.reportedInCycles(cycles.map((c) => c.id))) reported.set(`${r.cycle}|${r.taskId}|${r.unit}`, r.firstAt);
  const doneIn = new Map(view.deps.store.reports.doneSince().map((d) => [`${d.taskId}|${d.unit}`, d.cycle]));
  const tz = view.deps.config.TIMEZONE;
  return cycles.map((cycle) => {
    const byUnit = new Map<string, UnitRecord>();
    for (const a of main) {
      const done = doneIn.get(`${a.duty.taskId}|${a.unit}`);
      if (done !== undefined && done < cycle.id) continue;
      let u = byUnit.get(a.unit);
      if (!u) byUnit.set(a.unit, (u = { unit: a.unit, expected: 0, reported: 0, onTime: 0, lastFirstReport: null }));
      u.expected++;
      const at = reported.get(`${cycle.id}|${a.duty.taskId}|${a.unit}`);
      if (at === undefined) continue;
      u.reported++;
      const day = dateInZone(Date.parse(at), tz);
      if (day <= cycle.due) u.onTime++;
      if (u.lastFirstReport === null || day > u.lastFirstReport) u.lastFirstReport = day;
    }
    const units = [...byUnit.values()];
    const sum = (k: 'expected' | 'reported' | 'onTime') => units.reduce((n, u) => n + u[k], 0);
    return { cycle, expected: sum('expected'), reported: sum('reported'), onTime: sum('onTime'), units };
  });
}

/** The assignments following the rule most of them follow. */
function mainRuleAssignments(all: readonly Assignment[]): Assignment[] {
  const byRule = new Map<string, Assignment[]>();
  for (const a of all) addTo(byRule, `${a.rule.kind}:${a.rule.dueDay}`, a);
  return [...byRule.values()].sort((x, y) => y.length - x.length)[0] ?? [];
}
