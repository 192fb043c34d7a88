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
import type { ItemStatus, SectionStatus, StatusBoard, UnitStatus } from './roll-up';

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
  private readonly taskOf = new Map<number, number>();

  constructor(private readonly index: DutyIndex) {
    index.taskIds.forEach((id, t) => this.taskOf.set(id, t));
  }

  /** The duty of the unit (by number) on the task, or -1. */
  find(taskId: number, unitNumber: number): number {
    const t = this.taskOf.get(taskId);
    if (t === undefined) return -1;
    const { taskStart, dutyUnit, unitNumbers } = this.index;
    for (let d = taskStart[t] as number, end = taskStart[t + 1] as number; d < end; d++) {
      if (unitNumbers[dutyUnit[d] as number] === unitNumber) return d;
    }
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
  const cycles = new Map<string, { active: number[]; previous: number[] }>();
  rules.forEach((pair, r) => {
    for (const [which, cycle] of [['active', pair.active.id], ['previous', pair.previous.id]] as const) {
      let entry = cycles.get(cycle);
      if (!entry) cycles.set(cycle, (entry = { active: [], previous: [] }));
      entry[which].push(r);
    }
  });
  for (const [cycle, { active, previous }] of cycles) {
    const facts = input.cycleFacts(cycle);
    for (let k = 0; k < facts.count; k++) {
      const d = locate.find(facts.taskIds[k] as number, facts.units[k] as number);
      if (d < 0) continue;
      const r = dutyRule[d] as number;
      if (active.includes(r)) current[d] = (facts.statuses[k] as number) + 1;
      if (previous.includes(r)) closing[d] = (facts.statuses[k] as number) + 1;
    }
  }
  for (let k = 0; k < input.doneFacts.count; k++) {
    const d = locate.find(input.doneFacts.taskIds[k] as number, input.doneFacts.units[k] as number);
    if (d >= 0) done[d] = 1;
  }

  // —— the colour of every duty: lightOf once per distinct combination ——
  const lights = new Uint8Array(dutyCount);
  const memo = new Map<number, number>();
  const deadlines = index.deadlines.length + 1;
  for (let t = 0; t < taskCount; t++) {
    const deadline = index.taskDeadline[t] as number;
    for (let d = index.taskStart[t] as number, end = index.taskStart[t + 1] as number; d < end; d++) {
      const rule = dutyRule[d] as number;
      const key = (((rule * deadlines + deadline + 1) * 2 + (done[d] as number)) * 5 + (current[d] as number)) * 5 + (closing[d] as number);
      let light = memo.get(key);
      if (light === undefined) {
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
        memo.set(key, light);
      }
      lights[d] = light;
    }
  }

  // —— roll-up: units, tasks, items, sections, totals ——
  const unitCounts = index.units.map(counts);
  const unitReported = new Int32Array(index.units.length);
  const unitDuties = new Int32Array(index.units.length);
  const itemCounts = index.items.map(counts);
  const totals: StatusBoard['totals'] = { assignments: counts(), tasks: counts(), items: counts(), units: counts(), reported: 0 };
  const byRole = LIGHTS.map((light) => [{ role: 'lead' as const, light }, { role: 'co' as const, light }] as const);
  for (let t = 0; t < taskCount; t++) {
    const roles: { role: 'lead' | 'co'; light: Light }[] = [];
    for (let d = index.taskStart[t] as number, end = index.taskStart[t + 1] as number; d < end; d++) {
      const light = LIGHTS[lights[d] as number] as Light;
      const u = index.dutyUnit[d] as number;
      (unitCounts[u] as LightCounts)[light]++;
      unitDuties[u] = (unitDuties[u] as number) + 1;
      totals.assignments[light]++;
      if (current[d] !== 0 || done[d] === 1) {
        unitReported[u] = (unitReported[u] as number) + 1;
        totals.reported++;
      }
      roles.push(byRole[lights[d] as number]![index.dutyLead[d] ? 0 : 1]);
    }
    const light = taskLight(roles);
    (itemCounts[index.taskItem[t] as number] as LightCounts)[light]++;
    totals.tasks[light]++;
  }
  const titles = new Map(input.plans.map((p) => [p.id, p.title]));
  const items: ItemSummary[] = index.items.map((item, k) => {
    const c = itemCounts[k] as LightCounts;
    const light = worstOf(c);
    totals.items[light]++;
    return { planId: item.planId, planTitle: titles.get(item.planId) ?? item.planTitle, number: item.number, title: item.title, section: item.section, light, counts: c };
  });
  const sections: SectionSummary[] = [];
  for (const plan of input.plans) {
    const inPlan = items.filter((i) => i.planId === plan.id);
    for (const s of plan.sections) {
      const list = inPlan.filter((i) => i.section === s.number);
      if (list.length === 0) continue;
      const c = counts();
      for (const i of list) c[i.light]++;
      sections.push({ planId: plan.id, number: s.number, title: s.title, light: worstOf(c), counts: c, items: list });
    }
  }
  const units: UnitSummary[] = [];
  index.units.forEach((unit, u) => {
    if (unitDuties[u] === 0) return;
    const c = unitCounts[u] as LightCounts;
    const light = worstOf(c);
    totals.units[light]++;
    units.push({ unit, light, counts: c, reported: unitReported[u] as number, assignments: unitDuties[u] as number });
  });
  return { now: input.now, today: input.today, ...mainCycle(input, lights.length), items, sections, units, totals };
}

/** The cycle most assignments are in, as rollUp's mainCycle picks it (the index holds the duties in the board's order). */
function mainCycle(input: SummaryInput, dutyCount: number): Pick<StatusSummary, 'cycle' | 'mixed'> {
  const byCycle = new Map<string, { n: number; rule: number }>();
  for (let d = 0; d < dutyCount; d++) {
    const rule = input.dutyRule[d] as number;
    const id = (input.rules[rule] as CyclePair).active.id;
    byCycle.set(id, { n: (byCycle.get(id)?.n ?? 0) + 1, rule });
  }
  const top = [...byCycle.values()].sort((x, y) => y.n - x.n)[0];
  if (!top) return { cycle: null, mixed: false };
  const pair = input.rules[top.rule] as CyclePair;
  return { cycle: { active: pair.active, previous: pair.previous }, mixed: byCycle.size > 1 };
}
