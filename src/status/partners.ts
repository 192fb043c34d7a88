/**
 * The lead-unit roll-up in reminders: under each task a unit leads, its co-units' latest reports, so the lead
 * sees where its partners stand before it reports for the task.
 */
import type { UnitDuty } from '../reminders/unit-duties';
import type { Store } from '../store/store';
import { addTo } from '../multimap';
import { reportSummary, shortTime } from './report-text';

/** Co-units' reports shown under a task at most, and names of those without a report; the rest are counted. */
const MAX_REPORTS = 8;
const MAX_NAMES = 6;

/**
 * Lines (DingTalk markdown, text escaped) for the co-units of the tasks a unit leads: one per co-unit that has
 * reported (`配合 区财政局：推进中：…（9月20日 10:00）`), then one naming those that have not
 * (`配合单位尚未报送：区人社局、区住建局`). Empty for co-operated tasks. Reads the store lazily, once per task.
 */
export function partnerLines(store: Store, duties: ReadonlyMap<string, readonly UnitDuty[]>, timeZone: string): (duty: UnitDuty) => string[] {
  let coUnits: Map<number, string[]> | null = null;
  const memo = new Map<number, string[]>();
  return (duty) => {
    if (duty.role !== 'lead') return [];
    let lines = memo.get(duty.taskId);
    if (lines) return lines;
    if (!coUnits) {
      coUnits = new Map();
      for (const [unit, list] of duties) for (const d of list) if (d.role !== 'lead') addTo(coUnits, d.taskId, unit);
    }
    const reported: string[] = [];
    const silent: string[] = [];
    for (const unit of coUnits.get(duty.taskId) ?? []) {
      const r = store.reports.latestOnTask(duty.taskId, unit);
      if (r) reported.push(`配合 ${unit}：${reportSummary(r, 30)}（${shortTime(r.reportedAt, timeZone)}）`);
      else silent.push(unit);
    }
    lines = reported.slice(0, MAX_REPORTS);
    if (reported.length > MAX_REPORTS) lines.push(`……另有 ${reported.length - MAX_REPORTS} 个配合单位已报送`);
    if (silent.length) lines.push(`配合单位尚未报送：${silent.slice(0, MAX_NAMES).join('、')}${silent.length > MAX_NAMES ? `等 ${silent.length} 个` : ''}`);
    memo.set(duty.taskId, lines);
    return lines;
  };
}
