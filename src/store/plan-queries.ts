/** Read side of the plan tables. Only non-archived rows are returned, in document order. */
import type Database from 'better-sqlite3';
import type { Role } from './task-match';

export interface PlanInfo {
  id: number;
  title: string;
  year: number | null;
  issuer: string | null;
  date: string | null;
}

export interface PlanSummary extends PlanInfo {
  itemCount: number;
  taskCount: number;
}

export interface TreeUnit {
  name: string;
  role: Role;
}

export interface TreeTask {
  /** Row id of the task; stays the same across re-imports while the task is matched. */
  id: number;
  /** `ITEM.SEQ`, e.g. `4.2`. */
  key: string;
  text: string;
  qualifier: string | null;
  deadline: string | null;
  units: TreeUnit[];
}

export interface TreeItem {
  number: number;
  label: string | null;
  section: string | null;
  title: string;
  tasks: TreeTask[];
}

export interface PlanTree {
  plan: PlanInfo;
  sections: { number: string; title: string }[];
  items: TreeItem[];
}

/** Row counts of every table, archived rows included. */
export interface RowCounts {
  plans: number;
  planImports: number;
  sections: number;
  items: number;
  tasks: number;
  units: number;
  assignments: number;
}

type PlanRef = { planId: number };

function prepare(db: Database.Database) {
  const liveUnitsFrom = `
    FROM assignments a
    JOIN tasks t ON t.id = a.task_id
    JOIN items i ON i.id = t.item_id
    JOIN units u ON u.id = a.unit_id
    WHERE t.archived_at IS NULL AND a.archived_at IS NULL`;
  return {
    listPlans: db.prepare<[], PlanSummary>(
      `SELECT p.id, p.title, p.year, p.issuer, p.date,
         (SELECT count(*) FROM items i WHERE i.plan_id = p.id AND i.archived_at IS NULL) AS itemCount,
         (SELECT count(*) FROM tasks t WHERE t.plan_id = p.id AND t.archived_at IS NULL) AS taskCount
       FROM plans p ORDER BY p.id`,
    ),
    hasAnyPlan: db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM plans)').pluck(),
    planVersion: db.prepare<[], number | null>('SELECT max(id) FROM plan_imports').pluck(),
    plan: db.prepare<PlanRef, PlanInfo>('SELECT id, title, year, issuer, date FROM plans WHERE id = @planId'),
    sections: db.prepare<PlanRef, { number: string; title: string }>(
      'SELECT number, title FROM sections WHERE plan_id = @planId ORDER BY position',
    ),
    items: db.prepare<PlanRef, Omit<TreeItem, 'tasks'> & { id: number }>(
      `SELECT id, number, label, section, title FROM items
       WHERE plan_id = @planId AND archived_at IS NULL ORDER BY position`,
    ),
    tasks: db.prepare<PlanRef, Omit<TreeTask, 'units'> & { itemId: number }>(
      `SELECT t.id, t.item_id AS itemId, t.task_key AS key, t.text, t.qualifier, t.deadline
       FROM tasks t JOIN items i ON i.id = t.item_id
       WHERE t.plan_id = @planId AND t.archived_at IS NULL
       ORDER BY i.position, t.position`,
    ),
    assignments: db.prepare<PlanRef, TreeUnit & { taskId: number }>(
      `SELECT a.task_id AS taskId, u.name, a.role
       FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN units u ON u.id = a.unit_id
       WHERE t.plan_id = @planId AND t.archived_at IS NULL AND a.archived_at IS NULL
       ORDER BY a.task_id, a.position`,
    ),
    unitNamesOfPlan: db
      .prepare<PlanRef, string>(`SELECT u.name ${liveUnitsFrom} AND t.plan_id = @planId ORDER BY i.position, t.position, a.position`)
      .pluck(),
    unitNamesAll: db
      .prepare<[], string>(`SELECT u.name ${liveUnitsFrom} ORDER BY t.plan_id, i.position, t.position, a.position`)
      .pluck(),
    countRows: db.prepare<[], RowCounts>(
      `SELECT (SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM plan_imports) AS planImports,
         (SELECT count(*) FROM sections) AS sections, (SELECT count(*) FROM items) AS items,
         (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM units) AS units,
         (SELECT count(*) FROM assignments) AS assignments`,
    ),
  };
}

export class PlanQueries {
  private readonly s: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.s = prepare(db);
  }

  listPlans(): PlanSummary[] {
    return this.s.listPlans.all();
  }

  hasAnyPlan(): boolean {
    return this.s.hasAnyPlan.get() === 1;
  }

  /** Changes whenever any plan is imported or re-imported: a key for caches of the plans' trees. */
  planVersion(): number {
    return this.s.planVersion.get() ?? 0;
  }

  /** The live tree of one plan, or null when there is no such plan. */
  getPlanTree(planId: number): PlanTree | null {
    const plan = this.s.plan.get({ planId });
    if (!plan) return null;

    const unitsByTask = new Map<number, TreeUnit[]>();
    for (const { taskId, name, role } of this.s.assignments.all({ planId })) {
      const list = unitsByTask.get(taskId) ?? [];
      list.push({ name, role });
      unitsByTask.set(taskId, list);
    }
    const tasksByItem = new Map<number, TreeTask[]>();
    for (const { itemId, ...task } of this.s.tasks.all({ planId })) {
      const list = tasksByItem.get(itemId) ?? [];
      list.push({ ...task, units: unitsByTask.get(task.id) ?? [] });
      tasksByItem.set(itemId, list);
    }
    const items = this.s.items.all({ planId }).map(({ id, ...item }) => ({ ...item, tasks: tasksByItem.get(id) ?? [] }));
    return { plan, sections: this.s.sections.all({ planId }), items };
  }

  /** Names of the units with a live assignment, in order of first appearance (by plan, then document order). */
  listUnitNames(planId?: number): string[] {
    const names = planId === undefined ? this.s.unitNamesAll.all() : this.s.unitNamesOfPlan.all({ planId });
    return [...new Set(names)];
  }

  countRows(): RowCounts {
    return this.s.countRows.get() as RowCounts;
  }
}
