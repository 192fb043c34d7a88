/** The SQL of the plan import (see plan-import.ts and plan-sync.ts). */
import type Database from 'better-sqlite3';
import type { Role } from './plan-shape';
import type { StoredTask } from './task-match';

export interface ItemRow {
  id: number;
  number: number;
  label: string | null;
  section: string | null;
  title: string;
  position: number;
}

export interface SectionRow {
  number: string;
  title: string;
  position: number;
}

export interface AssignmentRow {
  taskId: number;
  unitId: number;
  name: string;
  role: Role;
  position: number;
  archivedAt: string | null;
}

/** A row of `liveTasks`: id, key, text, qualifier, deadline, itemId, itemNumber, position, assignment signature. */
export type LiveTaskTuple = [number, string, string, string | null, string | null, number, number, number, string | null];

/** The signature `liveTasks` gives of a task's live assignments, built from unit ids and roles in written order. */
export function assignmentSignature(entries: readonly { unitId: number; role: Role }[]): string {
  return entries.map((e, position) => `${e.unitId}:${e.role}:${position}`).join(',');
}

/** The columns of a task row that an import writes. */
export type TaskRow = Omit<StoredTask, 'itemNumber'>;

type Id = { id: number };
type PlanRef = { planId: number };
type Stamp = { now: string };
type PlanMeta = { title: string; year: number | null; issuer: string | null; date: string | null };
type Assignment = { taskId: number; unitId: number; role: Role; position: number };

const TASK_COLUMNS = `t.id, t.task_key AS key, t.text, t.qualifier, t.deadline, t.item_id AS itemId,
  i.number AS itemNumber, t.position`;
const ASSIGNMENT_COLUMNS = `a.task_id AS taskId, a.unit_id AS unitId, u.name, a.role, a.position,
  a.archived_at AS archivedAt`;

export function prepareImport(db: Database.Database) {
  return {
    planByTitle: db.prepare<{ title: string }, Id & { title: string }>('SELECT id, title FROM plans WHERE title = @title'),
    planById: db.prepare<PlanRef, Id & { title: string }>('SELECT id, title FROM plans WHERE id = @planId'),
    /** The plan whose newest import has this sha256, if any. */
    planByNewestSha: db.prepare<{ sha256: string }, Id & { title: string }>(
      `SELECT p.id, p.title FROM plan_imports pi JOIN plans p ON p.id = pi.plan_id
       WHERE pi.sha256 = @sha256 AND pi.id = (SELECT max(id) FROM plan_imports WHERE plan_id = pi.plan_id)
       ORDER BY pi.id DESC LIMIT 1`,
    ),
    /** The plan that once imported a file with this content (any import, not only the newest). */
    planByAnySha: db.prepare<{ sha256: string }, Id & { title: string }>(
      `SELECT p.id, p.title FROM plan_imports pi JOIN plans p ON p.id = pi.plan_id
       WHERE pi.sha256 = @sha256 ORDER BY pi.id DESC LIMIT 1`,
    ),
    insertPlan: db.prepare<PlanMeta & Stamp>(
      `INSERT INTO plans (title, year, issuer, date, created_at, updated_at)
       VALUES (@title, @year, @issuer, @date, @now, @now)`,
    ),
    updatePlan: db.prepare<PlanRef & PlanMeta & Stamp>(
      `UPDATE plans SET title = @title, year = @year, issuer = @issuer, date = @date, updated_at = @now
       WHERE id = @planId`,
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
       WHERE plan_id = @planId AND archived_at IS NULL ORDER BY position, id`,
    ),
    archivedItems: db.prepare<PlanRef, ItemRow>(
      `SELECT id, number, label, section, title, position FROM items
       WHERE plan_id = @planId AND archived_at IS NOT NULL ORDER BY id`,
    ),
    insertItem: db.prepare<PlanRef & Omit<ItemRow, 'id'> & Stamp>(
      `INSERT INTO items (plan_id, number, label, section, title, position, created_at, updated_at)
       VALUES (@planId, @number, @label, @section, @title, @position, @now, @now)`,
    ),
    /** Also restores an archived row. */
    updateItem: db.prepare<ItemRow & Stamp>(
      `UPDATE items SET number = @number, label = @label, section = @section, title = @title, position = @position,
         archived_at = NULL, updated_at = @now
       WHERE id = @id`,
    ),
    // Frees a number that another item is about to take (live numbers are unique; real ones are never this low).
    parkItemNumber: db.prepare<Id>('UPDATE items SET number = -1000000000 - id WHERE id = @id'),
    archiveItem: db.prepare<Id & Stamp>('UPDATE items SET archived_at = @now, updated_at = @now WHERE id = @id'),

    /**
     * The live tasks in document order, as arrays (faster to read than objects for a large plan): the
     * columns of LiveTaskTuple: those of StoredTask, then the live assignments as `unitId:role:position`
     * joined by ',' in position order (null without any), to compare with the new roster without reading
     * the assignment rows.
     */
    liveTasks: db
      .prepare<PlanRef, LiveTaskTuple>(
        `SELECT t.id, t.task_key, t.text, t.qualifier, t.deadline, t.item_id, i.number, t.position,
           (SELECT group_concat(a.unit_id || ':' || a.role || ':' || a.position, ',' ORDER BY a.position)
            FROM assignments a WHERE a.task_id = t.id AND a.archived_at IS NULL)
         FROM tasks t JOIN items i ON i.id = t.item_id
         WHERE t.plan_id = @planId AND t.archived_at IS NULL
         ORDER BY i.position, t.position, t.id`,
      )
      .raw(),
    archivedTasks: db.prepare<PlanRef, StoredTask>(
      `SELECT ${TASK_COLUMNS} FROM tasks t JOIN items i ON i.id = t.item_id
       WHERE t.plan_id = @planId AND t.archived_at IS NOT NULL
       ORDER BY t.id DESC`,
    ),
    archiveTask: db.prepare<Id & Stamp>('UPDATE tasks SET archived_at = @now, updated_at = @now WHERE id = @id'),
    // Frees a key that another task is about to take ('#' never starts a real key).
    parkTaskKey: db.prepare<Id>("UPDATE tasks SET task_key = '#' || id WHERE id = @id"),
    /** Also restores an archived row. */
    updateTask: db.prepare<TaskRow & Stamp>(
      `UPDATE tasks SET item_id = @itemId, task_key = @key, text = @text, qualifier = @qualifier,
         deadline = @deadline, position = @position, archived_at = NULL, updated_at = @now
       WHERE id = @id`,
    ),
    insertTask: db.prepare<PlanRef & Omit<TaskRow, 'id'> & Stamp>(
      `INSERT INTO tasks (plan_id, item_id, task_key, text, qualifier, deadline, position, created_at, updated_at)
       VALUES (@planId, @itemId, @key, @text, @qualifier, @deadline, @position, @now, @now)`,
    ),

    assignmentsOfTask: db.prepare<{ taskId: number }, AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments a JOIN units u ON u.id = a.unit_id
       WHERE a.task_id = @taskId ORDER BY a.position`,
    ),
    unitByName: db.prepare<{ name: string }, number>('SELECT id FROM units WHERE name = @name').pluck(),
    insertUnit: db.prepare<{ name: string }>('INSERT INTO units (name) VALUES (@name)'),
    insertAssignment: db.prepare<Assignment>(
      'INSERT INTO assignments (task_id, unit_id, role, position) VALUES (@taskId, @unitId, @role, @position)',
    ),
    reviveAssignment: db.prepare<Assignment>(
      `UPDATE assignments SET role = @role, position = @position, archived_at = NULL
       WHERE task_id = @taskId AND unit_id = @unitId`,
    ),
    archiveAssignment: db.prepare<{ taskId: number; unitId: number } & Stamp>(
      'UPDATE assignments SET archived_at = @now WHERE task_id = @taskId AND unit_id = @unitId',
    ),
  };
}

export type ImportStatements = ReturnType<typeof prepareImport>;
