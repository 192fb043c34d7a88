/**
 * A task's colour in words with the reason, as the 台账 and the 通报 write it: `红灯（逾期未报送 3 个工作日）`.
 * The reason is that of the units the colour comes from (the leads, or every unit of a task without a lead);
 * when they differ, the unit behind the colour is named: `红灯（区财政局等 2 个单位逾期未报送 3 个工作日）`.
 */
import { LIGHT_LABELS, REASON_LABELS, type Light, type LightReason } from './light';
import type { TaskStatus } from './roll-up';
import type { AssignmentStatus } from './status-view';

export interface TaskVerdict {
  light: Light;
  /** `逾期未报送 3 个工作日`, with the unit named when not all units the colour comes from share it. */
  reason: string;
  /** `红灯（逾期未报送 3 个工作日）`. */
  text: string;
  /** The units whose reason it is. */
  units: AssignmentStatus[];
}

/** The order reasons are told in: the precedence of the rule in light.ts. */
const REASON_ORDER = Object.keys(REASON_LABELS) as LightReason[];

/** `逾期未报送 3 个工作日`, `有困难`. */
export function reasonText(reason: LightReason, lateDays: number | null): string {
  const late = (reason === 'overdue' || reason === 'past_deadline') && lateDays ? ` ${lateDays} 个工作日` : '';
  return `${REASON_LABELS[reason]}${late}`;
}

export function taskVerdict(task: TaskStatus): TaskVerdict {
  const from = task.leads.length ? task.leads : task.co;
  const same = from.filter((a) => a.light === task.light);
  const reason = REASON_ORDER.find((r) => same.some((a) => a.reason === r)) ?? 'not_due';
  const units = same.filter((a) => a.reason === reason);
  const lateDays = units.reduce<number | null>((n, a) => (a.lateDays === null ? n : Math.max(n ?? 0, a.lateDays)), null);
  const first = units[0];
  const who = !first || units.length === from.length ? '' : units.length === 1 ? first.unit : `${first.unit}等 ${units.length} 个单位`;
  const text = `${who}${reasonText(reason, lateDays)}`;
  return { light: task.light, reason: text, text: `${LIGHT_LABELS[task.light]}（${text}）`, units };
}
