/**
 * `duban schedule preview` and `duban schedule status` as text: the settings in words, the reminders day by day
 * (units of one kind and cycle on one line), the holidays the window skips, and loud warnings for years the
 * working-day calendar does not know.
 */
import { addDays, chineseDate, weekdayName, type CivilDate } from '../calendar/civil-date';
import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { Config } from '../config';
import type { AgendaItem } from '../schedule/agenda';
import type { FiringKind } from '../schedule/firings';
import { describeRule } from '../schedule/overrides';
import { defaultRule } from './schedule-run';
import { addTo } from '../multimap';

export const KIND_LABELS: Record<FiringKind, string> = {
  before: '提前提醒',
  due: '截止日提醒',
  overdue: '催办',
  escalate: '升级督办',
  digest: '报送情况汇总',
  bulletin: '通报',
  deadline: '时限提醒',
};

/** The settings in one paragraph of plain Chinese. */
export function describeSettings(config: Config): string[] {
  const rule = defaultRule(config);
  const before = config.REMIND_BEFORE_WORKDAYS;
  const lines = [
    `报送周期：${describeRule(rule)}截止（REPORT_CYCLE=${config.REPORT_CYCLE}，截止日 ${rule.dueDay}）；截止日遇节假日、周末${config.DUE_ON_HOLIDAY === 'next' ? '顺延到下一个' : '提前到上一个'}工作日。`,
    `提醒时间：${before.length ? `截止前第 ${before.join('、')} 个工作日、` : ''}截止日当天 ${config.REMIND_AT}` +
      `${config.OVERDUE_EVERY_WORKDAYS ? `；逾期后每 ${config.OVERDUE_EVERY_WORKDAYS} 个工作日催办一次，直到报送或下一期截止` : '；逾期不催办'}` +
      `${config.ESCALATE_AFTER_WORKDAYS ? `；逾期满 ${config.ESCALATE_AFTER_WORKDAYS} 个工作日告知分管领导和区领导` : ''}` +
      `${config.DIGEST_AT ? `；截止日 ${config.DIGEST_AT} 向领导发送报送情况汇总` : ''}` +
      `${config.BULLETIN_AT ? `；截止日后第一个工作日 ${config.BULLETIN_AT} 向领导发送本期通报` : ''}。`,
  ];
  if (config.SCHEDULE_OVERRIDES.length) {
    lines.push(`单独设置（SCHEDULE_OVERRIDES）：${config.SCHEDULE_OVERRIDES.map((o) => `${'item' in o.target ? `第${o.target.item}项` : o.target.unit}${describeRule(o.rule)}截止`).join('；')}。`);
  }
  return lines;
}

/** The loud warning for years without holiday data, or nothing. */
export function missingYearsWarning(calendar: WorkdayCalendar, from: CivilDate, to: CivilDate, calendarFile: string): string | null {
  const years = calendar.yearsWithoutData(from, to);
  if (years.length === 0) return null;
  const list = years.map((y) => `${y} 年`).join('、');
  return [
    `！！！注意：内置的节假日数据只到 ${calendar.packagedYears.last} 年，${list}的法定节假日和调休还不知道。`,
    `！！！这些日期暂时只按周一至周五上班计算，遇到节假日会照常提醒，调休上班日不会提醒。`,
    `！！！请在国务院办公厅公布放假安排后，把它填进 ${calendarFile}（CALENDAR_FILE，格式见文件中的说明和 README“提醒时间表”）。`,
  ].join('\n');
}

function dayHeading(d: CivilDate): string {
  return `${d}（${weekdayName(d)}）`;
}

function itemNote(item: AgendaItem): string {
  switch (item.kind) {
    case 'before':
      return `（还有 ${item.workdays} 个工作日，截止 ${item.cycleInfo.due}）`;
    case 'overdue':
    case 'escalate':
      return `（逾期 ${item.workdays} 个工作日）`;
    case 'deadline':
      return item.workdays ? `（还有 ${item.workdays} 个工作日）` : '（今天到期）';
    default:
      return '';
  }
}

function subject(item: AgendaItem): string {
  return item.kind === 'deadline' ? `任务时限 ${chineseDate(item.cycle)}` : item.cycleInfo.label;
}

/**
 * Day by day: each line is one time, kind and cycle with its units. Holiday runs inside the window are named
 * where they fall; days with nothing to send are left out.
 */
export function renderPreview(
  items: readonly AgendaItem[],
  from: CivilDate,
  to: CivilDate,
  calendar: WorkdayCalendar,
  unreachable: ReadonlySet<string>,
): string[] {
  const byDay = new Map<CivilDate, AgendaItem[]>();
  for (const item of items) addTo(byDay, item.date, item);
  const out: string[] = [];
  let shownUntil = '';
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const name = calendar.isWorkday(d) ? null : calendar.dayName(d);
    if (d > shownUntil && name && name !== '周末') {
      // One line for a run of days off that holds a named holiday; weekends alone pass quietly.
      let end = d;
      while (addDays(end, 1) <= to && !calendar.isWorkday(addDays(end, 1))) end = addDays(end, 1);
      out.push(end === d ? `${d}：${name}，不发提醒` : `${d} 至 ${end}：${name}放假，不发提醒`);
      shownUntil = end;
    }
    const list = byDay.get(d);
    if (!list) continue;
    const extra = calendar.isWorkday(d) && calendar.dayName(d) ? `，${calendar.dayName(d)}` : '';
    out.push(`${dayHeading(d)}${extra}`);
    const lines = new Map<string, { head: string; units: string[] }>();
    for (const item of list) {
      const key = `${item.time}|${item.kind}|${item.cycle}|${item.workdays}`;
      const line = lines.get(key) ?? { head: `  ${item.time} ${KIND_LABELS[item.kind]} ${subject(item)}${itemNote(item)}`, units: [] };
      if (item.unit) line.units.push(unreachable.has(item.unit) ? `${item.unit}（无联络员）` : item.unit);
      lines.set(key, line);
    }
    for (const { head, units } of lines.values()) {
      out.push(units.length ? `${head}：${units.join('、')}（${units.length} 个单位）` : `${head}：发给领导`);
    }
  }
  return out;
}
