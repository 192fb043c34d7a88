/**
 * Pure helpers of the plan import: validating a ParsedPlan, flattening its tasks and building a task's roster
 * (unit + role). No SQL here.
 */
import type { ParsedPlan, PlanTask } from '../plan/types';

export type Role = 'lead' | 'co';

export interface RosterEntry {
  name: string;
  role: Role;
}

/** A task of the plan being imported, in document order. */
export interface NewTask {
  key: string;
  text: string;
  qualifier: string | null;
  deadline: string | null;
  itemNumber: number;
  /** Index within its item. */
  position: number;
  source: PlanTask;
}

/** Checks what the database constraints rely on; throws a Chinese message. */
export function validatePlan(plan: ParsedPlan): void {
  if (typeof plan.title !== 'string' || plan.title.trim() === '') {
    throw new Error('工作要点缺少标题，无法导入。');
  }
  const sections = new Set<string>();
  for (const s of plan.sections) {
    if (sections.has(s.number)) throw new Error(`部分编号重复：${s.number}`);
    sections.add(s.number);
  }
  const items = new Set<number>();
  const tasks = new Set<string>();
  for (const item of plan.items) {
    if (!Number.isInteger(item.number)) throw new Error(`事项编号无效：${String(item.number)}`);
    if (items.has(item.number)) throw new Error(`事项编号重复：第${item.number}项`);
    items.add(item.number);
    for (const task of item.tasks) {
      if (typeof task.id !== 'string' || task.id === '') throw new Error(`第${item.number}项中有任务缺少编号。`);
      if (tasks.has(task.id)) throw new Error(`任务编号重复：${task.id}`);
      tasks.add(task.id);
    }
  }
}

export function flattenTasks(plan: ParsedPlan): NewTask[] {
  return plan.items.flatMap((item) =>
    item.tasks.map((task, position) => ({
      key: task.id,
      text: task.text,
      qualifier: task.qualifier ?? null,
      deadline: task.deadline ?? null,
      itemNumber: item.number,
      position,
      source: task,
    })),
  );
}

/**
 * The task's units in written order with their roles; a lead missing from `units` is appended,
 * a unit listed twice is kept once. Throws on a unit that is not a non-empty string, unless `loose`
 * (then such a unit is skipped: for matching, which must not fail before the import reports the error).
 */
export function rosterOf(task: PlanTask, loose = false): RosterEntry[] {
  const leads = new Set<unknown>(task.leads ?? []);
  const seen = new Set<string>();
  const roster: RosterEntry[] = [];
  for (const name of [...(task.units ?? []), ...(task.leads ?? [])] as unknown[]) {
    if (typeof name !== 'string' || name.trim() === '') {
      if (loose) continue;
      throw new Error(`任务 ${task.id} 的责任单位无效：${JSON.stringify(name) ?? String(name)}`);
    }
    if (seen.has(name)) continue;
    seen.add(name);
    roster.push({ name, role: leads.has(name) ? 'lead' : 'co' });
  }
  return roster;
}

/** Distinct unit names of the whole plan. */
export function countUnits(plan: ParsedPlan): number {
  return new Set(plan.items.flatMap((i) => i.tasks.flatMap((t) => rosterOf(t).map((r) => r.name)))).size;
}

/**
 * How much two rosters agree: 3 same units with the same roles in the same order, 2 the same unit names,
 * 1 some unit in common (or one roster unknown, i.e. empty), 0 no unit in common.
 */
export type UnitAgreement = 0 | 1 | 2 | 3;

export function unitAgreement(a: readonly RosterEntry[], b: readonly RosterEntry[]): UnitAgreement {
  if (a.length === 0 || b.length === 0) return 1;
  if (a.length === b.length && a.every((r, k) => r.name === b[k]?.name && r.role === b[k]?.role)) return 3;
  const names = new Set(a.map((r) => r.name));
  const common = b.filter((r) => names.has(r.name)).length;
  if (common === 0) return 0;
  return common === names.size && common === new Set(b.map((r) => r.name)).size ? 2 : 1;
}
