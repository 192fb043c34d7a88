/**
 * The whole board without the assignments: the colour and counts of every item, section and unit and the totals,
 * as the dashboard's overview and the 通报 need them. `summarize` takes them from a board; `summarizeIndex`
 * computes the same from a DutyIndex and the report facts read in bulk, for a province's hundreds of thousands of
 * assignments, applying lightOf once per distinct combination of facts and the roll-up rule of light.ts.
 */
import type { CivilDate } from '../calendar/civil-date';
import type { CyclePair } from '../schedule/reporting-cycle';
import type { PairFacts, PlanHeading } from '../store/store';
import type { DutyIndex } from './duty-index';
import { taskLight, worst, type Light, type LightCounts } from './light';
import { bySection, type ItemStatus, type SectionStatus, type StatusBoard, type UnitStatus } from './roll-up';

export type ItemSummary = Omit<ItemStatus, 'tasks'>;
export type SectionSummary = Omit<SectionStatus, 'items'> & { items: ItemSummary[] };
export type UnitSummary = Omit<UnitStatus, 'assignments'> & {
  /** How many assignments the unit has. */
  assignments: number;
};

export interface StatusSummary {
  now: number;
  today: CivilDate;
  cycle: StatusBoard['cycle'];
  mixed: boolean;
  items: ItemSummary[];
  sections: SectionSummary[];
  units: UnitSummary[];
  totals: StatusBoard['totals'];
}

const itemSummary = ({ tasks: _tasks, ...item }: ItemStatus): ItemSummary => item;

/** The summary of a board. */
export function summarize(board: StatusBoard): StatusSummary {
  return {
    now: board.now,
    today: board.today,
    cycle: board.cycle,
    mixed: board.mixed,
    items: board.items.map(itemSummary),
    sections: board.sections.map(({ items, ...s }) => ({ ...s, items: items.map(itemSummary) })),
    units: board.units.map(({ assignments, ...u }) => ({ ...u, assignments: assignments.length })),
    totals: board.totals,
  };
}

const LIGHTS: readonly Light[] = ['green', 'yellow', 'red'];

/** The facts of one assignment that decide its colour; statuses as indexes in REPORT_STATUSES, null for none. */
export interface DutyFacts {
  rule: number;
  deadline: string | null;
  done: boolean;
  current: number | null;
  closing: number | null;
}

export interface SummaryInput {
  index: DutyIndex;
  plans: readonly PlanHeading[];
  now: number;
  today: CivilDate;
  /** The cycles of each rule the duties follow. */
  rules: readonly CyclePair[];
  /** Each duty's rule (index into `rules`). */
  dutyRule: Uint16Array;
  /** Facts by cycle id: every pair reported in it, with the status. */
  cycleFacts: (cycle: string) => PairFacts;
  /** Every pair whose newest live report says done. */
  doneFacts: PairFacts;
  /** The colour of an assignment with these facts (lightOf with the view's settings). */
  lightOf: (facts: DutyFacts) => Light;
}

/** Finds a duty by task id and unit number. */
class DutyLocator {
  /** Task index by task id: a table when the ids are dense enough, else a map. */
  private readonly table: Int32Array | null;
  private readonly map: Map<number, number> | null;
  /** Each duty's unit number. */
  private readonly numbers: Int32Array;

  constructor(private readonly index: DutyIndex) {
    const max = index.taskIds.reduce((m, id) => Math.max(m, id), 0);
    if (max <= 4 * index.taskIds.length + 1024) {
      const table = new Int32Array(max + 1).fill(-1);
      index.taskIds.forEach((id, t) => (table[id] = t));
      this.table = table;
      this.map = null;
    } else {
      this.table = null;
      this.map = new Map();
      index.taskIds.forEach((id, t) => this.map?.set(id, t));
    }
    this.numbers = index.dutyUnit.map((u) => index.unitNumbers[u] as number);
  }

  /** The duty of the unit (by number) on the task, or -1. */
  find(taskId: number, unitNumber: number): number {
    const t = this.table ? (taskId < this.table.length ? (this.table[taskId] as number) : -1) : (this.map?.get(taskId) ?? -1);
    if (t < 0) return -1;
    const { taskStart } = this.index;
    for (let d = taskStart[t] as number, end = taskStart[t + 1] as number; d < end; d++) if (this.numbers[d] === unitNumber) return d;
    return -1;
  }
}

const counts = (): LightCounts => ({ green: 0, yellow: 0, red: 0 });
const worstOf = (c: LightCounts): Light => worst(LIGHTS.filter((l) => c[l] > 0));

/** The summary from the index and the facts, equal to `summarize` of the board of the same moment. */
export function summarizeIndex(input: SummaryInput): StatusSummary {
  const { index, rules, dutyRule } = input;
  const dutyCount = index.dutyUnit.length;
  const taskCount = index.taskIds.length;
  const locate = new DutyLocator(index);

  // —— the facts of every duty ——
  const current = new Uint8Array(dutyCount);
  const closing = new Uint8Array(dutyCount);
  const done = new Uint8Array(dutyCount);
  // For each cycle: which rules have it as their active cycle, and which as their previous one.
  const cycles = new Map<string, { active: Uint8Array; previous: Uint8Array }>();
  rules.forEach((pair, r) => {
    for (const [which, cycle] of [['active', pair.active.id], ['previous', pair.previous.id]] as const) {
      let entry = cycles.get(cycle);
      if (!entry) cycles.set(cycle, (entry = { active: new Uint8Array(rules.length), previous: new Uint8Array(rules.length) }));
      entry[which][r] = 1;
    }
  });
  for (const [cycle, { active, previous }] of cycles) {
    const facts = input.cycleFacts(cycle);
    for (let k = 0; k < facts.count; k++) {
      const d = locate.find(facts.taskIds[k] as number, facts.units[k] as number);
      if (d < 0) continue;
      const r = dutyRule[d] as number;
      if (active[r]) current[d] = (facts.statuses[k] as number) + 1;
      if (previous[r]) closing[d] = (facts.statuses[k] as number) + 1;
    }
  }
  for (let k = 0; k < input.doneFacts.count; k++) {
    const d = locate.find(input.doneFacts.taskIds[k] as number, input.doneFacts.units[k] as number);
    if (d >= 0) done[d] = 1;
  }

  // —— the colour of every duty (lightOf once per distinct combination), rolled up to units and tasks ——
  const deadlines = index.deadlines.length + 1;
  // The colour (index in LIGHTS) of each combination met, by key; 255: not yet known.
  const memo = new Uint8Array(rules.length * deadlines * 2 * 25).fill(255);
  const colourOf = (rule: number, deadline: number, d: number): number => {
    const key = (((rule * deadlines + deadline + 1) * 2 + (done[d] as number)) * 5 + (current[d] as number)) * 5 + (closing[d] as number);
    let light = memo[key] as number;
    if (light === 255) {
      const c = current[d] as number;
      const p = closing[d] as number;
      light = LIGHTS.indexOf(
        input.lightOf({
          rule,
          deadline: deadline < 0 ? null : (index.deadlines[deadline] as string),
          done: done[d] === 1,
          current: c === 0 ? null : c - 1,
          closing: p === 0 ? null : p - 1,
        }),
      );
      memo[key] = light;
    }
    return light;
  };
  // Counts by colour, three to an entry.
  const unitCounts = new Int32Array(index.units.length * 3);
  const unitReported = new Int32Array(index.units.length);
  const itemCounts = new Int32Array(index.items.length * 3);
  const assignmentTotals = new Int32Array(3);
  const taskTotals = new Int32Array(3);
  let reported = 0;
  // A task's colour depends on which (role, colour) pairs its units show (the roll-up takes the worst): taskLight
  // once per set of pairs met, the set as bits (lead green, co green, lead yellow, …), 255: not yet known.
  const taskMemo = new Uint8Array(64).fill(255);
  const taskColour = (mask: number): number => {
    let light = taskMemo[mask] as number;
    if (light === 255) {
      const units: { role: 'lead' | 'co'; light: Light }[] = [];
      for (let bit = 0; bit < 6; bit++) if (mask & (1 << bit)) units.push({ role: bit % 2 === 0 ? 'lead' : 'co', light: LIGHTS[bit >> 1] as Light });
      taskMemo[mask] = light = LIGHTS.indexOf(taskLight(units));
    }
    return light;
  };
  // Per rule: how many duties follow it, and the first and last of them in the board's order (for the main cycle).
  const ruleCount = new Int32Array(rules.length);
  const ruleFirst = new Int32Array(rules.length).fill(-1);
  const ruleLast = new Int32Array(rules.length).fill(-1);
  for (let t = 0; t < taskCount; t++) {
    const deadline = index.taskDeadline[t] as number;
    let mask = 0;
    for (let d = index.taskStart[t] as number, end = index.taskStart[t + 1] as number; d < end; d++) {
      const rule = dutyRule[d] as number;
      const light = colourOf(rule, deadline, d);
      const u = index.dutyUnit[d] as number;
      unitCounts[u * 3 + light] = (unitCounts[u * 3 + light] as number) + 1;
      assignmentTotals[light] = (assignmentTotals[light] as number) + 1;
      if (current[d] !== 0 || done[d] === 1) {
        unitReported[u] = (unitReported[u] as number) + 1;
        reported++;
      }
      mask |= 1 << (light * 2 + (index.dutyLead[d] ? 0 : 1));
      ruleCount[rule] = (ruleCount[rule] as number) + 1;
      if (ruleFirst[rule] === -1) ruleFirst[rule] = d;
      ruleLast[rule] = d;
    }
    if (mask === 0) continue;
    const light = taskColour(mask);
    const i = index.taskItem[t] as number;
    itemCounts[i * 3 + light] = (itemCounts[i * 3 + light] as number) + 1;
    taskTotals[light] = (taskTotals[light] as number) + 1;
  }

  // —— items, sections, units, totals ——
  const countsAt = (array: Int32Array, k: number): LightCounts => ({ green: array[k * 3] as number, yellow: array[k * 3 + 1] as number, red: array[k * 3 + 2] as number });
  const totals: StatusBoard['totals'] = {
    assignments: countsAt(assignmentTotals, 0),
    tasks: countsAt(taskTotals, 0),
    items: counts(),
    units: counts(),
    reported,
  };
  const titles = new Map(input.plans.map((p) => [p.id, p.title]));
  const items: ItemSummary[] = index.items.map((item, k) => {
    const c = countsAt(itemCounts, k);
    const light = worstOf(c);
    totals.items[light]++;
    return { planId: item.planId, planTitle: titles.get(item.planId) ?? item.planTitle, number: item.number, title: item.title, section: item.section, light, counts: c };
  });
  const sections: SectionSummary[] = bySection(input.plans, items).map(({ planId, number, title, items: list }) => {
    const c = counts();
    for (const i of list) c[i.light]++;
    return { planId, number, title, light: worstOf(c), counts: c, items: list };
  });
  const units: UnitSummary[] = [];
  index.units.forEach((unit, u) => {
    const c = countsAt(unitCounts, u);
    const assignments = c.green + c.yellow + c.red;
    if (assignments === 0) return;
    const light = worstOf(c);
    totals.units[light]++;
    units.push({ unit, light, counts: c, reported: unitReported[u] as number, assignments });
  });
  return { now: input.now, today: input.today, ...mainCycle(rules, ruleCount, ruleFirst, ruleLast), items, sections, units, totals };
}

/**
 * The cycle most assignments are in, as rollUp's mainCycle picks it from the assignments in the board's order:
 * cycles in the order first met, ties to the first, each shown with the cycles of its last assignment's rule.
 */
function mainCycle(rules: readonly CyclePair[], n: Int32Array, first: Int32Array, last: Int32Array): Pick<StatusSummary, 'cycle' | 'mixed'> {
  const byCycle = new Map<string, { n: number; first: number; last: number; rule: number }>();
  rules.forEach((pair, r) => {
    if (n[r] === 0) return;
    const c = byCycle.get(pair.active.id) ?? { n: 0, first: Infinity, last: -1, rule: r };
    c.n += n[r] as number;
    c.first = Math.min(c.first, first[r] as number);
    if ((last[r] as number) > c.last) {
      c.last = last[r] as number;
      c.rule = r;
    }
    byCycle.set(pair.active.id, c);
  });
  const top = [...byCycle.values()].sort((x, y) => y.n - x.n || x.first - y.first)[0];
  if (!top) return { cycle: null, mixed: false };
  const pair = rules[top.rule] as CyclePair;
  return { cycle: { active: pair.active, previous: pair.previous }, mixed: byCycle.size > 1 };
}
