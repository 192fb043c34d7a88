/**
 * The SQLite file of duban. Every SQL statement of the project lives under src/store/; other modules
 * only call the typed methods of `Store`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ParsedPlan } from '../plan/types';
import { migrate } from './migrations';
import { PlanImporter, type ImportResult, type ImportSource } from './plan-import';
import { PlanQueries, type PlanSummary, type PlanTree, type RowCounts } from './plan-queries';

export type { ImportResult, ImportSource } from './plan-import';
export type { PlanInfo, PlanSummary, PlanTree, RowCounts, TreeItem, TreeTask, TreeUnit } from './plan-queries';
export type { Role } from './task-match';

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export interface StoreInfo {
  file: string;
  journalMode: string;
  foreignKeys: boolean;
  busyTimeoutMs: number;
  schemaVersion: number;
}

export class Store {
  private readonly importer: PlanImporter;
  private readonly plans: PlanQueries;

  private constructor(private readonly db: Database.Database) {
    this.importer = new PlanImporter(db);
    this.plans = new PlanQueries(db);
  }

  /**
   * Opens (creating it and its folder if needed) the database file, switches it to WAL with foreign keys on,
   * and applies pending migrations. `:memory:` gives a private in-memory database.
   */
  static open(file: string): Store {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      return new Store(db);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Connection settings, for health checks and tests. `schemaVersion` is `PRAGMA user_version`. */
  info(): StoreInfo {
    const pragma = (name: string): unknown => this.db.pragma(name, { simple: true });
    return {
      file: this.db.name,
      journalMode: String(pragma('journal_mode')),
      foreignKeys: pragma('foreign_keys') === 1,
      busyTimeoutMs: Number(pragma('busy_timeout')),
      schemaVersion: Number(pragma('user_version')),
    };
  }

  /**
   * Loads or re-loads a plan (identified by its title) in one transaction; see ImportResult.
   * Throws (with nothing written) when the plan is malformed.
   */
  importPlan(plan: ParsedPlan, source: ImportSource, now: Date): ImportResult {
    return this.importer.importPlan(plan, source, now);
  }

  listPlans(): PlanSummary[] {
    return this.plans.listPlans();
  }

  hasAnyPlan(): boolean {
    return this.plans.hasAnyPlan();
  }

  getPlanTree(planId: number): PlanTree | null {
    return this.plans.getPlanTree(planId);
  }

  listUnitNames(planId?: number): string[] {
    return this.plans.listUnitNames(planId);
  }

  countRows(): RowCounts {
    return this.plans.countRows();
  }
}
