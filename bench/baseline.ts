/**
 * Baselines measured in the same run as the real code, so that the report shows overhead relative to the
 * machine rather than bare milliseconds:
 * - parse: split the same text into lines and test each with one bare regex;
 * - import: insert the same rows (plan, sections, items, tasks, units, assignments, import log) with plain
 *   prepared INSERTs in one transaction into the same schema — no lookups, no diff;
 * - re-import: read back the plan's live tasks and their assignments with two SELECTs.
 */
import Database from 'better-sqlite3';
import type { ParsedPlan } from '../src/plan/types';
import { migrate } from '../src/store/migrations';
import { BUSY_TIMEOUT_MS } from '../src/store/store';

/** Keeps results alive (a module-level write is observable) so that the JIT cannot drop a measured call's work. */
let sink = 0;
export function consume(n: number): void {
  sink = (sink + n) | 0;
}

const HEADING_RE = /^(?:[一二三四五六七八九十]+、|\d{1,4}\s*[.、]|[(〔].*责任单位)/;

/** Parse baseline: split into lines, one regex test per line. Returns the number of matching lines. */
export function baselineSplit(text: string): number {
  let hits = 0;
  for (const line of text.split(/\r?\n/)) if (HEADING_RE.test(line)) hits++;
  return hits;
}

/** Opens a database file the way Store.open does (WAL, foreign keys, migrations). */
export function openRaw(file: string): Database.Database {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Rows the plan becomes: what both the importer and the insert baseline write. */
export interface PlanRows {
  sections: number;
  items: number;
  tasks: number;
  units: number;
  assignments: number;
}

/** The task's units in written order, then any lead not among them; each once. */
function roster(units: string[], leads: string[]): Array<{ name: string; lead: boolean }> {
  const seen = new Set<string>();
  const out: Array<{ name: string; lead: boolean }> = [];
  for (const name of [...units, ...leads]) {
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, lead: leads.includes(name) });
  }
  return out;
}

export function countRows(plan: ParsedPlan): PlanRows {
  const units = new Set<string>();
  let tasks = 0;
  let assignments = 0;
  for (const item of plan.items) {
    for (const task of item.tasks) {
      tasks++;
      for (const r of roster(task.units, task.leads)) {
        units.add(r.name);
        assignments++;
      }
    }
  }
  return { sections: plan.sections.length, items: plan.items.length, tasks, units: units.size, assignments };
}

export interface InsertBaseline {
  /** Writes the plan's rows with plain INSERTs in one IMMEDIATE transaction. */
  run(plan: ParsedPlan, now: string): void;
  close(): void;
}

export function insertBaseline(file: string): InsertBaseline {
  const db = openRaw(file);
  const s = {
    plan: db.prepare('INSERT INTO plans (title, year, issuer, date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
    section: db.prepare('INSERT INTO sections (plan_id, number, title, position) VALUES (?, ?, ?, ?)'),
    item: db.prepare(
      'INSERT INTO items (plan_id, number, label, section, title, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    task: db.prepare(
      `INSERT INTO tasks (plan_id, item_id, task_key, text, qualifier, deadline, position, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    unit: db.prepare('INSERT INTO units (name) VALUES (?)'),
    assignment: db.prepare('INSERT INTO assignments (task_id, unit_id, role, position) VALUES (?, ?, ?, ?)'),
    log: db.prepare(
      'INSERT INTO plan_imports (plan_id, source_name, sha256, imported_at, summary_json) VALUES (?, ?, ?, ?, ?)',
    ),
  };
  const write = db.transaction((plan: ParsedPlan, now: string) => {
    const planId = Number(s.plan.run(plan.title, plan.year, plan.issuer, plan.date, now, now).lastInsertRowid);
    plan.sections.forEach((sec, i) => s.section.run(planId, sec.number, sec.title, i));
    const unitIds = new Map<string, number>();
    plan.items.forEach((item, i) => {
      const itemId = Number(s.item.run(planId, item.number, item.label, item.section, item.title, i, now, now).lastInsertRowid);
      item.tasks.forEach((task, j) => {
        const taskId = Number(
          s.task.run(planId, itemId, task.id, task.text, task.qualifier, task.deadline, j, now, now).lastInsertRowid,
        );
        roster(task.units, task.leads).forEach((r, k) => {
          let unitId = unitIds.get(r.name);
          if (unitId === undefined) {
            unitId = Number(s.unit.run(r.name).lastInsertRowid);
            unitIds.set(r.name, unitId);
          }
          s.assignment.run(taskId, unitId, r.lead ? 'lead' : 'co', k);
        });
      });
    });
    s.log.run(planId, 'baseline', 'baseline', now, '{}');
  });
  return {
    run: (plan, now) => write.immediate(plan, now),
    close: () => db.close(),
  };
}

/** Re-import baseline: two SELECTs that read what a diff has to look at. The reader returns the row count read. */
export function readBackBaseline(db: Database.Database): (title: string) => number {
  const planByTitle = db.prepare<[string], number>('SELECT id FROM plans WHERE title = ?').pluck();
  const tasks = db.prepare<[number], unknown>(
    `SELECT id, task_key, text, qualifier, deadline, item_id, position FROM tasks
     WHERE plan_id = ? AND archived_at IS NULL ORDER BY id`,
  );
  const assignments = db.prepare<[number], unknown>(
    `SELECT a.task_id, a.unit_id, a.role, a.position, a.archived_at FROM assignments a
     JOIN tasks t ON t.id = a.task_id WHERE t.plan_id = ? ORDER BY a.task_id, a.position`,
  );
  return db.transaction((title: string) => {
    const planId = planByTitle.get(title);
    if (planId === undefined) throw new Error(`基线读取：数据库中没有计划 ${title}`);
    return tasks.all(planId).length + assignments.all(planId).length;
  });
}
