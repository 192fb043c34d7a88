/**
 * What each single unit owes: the plan's assignments with collectives (`区级有关部门`,
 * `各镇人民政府(街道办事处)`) expanded to their member units and aliases resolved through the units
 * directory, so that every unit gets its own list.
 */
import type { PlanTree, Role } from '../store/store';
import type { UnitDirectory } from '../units/unit-directory';

export interface UnitDuty {
  planId: number;
  planTitle: string;
  taskId: number;
  /** `3.2`. */
  taskKey: string;
  taskText: string;
  deadline: string | null;
  qualifier: string | null;
  itemNumber: number;
  itemTitle: string;
  /** The item's section number (`一`), null when the plan has none. */
  section: string | null;
  role: Role;
  /** The collective the unit is assigned through, as written in the plan; null when named directly. */
  via: string | null;
  /** The task's lead units as written (empty when the plan names none). */
  leads: string[];
  /** The unit's place among the task's single units (0, 1, …) in the order the plan names them, collectives expanded in place. */
  position: number;
}

/**
 * Duties by canonical unit name, units in order of first appearance and duties in document order. A unit
 * named both directly and through a collective on one task gets the task once, with its direct role, or the
 * lead role when it leads either way. With `only`, the duties of that one unit alone (the same as in the full map).
 */
export function unitDuties(trees: readonly PlanTree[], directory: UnitDirectory, only?: string): Map<string, UnitDuty[]> {
  const out = new Map<string, UnitDuty[]>();
  // A plan names the same units again and again: expand each name once.
  const expansions = new Map<string, { via: string | null; units: string[] }>();
  const expand = (name: string) => {
    let e = expansions.get(name);
    if (!e) expansions.set(name, (e = { via: directory.isCollective(name) ? name : null, units: directory.expand(name) }));
    return e;
  };
  for (const tree of trees) {
    for (const item of tree.items) {
      for (const task of item.tasks) {
        const leads = task.units.filter((u) => u.role === 'lead').map((u) => u.name);
        const perUnit = new Map<string, UnitDuty>();
        /** Each unit's first place among the task's units. */
        const places = new Map<string, number>();
        for (const assigned of task.units) {
          const { via, units } = expand(assigned.name);
          for (const unit of units) {
            if (!places.has(unit)) places.set(unit, places.size);
            if (only !== undefined && unit !== only) continue;
            const existing = perUnit.get(unit);
            if (existing && !(assigned.role === 'lead' && existing.role !== 'lead') && !(existing.via && !via)) continue;
            perUnit.set(unit, {
              planId: tree.plan.id,
              planTitle: tree.plan.title,
              taskId: task.id,
              taskKey: task.key,
              taskText: task.text,
              deadline: task.deadline,
              qualifier: task.qualifier,
              itemNumber: item.number,
              itemTitle: item.title,
              section: item.section,
              role: existing?.role === 'lead' ? 'lead' : assigned.role,
              via,
              leads,
              position: places.get(unit) as number,
            });
          }
        }
        for (const [unit, duty] of perUnit) {
          const list = out.get(unit);
          if (list) list.push(duty);
          else out.set(unit, [duty]);
        }
      }
    }
  }
  return out;
}
