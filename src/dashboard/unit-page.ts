/**
 * A unit (`/dashboard/unit?name=区司法局`): its colour, every task it leads or co-operates on with its colour,
 * the reason and the report that stands, its reporting in the last cycles, and its report history (withdrawn
 * reports shown struck through). Pure.
 */
import type { HistoryReport } from '../store/store';
import type { UnitRecord } from '../status/cycle-record';
import type { UnitStatus } from '../status/roll-up';
import type { Cycle } from '../schedule/cycle';
import { cycleLabelOf } from '../schedule/cycle';
import { shortTime, STATUS_LABELS } from '../bot/reply-text';
import { html } from './html';
import { asOfText, lightBadge, reasonText, reportSource, reportText, roleBadge, shortText } from './labels';
import { page } from './layout';
import { linksFrom } from './links';
import { rate } from './rate-chart';

export interface UnitPageInput {
  status: UnitStatus;
  /** The unit's reports, newest first. */
  history: readonly HistoryReport[];
  /** The unit's line in each of the last cycles (cycleRecords), oldest first; null where it owed nothing. */
  records: readonly { cycle: Cycle; record: UnitRecord | null }[];
  now: number;
  timeZone: string;
  nonce: string;
}

export function unitPage(input: UnitPageInput): string {
  const links = linksFrom('sub');
  const { status: s, timeZone } = input;
  const keyOf = new Map(s.assignments.map((a) => [a.duty.taskId, a]));
  const tasks = s.assignments.map(
    (a) =>
      html`<tr><td>${lightBadge(a.light)}</td><td><a href="${links.item(a.duty.planId, a.duty.itemNumber)}#t-${a.duty.taskKey}"><b>${a.duty.taskKey}</b></a> ${shortText(a.duty.taskText, 60)}${roleBadge(a.duty.role)}</td><td>${reasonText(a)}</td><td class="report">${a.standing ? html`${reportText(a.standing)}<div class="muted">${reportSource(a.standing, timeZone)}</div>` : html`<span class="muted">尚未报送</span>`}</td></tr>`,
  );
  const records = input.records.map(
    ({ cycle, record: r }, i) =>
      html`<tr><td>${cycle.label}${i === input.records.length - 1 ? '（本期）' : ''}</td><td>${r?.expected ?? 0}</td><td>${r?.reported ?? 0}</td><td>${r?.onTime ?? 0}</td><td>${r && r.expected ? `${rate(r.reported, r.expected)}%` : '—'}</td></tr>`,
  );
  const history = input.history.map((r) => {
    const a = keyOf.get(r.taskId);
    const task = a ? html`<a href="${links.item(a.duty.planId, a.duty.itemNumber)}#t-${a.duty.taskKey}">${a.duty.taskKey}</a>` : html`<span class="muted">（已不在计划中）</span>`;
    const cls = r.withdrawnAt ? 'withdrawn' : '';
    return html`<tr class="${cls}"><td>${shortTime(r.reportedAt, timeZone)}</td><td>${cycleLabelOf(r.cycle)}</td><td>${task}</td><td>${STATUS_LABELS[r.status]}${r.percent !== null ? ` ${r.percent}%` : ''}</td><td class="report">${r.text}${r.withdrawnAt ? html` <span class="muted">（已撤回）</span>` : ''}</td><td>${r.reporterName ?? ''}</td></tr>`;
  });
  const body = html`<section class="panel"><h2>${s.unit} ${lightBadge(s.light)}</h2>
<p>共 ${s.assignments.length} 项分工：红灯 ${s.counts.red}，黄灯 ${s.counts.yellow}，绿灯 ${s.counts.green}；本期已报送（或已完成）${s.reported} 项。单位的颜色取其全部分工中最差的一项。</p>
<div class="scroll"><table class="data tasks"><thead><tr><th>状态</th><th>任务</th><th>原因</th><th>最新报送</th></tr></thead><tbody>${tasks}</tbody></table></div>
</section>
<section class="panel"><h2>各期报送情况</h2>
<div class="scroll"><table class="data"><thead><tr><th>报送周期</th><th>应报</th><th>已报</th><th>按时</th><th>报送率</th></tr></thead><tbody>${records}</tbody></table></div>
</section>
<section class="panel" id="history"><h2>报送记录</h2>
${history.length ? html`<div class="scroll"><table class="data history"><thead><tr><th>时间</th><th>周期</th><th>任务</th><th>状态</th><th>进展</th><th>报送人</th></tr></thead><tbody>${history}</tbody></table></div>` : html`<p class="muted">还没有报送记录。</p>`}
</section>`;
  return page({ title: `${s.unit} · 督办看板`, nonce: input.nonce, asOf: asOfText(input.now, timeZone), crumbs: [{ href: links.board(), text: '返回看板' }] }, body);
}
