/**
 * Leaders' questions: 总体进度, 第N项, a unit, 未报送, 逾期, and 催办. Liaisons may ask too, about their own
 * unit only. "本期" of an assignment is the cycle due today or next under its rule (reporting-cycle.ts).
 */
import { addDays, chineseDate, monthDay, weekdayName } from '../calendar/civil-date';
import { unitReminderDraft } from '../reminders/build-reminders';
import { plainText, shorten } from '../reminders/reminder-text';
import type { BotContext, Speaker } from './bot-context';
import type { BotReply } from './message';
import { answer, lightCounts, lightText, reportSummary, shortTime } from './reply-text';
import { unitTaskLines } from './report-flow';
import { addTo } from '../multimap';
import { LIGHT_EMOJI, LIGHT_LABELS } from '../status/light';
import { partnerLines } from '../status/partners';
import { isReported } from '../status/roll-up';
import type { AssignmentStatus } from '../status/status-view';

function dueText(d: string): string {
  return `${monthDay(d)}（${weekdayName(d)}）`;
}

/** What an assignment's line says about it: the report that stands, or that it is done or unreported. */
export function standingText(ctx: BotContext, a: AssignmentStatus, chars = 50): string {
  const r = a.standing;
  if (r) return `${a.current ? a.cycles.active.label : a.cycles.previous.label}：${reportSummary(r, chars)}（${shortTime(r.reportedAt, ctx.deps.config.TIMEZONE)}）`;
  return a.done ? '已办结' : `${a.cycles.previous.label}：未报送`;
}

export function overview(ctx: BotContext): BotReply {
  const board = ctx.board();
  if (!board.cycle) return answer('督办机器人', ['数据库中还没有计划任务。']);
  const { active: cycle, previous } = board.cycle;
  const all = board.assignments;
  const byUnit = new Map<string, AssignmentStatus[]>();
  const counts = { done: 0, in_progress: 0, blocked: 0, not_started: 0, missing: 0 };
  const blocked: string[] = [];
  for (const a of all) {
    // Where each assignment stands: this cycle's report, else the one that closed the last (as the 通报 counts).
    counts[a.done ? 'done' : (a.standing?.status ?? 'missing')]++;
    addTo(byUnit, a.unit, a);
    if (a.reason === 'blocked') blocked.push(`- **${a.duty.taskKey}** ${a.unit}：${a.standing ? reportSummary(a.standing, 40) : '有困难'}`);
  }
  const units = [...byUnit.values()];
  const full = units.filter((l) => l.every(isReported)).length;
  const none = units.filter((l) => !l.some(isReported)).length;
  const owing = new Set(all.filter((a) => a.closing === null && !a.done).map((a) => a.unit));
  const red = board.items.filter((i) => i.light === 'red');
  return answer(`督办机器人：总体进度`, [
    `#### 总体进度：${cycle.label}，截止 ${dueText(cycle.due)}${board.mixed ? '\n\n（部分事项按单独设置的周期统计）' : ''}`,
    `应报送 ${units.length} 个单位、${all.length} 项分工：已全部报送 ${full} 个单位，部分报送 ${units.length - full - none} 个，未报送 ${none} 个。`,
    `各项分工目前进展：已完成 ${counts.done}，推进中 ${counts.in_progress}，有困难 ${counts.blocked}，未启动 ${counts.not_started}，未报送 ${counts.missing}。`,
    `**红黄绿灯**（按牵头单位计，共 ${board.tasks.length} 项任务）：${lightCounts(board.totals.tasks)}`,
    `单位：${lightCounts(board.totals.units)}`,
    ...(red.length
      ? [`**红灯事项（${red.length}）**`, ...red.slice(0, 10).map((i) => `- 第${i.number}项\u3000${plainText(shorten(i.title.replace(/。$/, ''), 24))}：红灯任务 ${i.counts.red} 项`)]
      : []),
    ...(blocked.length ? [`**有困难（${blocked.length}）**`, ...blocked] : []),
    ...latestReports(ctx, all),
    `**上期 ${previous.label}**（截止 ${dueText(previous.due)}）：${owing.size ? `${units.length - owing.size} 个单位已报齐，${owing.size} 个单位逾期未报齐，发“逾期”查看名单。` : '各单位均已报齐。'}`,
    '发“未报送”查看名单，发“第4项”或单位名称查看详情，发“看板”打开红黄绿灯看板。',
  ]);
}

/** The newest reports that stand (this cycle's or the one that closed the last), newest first: what is new. */
function latestReports(ctx: BotContext, all: readonly AssignmentStatus[], count = 5): string[] {
  const recent = all.filter((a) => a.standing).sort((x, y) => (y.standing?.id ?? 0) - (x.standing?.id ?? 0)).slice(0, count);
  if (recent.length === 0) return [];
  return [
    '**最新报送**',
    ...recent.map((a) => `- **${a.duty.taskKey}** ${a.unit}：${standingText(ctx, a, 30)}`),
  ];
}

export function itemAnswer(ctx: BotContext, speaker: Speaker, item: number): BotReply {
  const mineOnly = !(speaker.isLeader || speaker.isAdmin);
  const items = ctx.itemStatus(item);
  const shown = (a: AssignmentStatus) => !mineOnly || speaker.units.includes(a.unit);
  const tasks = items.flatMap((i) => i.tasks).filter((t) => [...t.leads, ...t.co].some(shown));
  const first = items[0];
  if (!first || tasks.length === 0) {
    return answer('督办机器人', [mineOnly ? `第${item}项中没有您单位的任务。发“我的任务”查看本单位的任务。` : `计划中没有第${item}项，发“进度”查看总体情况。`]);
  }
  const head = mineOnly ? '' : `\u3000${LIGHT_EMOJI[first.light]} ${LIGHT_LABELS[first.light]}`;
  const lines = [`#### 第${item}项\u3000${plainText(shorten(first.title.replace(/。$/, ''), 40))}${head}`];
  for (const t of tasks) {
    const deadline = t.deadline ? `（时限：${chineseDate(t.deadline)}）` : '';
    lines.push(`**${t.key}** ${mineOnly ? '' : `${LIGHT_EMOJI[t.light]} `}${plainText(shorten(t.text, 50))}${deadline}`);
    // The lead's report stands for the task; the co-units' show beneath it.
    for (const a of [...t.leads, ...t.co].filter(shown)) {
      lines.push(`- ${a.unit}〔${a.duty.role === 'lead' ? '牵头' : '配合'}〕${standingText(ctx, a)}\u3000${lightText(a)}`);
    }
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
  const board = ctx.board();
  const cycle = board.cycle?.active;
  const missing = new Map<string, AssignmentStatus[]>();
  for (const a of board.assignments) if (!isReported(a)) addTo(missing, a.unit, a);
  if (missing.size === 0) return answer('督办机器人：未报送', [`#### ${cycle?.label ?? '本期'}：各单位均已报送`]);
  return answer('督办机器人：未报送', [
    `#### ${cycle?.label ?? '本期'}未报送：${missing.size} 个单位（共 ${ctx.duties.size} 个）`,
    ...[...missing].map(([unit, list]) => `- ${unit}：${list.length} 项（${list.slice(0, 8).map((a) => a.duty.taskKey).join('、')}${list.length > 8 ? '等' : ''}）`),
    '领导可发“催办 单位名称”立即催办。',
  ]);
}

export function overdue(ctx: BotContext, speaker: Speaker): BotReply {
  const mineOnly = !(speaker.isLeader || speaker.isAdmin);
  const all = (mineOnly ? speaker.units.flatMap((u) => ctx.unitStatus(u)?.assignments ?? []) : ctx.board().assignments);
  const late = new Map<string, AssignmentStatus[]>();
  for (const a of all) if (a.closing === null && !a.done) addTo(late, a.unit, a);
  const pastDeadline = all.filter((a) => a.reason === 'past_deadline');
  const lines: string[] = [];
  if (late.size) {
    const prev = (late.values().next().value as AssignmentStatus[])[0]?.cycles.previous;
    const days = prev ? ctx.deps.calendar.workdaysBetween(prev.due, ctx.today) : 0;
    lines.push(`#### 逾期未报送：${late.size} 个单位`);
    if (prev) lines.push(`${prev.label}截止于 ${dueText(prev.due)}，已逾期 ${days} 个工作日。`);
    lines.push(...[...late].map(([unit, list]) => `- ${LIGHT_EMOJI.red} ${unit}：${list.length} 项（${list.slice(0, 8).map((a) => a.duty.taskKey).join('、')}${list.length > 8 ? '等' : ''}）`));
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
  const assignments = ctx.unitStatus(unit)?.assignments ?? [];
  const late = assignments.filter((a) => a.closing === null && !a.done);
  const open = late.length ? late : assignments.filter((a) => !isReported(a));
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
    partners: partnerLines(ctx.deps.store, ctx.duties, ctx.deps.config.TIMEZONE),
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


/** `看板`: a signed link to the web dashboard, for leaders and admins. */
export function dashboardAnswer(ctx: BotContext, speaker: Speaker): BotReply {
  if (!(speaker.isLeader || speaker.isAdmin)) return answer('督办机器人', ['看板只对领导和管理员开放。联络员可发“我的任务”查看本单位的任务和报送情况。']);
  const link = ctx.deps.dashboardLink?.(ctx.now);
  if (!link) return answer('督办机器人', ['本服务没有启用看板，请联系管理员。']);
  const until = shortTime(new Date(link.expiresAt).toISOString(), ctx.deps.config.TIMEZONE);
  return answer('督办机器人：督办看板', [
    '#### 督办看板',
    `[点击打开红黄绿灯看板](${link.url})`,
    `链接有效至 ${until}，仅供本人查看，请勿转发。过期后再发“看板”获取新链接。`,
  ]);
}
