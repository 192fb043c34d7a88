/**
 * Assignments' colours rolled up to tasks, items, sections and units by the rule in light.ts: a task takes its
 * lead units' colour, an item the worst of its tasks, a section the worst of its items, a unit the worst of its
 * assignments. Pure: the assessed assignments and the plans' headings come in, the board goes out.
 */
import type { CivilDate } from '../calendar/civil-date';
import type { Cycle } from '../schedule/cycle';
import { addTo } from '../multimap';
import { countLights, taskLight, worst, type Light, type LightCounts } from './light';
import type { AssignmentStatus, PlanHeading } from './status-view';

export interface TaskStatus {
  planId: number;
  taskId: number;
  /** `3.2`. */
  key: string;
  text: string;
  deadline: string | null;
  itemNumber: number;
  light: Light;
  /** The lead units (牵头): their report stands for the task. */
  leads: AssignmentStatus[];
  /** The co-operating units (配合), shown beneath the lead. */
  co: AssignmentStatus[];
}

export interface ItemStatus {
  planId: number;
  planTitle: string;
  number: number;
  title: string;
  section: string | null;
  light: Light;
  /** Tasks by colour. */
  counts: LightCounts;
  tasks: TaskStatus[];
}

export interface SectionStatus {
  planId: number;
  number: string;
  title: string;
  light: Light;
  /** Items by colour. */
  counts: LightCounts;
  items: ItemStatus[];
}

export interface UnitStatus {
  unit: string;
  light: Light;
  /** Assignments by colour. */
  counts: LightCounts;
  /** Assignments reported this cycle or done. */
  reported: number;
  assignments: AssignmentStatus[];
}

export interface StatusBoard {
  now: number;
  today: CivilDate;
  /** The cycle most assignments are in, and whether some follow another cycle (SCHEDULE_OVERRIDES). */
  cycle: { active: Cycle; previous: Cycle } | null;
  mixed: boolean;
  assignments: AssignmentStatus[];
  tasks: TaskStatus[];
  items: ItemStatus[];
  sections: SectionStatus[];
  units: UnitStatus[];
  totals: { assignments: LightCounts; tasks: LightCounts; items: LightCounts; units: LightCounts; reported: number };
}

export interface RollUpContext {
  plans: readonly PlanHeading[];
  /** Units in the order the plans first name them (the order of `units`). */
  unitOrder: readonly string[];
  today: CivilDate;
  now: number;
}

/** Whether the assignment needs nothing more this cycle: reported in it, or done. */
export function isReported(a: AssignmentStatus): boolean {
  return a.current !== null || a.done;
}

function taskSeq(key: string): number {
  return Number(key.split('.')[1] ?? 0);
}

/** The board's order of assignments: by plan, item and task; under a task, leads first, then as the task names its units. */
export function sortAssignments(statuses: readonly AssignmentStatus[]): AssignmentStatus[] {
  const seqs = new Map<string, number>();
  const seqOf = (key: string): number => {
    let seq = seqs.get(key);
    if (seq === undefined) seqs.set(key, (seq = taskSeq(key)));
    return seq;
  };
  return [...statuses].sort(
    (x, y) =>
      x.duty.planId - y.duty.planId ||
      x.duty.itemNumber - y.duty.itemNumber ||
      seqOf(x.duty.taskKey) - seqOf(y.duty.taskKey) ||
      Number(x.duty.role !== 'lead') - Number(y.duty.role !== 'lead') ||
      x.duty.position - y.duty.position,
  );
}

/** One unit's roll-up from its assignments in the board's order. */
export function unitRollUp(unit: string, sorted: AssignmentStatus[]): UnitStatus {
  return {
    unit,
    light: worst(sorted.map((a) => a.light)),
    counts: countLights(sorted.map((a) => a.light)),
    reported: sorted.filter(isReported).length,
    assignments: sorted,
  };
}

/** Tasks and items from assignments in the board's order; `plans` give the plans' titles. */
export function itemRollUp(sorted: readonly AssignmentStatus[], plans: readonly PlanHeading[]): { tasks: TaskStatus[]; items: ItemStatus[] } {
  const byTask = new Map<number, AssignmentStatus[]>();
  for (const a of sorted) addTo(byTask, a.duty.taskId, a);
  const tasks: TaskStatus[] = [...byTask.values()].map((list) => {
    const d = (list[0] as AssignmentStatus).duty;
    return {
      planId: d.planId,
      taskId: d.taskId,
      key: d.taskKey,
      text: d.taskText,
      deadline: d.deadline,
      itemNumber: d.itemNumber,
      light: taskLight(list.map((a) => ({ role: a.duty.role, light: a.light }))),
      leads: list.filter((a) => a.duty.role === 'lead'),
      co: list.filter((a) => a.duty.role !== 'lead'),
    };
  });
  const byItem = new Map<string, TaskStatus[]>();
  for (const t of tasks) addTo(byItem, `${t.planId}|${t.itemNumber}`, t);
  const planTitle = new Map(plans.map((p) => [p.id, p.title]));
  const items: ItemStatus[] = [...byItem.values()].map((list) => {
    const first = list[0] as TaskStatus;
    const duty = ((first.leads[0] ?? first.co[0]) as AssignmentStatus).duty;
    return {
      planId: first.planId,
      planTitle: planTitle.get(first.planId) ?? duty.planTitle,
      number: first.itemNumber,
      title: duty.itemTitle,
      section: duty.section,
      light: worst(list.map((t) => t.light)),
      counts: countLights(list.map((t) => t.light)),
      tasks: list,
    };
  });
  return { tasks, items };
}

/** Items grouped under their plans' sections, in the plans' order; sections without items are left out. */
export function bySection<I extends { planId: number; section: string | null }>(
  plans: readonly PlanHeading[],
  items: readonly I[],
): { planId: number; number: string; title: string; items: I[] }[] {
  const byPlan = new Map<number, I[]>();
  for (const item of items) addTo(byPlan, item.planId, item);
  const out: { planId: number; number: string; title: string; items: I[] }[] = [];
  for (const plan of plans) {
    const inPlan = byPlan.get(plan.id) ?? [];
    for (const s of plan.sections) {
      const list = inPlan.filter((i) => i.section === s.number);
      if (list.length) out.push({ planId: plan.id, number: s.number, title: s.title, items: list });
    }
  }
  return out;
}

export function rollUp(statuses: readonly AssignmentStatus[], ctx: RollUpContext): StatusBoard {
  const sorted = sortAssignments(statuses);
  const { tasks, items } = itemRollUp(sorted, ctx.plans);
  const sections: SectionStatus[] = bySection(ctx.plans, items).map(({ planId, number, title, items: list }) => ({
    planId,
    number,
    title,
    light: worst(list.map((i) => i.light)),
    counts: countLights(list.map((i) => i.light)),
    items: list,
  }));
  const byUnit = new Map<string, AssignmentStatus[]>();
  for (const u of ctx.unitOrder) byUnit.set(u, []);
  for (const a of sorted) addTo(byUnit, a.unit, a);
  const units: UnitStatus[] = [...byUnit].filter(([, list]) => list.length > 0).map(([unit, list]) => unitRollUp(unit, list));
  return {
    now: ctx.now,
    today: ctx.today,
    ...mainCycle(sorted),
    assignments: sorted,
    tasks,
    items,
    sections,
    units,
    totals: {
      assignments: countLights(sorted.map((a) => a.light)),
      tasks: countLights(tasks.map((t) => t.light)),
      items: countLights(items.map((i) => i.light)),
      units: countLights(units.map((u) => u.light)),
      reported: sorted.filter(isReported).length,
    },
  };
}

/** The cycle most assignments are in, for headings. */
function mainCycle(list: readonly AssignmentStatus[]): Pick<StatusBoard, 'cycle' | 'mixed'> {
  const counts = new Map<string, { n: number; a: AssignmentStatus }>();
  for (const a of list) {
    const c = counts.get(a.cycles.active.id);
    counts.set(a.cycles.active.id, { n: (c?.n ?? 0) + 1, a });
  }
  const top = [...counts.values()].sort((x, y) => y.n - x.n)[0];
  return { cycle: top ? { active: top.a.cycles.active, previous: top.a.cycles.previous } : null, mixed: counts.size > 1 };
}
