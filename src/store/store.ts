/**
 * The SQLite file of duban. Every SQL statement of the project lives under src/store/; other modules
 * only call the typed methods of `Store`.
 */
import { StoreError, storeOpenError } from './store-error';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ParsedPlan } from '../plan/types';
import { migrate } from './migrations';
import { PlanImporter, type ImportOptions, type ImportResult, type ImportSource } from './plan-import';
import { PlanQueries, type PlanHeading, type PlanSummary, type PlanTree, type RowCounts } from './plan-queries';
import { OutboxStore } from './outbox-store';
import { ReportStore } from './report-store';
import { AlertStore } from './alert-store';
import { ScheduleStore } from './schedule-store';
import { SettingsStore } from './settings-store';
import { StatusCacheStore } from './status-cache-store';

export type { ImportOptions, ImportResult, ImportSource } from './plan-import';
export type { PlanHeading, PlanInfo, PlanSummary, PlanTree, RowCounts, TreeItem, TreeTask, TreeUnit } from './plan-queries';
export type { Role } from './plan-shape';
export type { OutboxDraft, OutboxRow, OutboxStatus, OutboxCounts, EnqueueResult, ClaimResult } from './outbox-store';
export type { CycleReport, HistoryReport, NewReport, PairFacts, ReportOnTask, ReportState, ReportStatus, StoredReport, TaskUnit } from './report-store';
export { REPORT_STATUSES } from './report-store';
export type { AlertRecord } from './alert-store';

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
export { StoreError } from './store-error';
export type { StoreErrorCode } from './store-error';

export const BUSY_TIMEOUT_MS = 5000;

export interface StoreInfo {
  file: string;
  journalMode: string;
  foreignKeys: boolean;
  busyTimeoutMs: number;
  schemaVersion: number;
}

export class Store {
  private importerPart?: PlanImporter;
  private plansPart?: PlanQueries;
  private outboxPart?: OutboxStore;
  private reportsPart?: ReportStore;
  private alertsPart?: AlertStore;
  private schedulePart?: ScheduleStore;
  private statusCachePart?: StatusCacheStore;
  private settingsPart?: SettingsStore;

  // Each part prepares its statements on first use: a process that reads one unit's status prepares a few
  // dozen statements, not every statement of the program.
  private constructor(private readonly db: Database.Database) {}

  private get importer(): PlanImporter {
    return (this.importerPart ??= new PlanImporter(this.db));
  }

  private get plans(): PlanQueries {
    return (this.plansPart ??= new PlanQueries(this.db));
  }

  /** The durable queue of outgoing messages. */
  get outbox(): OutboxStore {
    return (this.outboxPart ??= new OutboxStore(this.db));
  }

  /** Progress reports. */
  get reports(): ReportStore {
    return (this.reportsPart ??= new ReportStore(this.db));
  }

  /** The last alert of each kind sent to the admins. */
  get alerts(): AlertStore {
    return (this.alertsPart ??= new AlertStore(this.db));
  }

  /** The scheduler's last tick. */
  get schedule(): ScheduleStore {
    return (this.schedulePart ??= new ScheduleStore(this.db));
  }

  /** Derived status data kept between processes. */
  get statusCache(): StatusCacheStore {
    return (this.statusCachePart ??= new StatusCacheStore(this.db));
  }

  /** Values the service generated for itself (the dashboard's token). */
  get settings(): SettingsStore {
    return (this.settingsPart ??= new SettingsStore(this.db));
  }

  /** Runs `fn` in one immediate transaction (nested calls become savepoints): all of its writes or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Opens (creating it and its folder if needed) the database file, switches it to WAL with foreign keys on,
   * and applies pending migrations. `:memory:` gives a private in-memory database. With `mustExist`, a
   * missing file is an error instead (for commands that only read: they must not leave an empty
   * database behind a mistyped path).
   * @throws StoreError with a Chinese message naming the file when it cannot be opened.
   */
  static open(file: string, opts: { mustExist?: boolean } = {}): Store {
    if (file !== ':memory:' && opts.mustExist && !fs.existsSync(file)) {
      throw new StoreError(
        'NO_DATABASE',
        file,
        `数据库文件 ${file} 不存在。请先运行 duban plan import 计划文件 导入计划，或检查 DB_PATH（或 --db）的设置。`,
      );
    }
    let db: Database.Database;
    try {
      if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    } catch (err) {
      throw storeOpenError(err, file);
    }
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      return new Store(db);
    } catch (err) {
      db.close();
      throw storeOpenError(err, file);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Connection settings, for health checks and tests. `schemaVersion` is `PRAGMA user_version`. */
  info(): StoreInfo {
    const simple = { simple: true };
    return {
      file: this.db.name,
      journalMode: String(this.db.pragma('journal_mode', simple)),
      foreignKeys: this.db.pragma('foreign_keys', simple) === 1,
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', simple)),
      schemaVersion: Number(this.db.pragma('user_version', simple)),
    };
  }

  /**
   * Loads or re-loads a plan in one transaction; see ImportResult. The plan is the one whose newest import has
   * the same sha256 (then nothing is written), else `opts.planId` (a new version of that plan, title included),
   * else the plan with the same title, else a new one. Throws (with nothing written) when the plan is
   * malformed, `opts.planId` does not exist, or the new title belongs to another plan.
   */
  importPlan(plan: ParsedPlan, source: ImportSource, now: Date, opts: ImportOptions = {}): ImportResult {
    return this.importer.importPlan(plan, source, now, opts);
  }

  /**
   * What importPlan would report, from the same import run in a transaction that is rolled back: the
   * database is left exactly as it was (for `duban plan import --dry-run`). Throws as importPlan does.
   */
  previewImport(plan: ParsedPlan, source: ImportSource, now: Date, opts: ImportOptions = {}): ImportResult {
    return this.importer.previewImport(plan, source, now, opts);
  }

  listPlans(): PlanSummary[] {
    return this.plans.listPlans();
  }

  hasAnyPlan(): boolean {
    return this.plans.hasAnyPlan();
  }

  /** Changes whenever a plan is imported or re-imported (the newest import's id; 0 with none). */
  planVersion(): number {
    return this.plans.planVersion();
  }

  getPlanTree(planId: number): PlanTree | null {
    return this.plans.getPlanTree(planId);
  }

  listUnitNames(planId?: number): string[] {
    return this.plans.listUnitNames(planId);
  }

  /** Every plan's id, title and sections, by id. */
  planHeadings(): PlanHeading[] {
    return this.plans.headings();
  }

  /** The plans' trees cut down to these tasks (see PlanQueries.partialTrees). */
  partialTrees(taskIds: readonly number[], withSections = true): PlanTree[] {
    return this.plans.partialTrees(taskIds, withSections);
  }

  /** The unit names (as written) among `names`, and every name not stored in normal form. */
  unitNamesAmong(names: readonly string[]): string[] {
    return this.plans.unitNamesAmong(names);
  }

  /** Names of the units with a live assignment, in no particular order. */
  liveUnitNames(): string[] {
    return this.plans.liveUnitNames();
  }

  /** Live tasks naming one of these units (as written). */
  taskIdsOfUnits(names: readonly string[]): number[] {
    return this.plans.taskIdsOfUnits(names);
  }

  /** Live tasks of the live items numbered `number`, in one plan or (null) in every plan. */
  taskIdsOfItem(number: number, planId: number | null): number[] {
    return this.plans.taskIdsOfItem(number, planId);
  }

  countRows(): RowCounts {
    return this.plans.countRows();
  }
}
