/**
 * Liaisons' side of the chat: a progress report (one or several lines), 撤回, 更正 and 我的任务. A report is
 * recorded against the cycle it closes (see reporting-cycle.ts), all lines in one transaction or none: a line
 * the bot cannot place stops the whole message, with the reason and the unit's real task list.
 */
import type { ReportEntry } from './command';
import type { IncomingMessage, BotReply } from './message';
import { answer, lightText, reportSummary, shortTime, STATUS_LABELS } from './reply-text';
import type { Assignment, BotContext, Speaker } from './bot-context';
import { plainText, shorten } from '../reminders/reminder-text';
import type { Cycle } from '../schedule/cycle';
import { partnerLines } from '../status/partners';

type UnitChoice = { unit: string } | { reply: BotReply };

/** The unit the sender speaks for: the one named first, or their only one; otherwise a question. */
export function pickUnit(ctx: BotContext, speaker: Speaker, named: string | null, what: string): UnitChoice {
  if (named !== null) {
    const unit = ctx.resolveUnit(named);
    if (!unit) return { reply: answer('督办机器人', [`计划中没有“${plainText(named)}”这个单位，请检查单位名称。`]) };
    if (!speaker.units.includes(unit)) {
      const mine = speaker.units.length ? `您登记的单位是：${speaker.units.join('、')}。` : '';
      return { reply: answer('督办机器人', [`您不是${unit}的联络员，不能${what}。${mine}`]) };
    }
    return { unit };
  }
  if (speaker.units.length === 1) return { unit: speaker.units[0] ?? '' };
  if (speaker.units.length === 0) {
    return { reply: answer('督办机器人', [`联络员名单中没有登记您负责的单位，不能${what}。如需查询进度，可以发“进度”“未报送”“逾期”或单位名称。`]) };
  }
  const [first = ''] = speaker.units;
  return {
    reply: answer('督办机器人', [
      `您是 ${speaker.units.join('、')} 的联络员，请在前面写上单位名称，例如：`,
      `${first} 3 推进中 已完成制度清理`,
    ]),
  };
}

/** `区司法局的任务：1.2、1.3、3.2`. */
function taskList(unit: string, assignments: readonly Assignment[]): string {
  return `${unit}的任务：${assignments.map((a) => a.duty.taskKey).join('、') || '（无）'}`;
}

function refText(e: ReportEntry): string {
  return e.ref.task === undefined ? `第${e.ref.item}项` : `${e.ref.item}.${e.ref.task}`;
}

/** The unit's assignments a line refers to, or why it refers to none (or to several without saying which). */
function resolve(assignments: readonly Assignment[], e: ReportEntry, unit: string): Assignment[] | string {
  if (e.ref.task !== undefined) {
    const key = `${e.ref.item}.${e.ref.task}`;
    const found = assignments.filter((a) => a.duty.taskKey === key);
    return found.length ? found : `${key} 不是${unit}的任务。${taskList(unit, assignments)}。`;
  }
  const inItem = assignments.filter((a) => a.duty.itemNumber === e.ref.item);
  if (inItem.length === 0) return `第${e.ref.item}项中没有${unit}的任务。${taskList(unit, assignments)}。`;
  if (inItem.length === 1 || e.text.trim() === '' || /全部|均已|都已|各项/.test(e.text)) return inItem;
  const keys = inItem.map((a) => a.duty.taskKey).join('、');
  return `第${e.ref.item}项中${unit}有 ${inItem.length} 项任务（${keys}），请写明是哪一项，例如“${inItem[0]?.duty.taskKey ?? ''} ${STATUS_LABELS[e.status ?? 'in_progress']} ……”；几项进展相同时可写“第${e.ref.item}项 ${STATUS_LABELS[e.status ?? 'in_progress']}”，不写具体内容。`;
}

/** Stores one report line as the sender's, from this message (inside the caller's transaction). */
function record(
  ctx: BotContext,
  speaker: Speaker,
  msg: IncomingMessage,
  r: { taskId: number; unit: string; cycle: string; entry: ReportEntry; at: Date },
): void {
  ctx.deps.store.reports.add({
    taskId: r.taskId,
    unit: r.unit,
    cycle: r.cycle,
    status: r.entry.status ?? 'in_progress',
    percent: r.entry.percent,
    text: r.entry.text,
    reporterId: speaker.id,
    reporterName: speaker.name,
    sourceMsgId: msg.msgId || null,
    reportedAt: r.at,
  });
}

/** The cycle a new report on this assignment counts for. */
function cycleFor(ctx: BotContext, a: Assignment): Cycle {
  return ctx.owesPrevious(a) ? a.cycles.previous : a.cycles.active;
}

export function handleReport(ctx: BotContext, speaker: Speaker, unitName: string | null, entries: readonly ReportEntry[], msg: IncomingMessage): BotReply {
  const choice = pickUnit(ctx, speaker, unitName, '报送进展');
  if ('reply' in choice) return choice.reply;
  const { unit } = choice;
  const assignments = ctx.assignments(unit);
  // The reply counts the unit's tasks still owed: read their reports at once rather than task by task. The tasks
  // this message writes are not asked about again after the write, so what is read here stays true for the rest.
  ctx.loadUnitReports(unit, assignments);
  const problems: string[] = [];
  const writes: { a: Assignment; e: ReportEntry; cycle: Cycle }[] = [];
  for (const e of entries) {
    const found = resolve(assignments, e, unit);
    if (typeof found === 'string') {
      problems.push(`“${plainText(shorten(e.line, 30))}”：${found}`);
      continue;
    }
    if (e.status === null) {
      problems.push(`“${plainText(shorten(e.line, 30))}”：没有写状态，请写 未启动、推进中、已完成 或 有困难，例如“${refText(e)} 推进中 ${plainText(shorten(e.text, 20))}”。`);
      continue;
    }
    for (const a of found) if (!writes.some((w) => w.a.duty.taskId === a.duty.taskId)) writes.push({ a, e, cycle: cycleFor(ctx, a) });
  }
  if (problems.length) return answer('督办机器人：未记录', [...problems, '本条消息没有记录，请修改后重新发送。发“我的任务”查看本单位的任务。']);
  if (msg.msgId && ctx.deps.store.reports.hasMessage(msg.msgId)) return answer('督办机器人', ['这条消息已经记录过了。']);

  const at = new Date(ctx.now);
  ctx.deps.store.transaction(() => {
    for (const { a, e, cycle } of writes) record(ctx, speaker, msg, { taskId: a.duty.taskId, unit, cycle: cycle.id, entry: e, at });
  });
  const written = new Set(writes.map((w) => w.a.duty.taskId));
  const left = assignments.filter((a) => !written.has(a.duty.taskId) && !ctx.isDone(a.duty.taskId, unit) && !ctx.report(cycleFor(ctx, a), a.duty.taskId, unit));
  return answer(`督办机器人：已记录${unit}的进展`, [
    `#### 已记录${unit}的进展`,
    ...writes.map(({ a, e, cycle }) => `- **${a.duty.taskKey}**（${cycle.label}${cycle.id === a.cycles.previous.id ? '，补报' : ''}）${reportSummary({ status: e.status ?? 'in_progress', percent: e.percent, text: e.text })}`),
    `记录人：${plainText(speaker.name)}，${shortTime(at.toISOString(), ctx.deps.config.TIMEZONE)}。` +
      (left.length ? `本期还有 ${left.length} 项未报送：${left.map((a) => a.duty.taskKey).join('、')}。` : '本期任务已全部报送。'),
    '发“撤回”可撤回刚才这条，发“更正 任务编号 状态 进展”可更正。',
  ]);
}

/** The task key (`3.2`) of a task id, from the duties. */
function keyOf(ctx: BotContext, taskId: number): string {
  for (const list of ctx.duties.values()) for (const d of list) if (d.taskId === taskId) return d.taskKey;
  return `#${taskId}`;
}

function cycleLabel(ctx: BotContext, cycleId: string): string {
  for (const a of ctx.allAssignments()) {
    if (a.cycles.active.id === cycleId) return a.cycles.active.label;
    if (a.cycles.previous.id === cycleId) return a.cycles.previous.label;
  }
  return cycleId;
}

export function handleWithdraw(ctx: BotContext, speaker: Speaker): BotReply {
  const last = ctx.deps.store.reports.lastBy(speaker.id);
  if (!last) return answer('督办机器人', ['您还没有可以撤回的报送。']);
  ctx.deps.store.transaction(() => ctx.deps.store.reports.withdraw(last.id, new Date(ctx.now)));
  return answer('督办机器人：已撤回', [
    `已撤回您 ${shortTime(last.reportedAt, ctx.deps.config.TIMEZONE)} 报送的 **${keyOf(ctx, last.taskId)}**（${last.unit}，${cycleLabel(ctx, last.cycle)}）：${reportSummary(last)}`,
    '需要时请重新报送。',
  ]);
}

export function handleCorrect(ctx: BotContext, speaker: Speaker, unitName: string | null, entry: ReportEntry, msg: IncomingMessage): BotReply {
  const choice = pickUnit(ctx, speaker, unitName, '更正进展');
  if ('reply' in choice) return choice.reply;
  const { unit } = choice;
  const found = resolve(ctx.assignments(unit), entry, unit);
  if (typeof found === 'string') return answer('督办机器人：未更正', [found, '本条消息没有记录。']);
  if (found.length !== 1) return answer('督办机器人：未更正', [`更正时请写明具体任务编号，例如“更正 ${found[0]?.duty.taskKey ?? '3.2'} 已完成 ……”。`]);
  if (entry.status === null) return answer('督办机器人：未更正', ['请写明状态：未启动、推进中、已完成 或 有困难。']);
  const a = found[0] as Assignment;
  const old = ctx.deps.store.reports.lastOnTaskBy(speaker.id, a.duty.taskId, unit);
  if (!old) return answer('督办机器人', [`没有找到您对 ${a.duty.taskKey} 的报送，可以直接发送“${a.duty.taskKey} ${STATUS_LABELS[entry.status]} ……”报送。`]);
  const at = new Date(ctx.now);
  ctx.deps.store.transaction(() => {
    ctx.deps.store.reports.withdraw(old.id, at);
    record(ctx, speaker, msg, { taskId: a.duty.taskId, unit, cycle: old.cycle, entry, at });
  });
  return answer(`督办机器人：已更正${a.duty.taskKey}`, [
    `已更正 **${a.duty.taskKey}**（${unit}，${cycleLabel(ctx, old.cycle)}）`,
    `原为：${reportSummary(old)}`,
    `现为：${reportSummary({ status: entry.status, percent: entry.percent, text: entry.text })}`,
  ]);
}

export function handleMyTasks(ctx: BotContext, speaker: Speaker, unitName: string | null): BotReply {
  const choice = pickUnit(ctx, speaker, unitName, '查看任务');
  if ('reply' in choice) return choice.reply;
  return answer(`督办机器人：${choice.unit}的任务`, unitTaskLines(ctx, choice.unit, 'all'));
}

/**
 * A unit's tasks by item with this cycle's state and colour; `missing` keeps only those not reported yet. Where
 * the unit leads a task, its co-units' latest reports show beneath (the lead answers for the task).
 */
export function unitTaskLines(ctx: BotContext, unit: string, which: 'all' | 'missing'): string[] {
  const assignments = ctx.unitStatus(unit)?.assignments ?? [];
  const lines: string[] = [];
  const partners = partnerLines(ctx.deps.store, ctx.duties, ctx.deps.config.TIMEZONE);
  let item = -1;
  let shown = 0;
  for (const a of assignments) {
    const cycle = cycleFor(ctx, a);
    const r = a.current ?? (which === 'all' || cycle.id === a.cycles.previous.id ? a.closing : null);
    if (which === 'missing' && (r || a.done)) continue;
    if (a.duty.itemNumber !== item) {
      item = a.duty.itemNumber;
      lines.push(`**第${item}项\u3000${plainText(shorten(a.duty.itemTitle.replace(/。$/, ''), 30))}**`);
    }
    const role = a.duty.role === 'lead' ? '牵头' : '配合';
    const label = r ? (r === a.current ? a.cycles.active.label : a.cycles.previous.label) : cycle.label;
    const late = cycle.id === a.cycles.previous.id ? '，已逾期' : '';
    const state = r ? `${reportSummary(r, 40)}（${shortTime(r.reportedAt, ctx.deps.config.TIMEZONE)}）` : a.done ? '已办结' : `未报送${late}`;
    lines.push(`- **${a.duty.taskKey}**〔${role}〕${plainText(shorten(a.duty.taskText, 30))}\n  ${label}：${state}\u3000${lightText(a)}${partners(a.duty).map((l) => `\n  \u3000${l}`).join('')}`);
    shown++;
  }
  const head = which === 'all' ? `#### ${unit}的任务（${assignments.length} 项）` : `#### ${unit}本期未报送的任务（${shown} 项）`;
  if (which === 'missing' && shown === 0) return [head, `${unit}本期任务都已报送。`];
  return [head, ...lines];
}
