/**
 * The board's filters (query parameters, so they work without JavaScript and can be bookmarked): a section
 * (`section=一`, or `section=2:一` when several plans are loaded), a unit (`unit=区司法局`, an alias works too) and
 * a colour (`status=red`, or `红灯`). Pure: the query and the board come in; the rows and columns to show go out.
 */
import { LIGHT_LABELS, type Light } from '../status/light';
import type { PlanHeading } from '../status/status-view';
import type { ItemStatus, StatusBoard, TaskStatus } from '../status/roll-up';

export interface BoardFilters {
  /** Sections to show, as `planId:number`; null for all. */
  sections: string[] | null;
  /** The section parameter as given (to fill the form in again). */
  section: string | null;
  unit: string | null;
  status: Light | null;
}

export const NO_FILTERS: BoardFilters = { sections: null, section: null, unit: null, status: null };

const LIGHTS: Light[] = ['red', 'yellow', 'green'];

/** `1:一`: a section's key across plans. */
export function sectionKey(planId: number, number: string): string {
  return `${planId}:${number}`;
}

function parseStatus(raw: string): Light | null {
  const s = raw.trim();
  return LIGHTS.find((l) => l === s.toLowerCase() || LIGHT_LABELS[l] === s || LIGHT_LABELS[l].slice(0, 1) === s) ?? null;
}

/**
 * The filters a query asks for. A value that names nothing (no such section, unit or colour) is left out and
 * explained in `problems`, in Chinese.
 */
export function parseFilters(
  params: URLSearchParams,
  known: { plans: readonly PlanHeading[]; units: readonly string[]; canonical: (name: string) => string },
): { filters: BoardFilters; problems: string[] } {
  const problems: string[] = [];
  const filters: BoardFilters = { ...NO_FILTERS };
  const section = params.get('section')?.trim();
  if (section) {
    const m = /^(?:(\d+)[:：])?(.+)$/.exec(section);
    const planId = m?.[1] === undefined ? null : Number(m[1]);
    const number = (m?.[2] ?? '').replace(/[、.．]$/, '');
    const keys = known.plans.flatMap((p) => (planId === null || p.id === planId ? p.sections.filter((s) => s.number === number).map((s) => sectionKey(p.id, s.number)) : []));
    if (keys.length) Object.assign(filters, { sections: keys, section });
    else problems.push(`计划中没有“${section}”这个部分，已显示全部部分。`);
  }
  const unit = params.get('unit')?.trim();
  if (unit) {
    const name = known.canonical(unit);
    if (known.units.includes(name)) filters.unit = name;
    else problems.push(`计划中没有“${unit}”这个单位，已显示全部单位。请从“单位”列表中选择。`);
  }
  const status = params.get('status')?.trim();
  if (status) {
    const light = parseStatus(status);
    if (light) filters.status = light;
    else problems.push(`状态“${status}”无效，应为 红灯、黄灯 或 绿灯，已显示全部状态。`);
  }
  return { filters, problems };
}

/** Items of one section (or of no section), in board order. */
export interface BoardGroup {
  planId: number;
  planTitle: string;
  /** Null for items outside any section. */
  section: { number: string; title: string } | null;
  items: { item: ItemStatus; tasks: TaskStatus[] }[];
}

export interface FilteredBoard {
  groups: BoardGroup[];
  /** The unit columns: those with an assignment among the tasks shown, in the plans' order. */
  units: string[];
  /** Tasks shown. */
  taskCount: number;
}

/** The colour a task shows under the filters: the chosen unit's own colour on it, else the task's. */
function shownLight(task: TaskStatus, unit: string | null): Light | null {
  if (unit === null) return task.light;
  const mine = [...task.leads, ...task.co].filter((a) => a.unit === unit);
  return mine.length ? (mine[0] as (typeof mine)[0]).light : null;
}

export function filterBoard(board: StatusBoard, plans: readonly PlanHeading[], f: BoardFilters): FilteredBoard {
  const groups: BoardGroup[] = [];
  const used = new Set<string>();
  let taskCount = 0;
  for (const item of board.items) {
    if (f.sections && !(item.section !== null && f.sections.includes(sectionKey(item.planId, item.section)))) continue;
    const tasks = item.tasks.filter((t) => {
      const light = shownLight(t, f.unit);
      return light !== null && (f.status === null || light === f.status);
    });
    if (tasks.length === 0) continue;
    const plan = plans.find((p) => p.id === item.planId);
    const heading = item.section === null ? null : plan?.sections.find((s) => s.number === item.section) ?? { number: item.section, title: '' };
    let group = groups[groups.length - 1];
    if (!group || group.planId !== item.planId || group.section?.number !== heading?.number) {
      group = { planId: item.planId, planTitle: item.planTitle, section: heading, items: [] };
      groups.push(group);
    }
    group.items.push({ item, tasks });
    taskCount += tasks.length;
    for (const t of tasks) for (const a of [...t.leads, ...t.co]) used.add(a.unit);
  }
  const units = f.unit !== null ? (used.has(f.unit) ? [f.unit] : []) : board.units.map((u) => u.unit).filter((u) => used.has(u));
  return { groups, units, taskCount };
}
