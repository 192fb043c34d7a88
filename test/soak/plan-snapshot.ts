/**
 * What a database holds of its plans, read with plain SQL after the process that wrote it is gone: every row of
 * the plan tables except timestamps (an archived row keeps only the fact that it is archived), and the live tree
 * in the shape the parser gives, to compare with a version's parse.
 */
import Database from 'better-sqlite3';
import type { ParsedPlan } from '../../src/plan/types';

export interface PlanSnapshot {
  rows: Record<string, unknown[]>;
  live: LiveTask[];
}

export interface LiveTask {
  key: string;
  text: string;
  units: string[];
  leads: string[];
}

const TABLES: Record<string, string> = {
  plans: 'SELECT id, title, year, issuer, date FROM plans ORDER BY id',
  plan_imports: 'SELECT id, plan_id, source_name, sha256, summary_json FROM plan_imports ORDER BY id',
  sections: 'SELECT plan_id, number, title, position FROM sections ORDER BY plan_id, number',
  items: 'SELECT id, plan_id, number, label, section, title, position, archived_at IS NOT NULL AS archived FROM items ORDER BY id',
  tasks: `SELECT id, plan_id, item_id, task_key, text, qualifier, deadline, position, archived_at IS NOT NULL AS archived
          FROM tasks ORDER BY id`,
  units: 'SELECT id, name FROM units ORDER BY id',
  assignments: 'SELECT task_id, unit_id, role, position, archived_at IS NOT NULL AS archived FROM assignments ORDER BY task_id, unit_id',
};

/** Opens the file read-write (so SQLite recovers from its WAL as the next duban would) and reads it. */
export function planSnapshot(file: string): PlanSnapshot {
  const db = new Database(file);
  try {
    const rows = Object.fromEntries(Object.entries(TABLES).map(([name, sql]) => [name, db.prepare(sql).all()]));
    const tasks = db
      .prepare<[], { id: number; key: string; text: string }>(
        `SELECT t.id, t.task_key AS key, t.text FROM tasks t JOIN items i ON i.id = t.item_id
         WHERE t.archived_at IS NULL ORDER BY i.number, t.position`,
      )
      .all();
    const units = db.prepare<[number], { name: string; role: string }>(
      `SELECT u.name, a.role FROM assignments a JOIN units u ON u.id = a.unit_id
       WHERE a.task_id = ? AND a.archived_at IS NULL ORDER BY a.position`,
    );
    const live = tasks.map((t) => {
      const us = units.all(t.id);
      return { key: t.key, text: t.text, units: us.map((u) => u.name), leads: us.filter((u) => u.role === 'lead').map((u) => u.name) };
    });
    return { rows, live };
  } finally {
    db.close();
  }
}

/** The tasks of a parse in the live tree's shape. */
export function parsedTasks(plan: ParsedPlan): LiveTask[] {
  return plan.items.flatMap((item) => item.tasks.map((t) => ({ key: t.id, text: t.text, units: t.units, leads: t.leads })));
}

/** `PRAGMA integrity_check` of a database file: 'ok' when SQLite finds nothing wrong. */
export function integrityCheck(file: string): string {
  const db = new Database(file);
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}
