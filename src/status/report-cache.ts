/**
 * The reports a status view has read, kept for the view's moment: the newest live report of a unit on a task in
 * a cycle, and whether the unit's newest live report on the task says done. Read in bulk (a whole cycle, the
 * tasks of an item, one unit's tasks) from report_latest and report_done, or else one unit and cycle at a time.
 * Kept by cycle, unit and task in nested maps: a province's board looks up a million of them.
 */
import type { Store, StoredReport } from '../store/store';

/** Values by a string, then a number. */
class Table<V> {
  private readonly rows = new Map<string, Map<number, V>>();

  get(a: string, b: number): V | undefined {
    return this.rows.get(a)?.get(b);
  }

  set(a: string, b: number, value: V): void {
    let row = this.rows.get(a);
    if (!row) this.rows.set(a, (row = new Map()));
    row.set(b, value);
  }

  has(a: string, b: number): boolean {
    return this.rows.get(a)?.has(b) ?? false;
  }
}

export class ReportCache {
  /** Newest live report by cycle, then `unit`, then task id; null when known to be none. */
  private readonly latest = new Map<string, Table<StoredReport | null>>();
  /** What was read whole: cycles, (cycle, task) for every unit, (cycle, unit) for every task. */
  private readonly cycles = new Set<string>();
  private readonly cycleTasks = new Set<string>();
  private readonly cycleUnits = new Set<string>();
  /** Whether a pair is done, by unit then task; and what was read whole: every pair, or every unit of a task. */
  private readonly done = new Table<boolean>();
  private allDone = false;
  private readonly doneTasks = new Set<number>();

  constructor(private readonly reports: Store['reports']) {}

  private inCycle(cycle: string): Table<StoredReport | null> {
    let table = this.latest.get(cycle);
    if (!table) this.latest.set(cycle, (table = new Table()));
    return table;
  }

  /** The newest live report of the unit on the task in the cycle. */
  report(cycle: string, taskId: number, unit: string): StoredReport | null {
    const table = this.inCycle(cycle);
    const known = table.get(unit, taskId);
    if (known !== undefined) return known;
    if (this.cycles.has(cycle) || this.cycleTasks.has(`${cycle}|${taskId}`) || this.cycleUnits.has(`${cycle}|${unit}`)) return null;
    for (const r of this.reports.latestOfUnit(cycle, unit)) table.set(unit, r.taskId, r);
    this.cycleUnits.add(`${cycle}|${unit}`);
    return table.get(unit, taskId) ?? null;
  }

  /** Whether the unit's newest live report on the task, in any cycle, says done. */
  isDone(taskId: number, unit: string): boolean {
    let done = this.done.get(unit, taskId);
    if (done === undefined) {
      done = this.allDone || this.doneTasks.has(taskId) ? false : this.reports.latestStatus(taskId, unit) === 'done';
      this.done.set(unit, taskId, done);
    }
    return done;
  }

  /** Reads whole cycles: every pair reported in them. */
  loadCycles(cycles: Iterable<string>): void {
    for (const cycle of cycles) {
      if (this.cycles.has(cycle)) continue;
      const table = this.inCycle(cycle);
      for (const r of this.reports.latestInCycle(cycle)) table.set(r.unit, r.taskId, r);
      this.cycles.add(cycle);
    }
  }

  /** Reads every done pair. */
  loadAllDone(): void {
    if (this.allDone) return;
    for (const d of this.reports.doneAll()) this.done.set(d.unit, d.taskId, true);
    this.allDone = true;
  }

  /** Reads the tasks' reports in the cycles (every unit's, or one unit's) and which of their pairs are done. */
  loadTasks(cycles: Iterable<string>, taskIds: readonly number[], unit: string | null): void {
    for (const cycle of cycles) {
      if (this.cycles.has(cycle)) continue;
      const table = this.inCycle(cycle);
      for (const r of this.reports.latestForTasks(cycle, taskIds, unit)) table.set(r.unit, r.taskId, r);
      if (unit === null) {
        for (const t of taskIds) this.cycleTasks.add(`${cycle}|${t}`);
      } else {
        for (const t of taskIds) if (!table.has(unit, t)) table.set(unit, t, null);
      }
    }
    if (this.allDone) return;
    for (const d of this.reports.doneForTasks(taskIds, unit)) this.done.set(d.unit, d.taskId, true);
    if (unit === null) {
      for (const t of taskIds) this.doneTasks.add(t);
    } else {
      for (const t of taskIds) if (!this.done.has(unit, t)) this.done.set(unit, t, false);
    }
  }
}
