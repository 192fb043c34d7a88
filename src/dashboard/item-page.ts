/**
 * An item (`/dashboard/item?plan=1&n=4`): each task with its lead units' standing report first (the lead's report
 * stands for the task, light.ts) and the co-operating units beneath, each with its latest report. Pure.
 */
import { chineseDate } from '../calendar/civil-date';
import type { AssignmentStatus } from '../status/status-view';
import type { ItemStatus, TaskStatus } from '../status/roll-up';
import type { StoredReport } from '../store/store';
import { html, type Html } from './html';
import { asOfText, lightBadge, reasonText, reportSource, reportText, roleBadge } from './labels';
import { page } from './layout';
import { linksFrom, type Links } from './links';

export interface ItemPageInput {
  /** The item in each plan that has it (usually one). */
  items: readonly ItemStatus[];
  /**
   * A unit's newest live report on a task in any cycle, for units with no report in this or the previous cycle
   * (the standing report comes first).
   */
  latest: (taskId: number, unit: string) => StoredReport | null;
  now: number;
  timeZone: string;
  nonce: string;
}

export function itemPage(input: ItemPageInput): string {
  const links = linksFrom('sub');
  const first = input.items[0];
  const title = first ? `第${first.number}项` : '事项';
  const body = html`${input.items.map((item) => itemPanel(item, input, links, input.items.length > 1))}`;
  return page({ title: `${title} · 督办看板`, nonce: input.nonce, asOf: asOfText(input.now, input.timeZone), crumbs: [{ href: links.board(), text: '返回看板' }] }, body);
}

function itemPanel(item: ItemStatus, input: ItemPageInput, links: Links, showPlan: boolean): Html {
  return html`<section class="panel item-panel">
${showPlan ? html`<p class="muted">${item.planTitle}</p>` : ''}
<h2>第${item.number}项\u3000${item.title} ${lightBadge(item.light)}</h2>
<p class="muted">${item.section ? `第${item.section}部分；` : ''}共 ${item.tasks.length} 项任务：红灯 ${item.counts.red}，黄灯 ${item.counts.yellow}，绿灯 ${item.counts.green}。任务的颜色取牵头单位的颜色。</p>
${item.tasks.map((t) => taskBlock(t, input, links))}
</section>`;
}

function taskBlock(t: TaskStatus, input: ItemPageInput, links: Links): Html {
  const rows = (list: AssignmentStatus[]) => list.map((a) => unitRow(a, input, links));
  return html`<div class="task-card" id="t-${t.key}">
<h3>${t.key} ${lightBadge(t.light)}</h3>
<p>${t.text}${t.deadline ? html`<br><span class="muted">完成时限：${chineseDate(t.deadline)}</span>` : ''}</p>
<div class="scroll"><table class="data"><thead><tr><th>单位</th><th>状态</th><th>最新报送</th></tr></thead>
<tbody>${t.leads.length ? rows(t.leads) : html`<tr><td colspan="3" class="muted">计划未指明牵头单位，任务颜色取全部单位中最差的一项。</td></tr>`}
${t.co.length ? html`<tr><th colspan="3">配合单位</th></tr>${rows(t.co)}` : ''}</tbody></table></div>
</div>`;
}

function unitRow(a: AssignmentStatus, input: ItemPageInput, links: Links): Html {
  const r = a.standing ?? input.latest(a.duty.taskId, a.unit);
  const report = r ? html`${reportText(r)}<div class="muted">${reportSource(r, input.timeZone)}</div>` : html`<span class="muted">尚未报送</span>`;
  return html`<tr class="unit-${a.duty.role}"><td><a href="${links.unit(a.unit)}">${a.unit}</a>${roleBadge(a.duty.role)}${a.duty.via ? html`<div class="muted">（${a.duty.via}）</div>` : ''}</td><td>${lightBadge(a.light)}<div>${reasonText(a)}</div></td><td class="report">${report}</td></tr>`;
}
