/**
 * Progress reports (进度报送): one row per report of a unit on a task for a cycle. A withdrawn report stays in
 * the table with `withdrawn_at` set. The chat bot writes them; reminders read which units still owe one.
 *
 * Every write also keeps, in the same transaction, report_latest (the newest live report of each unit on each
 * task in each cycle) and report_done (the pairs whose newest live report says done), which status reads in
 * bulk: see migration 6.
 */
import type Database from 'better-sqlite3';
import { lazily } from './lazy-statements';

export type ReportStatus = 'not_started' | 'in_progress' | 'done' | 'blocked';

/** The statuses in a fixed order: report_latest.fact stores their index, so never reorder them. */
export const REPORT_STATUSES: readonly ReportStatus[] = ['not_started', 'in_progress', 'done', 'blocked'];

/**
 * Pairs read in bulk, as parallel arrays: task ids, unit numbers (see ReportStore.unitNumbers) and, for a cycle's
 * facts, the status as its index in REPORT_STATUSES.
 */
export interface PairFacts {
  count: number;
  taskIds: Int32Array;
  units: Int32Array;
  statuses: Uint8Array;
}

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

/** A stored report as the bot shows it. */
export interface StoredReport {
  id: number;
  taskId: number;
  unit: string;
  cycle: string;
  status: ReportStatus;
  percent: number | null;
  text: string;
  reporterId: string | null;
  reporterName: string | null;
  reportedAt: string;
}

/** That a unit reported on a task in a cycle, and when first. */
export interface CycleReport {
  cycle: string;
  taskId: number;
  unit: string;
  /** ISO instant of the first live report. */
  firstAt: string;
}

/** A report in the history, withdrawn ones included. */
export interface HistoryReport extends StoredReport {
  withdrawnAt: string | null;
}

/** A report in the history with the task it is on (archived tasks too), for the 台账's history sheet. */
export interface ReportOnTask extends HistoryReport {
  planId: number;
  taskKey: string;
  taskText: string;
}

const REPORT_COLUMNS = `id, task_id AS taskId, unit, cycle, status, percent, text, reporter_id AS reporterId,
  reporter_name AS reporterName, reported_at AS reportedAt`;
/** REPORT_COLUMNS of `reports r`. */
const R_COLUMNS = `r.id, r.task_id AS taskId, r.unit, r.cycle, r.status, r.percent, r.text, r.reporter_id AS reporterId,
  r.reporter_name AS reporterName, r.reported_at AS reportedAt`;

/** A (task, unit) pair. */
export interface TaskUnit {
  taskId: number;
  unit: string;
}

type Pair = { taskId: number; unit: string };
type Tasks = { tasks: string };

function prepare(db: Database.Database) {
  return lazily({
    latestInCycle: () => db.prepare<{ cycle: string }, StoredReport>(
      `SELECT ${R_COLUMNS} FROM report_latest l JOIN reports r ON r.id = l.report_id WHERE l.cycle = @cycle`,
    ),
    latestForTasks: () => db.prepare<{ cycle: string; unit: string | null } & Tasks, StoredReport>(
      `SELECT ${R_COLUMNS} FROM report_latest l JOIN reports r ON r.id = l.report_id
       WHERE l.cycle = @cycle AND l.task_id IN (SELECT value FROM json_each(@tasks))
         AND (@unit IS NULL OR l.unit_id = (SELECT id FROM status_units WHERE name = @unit))`,
    ),
    doneAll: () => db.prepare<[], TaskUnit>(
      'SELECT d.task_id AS taskId, u.name AS unit FROM report_done d JOIN status_units u ON u.id = d.unit_id',
    ),
    doneForTasks: () => db.prepare<{ unit: string | null } & Tasks, TaskUnit>(
      `SELECT d.task_id AS taskId, u.name AS unit FROM report_done d JOIN status_units u ON u.id = d.unit_id
       WHERE d.task_id IN (SELECT value FROM json_each(@tasks)) AND (@unit IS NULL OR u.name = @unit)`,
    ),
    // Every pair as one integer (report_latest.fact), all in one string: rows cost microseconds each on the way
    // to JavaScript, and a province has hundreds of thousands of pairs.
    cycleFacts: () => db.prepare<{ cycle: string }, string | null>('SELECT group_concat(fact) FROM report_latest WHERE cycle = @cycle').pluck(),
    doneFacts: () =>
      db.prepare<[], string | null>(`SELECT group_concat((task_id * ${UNIT_SPAN} + unit_id) * 4 + ${DONE}) FROM report_done`).pluck(),
    unitId: () => db.prepare<{ unit: string }, number>('SELECT id FROM status_units WHERE name = @unit').pluck(),
    insertUnit: () => db.prepare<{ unit: string }>('INSERT INTO status_units (name) VALUES (@unit)'),
    reportOf: () => db.prepare<{ id: number }, { taskId: number; unit: string; cycle: string }>(
      'SELECT task_id AS taskId, unit, cycle FROM reports WHERE id = @id',
    ),
    newestInCycle: () => db.prepare<Pair & { cycle: string }, { id: number; status: ReportStatus }>(
      `SELECT id, status FROM reports INDEXED BY reports_by_task
       WHERE task_id = @taskId AND unit = @unit AND cycle = @cycle AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1`,
    ),
    setLatest: () => db.prepare<{ cycle: string; taskId: number; unitId: number; reportId: number; status: ReportStatus; fact: number }>(
      `INSERT INTO report_latest (cycle, task_id, unit_id, report_id, status, fact) VALUES (@cycle, @taskId, @unitId, @reportId, @status, @fact)
       ON CONFLICT (cycle, task_id, unit_id) DO UPDATE SET report_id = excluded.report_id, status = excluded.status, fact = excluded.fact`,
    ),
    dropLatest: () => db.prepare<{ cycle: string; taskId: number; unitId: number }>(
      'DELETE FROM report_latest WHERE cycle = @cycle AND task_id = @taskId AND unit_id = @unitId',
    ),
    setDone: () => db.prepare<{ taskId: number; unitId: number }>(
      'INSERT INTO report_done (task_id, unit_id) VALUES (@taskId, @unitId) ON CONFLICT DO NOTHING',
    ),
    dropDone: () => db.prepare<{ taskId: number; unitId: number }>('DELETE FROM report_done WHERE task_id = @taskId AND unit_id = @unitId'),
    latestOfUnit: () => db.prepare<{ cycle: string; unit: string }, StoredReport>(
      `SELECT ${REPORT_COLUMNS} FROM reports r
       WHERE r.cycle = @cycle AND r.unit = @unit AND r.withdrawn_at IS NULL
         AND r.id = (SELECT max(id) FROM reports l WHERE l.task_id = r.task_id AND l.unit = r.unit AND l.cycle = @cycle
                     AND l.withdrawn_at IS NULL)`,
    ),
    latestStatus: () => db
      .prepare<{ unit: string; taskId: number }, ReportStatus>(
        `SELECT status FROM reports INDEXED BY reports_by_unit
         WHERE unit = @unit AND task_id = @taskId AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1`,
      )
      .pluck(),
    latestOnTask: () => db.prepare<{ unit: string; taskId: number }, StoredReport>(
      `SELECT ${REPORT_COLUMNS} FROM reports INDEXED BY reports_by_unit
       WHERE unit = @unit AND task_id = @taskId AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1`,
    ),
    lastBy: () => db.prepare<{ reporterId: string }, StoredReport>(
      `SELECT ${REPORT_COLUMNS} FROM reports WHERE reporter_id = @reporterId AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1`,
    ),
    lastOnTaskBy: () => db.prepare<{ reporterId: string; taskId: number; unit: string }, StoredReport>(
      `SELECT ${REPORT_COLUMNS} FROM reports
       WHERE reporter_id = @reporterId AND task_id = @taskId AND unit = @unit AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1`,
    ),
    historyOfUnit: () => db.prepare<{ unit: string; limit: number }, HistoryReport>(
      `SELECT ${REPORT_COLUMNS}, withdrawn_at AS withdrawnAt FROM reports WHERE unit = @unit ORDER BY id DESC LIMIT @limit`,
    ),
    historyOfTask: () => db.prepare<{ taskId: number; limit: number }, HistoryReport>(
      `SELECT ${REPORT_COLUMNS}, withdrawn_at AS withdrawnAt FROM reports WHERE task_id = @taskId ORDER BY id DESC LIMIT @limit`,
    ),
    all: () => db.prepare<[], ReportOnTask>(
      `SELECT r.id, r.task_id AS taskId, r.unit, r.cycle, r.status, r.percent, r.text, r.reporter_id AS reporterId,
         r.reporter_name AS reporterName, r.reported_at AS reportedAt, r.withdrawn_at AS withdrawnAt,
         t.plan_id AS planId, t.task_key AS taskKey, t.text AS taskText
       FROM reports r JOIN tasks t ON t.id = r.task_id ORDER BY r.id`,
    ),
    reportedInCycles: () => db.prepare<{ cycles: string }, CycleReport>(
      `SELECT cycle, task_id AS taskId, unit, min(reported_at) AS firstAt FROM reports
       WHERE withdrawn_at IS NULL AND cycle IN (SELECT value FROM json_each(@cycles))
       GROUP BY cycle, task_id, unit`,
    ),
    doneSince: () => db.prepare<[], { taskId: number; unit: string; cycle: string }>(
      `SELECT task_id AS taskId, unit, min(cycle) AS cycle FROM reports WHERE withdrawn_at IS NULL AND status = 'done' GROUP BY task_id, unit`,
    ),
    withdraw: () => db.prepare('UPDATE reports SET withdrawn_at = @at WHERE id = @id AND withdrawn_at IS NULL'),
    fromMessage: () => db.prepare<{ msgId: string }, number>('SELECT count(*) FROM reports WHERE source_msg_id = @msgId').pluck(),
    insert: () => db.prepare(
      `INSERT INTO reports (task_id, unit, cycle, status, percent, text, reporter_id, reporter_name, source_msg_id, reported_at)
       VALUES (@taskId, @unit, @cycle, @status, @percent, @text, @reporterId, @reporterName, @sourceMsgId, @reportedAt)`,
    ),
    states: () => db.prepare<{ cycle: string }, { taskId: number; unit: string; latestStatus: ReportStatus; inCycle: number }>(
      `SELECT r.task_id AS taskId, r.unit, r.status AS latestStatus,
         EXISTS (SELECT 1 FROM reports c WHERE c.task_id = r.task_id AND c.unit = r.unit AND c.cycle = @cycle
                 AND c.withdrawn_at IS NULL) AS inCycle
       FROM reports r
       WHERE r.withdrawn_at IS NULL
         AND r.id = (SELECT max(id) FROM reports l WHERE l.task_id = r.task_id AND l.unit = r.unit AND l.withdrawn_at IS NULL)`,
    ),
  });
}

/** Unit numbers stay below this (2^20), so that report_latest.fact packs a task, a unit and a status exactly. */
const UNIT_SPAN = 1048576;
const DONE = REPORT_STATUSES.indexOf('done');

/** report_latest.fact: (task × 2^20 + unit) × 4 + the status's index in REPORT_STATUSES. */
function factOf(taskId: number, unitId: number, status: ReportStatus): number {
  return (taskId * UNIT_SPAN + unitId) * 4 + REPORT_STATUSES.indexOf(status);
}

/** Reads cycleFacts / doneFacts: comma-separated report_latest.fact integers. */
function parseFacts(text: string): PairFacts {
  const values = JSON.parse(`[${text}]`) as number[];
  const count = values.length;
  const out: PairFacts = { count, taskIds: new Int32Array(count), units: new Int32Array(count), statuses: new Uint8Array(count) };
  for (let k = 0; k < count; k++) {
    const value = values[k] as number;
    const status = value % 4;
    const pair = (value - status) / 4;
    const unit = pair % UNIT_SPAN;
    out.taskIds[k] = (pair - unit) / UNIT_SPAN;
    out.units[k] = unit;
    out.statuses[k] = status;
  }
  return out;
}

export class ReportStore {
  private readonly s: ReturnType<typeof prepare>;
  private readonly tx;

  constructor(db: Database.Database) {
    this.s = prepare(db);
    this.tx = lazily({
      add: () =>
        db.transaction((r: NewReport) => {
          const id = Number(
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
          this.refresh(r.taskId, r.unit, r.cycle);
          return id;
        }),
      withdraw: () =>
        db.transaction((id: number, at: Date) => {
          if (this.s.withdraw.run({ id, at: at.toISOString() }).changes !== 1) return false;
          const r = this.s.reportOf.get({ id });
          if (r) this.refresh(r.taskId, r.unit, r.cycle);
          return true;
        }),
      numbers: () => db.transaction((units: readonly string[]) => units.map((u) => this.unitNumber(u))),
    });
  }

  /** Stores one report; returns its id. */
  add(r: NewReport): number {
    return this.tx.add(r);
  }

  /** The number of a unit name in status_units, added when new. */
  private unitNumber(unit: string): number {
    const id = this.s.unitId.get({ unit }) ?? Number(this.s.insertUnit.run({ unit }).lastInsertRowid);
    if (id >= UNIT_SPAN) throw new Error(`status_units 已有 ${id} 个单位名称，超过报送事实能编码的 ${UNIT_SPAN} 个。`);
    return id;
  }

  /** Brings report_latest and report_done up to date for one unit's reports on a task in a cycle. */
  private refresh(taskId: number, unit: string, cycle: string): void {
    const unitId = this.unitNumber(unit);
    const latest = this.s.newestInCycle.get({ taskId, unit, cycle });
    if (latest) this.s.setLatest.run({ cycle, taskId, unitId, reportId: latest.id, status: latest.status, fact: factOf(taskId, unitId, latest.status) });
    else this.s.dropLatest.run({ cycle, taskId, unitId });
    if (this.s.latestStatus.get({ unit, taskId }) === 'done') this.s.setDone.run({ taskId, unitId });
    else this.s.dropDone.run({ taskId, unitId });
  }

  /** The newest live report of each (task, unit) in `cycle`. */
  latestInCycle(cycle: string): StoredReport[] {
    return this.s.latestInCycle.all({ cycle });
  }

  /** The newest live report of each unit (or of one unit) on each of the tasks in `cycle`. */
  latestForTasks(cycle: string, taskIds: readonly number[], unit: string | null = null): StoredReport[] {
    return taskIds.length ? this.s.latestForTasks.all({ cycle, unit, tasks: JSON.stringify(taskIds) }) : [];
  }

  /** Every (task, unit) whose newest live report, in any cycle, says done. */
  doneAll(): TaskUnit[] {
    return this.s.doneAll.all();
  }

  /** The (task, unit) pairs of these tasks (and of one unit) whose newest live report says done. */
  doneForTasks(taskIds: readonly number[], unit: string | null = null): TaskUnit[] {
    return taskIds.length ? this.s.doneForTasks.all({ unit, tasks: JSON.stringify(taskIds) }) : [];
  }

  /** Every pair reported in the cycle with the status of its newest live report (units by number). */
  cycleFacts(cycle: string): PairFacts {
    return parseFacts(this.s.cycleFacts.get({ cycle }) ?? '');
  }

  /** Every pair whose newest live report says done (units by number; every status is done's). */
  doneFacts(): PairFacts {
    return parseFacts(this.s.doneFacts.get() ?? '');
  }

  /** The numbers cycleFacts and doneFacts give these units (added when new, so that every name has one). */
  unitNumbers(units: readonly string[]): number[] {
    return this.tx.numbers(units);
  }

  /** The newest live report of each of a unit's tasks in `cycle`. */
  latestOfUnit(cycle: string, unit: string): StoredReport[] {
    return this.s.latestOfUnit.all({ cycle, unit });
  }

  /** The status of the unit's newest live report on a task (one index probe), or null when it never reported. */
  latestStatus(taskId: number, unit: string): ReportStatus | null {
    return this.s.latestStatus.get({ unit, taskId }) ?? null;
  }

  /** The unit's newest live report on a task, in any cycle (one index probe), or null. */
  latestOnTask(taskId: number, unit: string): StoredReport | null {
    return this.s.latestOnTask.get({ unit, taskId }) ?? null;
  }

  /** The sender's newest live report, if any. */
  lastBy(reporterId: string): StoredReport | null {
    return this.s.lastBy.get({ reporterId }) ?? null;
  }

  /** The sender's newest live report on a task for a unit, if any. */
  lastOnTaskBy(reporterId: string, taskId: number, unit: string): StoredReport | null {
    return this.s.lastOnTaskBy.get({ reporterId, taskId, unit }) ?? null;
  }

  /** Marks a report withdrawn (kept for the record). Returns whether it was live. */
  withdraw(id: number, at: Date): boolean {
    return this.tx.withdraw(id, at);
  }

  /** Whether reports were already stored from this chat message (a redelivered callback). */
  hasMessage(msgId: string): boolean {
    return this.s.fromMessage.get({ msgId }) !== 0;
  }

  /** A unit's reports, newest first, withdrawn ones included (marked). */
  historyOfUnit(unit: string, limit = 500): HistoryReport[] {
    return this.s.historyOfUnit.all({ unit, limit });
  }

  /** A task's reports from every unit, newest first, withdrawn ones included (marked). */
  historyOfTask(taskId: number, limit = 500): HistoryReport[] {
    return this.s.historyOfTask.all({ taskId, limit });
  }

  /** Every report ever stored, oldest first, with its task (the 台账's history sheet). */
  all(): IterableIterator<ReportOnTask> {
    return this.s.all.iterate();
  }

  /** The (task, unit) pairs with a live report in each of the cycles, and when the first of them was made. */
  reportedInCycles(cycles: readonly string[]): CycleReport[] {
    return this.s.reportedInCycles.all({ cycles: JSON.stringify(cycles) });
  }

  /** The first cycle in which each (task, unit) was reported done (live reports only). */
  doneSince(): { taskId: number; unit: string; cycle: string }[] {
    return this.s.doneSince.all();
  }

  /** Every (task, unit) that has a live report, with its newest status and whether it reported in `cycle`. */
  statesForCycle(cycle: string): ReportState[] {
    return this.s.states.all({ cycle }).map(({ inCycle, ...s }) => ({ ...s, reportedInCycle: inCycle === 1 }));
  }
}
