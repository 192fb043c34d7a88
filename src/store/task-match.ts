/**
 * Pure helpers of the plan import: validating a ParsedPlan, flattening its tasks, building a task's roster
 * (unit + role) and matching new tasks to the stored ones. No SQL here.
 */
import type { ParsedPlan, PlanTask } from '../plan/types';

export type Role = 'lead' | 'co';

export interface RosterEntry {
  name: string;
  role: Role;
}

/** A non-archived task as stored. */
export interface LiveTask {
  id: number;
  key: string;
  text: string;
  qualifier: string | null;
  deadline: string | null;
  itemId: number;
  position: number;
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
 * a unit listed twice is kept once. Throws on a unit that is not a non-empty string.
 */
export function rosterOf(task: PlanTask): RosterEntry[] {
  const leads = new Set<unknown>(task.leads ?? []);
  const seen = new Set<string>();
  const roster: RosterEntry[] = [];
  for (const name of [...task.units, ...(task.leads ?? [])] as unknown[]) {
    if (typeof name !== 'string' || name.trim() === '') {
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
 * Pairs new tasks with stored ones. A task keeps its row when its text is unchanged (preferring the one with
 * the same key among equal texts, even if its key moved); the remaining ones pair by key (text edited).
 * Returns, for each new task index, the matched stored task or undefined.
 */
export function matchTasks(live: readonly LiveTask[], next: readonly NewTask[]): (LiveTask | undefined)[] {
  const result: (LiveTask | undefined)[] = next.map(() => undefined);
  const free = new Set(live);
  const take = (i: number, old: LiveTask | undefined): void => {
    if (old && free.has(old) && result[i] === undefined) {
      result[i] = old;
      free.delete(old);
    }
  };

  // 1. same text and same key
  const byKeyAndText = new Map(live.map((t) => [`${t.key}\u0000${t.text}`, t]));
  next.forEach((t, i) => take(i, byKeyAndText.get(`${t.key}\u0000${t.text}`)));

  // 2. same text, key moved (first free one in document order)
  const byText = new Map<string, LiveTask[]>();
  for (const t of live) byText.set(t.text, [...(byText.get(t.text) ?? []), t]);
  next.forEach((t, i) => {
    if (result[i] !== undefined) return;
    take(i, byText.get(t.text)?.find((old) => free.has(old)));
  });

  // 3. same key, text edited
  const byKey = new Map(live.map((t) => [t.key, t]));
  next.forEach((t, i) => take(i, byKey.get(t.key)));

  return result;
}
