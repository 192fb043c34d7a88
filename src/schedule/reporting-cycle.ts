/**
 * Which cycle a report counts for, and which cycle status answers are about, consistent with the scheduler:
 * between the due date of cycle C and that of C+1 the scheduler chases C (for units that did not report it)
 * and reminds about C+1 (for the others). So a report made then closes C if the unit still owes C for that
 * task, and counts for C+1 otherwise. Pure; due dates on working days through `shift`.
 */
import type { CivilDate } from '../calendar/civil-date';
import { cycleOf, onWorkday, shiftCycle, type Cycle, type CycleRule } from './cycle';

export interface CyclePair {
  /** The cycle due today or next: the earliest whose due date is today or later. */
  active: Cycle;
  /** The cycle before it (its due date has passed): still chased until `active` falls due. */
  previous: Cycle;
}

export function cyclesOn(rule: CycleRule, today: CivilDate, shift: (d: CivilDate) => CivilDate): CyclePair {
  const at = (c: Cycle) => onWorkday(c, shift);
  let active = at(cycleOf(today, rule));
  // A moved due date can leave today's cycle already due (due day 1) or not yet due (a due date moved past the
  // cycle's end): step to the earliest cycle not yet due.
  for (let i = 0; i < 3 && active.due < today; i++) active = at(shiftCycle(active, 1, rule));
  for (let i = 0; i < 3; i++) {
    const before = at(shiftCycle(active, -1, rule));
    if (before.due < today) break;
    active = before;
  }
  return { active, previous: at(shiftCycle(active, -1, rule)) };
}

/** The cycle a report made today counts for: the overdue one while the unit still owes it, else the active one. */
export function reportCycle(pair: CyclePair, owesPrevious: boolean): Cycle {
  return owesPrevious ? pair.previous : pair.active;
}
