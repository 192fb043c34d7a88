/** Read side of the plan tables. Only non-archived rows are returned, in document order. */
import type Database from 'better-sqlite3';
import { lazily } from './lazy-statements';
import { UNNORMALISED_UNIT_NAME_GLOB } from '../plan/normalize';
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
type Ids = { ids: string };

/** A constant of the program as an SQL string literal. */
function sqlText(constant: string): string {
  return `'${constant.replaceAll("'", "''")}'`;
}

/** A plan's id, title and sections: what status headings need. */
export interface PlanHeading {
  id: number;
  title: string;
  sections: { number: string; title: string }[];
}

/** The units of live assignments (the FROM and WHERE of the unit-name queries). */
const LIVE_UNITS_FROM = `
    FROM assignments a
    JOIN tasks t ON t.id = a.task_id
    JOIN items i ON i.id = t.item_id
    JOIN units u ON u.id = a.unit_id
    WHERE t.archived_at IS NULL AND a.archived_at IS NULL`;

function prepare(db: Database.Database) {
  return lazily({
    listPlans: () => db.prepare<[], PlanSummary>(
      `SELECT p.id, p.title, p.year, p.issuer, p.date,
         (SELECT count(*) FROM items i WHERE i.plan_id = p.id AND i.archived_at IS NULL) AS itemCount,
         (SELECT count(*) FROM tasks t WHERE t.plan_id = p.id AND t.archived_at IS NULL) AS taskCount
       FROM plans p ORDER BY p.id`,
    ),
    hasAnyPlan: () => db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM plans)').pluck(),
    planVersion: () => db.prepare<[], number | null>('SELECT max(id) FROM plan_imports').pluck(),
    plan: () => db.prepare<PlanRef, PlanInfo>('SELECT id, title, year, issuer, date FROM plans WHERE id = @planId'),
    sections: () => db.prepare<PlanRef, { number: string; title: string }>(
      'SELECT number, title FROM sections WHERE plan_id = @planId ORDER BY position',
    ),
    items: () => db.prepare<PlanRef, Omit<TreeItem, 'tasks'> & { id: number }>(
      `SELECT id, number, label, section, title FROM items
       WHERE plan_id = @planId AND archived_at IS NULL ORDER BY position`,
    ),
    tasks: () => db.prepare<PlanRef, Omit<TreeTask, 'units'> & { itemId: number }>(
      `SELECT t.id, t.item_id AS itemId, t.task_key AS key, t.text, t.qualifier, t.deadline
       FROM tasks t JOIN items i ON i.id = t.item_id
       WHERE t.plan_id = @planId AND t.archived_at IS NULL
       ORDER BY i.position, t.position`,
    ),
    assignments: () => db.prepare<PlanRef, TreeUnit & { taskId: number }>(
      `SELECT a.task_id AS taskId, u.name, a.role
       FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN units u ON u.id = a.unit_id
       WHERE t.plan_id = @planId AND t.archived_at IS NULL AND a.archived_at IS NULL
       ORDER BY a.task_id, a.position`,
    ),
    unitNamesOfPlan: () => db
      .prepare<PlanRef, string>(`SELECT u.name ${LIVE_UNITS_FROM} AND t.plan_id = @planId ORDER BY i.position, t.position, a.position`)
      .pluck(),
    unitNamesAll: () => db
      .prepare<[], string>(`SELECT u.name ${LIVE_UNITS_FROM} ORDER BY t.plan_id, i.position, t.position, a.position`)
      .pluck(),
    headings: () => db.prepare<[], { id: number; title: string }>('SELECT id, title FROM plans ORDER BY id'),
    allSections: () => db.prepare<[], { planId: number; number: string; title: string }>(
      'SELECT plan_id AS planId, number, title FROM sections ORDER BY plan_id, position',
    ),
    // The pattern is written into the SQL (not bound) so that the partial index units_unnormalised serves it.
    unitNamesAmong: () =>
      db
        .prepare<{ names: string }, string>(
          `SELECT name FROM units WHERE name IN (SELECT value FROM json_each(@names))
           UNION SELECT name FROM units WHERE name GLOB ${sqlText(UNNORMALISED_UNIT_NAME_GLOB)}`,
        )
        .pluck(),
    liveUnitNames: () => db
      .prepare<[], string>(
        `SELECT json_group_array(name) FROM units u
         WHERE EXISTS (SELECT 1 FROM assignments a JOIN tasks t ON t.id = a.task_id
                       WHERE a.unit_id = u.id AND a.archived_at IS NULL AND t.archived_at IS NULL)`,
      )
      .pluck(),
    taskIdsOfUnits: () => db
      .prepare<{ names: string }, number>(
        `SELECT DISTINCT a.task_id FROM units u JOIN assignments a ON a.unit_id = u.id
         WHERE u.name IN (SELECT value FROM json_each(@names)) AND a.archived_at IS NULL`,
      )
      .pluck(),
    taskIdsOfItem: () => db
      .prepare<{ number: number }, number>(
        `SELECT t.id FROM items i JOIN tasks t ON t.item_id = i.id
         WHERE i.number = @number AND i.archived_at IS NULL AND t.archived_at IS NULL`,
      )
      .pluck(),
    taskIdsOfPlanItem: () => db
      .prepare<{ number: number; planId: number }, number>(
        `SELECT t.id FROM items i JOIN tasks t ON t.item_id = i.id
         WHERE i.plan_id = @planId AND i.number = @number AND i.archived_at IS NULL AND t.archived_at IS NULL`,
      )
      .pluck(),
    sectionsOf: () => db.prepare<Ids, { planId: number; number: string; title: string }>(
      `SELECT plan_id AS planId, number, title FROM sections
       WHERE plan_id IN (SELECT plan_id FROM tasks WHERE id IN (SELECT value FROM json_each(@ids))) ORDER BY plan_id, position`,
    ),
    // Raw rows (arrays): cheaper than objects when reading a unit's tasks for its status.
    tasksOf: () =>
      db
        .prepare<Ids, [number, string, number | null, string | null, string | null, number, number, string | null, string | null, string, number, string, string, string | null, string | null]>(
          `SELECT p.id, p.title, p.year, p.issuer, p.date, i.id, i.number, i.label, i.section, i.title,
             t.id, t.task_key, t.text, t.qualifier, t.deadline
           FROM tasks t JOIN items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
           WHERE t.id IN (SELECT value FROM json_each(@ids)) AND t.archived_at IS NULL AND i.archived_at IS NULL
           ORDER BY p.id, i.position, t.position`,
        )
        .raw(),
    assignmentsOf: () =>
      db
        .prepare<Ids, [number, string, Role]>(
          `SELECT a.task_id, u.name, a.role
           FROM assignments a JOIN units u ON u.id = a.unit_id
           WHERE a.task_id IN (SELECT value FROM json_each(@ids)) AND a.archived_at IS NULL
           ORDER BY a.task_id, a.position`,
        )
        .raw(),
    countRows: () => db.prepare<[], RowCounts>(
      `SELECT (SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM plan_imports) AS planImports,
         (SELECT count(*) FROM sections) AS sections, (SELECT count(*) FROM items) AS items,
         (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM units) AS units,
         (SELECT count(*) FROM assignments) AS assignments`,
    ),
  });
}

function groupSections(rows: readonly { planId: number; number: string; title: string }[]): Map<number, { number: string; title: string }[]> {
  const out = new Map<number, { number: string; title: string }[]>();
  for (const { planId, number, title } of rows) {
    const list = out.get(planId) ?? [];
    list.push({ number, title });
    out.set(planId, list);
  }
  return out;
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

  /**
   * The plans' trees cut down to the given tasks: the plans, items and tasks (live ones only, in document order)
   * that hold them, each task with all its live units, and (unless `withSections` is false: then none) each plan's
   * sections. What `getPlanTree` gives for those tasks, read without reading whole plans.
   */
  partialTrees(taskIds: readonly number[], withSections = true): PlanTree[] {
    if (taskIds.length === 0) return [];
    const ids = JSON.stringify(taskIds);
    const unitsByTask = new Map<number, TreeUnit[]>();
    for (const [taskId, name, role] of this.s.assignmentsOf.all({ ids })) {
      const list = unitsByTask.get(taskId);
      if (list) list.push({ name, role });
      else unitsByTask.set(taskId, [{ name, role }]);
    }
    const trees: PlanTree[] = [];
    let tree: PlanTree | undefined;
    let item: TreeItem | undefined;
    let itemId = -1;
    for (const [planId, title, year, issuer, date, iId, number, label, section, itemTitle, id, key, text, qualifier, deadline] of this.s.tasksOf.all({ ids })) {
      if (tree?.plan.id !== planId) trees.push((tree = { plan: { id: planId, title, year, issuer, date }, sections: [], items: [] }));
      if (itemId !== iId) {
        itemId = iId;
        tree.items.push((item = { number, label, section, title: itemTitle, tasks: [] }));
      }
      item?.tasks.push({ id, key, text, qualifier, deadline, units: unitsByTask.get(id) ?? [] });
    }
    if (withSections) {
      const sections = groupSections(this.s.sectionsOf.all({ ids }));
      for (const t of trees) t.sections = sections.get(t.plan.id) ?? [];
    }
    return trees;
  }

  /** Every plan's id, title and sections, by id. */
  headings(): PlanHeading[] {
    const sections = groupSections(this.s.allSections.all());
    return this.s.headings.all().map((p) => ({ ...p, sections: sections.get(p.id) ?? [] }));
  }

  /**
   * The unit names (as the plans write them) among `names`, and every name not stored in normal form
   * (normalizeUnitName would change it): the names that may mean one of `names`.
   */
  unitNamesAmong(names: readonly string[]): string[] {
    return this.s.unitNamesAmong.all({ names: JSON.stringify(names) });
  }

  /** Names of the units with a live assignment, in no particular order (cheaper than listUnitNames). */
  liveUnitNames(): string[] {
    return JSON.parse(this.s.liveUnitNames.get() ?? '[]') as string[];
  }

  /** Live tasks that name one of these units (as written) in a live assignment. */
  taskIdsOfUnits(names: readonly string[]): number[] {
    return names.length ? this.s.taskIdsOfUnits.all({ names: JSON.stringify(names) }) : [];
  }

  /** Live tasks of the live items numbered `number`, in one plan or in every plan. */
  taskIdsOfItem(number: number, planId: number | null): number[] {
    return planId === null ? this.s.taskIdsOfItem.all({ number }) : this.s.taskIdsOfPlanItem.all({ number, planId });
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
