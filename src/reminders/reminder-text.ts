/**
 * The text of a unit's reminder, in DingTalk's markdown subset: headings, bold and `- ` lists only (no tables,
 * no code blocks), paragraphs separated by blank lines because DingTalk swallows single line breaks.
 */
import { chineseDate, daysBetween, weekdayName } from '../calendar/civil-date';
import { cycleSpan, type Cycle } from '../schedule/cycle';
import type { MessageLayout } from './split-parts';
import type { UnitDuty } from './unit-duties';

/** How long a task's text may be in a reminder; the full text is in `我的任务` and the plan. */
export const TASK_TEXT_CHARS = 60;

export interface ReminderTextInput {
  unit: string;
  cycle: Cycle;
  /** The first line, e.g. `2025年9月工作进度请报送`. */
  headline: string;
  /** The unit's open tasks, in document order. */
  tasks: readonly UnitDuty[];
  /** Other units that reported in this cycle, and all units with duties. */
  othersReported: number;
  totalUnits: number;
  /** Show the plan's title above its items (when several plans are supervised at once). */
  showPlanTitles: boolean;
  /** The day the message is written, to say when the due date has passed. */
  today?: string;
  /** Working days overdue, when the scheduler knows them: said instead of calendar days. */
  overdueWorkdays?: number;
  /**
   * `report` (default): to the unit's liaisons, asking for this cycle's report. `escalate`: to the unit's 分管领导
   * and the leaders, about the report it still owes. `deadline`: to the liaisons, about tasks whose deadline in
   * the plan is near (`deadline` then gives the date).
   */
  variant?: 'report' | 'escalate' | 'deadline';
  deadline?: string;
  /** `escalate`: the unit's liaisons, named so the leaders know whom to ask. */
  liaisonNames?: string[];
  /** Lines shown under a task (escaped markdown): the co-units' latest reports under a task the unit leads. */
  partners?: (duty: UnitDuty) => readonly string[];
}

/** Characters DingTalk's markdown would read as formatting, and the full-width look-alikes shown instead. */
const MARKDOWN_SIGNS: Record<string, string> = { '*': '＊', _: '＿', '`': '｀', '|': '｜', '[': '［', ']': '］', '<': '＜', '>': '＞', '#': '＃' };

/** Plan text as plain text inside markdown: a `*` or `|` from the document must not turn into formatting. */
export function plainText(text: string): string {
  return text.replace(/[*_`|[\]<>#]/g, (c) => MARKDOWN_SIGNS[c] ?? c);
}

export function shorten(text: string, chars = TASK_TEXT_CHARS): string {
  // Most texts are short: no need to split them into code points.
  if (text.length <= chars) return text;
  const list = [...text];
  return list.length <= chars ? text : `${list.slice(0, chars).join('')}…`;
}

/** `2025年9月30日（星期二）`. */
export function dueDateText(date: string): string {
  return `${chineseDate(date)}（${weekdayName(date)}）`;
}

function roleText(d: UnitDuty): string {
  if (d.role === 'lead') return d.leads.length > 1 ? `牵头，共同牵头：${d.leads.join('、')}` : '牵头';
  return d.leads.length ? `配合，牵头：${d.leads.join('、')}` : '配合';
}

function taskLine(d: UnitDuty, partners: ReminderTextInput['partners']): string {
  const via = d.via ? `（作为${d.via}）` : '';
  const deadline = d.deadline ? `（时限：${chineseDate(d.deadline)}）` : '';
  const under = (partners?.(d) ?? []).map((l) => `\n  \u3000${l}`).join('');
  return `- **${d.taskKey}**〔${plainText(roleText(d))}〕${plainText(via)}${plainText(shorten(d.taskText))}${deadline}${under}`;
}

function blocks(tasks: readonly UnitDuty[], showPlanTitles: boolean, partners?: ReminderTextInput['partners']): string[][] {
  const out: string[][] = [];
  let plan = -1;
  let item = -1;
  let current: string[] = [];
  for (const t of tasks) {
    if (t.planId !== plan || t.itemNumber !== item) {
      if (current.length) out.push(current);
      const planTitle = showPlanTitles ? `《${plainText(t.planTitle)}》` : '';
      current = [`**${planTitle}第${t.itemNumber}项\u3000${plainText(shorten(t.itemTitle.replace(/。$/, ''), 40))}**`];
      plan = t.planId;
      item = t.itemNumber;
    }
    current.push(taskLine(t, partners));
  }
  if (current.length) out.push(current);
  return out;
}

/** `，已逾期 2 个工作日，请尽快报送` once the due date has passed; nothing before. */
function overdueText(due: string, today: string | undefined, workdays: number | undefined): string {
  if (workdays !== undefined && workdays > 0) return `（已逾期 ${workdays} 个工作日）`;
  const days = today ? daysBetween(due, today) : 0;
  return days > 0 ? `，已逾期 ${days} 天，请尽快报送` : '';
}

const REPLY_HELP = '（直接回复“任务编号 状态 进展”，状态可写：未启动、推进中、已完成、有困难。来自督办机器人）';

export function reminderLayout(input: ReminderTextInput): MessageLayout {
  if (input.variant === 'deadline') return deadlineLayout(input);
  const { unit, cycle, tasks } = input;
  const first = tasks[0]?.taskKey ?? '1';
  if (input.variant === 'escalate') {
    const header = [
      `#### ${input.headline}`,
      `**报送周期**：${cycle.label}（${cycleSpan(cycle)}）`,
      `**截止时间**：${dueDateText(cycle.due)}${overdueText(cycle.due, input.today, input.overdueWorkdays)}`,
      `${plainText(unit)}以下 ${tasks.length} 项任务本期仍未报送进展：`,
    ].join('\n\n');
    const liaisons = input.liaisonNames?.length ? `联络员：${plainText(input.liaisonNames.join('、'))}。` : '';
    const footer = [`请督促${plainText(unit)}尽快报送。${liaisons}`, '（来自督办机器人）'].join('\n\n');
    return { header, blocks: blocks(tasks, input.showPlanTitles, input.partners), footer };
  }
  const header = [
    `#### ${plainText(unit)}：${input.headline}`,
    `**报送周期**：${cycle.label}（${cycleSpan(cycle)}）`,
    `**截止时间**：${dueDateText(cycle.due)}${overdueText(cycle.due, input.today, input.overdueWorkdays)}`,
    `本期请报送以下 ${tasks.length} 项任务的进展：`,
  ].join('\n\n');
  const footer = [
    `本期已有 ${input.othersReported} 个其他单位报送（共 ${input.totalUnits} 个单位）。`,
    `回复示例：${first} 推进中 已完成制度清理`,
    REPLY_HELP,
  ].join('\n\n');
  return { header, blocks: blocks(tasks, input.showPlanTitles, input.partners), footer };
}

/** Tasks whose deadline in the plan is near: the deadline instead of the cycle, and a reply that closes them. */
function deadlineLayout(input: ReminderTextInput): MessageLayout {
  const { unit, tasks } = input;
  const deadline = input.deadline ?? input.cycle.due;
  const first = tasks[0]?.taskKey ?? '1';
  const header = [
    `#### ${plainText(unit)}：${input.headline}`,
    `**完成时限**：${dueDateText(deadline)}`,
    `以下 ${tasks.length} 项任务的完成时限写在工作要点中，请按时完成：`,
  ].join('\n\n');
  const footer = [`完成后请回复：${first} 已完成 （写明完成情况）`, REPLY_HELP].join('\n\n');
  return { header, blocks: blocks(tasks, input.showPlanTitles, input.partners), footer };
}
