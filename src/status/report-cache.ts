/**
 * The reports a status view has read, kept for the view's moment: the newest live report of a unit on a task in
 * a cycle, and whether the unit's newest live report on the task says done. Read in bulk (a whole cycle, the
 * tasks of an item, one unit's tasks) from report_latest and report_done, or else one unit and cycle at a time.
 */
import type { Store, StoredReport } from '../store/store';

export class ReportCache {
  /** Newest live report by `cycle|task|unit`; null when known to be none. */
  private readonly latest = new Map<string, StoredReport | null>();
  /** What was read whole: cycles, `cycle|task` (every unit), `cycle|unit` (every task). */
  private readonly cycles = new Set<string>();
  private readonly cycleTasks = new Set<string>();
  private readonly cycleUnits = new Set<string>();
  /** Whether a pair is done, by `task|unit`; and what was read whole: every pair, or every unit of a task. */
  private readonly done = new Map<string, boolean>();
  private allDone = false;
  private readonly doneTasks = new Set<number>();

  constructor(private readonly reports: Store['reports']) {}

  /** The newest live report of the unit on the task in the cycle. */
  report(cycle: string, taskId: number, unit: string): StoredReport | null {
    const key = `${cycle}|${taskId}|${unit}`;
    const known = this.latest.get(key);
    if (known !== undefined) return known;
    if (this.cycles.has(cycle) || this.cycleTasks.has(`${cycle}|${taskId}`) || this.cycleUnits.has(`${cycle}|${unit}`)) return null;
    for (const r of this.reports.latestOfUnit(cycle, unit)) this.latest.set(`${cycle}|${r.taskId}|${unit}`, r);
    this.cycleUnits.add(`${cycle}|${unit}`);
    return this.latest.get(key) ?? null;
  }

  /** Whether the unit's newest live report on the task, in any cycle, says done. */
  isDone(taskId: number, unit: string): boolean {
    const key = `${taskId}|${unit}`;
    let done = this.done.get(key);
    if (done === undefined) {
      done = this.allDone || this.doneTasks.has(taskId) ? false : this.reports.latestStatus(taskId, unit) === 'done';
      this.done.set(key, done);
    }
    return done;
  }

  /** Reads whole cycles: every pair reported in them. */
  loadCycles(cycles: Iterable<string>): void {
    for (const cycle of cycles) {
      if (this.cycles.has(cycle)) continue;
      for (const r of this.reports.latestInCycle(cycle)) this.latest.set(`${cycle}|${r.taskId}|${r.unit}`, r);
      this.cycles.add(cycle);
    }
  }

  /** Reads every done pair. */
  loadAllDone(): void {
    if (this.allDone) return;
    for (const d of this.reports.doneAll()) this.done.set(`${d.taskId}|${d.unit}`, true);
    this.allDone = true;
  }

  /** Reads the tasks' reports in the cycles (every unit's, or one unit's) and which of their pairs are done. */
  loadTasks(cycles: Iterable<string>, taskIds: readonly number[], unit: string | null): void {
    for (const cycle of cycles) {
      if (this.cycles.has(cycle)) continue;
      for (const r of this.reports.latestForTasks(cycle, taskIds, unit)) this.latest.set(`${cycle}|${r.taskId}|${r.unit}`, r);
      if (unit === null) {
        for (const t of taskIds) this.cycleTasks.add(`${cycle}|${t}`);
      } else {
        for (const t of taskIds) if (!this.latest.has(`${cycle}|${t}|${unit}`)) this.latest.set(`${cycle}|${t}|${unit}`, null);
      }
    }
    if (this.allDone) return;
    for (const d of this.reports.doneForTasks(taskIds, unit)) this.done.set(`${d.taskId}|${d.unit}`, true);
    if (unit === null) {
      for (const t of taskIds) this.doneTasks.add(t);
    } else {
      for (const t of taskIds) if (!this.done.has(`${t}|${unit}`)) this.done.set(`${t}|${unit}`, false);
    }
  }
}
