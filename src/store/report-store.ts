/**
 * Progress reports (进度报送): one row per report of a unit on a task for a cycle. A withdrawn report stays in
 * the table with `withdrawn_at` set. The chat bot writes them; reminders read which units still owe one.
 */
import type Database from 'better-sqlite3';

export type ReportStatus = 'not_started' | 'in_progress' | 'done' | 'blocked';

export interface NewReport {
  taskId: number;
  /** Canonical name of a single unit. */
  unit: string;
  cycle: string;
  status: ReportStatus;
  percent?: number | null;
  text?: string;
  reporterId?: string | null;
  reporterName?: string | null;
  sourceMsgId?: string | null;
  reportedAt: Date;
}

/** Where a unit stands on a task: its newest live report, and whether it reported in the cycle asked about. */
export interface ReportState {
  taskId: number;
  unit: string;
  latestStatus: ReportStatus;
  reportedInCycle: boolean;
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO reports (task_id, unit, cycle, status, percent, text, reporter_id, reporter_name, source_msg_id, reported_at)
       VALUES (@taskId, @unit, @cycle, @status, @percent, @text, @reporterId, @reporterName, @sourceMsgId, @reportedAt)`,
    ),
    states: db.prepare<{ cycle: string }, { taskId: number; unit: string; latestStatus: ReportStatus; inCycle: number }>(
      `SELECT r.task_id AS taskId, r.unit, r.status AS latestStatus,
         EXISTS (SELECT 1 FROM reports c WHERE c.task_id = r.task_id AND c.unit = r.unit AND c.cycle = @cycle
                 AND c.withdrawn_at IS NULL) AS inCycle
       FROM reports r
       WHERE r.withdrawn_at IS NULL
         AND r.id = (SELECT max(id) FROM reports l WHERE l.task_id = r.task_id AND l.unit = r.unit AND l.withdrawn_at IS NULL)`,
    ),
  };
}

export class ReportStore {
  private readonly s: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.s = prepare(db);
  }

  /** Stores one report; returns its id. */
  add(r: NewReport): number {
    return Number(
      this.s.insert.run({
        taskId: r.taskId,
        unit: r.unit,
        cycle: r.cycle,
        status: r.status,
        percent: r.percent ?? null,
        text: r.text ?? '',
        reporterId: r.reporterId ?? null,
        reporterName: r.reporterName ?? null,
        sourceMsgId: r.sourceMsgId ?? null,
        reportedAt: r.reportedAt.toISOString(),
      }).lastInsertRowid,
    );
  }

  /** Every (task, unit) that has a live report, with its newest status and whether it reported in `cycle`. */
  statesForCycle(cycle: string): ReportState[] {
    return this.s.states.all({ cycle }).map(({ inCycle, ...s }) => ({ ...s, reportedInCycle: inCycle === 1 }));
  }
}
