/**
 * The 台账 as offices keep it: one row per task in plan order with its units, deadline, where it stands (the lead
 * unit's report, each co-unit's beneath it) and its 红黄绿灯; and the history of every report ever made. Pure:
 * the board and the reports come in, rows of plain text go out; the .xlsx and .csv writers and the dashboard
 * lay them out.
 */
import { STATUS_LABELS } from '../bot/reply-text';
import { chineseDate, dateTimeInZone, monthDay } from '../calendar/civil-date';
import { shorten } from '../reminders/reminder-text';
import { cycleLabelOf } from '../schedule/cycle';
import type { ReportOnTask } from '../store/store';
import type { Light } from './light';
import type { StatusBoard, TaskStatus } from './roll-up';
import type { AssignmentStatus } from './status-view';
import { taskVerdict } from './task-verdict';

export interface LedgerRow {
  /** 序号: 1, 2, … in plan order. */
  seq: number;
  /** 工作要点: `第4项 优化法治化营商环境`. */
  item: string;
  /** 具体任务: `4.2 落实外商投资企业……`. */
  task: string;
  /** 牵头单位 and 配合单位: single units in the plan's order, joined by `、`. */
  leads: string;
  co: string;
  /** 完成时限: the plan's deadline (`2025年10月31日`), else `本期截止 9月30日`. */
  deadline: string;
  /** 本期进展: the lead's report, then one line per co-unit (`区财政局：推进中，……` or `区财政局：未报送`). */
  progress: string;
  /** 状态: `红灯（逾期未报送 3 个工作日）`. */
  status: string;
  /** 报送时间 (`2025-09-28 10:02`) and 报送人 of the lead's report that stands; empty when there is none. */
  reportedAt: string;
  reporter: string;
  light: Light;
  planId: number;
  taskId: number;
}

export const LEDGER_HEADERS = ['序号', '工作要点', '具体任务', '牵头单位', '配合单位', '完成时限', '本期进展', '状态', '报送时间', '报送人'] as const;

/** A row's cells in the order of LEDGER_HEADERS. */
export function ledgerValues(r: LedgerRow): [number, ...string[]] {
  return [r.seq, r.item, r.task, r.leads, r.co, r.deadline, r.progress, r.status, r.reportedAt, r.reporter];
}

export interface HistoryRow {
  /** `2025-09-28 10:02` in the users' zone. */
  reportedAt: string;
  /** `2025年9月`. */
  cycle: string;
  /** `4.2 落实外商投资企业准入前国民待遇加负面清单管理…`. */
  task: string;
  unit: string;
  /** 未启动 / 推进中 / 已完成 / 有困难. */
  status: string;
  percent: number | null;
  text: string;
  reporter: string;
  /** `是（2025-09-29 09:00）` when withdrawn, else empty. */
  withdrawn: string;
}

export const HISTORY_HEADERS = ['报送时间', '报送周期', '任务', '单位', '状态', '完成比例', '进展', '报送人', '已撤回'] as const;

export function historyValues(r: HistoryRow): (string | number | null)[] {
  return [r.reportedAt, r.cycle, r.task, r.unit, r.status, r.percent, r.text, r.reporter, r.withdrawn];
}

/** How much of a task's text the history names (the 台账 sheet has it in full). */
const HISTORY_TASK_CHARS = 30;

/** Text on one line: runs of white space become one space, none after Chinese punctuation. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([，。；：！？、]) /g, '$1').trim();
}

/** `推进中 60%，已完成清单梳理`; `已完成` for a unit done in an earlier cycle; `未报送`. */
function standingText(a: AssignmentStatus): string {
  const r = a.standing;
  if (!r) return a.done ? '已完成' : '未报送';
  const percent = r.percent !== null ? ` ${r.percent}%` : '';
  const text = oneLine(r.text);
  return `${STATUS_LABELS[r.status]}${percent}${text ? `，${text}` : ''}`;
}

function progressText(task: TaskStatus): string {
  const named = (a: AssignmentStatus) => `${a.unit}：${standingText(a)}`;
  const leads = task.leads.length === 1 ? [standingText(task.leads[0] as AssignmentStatus)] : task.leads.map(named);
  return [...leads, ...task.co.map(named)].join('\n');
}

/** The newest report that stands among the units the task's colour comes from. */
function latestStanding(task: TaskStatus): AssignmentStatus['standing'] {
  const from = task.leads.length ? task.leads : task.co;
  let out: AssignmentStatus['standing'] = null;
  for (const a of from) if (a.standing && (!out || a.standing.reportedAt > out.reportedAt)) out = a.standing;
  return out;
}

function itemTitle(title: string): string {
  return title.replace(/[。；;，,\s]+$/, '');
}

export function ledgerRows(board: StatusBoard, timeZone: string): LedgerRow[] {
  const items = new Map(board.items.map((i) => [`${i.planId}|${i.number}`, i]));
  const severalPlans = new Set(board.items.map((i) => i.planId)).size > 1;
  return board.tasks.map((task, index) => {
    const item = items.get(`${task.planId}|${task.itemNumber}`);
    const plan = severalPlans && item ? `《${item.planTitle}》` : '';
    const cycle = (task.leads[0] ?? task.co[0])?.cycles.active;
    const report = latestStanding(task);
    return {
      seq: index + 1,
      item: `${plan}第${task.itemNumber}项 ${itemTitle(item?.title ?? '')}`.trimEnd(),
      task: `${task.key} ${task.text}`,
      leads: task.leads.map((a) => a.unit).join('、'),
      co: task.co.map((a) => a.unit).join('、'),
      deadline: task.deadline ? chineseDate(task.deadline) : cycle ? `本期截止 ${monthDay(cycle.due)}` : '',
      progress: progressText(task),
      status: taskVerdict(task).text,
      reportedAt: report ? dateTimeInZone(Date.parse(report.reportedAt), timeZone) : '',
      reporter: report ? (report.reporterName ?? report.reporterId ?? '') : '',
      light: task.light,
      planId: task.planId,
      taskId: task.taskId,
    };
  });
}

/** Every report ever made, oldest first, withdrawn ones marked; tasks no longer in the plan are said to be so. */
export function historyRows(reports: Iterable<ReportOnTask>, board: StatusBoard, timeZone: string): HistoryRow[] {
  const live = new Set(board.tasks.map((t) => t.taskId));
  const planTitles = new Map(board.items.map((i) => [i.planId, i.planTitle]));
  const list = [...reports];
  const severalPlans = new Set([...planTitles.keys(), ...list.map((r) => r.planId)]).size > 1;
  const time = (iso: string) => dateTimeInZone(Date.parse(iso), timeZone);
  return list
    .sort((a, b) => (a.reportedAt < b.reportedAt ? -1 : a.reportedAt > b.reportedAt ? 1 : a.id - b.id))
    .map((r) => {
      const plan = severalPlans ? `《${planTitles.get(r.planId) ?? `计划${r.planId}`}》` : '';
      const archived = live.has(r.taskId) ? '' : '（已从计划中删去）';
      return {
        reportedAt: time(r.reportedAt),
        cycle: cycleLabelOf(r.cycle),
        task: `${plan}${r.taskKey}${archived} ${shorten(oneLine(r.taskText), HISTORY_TASK_CHARS)}`,
        unit: r.unit,
        status: STATUS_LABELS[r.status],
        percent: r.percent,
        text: r.text.trim(),
        reporter: r.reporterName ?? r.reporterId ?? '',
        withdrawn: r.withdrawnAt ? `是（${time(r.withdrawnAt)}）` : '',
      };
    });
}
