/** Text for `duban remind` and `duban outbox`: what would be sent, what is queued, what failed and why. */
import { dateTimeInZone } from '../calendar/civil-date';
import { CHANNEL_LABELS, describeRecipient, peopleOf, type Channel, type ChannelName, type Destination } from '../channels/channel';
import type { ReminderPlan } from '../reminders/build-reminders';
import type { Cycle } from '../schedule/cycle';
import type { OutboxCounts, OutboxRow, OutboxStatus } from '../store/store';

const STATUS: Record<OutboxStatus, string> = { pending: '待发送', sending: '发送中', sent: '已发送', failed: '失败', replaced: '失败后已重新排队' };

export function describeRecipients(to: Destination): string {
  if (to.kind === 'group') return '督办群';
  const list = peopleOf(to).map(describeRecipient).join('、');
  if (to.kind === 'unit') return `${to.unit}：${list}`;
  return to.kind === 'people' ? `${to.label}：${list}` : list;
}

/** `duban remind --dry-run`: every message in full, then who gets nothing and why. */
export function renderDryRun(
  cycle: Cycle,
  plan: ReminderPlan,
  channel: Pick<Channel, 'label' | 'shownText'>,
  alreadyQueued: ReadonlySet<string>,
): string {
  const out: string[] = [`本期：${cycle.label}，截止 ${cycle.due}。将通过${channel.label}发送：`, ''];
  for (const d of plan.drafts) {
    const again = alreadyQueued.has(d.groupKey) ? '（本期已提醒过，不会重复发送）' : '';
    d.parts.forEach((text, i) => {
      const part = d.parts.length > 1 ? `（第 ${i + 1}/${d.parts.length} 条）` : '';
      // Exactly what the recipients will read, the robot's @-mention line included.
      const shown = channel.shownText?.({ key: d.groupKey, title: d.title, markdown: text, to: d.destination }) ?? text;
      out.push(`━━ 发给 ${describeRecipients(d.destination)}${part}${again}`, shown, '');
    });
  }
  out.push(...summaryLines(plan, alreadyQueued));
  return out.join('\n');
}

export function summaryLines(plan: ReminderPlan, alreadyQueued: ReadonlySet<string>): string[] {
  const fresh = plan.drafts.filter((d) => !alreadyQueued.has(d.groupKey));
  const out = [`共 ${plan.drafts.length} 个单位需要提醒，其中 ${fresh.length} 个本期尚未提醒。`];
  if (plan.noLiaison.length) out.push(`${plan.noLiaison.length} 个单位没有联络员，无法提醒：${plan.noLiaison.join('、')}（请在联络员名单中补充）。`);
  if (plan.upToDate.length) out.push(`${plan.upToDate.length} 个单位本期已全部报送：${plan.upToDate.join('、')}。`);
  return out;
}

/** `duban outbox`: pending and failed messages with their reasons. */
export function renderOutbox(rows: readonly OutboxRow[], counts: OutboxCounts, timeZone: string, now: number): string {
  const out = [`发件箱：待发送 ${counts.pending + counts.sending} 条，失败 ${counts.failed} 条，已发送 ${counts.sent} 条。`];
  if (rows.length === 0) {
    out.push('没有待发送或失败的消息。');
    return out.join('\n');
  }
  for (const r of rows) {
    const head = `#${r.id} [${STATUS[r.status]}] ${r.title} → ${describeRecipients(r.destination)}（${CHANNEL_LABELS[r.channel as ChannelName] ?? r.channel}）`;
    const lines = [head];
    if (r.attempts > 0) lines.push(`    已尝试 ${r.attempts} 次${r.lastError ? `，最近一次：${r.lastError}` : ''}`);
    else if (r.lastError) lines.push(`    原因：${r.lastError}`);
    // A retry whose time has come is shown too: the admin must not read its absence as "never again".
    if (r.status === 'pending' && (r.attempts > 0 || r.nextAttemptAt > now)) {
      lines.push(
        r.nextAttemptAt > now
          ? `    下次尝试：${dateTimeInZone(r.nextAttemptAt, timeZone)}`
          : '    下次尝试：已到重试时间，服务运行时（或下次运行 duban remind --now 时）立即发送',
      );
    }
    out.push(...lines);
  }
  if (counts.failed) {
    out.push(
      '',
      '修正原因后，运行 duban outbox retry 重新发送失败的消息（收件人不变）；' +
        '如果改的是联络员名单，运行 duban remind --now，按新名单重新发送整条都没发出的提醒。',
    );
  }
  return out.join('\n');
}
