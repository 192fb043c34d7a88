/**
 * The seed plan as the 台账 and 通报 tests see it on 15 October 2025: September (due 30 September) has closed,
 * October (due 30 October) is active. Two tasks get a deadline in the plan (9.1: 30 September, passed; 6.3:
 * 17 October, two working days away), and a few units have reported, on time, late, 有困难 or done.
 */
import { loadPlanFile } from '../../src/app/import-plan-file';
import { instantOf } from '../../src/calendar/civil-date';
import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { loadConfig } from '../../src/config';
import { StatusView, type StatusDeps } from '../../src/status/status-view';
import type { NewReport, Store } from '../../src/store/store';
import { loadUnitDirectory } from '../../src/units/unit-directory';
import { SEED } from '../helpers/run-cli';
import { UNITS_FILE } from '../reminders/seed-duties';

export const TODAY = instantOf('2025-10-15', '10:00', 'Asia/Shanghai');

export async function loadSeedWithDeadlines(store: Store): Promise<number> {
  const { plan, doc } = await loadPlanFile(SEED);
  const task = (key: string) => plan.items.flatMap((i) => i.tasks).find((t) => t.id === key)!;
  task('9.1').deadline = '2025-09-30';
  task('6.3').deadline = '2025-10-17';
  return store.importPlan(plan, { name: 'seed.txt', sha256: doc.sha256 }, new Date('2025-09-01T00:00:00Z')).planId;
}

export function taskIds(store: Store, planId: number): Record<string, number> {
  return Object.fromEntries(store.getPlanTree(planId)!.items.flatMap((i) => i.tasks).map((t) => [t.key, t.id]));
}

export interface ReportInput extends Omit<NewReport, 'taskId' | 'reportedAt'> {
  task: string;
  /** `2025-09-29 16:30` in Asia/Shanghai. */
  at: string;
}

export function addReports(store: Store, planId: number, reports: readonly ReportInput[]): void {
  const ids = taskIds(store, planId);
  for (const { task, at, ...r } of reports) {
    const [date = '', time = ''] = at.split(' ');
    store.reports.add({ ...r, taskId: ids[task]!, reportedAt: new Date(instantOf(date, time, 'Asia/Shanghai')) });
  }
}

export function statusDeps(store: Store, clock: () => number = () => TODAY, env: Record<string, string> = {}): StatusDeps {
  const directory = loadUnitDirectory(UNITS_FILE);
  return {
    store,
    config: loadConfig({ REPORT_DUE_DAY: '30', ...env }),
    directory: () => directory,
    calendar: WorkdayCalendar.create(null),
    clock,
  };
}

export function viewOf(deps: StatusDeps): StatusView {
  return new StatusView(deps);
}

/**
 * The reports behind the ledger and bulletin tests:
 * - 4.2: the lead 区经济信息商务局 reported September on time; co-unit 区司法局 reported it late, 有困难;
 *   co-unit 区市场监管局 never reported;
 * - 6.2: the lead 区司法局 reported September 有困难 on time, co-unit 区财政局 reported it done in August;
 * - 9.1 (deadline 30 September, passed): the lead 区政府办公室 reported September late, on 10 October;
 * - 6.3 (deadline 17 October): the lead 区司法局 reported September on time;
 * - 3.2: of its nine leads only 区司法局 reported September (on time);
 * - 4.1: neither the lead 区发展和改革局 nor 区住建局 reported.
 */
export const REPORTS: ReportInput[] = [
  { task: '6.2', unit: '区财政局', cycle: '2025-08', status: 'done', text: '服务网络已建成', reporterName: '钱六', at: '2025-08-28 09:00' },
  { task: '4.2', unit: '区经济信息商务局', cycle: '2025-09', status: 'in_progress', percent: 60, text: '已完成清单梳理，\n正在征求意见', reporterName: '张三', at: '2025-09-29 16:30' },
  { task: '6.2', unit: '区司法局', cycle: '2025-09', status: 'blocked', text: '场地尚未落实', reporterName: '李四', at: '2025-09-26 10:00' },
  { task: '6.3', unit: '区司法局', cycle: '2025-09', status: 'in_progress', text: '培育名单已确定', reporterName: '李四', at: '2025-09-26 10:05' },
  { task: '3.2', unit: '区司法局', cycle: '2025-09', status: 'in_progress', text: '清单已报区政府', reporterName: '李四', at: '2025-09-26 10:10' },
  { task: '9.1', unit: '区政府办公室', cycle: '2025-09', status: 'in_progress', percent: 80, text: '目录已起草', reporterName: '王五', at: '2025-10-10 15:00' },
  { task: '4.2', unit: '区司法局', cycle: '2025-09', status: 'blocked', text: '需要协调经费', reporterName: '李四', at: '2025-10-14 09:30' },
];

/** Task 4.2's 台账 row after 序号, as both the .xlsx and the .csv must hold it. */
export const ROW_4_2 = [
  '第4项 优化法治化营商环境',
  '4.2 落实外商投资企业准入前国民待遇加负面清单管理制度,推进常态化企业开办全流程“一日办结”和地方设置涉企事项零许可。',
  '区经济信息商务局',
  '区司法局、区市场监管局',
  '本期截止 10月30日',
  '推进中 60%，已完成清单梳理，正在征求意见\n区司法局：有困难，需要协调经费\n区市场监管局：未报送',
  '绿灯（本期未到截止）',
  '2025-09-29 16:30',
  '张三',
];
