/**
 * What each single unit owes and by which rule: the plans' assignments with collectives expanded (unit-duties.ts)
 * and SCHEDULE_OVERRIDES resolved against the units directory. Read by the scheduler, the bot and the status view.
 */
import { reportDueDay, type Config } from '../config';
import { unitDuties, type UnitDuty } from '../reminders/unit-duties';
import type { PlanTree, Store } from '../store/store';
import type { UnitDirectory } from '../units/unit-directory';
import type { CycleRule } from './cycle';
import { ruleFor, type ScheduleOverride } from './overrides';

export class ScheduleSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleSetupError';
  }
}

export function defaultRule(config: Config): CycleRule {
  return { kind: config.REPORT_CYCLE, dueDay: reportDueDay(config) };
}

/** `SCHEDULE_OVERRIDES` with unit names made canonical. @throws ScheduleSetupError naming an unknown unit. */
export function resolveOverrides(overrides: readonly ScheduleOverride[], directory: UnitDirectory, planUnits: readonly string[]): ScheduleOverride[] {
  if (!overrides.some((o) => 'unit' in o.target)) return [...overrides];
  const known = new Set(planUnits.flatMap((u) => directory.expand(u)));
  return overrides.map((o) => {
    if (!('unit' in o.target)) return o;
    const unit = directory.canonical(o.target.unit);
    if (!known.has(unit)) {
      throw new ScheduleSetupError(
        `SCHEDULE_OVERRIDES 中的“${o.text}”：单位“${o.target.unit}”不在计划的责任单位中。请写计划中的单位名称或 ${'units.yaml'} 中的别名，例如 区司法局=每月20日。`,
      );
    }
    return { ...o, target: { unit } };
  });
}

export function planTrees(store: Store): PlanTree[] {
  return store.listPlans().flatMap((p) => store.getPlanTree(p.id) ?? []);
}

export interface PlanDuties {
  duties: Map<string, UnitDuty[]>;
  ruleOf: (duty: UnitDuty, unit: string) => CycleRule;
  /** The plans the duties come from. */
  trees: PlanTree[];
}

/** The duties of every single unit and the rule each assignment follows. */
export function dutiesAndRules(ctx: { store: Store; config: Config; directory: UnitDirectory }): PlanDuties {
  const trees = planTrees(ctx.store);
  const duties = unitDuties(trees, ctx.directory);
  const overrides = ctx.config.SCHEDULE_OVERRIDES.length ? resolveOverrides(ctx.config.SCHEDULE_OVERRIDES, ctx.directory, ctx.store.listUnitNames()) : [];
  const fallback = defaultRule(ctx.config);
  return { duties, ruleOf: (duty, unit) => ruleFor(overrides, fallback, duty.itemNumber, unit), trees };
}
