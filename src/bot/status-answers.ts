/**
 * Leaders' questions: 总体进度, 第N项, a unit, 未报送, 逾期, and 催办. Liaisons may ask too, about their own
 * unit only. "本期" of an assignment is the cycle due today or next under its rule (reporting-cycle.ts).
 */
import { addDays, chineseDate, monthDay, weekdayName } from '../calendar/civil-date';
import { unitReminderDraft } from '../reminders/build-reminders';
import { plainText, shorten } from '../reminders/reminder-text';
import type { Assignment, BotContext, Speaker } from './bot-context';
import type { BotReply } from './message';
import { answer, reportSummary, shortTime } from './reply-text';
import { unitTaskLines } from './report-flow';
import type { ReportStatus } from '../store/store';
import { addTo } from '../multimap';

type State = ReportStatus | 'missing';

function stateOf(ctx: BotContext, a: Assignment): State {
  const r = ctx.report(a.cycles.active, a.duty.taskId, a.unit);
  if (r) return r.status;
  return ctx.isDone(a.duty.taskId, a.unit) ? 'done' : 'missing';
}

function dueText(d: string): string {
  return `${monthDay(d)}（${weekdayName(d)}）`;
}

/** The cycle most assignments are in, for headings. */
function mainCycle(assignments: readonly Assignment[]) {
  const counts = new Map<string, { n: number; a: Assignment }>();
  for (const a of assignments) {
    const c = counts.get(a.cycles.active.id);
    counts.set(a.cycles.active.id, { n: (c?.n ?? 0) + 1, a });
  }
  const top = [...counts.values()].sort((x, y) => y.n - x.n)[0];
  return { cycle: top?.a.cycles.active ?? null, mixed: counts.size > 1 };
}

export function overview(ctx: BotContext): BotReply {
  const all = ctx.allAssignments();
  const { cycle, mixed } = mainCycle(all);
  if (!cycle) return answer('督办机器人', ['数据库中还没有计划任务。']);
  const byUnit = new Map<string, State[]>();
  const counts: Record<State, number> = { done: 0, in_progress: 0, blocked: 0, not_started: 0, missing: 0 };
  const blocked: string[] = [];
  for (const a of all) {
    const s = stateOf(ctx, a);
    counts[s]++;
    addTo(byUnit, a.unit, s);
    if (s === 'blocked') {
      const r = ctx.report(a.cycles.active, a.duty.taskId, a.unit);
      blocked.push(`- **${a.duty.taskKey}** ${a.unit}：${r ? reportSummary(r, 40) : '有困难'}`);
    }
  }
  const units = [...byUnit.values()];
  const full = units.filter((l) => l.every((s) => s !== 'missing')).length;
  const none = units.filter((l) => l.every((s) => s === 'missing')).length;
  const owing = new Set(all.filter((a) => ctx.owesPrevious(a)).map((a) => a.unit));
  const previous = all.find((a) => a.cycles.active.id === cycle.id)?.cycles.previous;
  return answer(`督办机器人：总体进度`, [
    `#### 总体进度：${cycle.label}，截止 ${dueText(cycle.due)}${mixed ? '\n\n（部分事项按单独设置的周期统计）' : ''}`,
    `应报送 ${units.length} 个单位、${all.length} 项分工：已全部报送 ${full} 个单位，部分报送 ${units.length - full - none} 个，未报送 ${none} 个。`,
    `任务状态：已完成 ${counts.done}，推进中 ${counts.in_progress}，有困难 ${counts.blocked}，未启动 ${counts.not_started}，未报送 ${counts.missing}。`,
    ...(blocked.length ? [`**有困难（${blocked.length}）**`, ...blocked] : []),
    ...(previous
      ? [`**上期 ${previous.label}**（截止 ${dueText(previous.due)}）：${owing.size ? `${units.length - owing.size} 个单位已报齐，${owing.size} 个单位逾期未报齐，发“逾期”查看名单。` : '各单位均已报齐。'}`]
      : []),
    '发“未报送”查看名单，发“第4项”或单位名称查看详情。',
  ]);
}

export function itemAnswer(ctx: BotContext, speaker: Speaker, item: number): BotReply {
  const mineOnly = !(speaker.isLeader || speaker.isAdmin);
  const units = [...ctx.duties.keys()];
  const seq = (a: Assignment) => Number(a.duty.taskKey.split('.')[1] ?? 0);
  const all = ctx
    .allAssignments()
    .filter((a) => a.duty.itemNumber === item && (!mineOnly || speaker.units.includes(a.unit)))
    // By task (plan, then number inside the item), then by unit in plan order.
    .sort((x, y) => x.duty.planId - y.duty.planId || seq(x) - seq(y) || units.indexOf(x.unit) - units.indexOf(y.unit));
  if (all.length === 0) {
    return answer('督办机器人', [mineOnly ? `第${item}项中没有您单位的任务。发“我的任务”查看本单位的任务。` : `计划中没有第${item}项，发“进度”查看总体情况。`]);
  }
  const first = all[0] as Assignment;
  const lines = [`#### 第${item}项\u3000${plainText(shorten(first.duty.itemTitle.replace(/。$/, ''), 40))}`];
  let task = -1;
  for (const a of all) {
    if (a.duty.taskId !== task) {
      task = a.duty.taskId;
      const deadline = a.duty.deadline ? `（时限：${chineseDate(a.duty.deadline)}）` : '';
      lines.push(`**${a.duty.taskKey}** ${plainText(shorten(a.duty.taskText, 50))}${deadline}`);
    }
    // This cycle's report, else the one that closed the previous cycle: where the task stands.
    const now = ctx.report(a.cycles.active, a.duty.taskId, a.unit);
    const before = now ? null : ctx.report(a.cycles.previous, a.duty.taskId, a.unit);
    const r = now ?? before;
    const cycle = before ? a.cycles.previous : a.cycles.active;
    const state = r ? `${reportSummary(r, 50)}（${shortTime(r.reportedAt, ctx.deps.config.TIMEZONE)}）` : ctx.isDone(a.duty.taskId, a.unit) ? '已办结' : '未报送';
    lines.push(`- ${a.unit}〔${a.duty.role === 'lead' ? '牵头' : '配合'}〕${cycle.label}：${state}`);
  }
  return answer(`督办机器人：第${item}项`, lines);
}

/** A unit: the sender's own, or any for leaders. */
function allowedUnit(ctx: BotContext, speaker: Speaker, name: string): { unit: string } | { reply: BotReply } {
  const unit = ctx.resolveUnit(name);
  if (!unit) return { reply: answer('督办机器人', [`计划中没有“${plainText(name)}”这个单位，请检查单位名称（可写全称或简称，如“司法局”）。`]) };
  if (!(speaker.isLeader || speaker.isAdmin) && !speaker.units.includes(unit)) {
    return { reply: answer('督办机器人', [`您只能查询本单位（${speaker.units.join('、') || '未登记'}）的进度，发“我的任务”查看。`]) };
  }
  return { unit };
}

export function unitAnswer(ctx: BotContext, speaker: Speaker, name: string, question: 'status' | 'missing'): BotReply {
  const pick = allowedUnit(ctx, speaker, name);
  if ('reply' in pick) return pick.reply;
  return answer(`督办机器人：${pick.unit}`, unitTaskLines(ctx, pick.unit, question === 'missing' ? 'missing' : 'all'));
}

export function unreported(ctx: BotContext, speaker: Speaker): BotReply {
  if (!(speaker.isLeader || speaker.isAdmin)) {
    return answer('督办机器人', speaker.units.flatMap((u) => unitTaskLines(ctx, u, 'missing')));
  }
  const all = ctx.allAssignments();
  const { cycle } = mainCycle(all);
  const missing = new Map<string, Assignment[]>();
  for (const a of all) if (stateOf(ctx, a) === 'missing') addTo(missing, a.unit, a);
  if (missing.size === 0) return answer('督办机器人：未报送', [`#### ${cycle?.label ?? '本期'}：各单位均已报送`]);
  return answer('督办机器人：未报送', [
    `#### ${cycle?.label ?? '本期'}未报送：${missing.size} 个单位（共 ${ctx.duties.size} 个）`,
    ...[...missing].map(([unit, list]) => `- ${unit}：${list.length} 项（${list.slice(0, 8).map((a) => a.duty.taskKey).join('、')}${list.length > 8 ? '等' : ''}）`),
    '领导可发“催办 单位名称”立即催办。',
  ]);
}

export function overdue(ctx: BotContext, speaker: Speaker): BotReply {
  const mineOnly = !(speaker.isLeader || speaker.isAdmin);
  const all = ctx.allAssignments().filter((a) => !mineOnly || speaker.units.includes(a.unit));
  const late = new Map<string, Assignment[]>();
  for (const a of all) if (ctx.owesPrevious(a)) addTo(late, a.unit, a);
  const pastDeadline = all.filter((a) => a.duty.deadline && a.duty.deadline < ctx.today && !ctx.isDone(a.duty.taskId, a.unit));
  const lines: string[] = [];
  if (late.size) {
    const prev = (late.values().next().value as Assignment[])[0]?.cycles.previous;
    const days = prev ? ctx.deps.calendar.workdaysBetween(prev.due, ctx.today) : 0;
    lines.push(`#### 逾期未报送：${late.size} 个单位`);
    if (prev) lines.push(`${prev.label}截止于 ${dueText(prev.due)}，已逾期 ${days} 个工作日。`);
    lines.push(...[...late].map(([unit, list]) => `- ${unit}：${list.length} 项（${list.slice(0, 8).map((a) => a.duty.taskKey).join('、')}${list.length > 8 ? '等' : ''}）`));
  } else {
    lines.push(`#### 没有逾期未报送的${mineOnly ? '任务' : '单位'}`);
  }
  if (pastDeadline.length) {
    lines.push(`**计划时限已过、尚未办结（${pastDeadline.length}）**`);
    lines.push(...pastDeadline.slice(0, 30).map((a) => `- **${a.duty.taskKey}** ${a.unit}：时限 ${chineseDate(a.duty.deadline ?? '')}`));
  }
  return answer('督办机器人：逾期', lines);
}

/** A leader's 催办: the unit's liaisons get a message now, through the outbox, at most once a day. */
export function urge(ctx: BotContext, speaker: Speaker, name: string): BotReply {
  if (!(speaker.isLeader || speaker.isAdmin)) return answer('督办机器人', ['只有领导和管理员可以催办。联络员可发“我的任务”查看本单位还有哪些未报送。']);
  const unit = ctx.resolveUnit(name);
  if (!unit) return answer('督办机器人', [`计划中没有“${plainText(name)}”这个单位，请检查单位名称，例如“催办 区司法局”。`]);
  const assignments = ctx.assignments(unit);
  const late = assignments.filter((a) => ctx.owesPrevious(a));
  const open = late.length ? late : assignments.filter((a) => stateOf(ctx, a) === 'missing');
  const first = open[0];
  if (!first) return answer('督办机器人', [`${unit}本期任务都已报送，无需催办。`]);
  const cycle = late.length ? first.cycles.previous : first.cycles.active;
  const liaisons = ctx.deps.contacts().liaisonsOf(unit);
  if (liaisons.length === 0) return answer('督办机器人', [`联络员名单中没有${unit}的联络员，无法催办。请先在联络员名单中登记。`]);
  const draft = unitReminderDraft({
    kind: 'urge',
    cycle,
    unit,
    taskCount: open.length,
    tasks: open.filter((a) => (late.length ? a.cycles.previous.id : a.cycles.active.id) === cycle.id).map((a) => a.duty),
    destination: { kind: 'unit', unit, people: liaisons.map((c) => ({ name: c.name, mobile: c.mobile, userId: c.dingtalkId })) },
    channel: ctx.deps.channel,
    date: ctx.today,
    othersReported: 0,
    totalUnits: ctx.duties.size,
    showPlanTitles: new Set(assignments.map((a) => a.duty.planId)).size > 1,
    today: ctx.today,
    urgedBy: speaker.name,
  });
  const result = ctx.deps.store.outbox.enqueue([draft], ctx.now);
  if (result.queued === 0) return answer('督办机器人', [`今天已经催办过${unit}（${cycle.label}），明天可以再催。`]);
  ctx.deps.onQueued?.();
  return answer('督办机器人：已催办', [
    `已向${unit}的联络员（${liaisons.map((c) => plainText(c.name)).join('、')}）发出催办：${cycle.label}还有 ${open.length} 项未报送（${open
      .slice(0, 8)
      .map((a) => a.duty.taskKey)
      .join('、')}${open.length > 8 ? '等' : ''}）。`,
    `仍未报送的，机器人会按时间表继续自动催办；如需再次手动催办，明天（${addDays(ctx.today, 1)}）起可再发。`,
  ]);
}

