/**
 * The board (`/dashboard`): counts by colour, the filters, every task's units in colour (a table of items × units
 * on a wide screen, a list on a phone), the reporting rate per cycle, the 通报 and the downloads. Pure: the
 * status board and what else the page shows come in, the HTML goes out.
 */
import { countLights, LIGHT_LABELS, type Light } from '../status/light';
import type { CycleRecord } from '../status/cycle-record';
import type { AssignmentStatus, PlanHeading } from '../status/status-view';
import type { StatusBoard, TaskStatus } from '../status/roll-up';
import { taskVerdict } from '../status/task-verdict';
import { filterBoard, sectionKey, type BoardFilters, type BoardGroup, type FilteredBoard } from './filters';
import { html, type Html } from './html';
import { asOfText, dueText, lightBadge, lightShort, reasonText, reportSource, reportText, roleBadge, roleMark, roleName, shortText } from './labels';
import { page } from './layout';
import { linksFrom, type Links } from './links';
import { rateChart } from './rate-chart';

export interface BoardPageInput {
  board: StatusBoard;
  plans: readonly PlanHeading[];
  filters: BoardFilters;
  /** Filter values that named nothing, explained. */
  problems: readonly string[];
  /** The last cycles' reporting (cycleRecords), oldest first. */
  records: readonly CycleRecord[];
  timeZone: string;
  nonce: string;
  /** The 通报 rendered from its markdown, with the markdown for copying; absent when not available. */
  bulletin?: { title: string; html: Html; markdown: string } | null;
  /** Offer the 台账 downloads. */
  downloads?: boolean;
}

const LIGHTS: Light[] = ['red', 'yellow', 'green'];

/** Submits the filter form as soon as a choice changes (the button does it without JavaScript). */
const SCRIPT = `document.querySelectorAll('form.filters select').forEach(function(s){s.addEventListener('change',function(){s.form.submit();});});`;

export function boardPage(input: BoardPageInput): string {
  const links = linksFrom('board');
  const { board, filters } = input;
  const shown = filterBoard(board, input.plans, filters);
  const body = html`${input.problems.map((p) => html`<p class="problem" role="alert">${p}</p>`)}
${overviewPanel(input, links)}
${filterPanel(input, links)}
${boardPanel(input, shown, links)}
<section class="panel" id="rates"><h2>各期报送率</h2>${rateChart(input.records)}</section>
${input.bulletin ? bulletinPanel(input.bulletin) : ''}`;
  return page({ title: '督办看板', nonce: input.nonce, asOf: asOfText(board.now, input.timeZone), script: SCRIPT }, body);
}

function overviewPanel(input: BoardPageInput, links: Links): Html {
  const { board } = input;
  if (board.assignments.length === 0) return html`<section class="panel"><h2>总体情况</h2><p>数据库中还没有计划任务。</p></section>`;
  const cycle = board.cycle;
  const totals = board.totals;
  const row = (name: string, c: Record<Light, number>) => html`<tr><th>${name}</th>${LIGHTS.map((l) => html`<td>${c[l]}</td>`)}</tr>`;
  const downloads = input.downloads
    ? html`<div class="buttons" id="downloads"><a class="button" href="${links.file('ledger.xlsx')}" download>下载台账（Excel）</a><a class="button secondary" href="${links.file('ledger.csv')}" download>下载台账（CSV）</a></div>`
    : '';
  return html`<section class="panel" id="overview">
<h2>${input.plans.map((p) => p.title).join('、')}</h2>
${cycle ? html`<p>本期：${cycle.active.label}，截止 ${dueText(cycle.active.due)}；上期：${cycle.previous.label}，截止 ${dueText(cycle.previous.due)}。${board.mixed ? '（部分事项按单独设置的周期报送）' : ''}</p>` : ''}
<ul class="counts">${LIGHTS.map((l) => html`<li><a class="light-${l}" href="${links.board({ status: l })}"><b>${totals.tasks[l]}</b>${LIGHT_LABELS[l]}任务</a></li>`)}</ul>
<p>本期已报送（或已完成）${totals.reported} 项分工，共 ${board.assignments.length} 项。</p>
<div class="scroll"><table class="summary"><thead><tr><th></th>${LIGHTS.map((l) => html`<th>${lightBadge(l)}</th>`)}</tr></thead>
<tbody>${row('任务', totals.tasks)}${row('事项', totals.items)}${row('单位', totals.units)}</tbody></table></div>
<p class="legend">任务的颜色取牵头单位的颜色，事项取其中最差的任务，单位取其全部分工中最差的一项。</p>
${downloads}
</section>`;
}

function filterPanel(input: BoardPageInput, links: Links): Html {
  const { filters, plans, board } = input;
  const many = plans.length > 1;
  const sectionOptions = plans.flatMap((p) =>
    p.sections.map((s) => {
      const value = many ? sectionKey(p.id, s.number) : s.number;
      const selected = filters.sections?.length === 1 && filters.sections[0] === sectionKey(p.id, s.number);
      return html`<option value="${value}"${selected ? html` selected` : ''}>${many ? `${shortText(p.title, 12)}：` : ''}${s.number}、${s.title}</option>`;
    }),
  );
  const unitOptions = board.units.map((u) => html`<option value="${u.unit}"${filters.unit === u.unit ? html` selected` : ''}>${u.unit}</option>`);
  const statusOptions = LIGHTS.map((l) => html`<option value="${l}"${filters.status === l ? html` selected` : ''}>${LIGHT_LABELS[l]}</option>`);
  const any = filters.sections || filters.unit || filters.status;
  return html`<section class="panel" id="filters"><h2>筛选</h2>
<form class="filters" method="get" action="${links.board()}">
<label>部分<select name="section"><option value="">全部部分</option>${sectionOptions}</select></label>
<label>单位<select name="unit"><option value="">全部单位</option>${unitOptions}</select></label>
<label>状态<select name="status"><option value="">全部状态</option>${statusOptions}</select></label>
<button type="submit">筛选</button>${any ? html` <a href="${links.board()}">清除筛选</a>` : ''}
</form></section>`;
}

/** Who the cell is, its colour and why, and the report that stands: the cell's tooltip, and the phone's line. */
function cellTitle(a: AssignmentStatus, timeZone: string): string {
  const standing = a.standing ? `最新报送：${reportText(a.standing)}（${reportSource(a.standing, timeZone)}）` : '尚未报送';
  return `${a.unit} · ${a.duty.taskKey} ${roleName(a.duty.role)}\n${LIGHT_LABELS[a.light]}：${reasonText(a)}\n${standing}`;
}

function sectionLight(board: StatusBoard, g: BoardGroup): Light | null {
  return g.section ? board.sections.find((s) => s.planId === g.planId && s.number === g.section?.number)?.light ?? null : null;
}

function groupTitle(g: BoardGroup, many: boolean): string {
  const plan = many ? `${g.planTitle} · ` : '';
  return g.section ? `${plan}${g.section.number}、${g.section.title}` : `${plan}（未分部分的事项）`;
}

function boardPanel(input: BoardPageInput, shown: FilteredBoard, links: Links): Html {
  if (input.board.assignments.length === 0) return html``;
  const empty = shown.taskCount === 0;
  return html`<section class="panel" id="board"><h2>红黄绿灯总览</h2>
<p class="muted">显示 ${shown.taskCount} 项任务${shown.units.length ? `、${shown.units.length} 个单位` : ''}。格中“牵”为牵头单位、“配”为配合单位；点单位名称看该单位的全部任务和报送记录，点事项看各单位的最新报送。</p>
${empty ? html`<p>没有符合条件的任务。</p>` : html`${boardTable(input, shown, links)}${boardList(input, shown, links)}`}
</section>`;
}

function unitCell(a: AssignmentStatus | undefined, task: TaskStatus, input: BoardPageInput, links: Links): Html {
  if (!a) return html`<td class="cell empty"></td>`;
  return html`<td class="cell"><a class="light-${a.light}" href="${links.item(task.planId, task.itemNumber)}#t-${task.key}" title="${cellTitle(a, input.timeZone)}">${roleMark(a.duty.role)}<br>${lightShort(a.light)}</a></td>`;
}

function boardTable(input: BoardPageInput, shown: FilteredBoard, links: Links): Html {
  const cols = shown.units.length + 1;
  const many = input.plans.length > 1;
  const rows = shown.groups.map((g) => {
    const light = sectionLight(input.board, g);
    return html`<tr class="section"><th colspan="${cols}">${groupTitle(g, many)} ${light ? lightBadge(light) : ''}</th></tr>
${g.items.map(
  ({ item, tasks }) => html`<tr class="item"><th colspan="${cols}"><a href="${links.item(item.planId, item.number)}">第${item.number}项\u3000${shortText(item.title, 40)}</a> ${lightBadge(item.light)}</th></tr>
${tasks.map((t) => {
  const byUnit = new Map([...t.leads, ...t.co].map((a) => [a.unit, a]));
  return html`<tr><td class="task" title="${t.text}\n${taskVerdict(t).text}"><b>${t.key}</b> ${shortText(t.text, 28)} ${lightBadge(t.light)}</td>${shown.units.map((u) => unitCell(byUnit.get(u), t, input, links))}</tr>`;
})}`,
)}`;
  });
  return html`<div class="board-table"><table class="board"><thead><tr><th>任务</th>${shown.units.map((u) => html`<th class="unit" scope="col"><a href="${links.unit(u)}">${u}</a></th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function boardList(input: BoardPageInput, shown: FilteredBoard, links: Links): Html {
  const many = input.plans.length > 1;
  const unit = input.filters.unit;
  const line = (a: AssignmentStatus) =>
    html`<li>${lightBadge(a.light)} <a href="${links.unit(a.unit)}">${a.unit}</a>${roleBadge(a.duty.role)} ${reasonText(a)}${a.standing ? html`<div class="report">${reportText(a.standing)}（${reportSource(a.standing, input.timeZone)}）</div>` : ''}</li>`;
  return html`<ul class="board-list phone">${shown.groups.map((g) => {
    const light = sectionLight(input.board, g);
    return html`<li class="group">${groupTitle(g, many)} ${light ? lightBadge(light) : ''}</li>
${g.items.map(
  ({ item, tasks }) => html`<li class="group"><a href="${links.item(item.planId, item.number)}">第${item.number}项\u3000${shortText(item.title, 40)}</a> ${lightBadge(item.light)}</li>
${tasks.map(
  (t) => html`<li class="task-card">${lightBadge(t.light)} <b>${t.key}</b> ${shortText(t.text, 60)}${taskUnits(t, unit, line)}</li>`,
)}`,
)}`;
  })}</ul>`;
}

/**
 * A task's units on a phone: the leads in full (their report stands for the task), the co-units folded under a
 * count by colour; only the chosen unit when the board is filtered by one.
 */
function taskUnits(t: TaskStatus, unit: string | null, line: (a: AssignmentStatus) => Html): Html {
  if (unit !== null) return html`<ul class="units">${[...t.leads, ...t.co].filter((a) => a.unit === unit).map(line)}</ul>`;
  // Without a lead every unit colours the task: show them all.
  if (t.leads.length === 0) return html`<ul class="units">${t.co.map(line)}</ul>`;
  const c = countLights(t.co.map((a) => a.light));
  const counts = LIGHTS.filter((l) => c[l] > 0).map((l) => `${LIGHT_LABELS[l]} ${c[l]}`).join('，');
  return html`<ul class="units">${t.leads.map(line)}</ul>${t.co.length ? html`<details class="co"><summary>配合单位 ${t.co.length} 个（${counts}）</summary><ul class="units">${t.co.map(line)}</ul></details>` : ''}`;
}

function bulletinPanel(b: NonNullable<BoardPageInput['bulletin']>): Html {
  return html`<section class="panel" id="bulletin"><h2>通报</h2>
<div class="bulletin">${b.html}</div>
<details><summary>原文（可复制后转发）</summary><textarea class="source" readonly>${b.markdown}</textarea></details>
</section>`;
}
