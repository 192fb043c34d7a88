/** The seed plan in a temporary store with a status view on 15 September 2025 (September active, August owed). */
import { instantOf } from '../../src/calendar/civil-date';
import { WorkdayCalendar } from '../../src/calendar/workday-calendar';
import { loadConfig } from '../../src/config';
import type { StatusDeps } from '../../src/status/status-view';
import type { ReportStatus, Store } from '../../src/store/store';
import { loadSeed } from '../reminders/seed-duties';

export const SEPT_15 = instantOf('2025-09-15', '10:00', 'Asia/Shanghai');

/** Text a liaison could type that would be markup if it were not escaped. */
export const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>" onmouseover="alert(2)`;

export interface SeedStatus {
  deps: StatusDeps;
  report: (key: string, unit: string, cycle: string, status: ReportStatus, text?: string, extra?: { percent?: number; reporterName?: string; at?: number }) => number;
  taskId: (key: string) => number;
}

export async function seedStatus(store: Store, env: Record<string, string> = {}): Promise<SeedStatus> {
  const { directory } = await loadSeed(store);
  const deps: StatusDeps = {
    store,
    config: loadConfig({ REPORT_DUE_DAY: '30', ...env }),
    directory: () => directory,
    calendar: WorkdayCalendar.create(null),
    clock: () => SEPT_15,
  };
  const taskId = (key: string) => store.getPlanTree(store.listPlans()[0]!.id)!.items.flatMap((i) => i.tasks).find((t) => t.key === key)!.id;
  const report: SeedStatus['report'] = (key, unit, cycle, status, text = '', extra = {}) =>
    store.reports.add({
      taskId: taskId(key),
      unit,
      cycle,
      status,
      text,
      percent: extra.percent ?? null,
      reporterName: extra.reporterName ?? '联络员',
      reportedAt: new Date(extra.at ?? SEPT_15),
    });
  return { deps, report, taskId };
}
