/**
 * Loading a ParsedPlan into the database, or re-loading it: one IMMEDIATE transaction that finds the plan,
 * updates its sections and lets PlanSync diff items and tasks against the stored ones. A preview runs the same
 * transaction and rolls it back.
 */
import { StoreError } from './store-error';
import type Database from 'better-sqlite3';
import type { ParsedPlan } from '../plan/types';
import { prepareImport, type ImportStatements } from './import-statements';
import { countUnits, validatePlan } from './plan-shape';
import { PlanSync } from './plan-sync';

export interface ImportSource {
  /** File name as given by the user, for the import log. */
  name: string;
  /** sha256 of the source file's bytes (hex). */
  sha256: string;
}

export interface ImportOptions {
  /**
   * Import the file as a new version of this existing plan (its title, year, issuer and date become the new
   * file's), instead of finding the plan by the file's title. For a title whose typo was fixed.
   */
  planId?: number;
}

export interface ImportResult {
  planId: number;
  /** The newest import of this plan (of any plan, without `planId`) had the same sha256: nothing was written. */
  unchanged: boolean;
  /** The plan did not exist before. */
  created: boolean;
  /** Keys (`4.2`) of inserted tasks, in document order. */
  added: string[];
  /** New keys of matched tasks whose text, qualifier, deadline, units or roles changed. */
  updated: string[];
  /**
   * New keys of matched tasks whose only change is their key or item (renumbered because something before
   * them was deleted or inserted, or moved to another item).
   */
  renumbered: string[];
  /** New keys of archived tasks with the same text brought back (row id and history kept). */
  restored: string[];
  /** Old keys of tasks that disappeared and were archived. */
  archived: string[];
  /** Matched tasks with nothing changed. */
  unchangedTasks: number;
  /** Items whose title changed, that were added (or restored) or archived. */
  itemsChanged: number;
  /** Counts in the imported plan. */
  items: number;
  tasks: number;
  units: number;
}

/** What plan_imports.summary_json keeps of an ImportResult. */
const SUMMARY_FIELDS = [
  'created', 'added', 'updated', 'renumbered', 'restored', 'archived', 'unchangedTasks', 'itemsChanged',
  'items', 'tasks', 'units',
];

/** Thrown inside a preview's transaction to roll it back, once the result is kept here. */
class Rollback extends Error {}
type Preview = { result?: ImportResult };

type Run = (plan: ParsedPlan, source: ImportSource, now: Date, opts: ImportOptions) => ImportResult;

export class PlanImporter {
  private readonly s: ImportStatements;
  private readonly tx: Run;
  private readonly preview: Run;
  /** Unit ids looked up or inserted in the current transaction only: a rollback would void them. */
  private unitIds = new Map<string, number>();

  constructor(db: Database.Database) {
    this.s = prepareImport(db);
    const tx = db.transaction(
      (plan: ParsedPlan, source: ImportSource, now: Date, opts: ImportOptions, preview: Preview | null) => {
        const result = this.apply(plan, source, now, opts);
        if (!preview) return result;
        preview.result = result;
        throw new Rollback();
      },
    );
    // IMMEDIATE: take the write lock up front so a second connection waits (busy_timeout) instead of failing.
    this.tx = (plan, source, now, opts) => tx.immediate(plan, source, now, opts, null);
    this.preview = (plan, source, now, opts) => {
      const preview: Preview = {};
      try {
        tx.immediate(plan, source, now, opts, preview);
      } catch (err) {
        if (!(err instanceof Rollback)) throw err;
      }
      if (!preview.result) throw new Error('预览导入没有得到结果。');
      return preview.result;
    };
  }

  importPlan(plan: ParsedPlan, source: ImportSource, now: Date, opts: ImportOptions = {}): ImportResult {
    return this.withFreshUnits(() => this.tx(plan, source, now, opts));
  }

  /** Runs the same import and rolls it back: what importPlan would report, with nothing written. */
  previewImport(plan: ParsedPlan, source: ImportSource, now: Date, opts: ImportOptions = {}): ImportResult {
    return this.withFreshUnits(() => this.preview(plan, source, now, opts));
  }

  private withFreshUnits(run: () => ImportResult): ImportResult {
    this.unitIds = new Map();
    try {
      return run();
    } finally {
      this.unitIds = new Map();
    }
  }

  private apply(plan: ParsedPlan, source: ImportSource, date: Date, opts: ImportOptions): ImportResult {
    validatePlan(plan);
    const s = this.s;
    const now = date.toISOString();
    const taskCount = plan.items.reduce((n, i) => n + i.tasks.length, 0);
    const counts = { items: plan.items.length, tasks: taskCount };

    const target = opts.planId === undefined ? undefined : s.planById.get({ planId: opts.planId });
    if (opts.planId !== undefined && !target) {
      throw new StoreError('IMPORT_REFUSED', '', `没有编号为 ${opts.planId} 的计划，无法把文件作为它的新版本导入。请用 duban plan show --plan 编号 核对。`);
    }
    const same = s.planByNewestSha.get({ sha256: source.sha256 });
    if (same) {
      if (target && target.id !== same.id) {
        throw new StoreError(
          'IMPORT_REFUSED',
          '',
          `该文件与计划《${same.title}》（编号 ${same.id}）最近一次导入的文件完全相同，不能作为计划《${target.title}》的新版本导入。`,
        );
      }
      return {
        planId: same.id, unchanged: true, created: false, added: [], updated: [], renumbered: [], restored: [],
        archived: [], unchangedTasks: taskCount, itemsChanged: 0, ...counts, units: countUnits(plan),
      };
    }

    // A file this database has imported before belongs to that plan, even if the plan has since been
    // retitled (`--plan`): importing the original again updates that plan instead of making a copy.
    const existing = target ?? s.planByTitle.get({ title: plan.title }) ?? s.planByAnySha.get({ sha256: source.sha256 });
    const holder = target && target.title !== plan.title ? s.planByTitle.get({ title: plan.title }) : undefined;
    if (holder) {
      throw new StoreError('IMPORT_REFUSED', '', `标题《${plan.title}》已被另一个计划（编号 ${holder.id}）使用，不能改为计划 ${target?.id} 的标题。`);
    }
    const meta = { title: plan.title, year: plan.year ?? null, issuer: plan.issuer ?? null, date: plan.date ?? null, now };
    let planId: number;
    if (existing) {
      planId = existing.id;
      s.updatePlan.run({ planId, ...meta });
    } else {
      planId = Number(s.insertPlan.run(meta).lastInsertRowid);
    }

    this.syncSections(planId, plan);
    const report = new PlanSync(s, (name) => this.unitId(name), planId, !existing, now).run(plan);
    const result: ImportResult = { planId, unchanged: false, created: !existing, ...report, ...counts };
    const summaryJson = JSON.stringify(result, SUMMARY_FIELDS);
    s.insertImport.run({ planId, sourceName: source.name, sha256: source.sha256, summaryJson, now });
    return result;
  }

  private syncSections(planId: number, plan: ParsedPlan): void {
    const old = new Map(this.s.sections.all({ planId }).map((r) => [r.number, r]));
    plan.sections.forEach((sec, position) => {
      const prev = old.get(sec.number);
      old.delete(sec.number);
      if (prev && prev.title === sec.title && prev.position === position) return;
      this.s.upsertSection.run({ planId, number: sec.number, title: sec.title, position });
    });
    for (const number of old.keys()) this.s.deleteSection.run({ planId, number });
  }

  private unitId(name: string): number {
    const cached = this.unitIds.get(name);
    if (cached !== undefined) return cached;
    const id = this.s.unitByName.get({ name }) ?? Number(this.s.insertUnit.run({ name }).lastInsertRowid);
    this.unitIds.set(name, id);
    return id;
  }
}
