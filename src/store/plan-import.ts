/**
 * Loading a ParsedPlan into the database, or re-loading it: one IMMEDIATE transaction that diffs the new plan
 * against the stored one, keeps the row ids of matched tasks and archives (never deletes) what disappeared.
 */
import type Database from 'better-sqlite3';
import type { ParsedPlan } from '../plan/types';
import {
  countUnits,
  flattenTasks,
  matchTasks,
  rosterOf,
  validatePlan,
  type LiveTask,
  type NewTask,
  type Role,
  type RosterEntry,
} from './task-match';

export interface ImportSource {
  /** File name as given by the user, for the import log. */
  name: string;
  /** sha256 of the source file's bytes (hex). */
  sha256: string;
}

export interface ImportResult {
  planId: number;
  /** The newest import of this plan had the same sha256: nothing was written. */
  unchanged: boolean;
  /** The plan did not exist before. */
  created: boolean;
  /** Keys (`4.2`) of inserted tasks, in document order. */
  added: string[];
  /** New keys of matched tasks whose key, text, qualifier, deadline, item or units changed. */
  updated: string[];
  /** Old keys of tasks that disappeared and were archived. */
  archived: string[];
  /** Matched tasks with nothing changed. */
  unchangedTasks: number;
  /** Counts in the imported plan. */
  items: number;
  tasks: number;
  units: number;
}

interface ItemRow {
  id: number;
  number: number;
  label: string | null;
  section: string | null;
  title: string;
  position: number;
}

interface SectionRow {
  number: string;
  title: string;
  position: number;
}

interface AssignmentRow {
  unitId: number;
  role: Role;
  position: number;
  archivedAt: string | null;
}

/** The columns of a task row that an import writes. */
type TaskRow = Omit<LiveTask, 'itemNumber'>;

type Id = { id: number };
type PlanRef = { planId: number };
type Stamp = { now: string };

function prepare(db: Database.Database) {
  return {
    planByTitle: db.prepare<{ title: string }, Id>('SELECT id FROM plans WHERE title = @title'),
    latestSha: db
      .prepare<PlanRef, string>('SELECT sha256 FROM plan_imports WHERE plan_id = @planId ORDER BY id DESC LIMIT 1')
      .pluck(),
    insertPlan: db.prepare<{ title: string; year: number | null; issuer: string | null; date: string | null } & Stamp>(
      `INSERT INTO plans (title, year, issuer, date, created_at, updated_at)
       VALUES (@title, @year, @issuer, @date, @now, @now)`,
    ),
    updatePlan: db.prepare<PlanRef & { year: number | null; issuer: string | null; date: string | null } & Stamp>(
      'UPDATE plans SET year = @year, issuer = @issuer, date = @date, updated_at = @now WHERE id = @planId',
    ),
    insertImport: db.prepare<PlanRef & { sourceName: string; sha256: string; summaryJson: string } & Stamp>(
      `INSERT INTO plan_imports (plan_id, source_name, sha256, imported_at, summary_json)
       VALUES (@planId, @sourceName, @sha256, @now, @summaryJson)`,
    ),

    sections: db.prepare<PlanRef, SectionRow>('SELECT number, title, position FROM sections WHERE plan_id = @planId'),
    upsertSection: db.prepare<PlanRef & SectionRow>(
      `INSERT INTO sections (plan_id, number, title, position) VALUES (@planId, @number, @title, @position)
       ON CONFLICT (plan_id, number) DO UPDATE SET title = excluded.title, position = excluded.position`,
    ),
    deleteSection: db.prepare<PlanRef & { number: string }>(
      'DELETE FROM sections WHERE plan_id = @planId AND number = @number',
    ),

    liveItems: db.prepare<PlanRef, ItemRow>(
      `SELECT id, number, label, section, title, position FROM items
       WHERE plan_id = @planId AND archived_at IS NULL`,
    ),
    insertItem: db.prepare<PlanRef & Omit<ItemRow, 'id'> & Stamp>(
      `INSERT INTO items (plan_id, number, label, section, title, position, created_at, updated_at)
       VALUES (@planId, @number, @label, @section, @title, @position, @now, @now)`,
    ),
    updateItem: db.prepare<Omit<ItemRow, 'number'> & Stamp>(
      `UPDATE items SET label = @label, section = @section, title = @title, position = @position, updated_at = @now
       WHERE id = @id`,
    ),
    archiveItem: db.prepare<Id & Stamp>('UPDATE items SET archived_at = @now, updated_at = @now WHERE id = @id'),

    liveTasks: db.prepare<PlanRef, LiveTask>(
      `SELECT t.id, t.task_key AS key, t.text, t.qualifier, t.deadline, t.item_id AS itemId, i.number AS itemNumber,
         t.position
       FROM tasks t JOIN items i ON i.id = t.item_id
       WHERE t.plan_id = @planId AND t.archived_at IS NULL
       ORDER BY i.position, t.position, t.id`,
    ),
    archiveTask: db.prepare<Id & Stamp>('UPDATE tasks SET archived_at = @now, updated_at = @now WHERE id = @id'),
    // Frees a key that another matched task is about to take ('#' never starts a real key).
    parkTaskKey: db.prepare<Id>("UPDATE tasks SET task_key = '#' || id WHERE id = @id"),
    updateTask: db.prepare<TaskRow & Stamp>(
      `UPDATE tasks SET item_id = @itemId, task_key = @key, text = @text, qualifier = @qualifier,
         deadline = @deadline, position = @position, updated_at = @now
       WHERE id = @id`,
    ),
    insertTask: db.prepare<PlanRef & Omit<TaskRow, 'id'> & Stamp>(
      `INSERT INTO tasks (plan_id, item_id, task_key, text, qualifier, deadline, position, created_at, updated_at)
       VALUES (@planId, @itemId, @key, @text, @qualifier, @deadline, @position, @now, @now)`,
    ),

    liveUnitNames: db
      .prepare<{ taskId: number }, string>(
        `SELECT u.name FROM assignments a JOIN units u ON u.id = a.unit_id
         WHERE a.task_id = @taskId AND a.archived_at IS NULL ORDER BY a.position`,
      )
      .pluck(),
    unitByName: db.prepare<{ name: string }, number>('SELECT id FROM units WHERE name = @name').pluck(),
    insertUnit: db.prepare<{ name: string }>('INSERT INTO units (name) VALUES (@name)'),

    assignmentsOf: db.prepare<{ taskId: number }, AssignmentRow>(
      `SELECT unit_id AS unitId, role, position, archived_at AS archivedAt FROM assignments WHERE task_id = @taskId
       ORDER BY position`,
    ),
    insertAssignment: db.prepare<{ taskId: number; unitId: number; role: Role; position: number }>(
      'INSERT INTO assignments (task_id, unit_id, role, position) VALUES (@taskId, @unitId, @role, @position)',
    ),
    reviveAssignment: db.prepare<{ taskId: number; unitId: number; role: Role; position: number }>(
      `UPDATE assignments SET role = @role, position = @position, archived_at = NULL
       WHERE task_id = @taskId AND unit_id = @unitId`,
    ),
    archiveAssignment: db.prepare<{ taskId: number; unitId: number } & Stamp>(
      'UPDATE assignments SET archived_at = @now WHERE task_id = @taskId AND unit_id = @unitId',
    ),
  };
}

type Statements = ReturnType<typeof prepare>;

/** What plan_imports.summary_json keeps of an ImportResult. */
const SUMMARY_FIELDS = ['created', 'added', 'updated', 'archived', 'unchangedTasks', 'items', 'tasks', 'units'];

export class PlanImporter {
  private readonly s: Statements;
  private readonly tx: (plan: ParsedPlan, source: ImportSource, now: Date) => ImportResult;
  /** Unit ids looked up or inserted in the current transaction only: a rollback would void them. */
  private unitIds = new Map<string, number>();

  constructor(db: Database.Database) {
    this.s = prepare(db);
    const tx = db.transaction((plan: ParsedPlan, source: ImportSource, now: Date) => this.apply(plan, source, now));
    // IMMEDIATE: take the write lock up front so a second connection waits (busy_timeout) instead of failing.
    this.tx = (plan, source, now) => tx.immediate(plan, source, now);
  }

  importPlan(plan: ParsedPlan, source: ImportSource, now: Date): ImportResult {
    this.unitIds = new Map();
    try {
      return this.tx(plan, source, now);
    } finally {
      this.unitIds = new Map();
    }
  }

  private apply(plan: ParsedPlan, source: ImportSource, date: Date): ImportResult {
    validatePlan(plan);
    const s = this.s;
    const now = date.toISOString();
    const taskCount = plan.items.reduce((n, i) => n + i.tasks.length, 0);
    const existing = s.planByTitle.get({ title: plan.title });

    if (existing && s.latestSha.get({ planId: existing.id }) === source.sha256) {
      return {
        planId: existing.id, unchanged: true, created: false, added: [], updated: [], archived: [],
        unchangedTasks: taskCount, items: plan.items.length, tasks: taskCount, units: countUnits(plan),
      };
    }

    const meta = { year: plan.year ?? null, issuer: plan.issuer ?? null, date: plan.date ?? null, now };
    let planId: number;
    if (existing) {
      planId = existing.id;
      s.updatePlan.run({ planId, ...meta });
    } else {
      planId = Number(s.insertPlan.run({ title: plan.title, ...meta }).lastInsertRowid);
    }

    this.syncSections(planId, plan);
    const itemIds = this.syncItems(planId, plan, now);
    const result: ImportResult = {
      planId, unchanged: false, created: !existing, added: [], updated: [], archived: [],
      unchangedTasks: 0, items: plan.items.length, tasks: taskCount, units: 0,
    };
    const unitNames = this.syncTasks(planId, flattenTasks(plan), itemIds, now, result);
    result.units = unitNames.size;

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

  /** Items pair by number; returns number → row id of the live items. */
  private syncItems(planId: number, plan: ParsedPlan, now: string): Map<number, number> {
    const old = new Map(this.s.liveItems.all({ planId }).map((r) => [r.number, r]));
    const ids = new Map<number, number>();
    plan.items.forEach((item, position) => {
      const row = { label: item.label ?? null, section: item.section ?? null, title: item.title, position };
      const prev = old.get(item.number);
      old.delete(item.number);
      if (!prev) {
        const id = Number(this.s.insertItem.run({ planId, number: item.number, ...row, now }).lastInsertRowid);
        ids.set(item.number, id);
        return;
      }
      ids.set(item.number, prev.id);
      const same =
        prev.label === row.label && prev.section === row.section && prev.title === row.title && prev.position === position;
      if (!same) this.s.updateItem.run({ id: prev.id, ...row, now });
    });
    for (const gone of old.values()) this.s.archiveItem.run({ id: gone.id, now });
    return ids;
  }

  /** Returns the distinct unit names of the new plan. */
  private syncTasks(
    planId: number, next: NewTask[], itemIds: Map<number, number>, now: string, result: ImportResult,
  ): Set<string> {
    const s = this.s;
    const live = s.liveTasks.all({ planId });
    const match = matchTasks(live, next, { unitsOf: (t) => s.liveUnitNames.all({ taskId: t.id }) });
    const matched = new Set(match.filter((m): m is LiveTask => m !== undefined));
    const unitNames = new Set<string>();
    const itemIdOf = (t: NewTask): number => itemIds.get(t.itemNumber) as number;

    for (const old of live) {
      if (matched.has(old)) continue;
      s.archiveTask.run({ id: old.id, now });
      result.archived.push(old.key);
    }
    next.forEach((t, i) => {
      const old = match[i];
      if (old && old.key !== t.key) s.parkTaskKey.run({ id: old.id });
    });

    next.forEach((t, i) => {
      const old = match[i];
      const roster = rosterOf(t.source);
      roster.forEach((r) => unitNames.add(r.name));
      const row = { itemId: itemIdOf(t), key: t.key, text: t.text, qualifier: t.qualifier, deadline: t.deadline };
      if (!old) {
        const id = Number(s.insertTask.run({ planId, ...row, position: t.position, now }).lastInsertRowid);
        this.syncAssignments(id, roster, now, true);
        result.added.push(t.key);
        return;
      }
      const fieldsChanged =
        old.key !== row.key || old.text !== row.text || old.qualifier !== row.qualifier ||
        old.deadline !== row.deadline || old.itemId !== row.itemId;
      if (fieldsChanged || old.position !== t.position) {
        s.updateTask.run({ id: old.id, ...row, position: t.position, now });
      }
      const unitsChanged = this.syncAssignments(old.id, roster, now);
      if (fieldsChanged || unitsChanged) result.updated.push(t.key);
      else result.unchangedTasks += 1;
    });
    return unitNames;
  }

  /** Makes the task's live assignments equal to `roster`; returns whether the (unit, role) list changed. */
  private syncAssignments(taskId: number, roster: RosterEntry[], now: string, newTask = false): boolean {
    const s = this.s;
    // A task inserted in this transaction has no assignments yet: skip the query.
    const rows = newTask ? [] : s.assignmentsOf.all({ taskId });
    const byUnit = new Map(rows.map((r) => [r.unitId, r]));
    const before = rows.filter((r) => r.archivedAt === null).map((r) => `${r.unitId}:${r.role}`);
    const after: string[] = [];
    const keep = new Set<number>();

    roster.forEach(({ name, role }, position) => {
      const unitId = this.unitId(name);
      keep.add(unitId);
      after.push(`${unitId}:${role}`);
      const prev = byUnit.get(unitId);
      if (!prev) s.insertAssignment.run({ taskId, unitId, role, position });
      else if (prev.role !== role || prev.position !== position || prev.archivedAt !== null) {
        s.reviveAssignment.run({ taskId, unitId, role, position });
      }
    });
    for (const r of rows) {
      if (r.archivedAt === null && !keep.has(r.unitId)) s.archiveAssignment.run({ taskId, unitId: r.unitId, now });
    }
    return before.join('|') !== after.join('|');
  }

  private unitId(name: string): number {
    const cached = this.unitIds.get(name);
    if (cached !== undefined) return cached;
    const id = this.s.unitByName.get({ name }) ?? Number(this.s.insertUnit.run({ name }).lastInsertRowid);
    this.unitIds.set(name, id);
    return id;
  }
}
