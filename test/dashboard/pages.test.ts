/**
 * The unit and item pages, the reporting-rate chart and the 通报 panel, rendered from the seed plan's real status.
 */
import { boardPage } from '../../src/dashboard/board-page';
import { markdownHtml } from '../../src/dashboard/bulletin-html';
import { NO_FILTERS } from '../../src/dashboard/filters';
import { itemPage } from '../../src/dashboard/item-page';
import { rateChart } from '../../src/dashboard/rate-chart';
import { unitPage } from '../../src/dashboard/unit-page';
import { instantOf } from '../../src/calendar/civil-date';
import { bulletin } from '../../src/status/bulletin';
import { cycleRecords, type CycleRecord } from '../../src/status/cycle-record';
import { StatusView } from '../../src/status/status-view';
import type { StoredReport } from '../../src/store/store';
import { useTempStore } from '../store/temp-db';
import { HOSTILE, seedStatus, type SeedStatus } from './seed-status';

const TZ = 'Asia/Shanghai';

describe('the unit and item pages', () => {
  const db = useTempStore('duban-pages-');
  let seed: SeedStatus;

  beforeEach(async () => {
    seed = await seedStatus(db.store);
  });

  const latest = (taskId: number, unit: string): StoredReport | null =>
    db.store.reports.historyOfTask(taskId).find((r) => r.unit === unit && r.withdrawnAt === null) ?? null;

  it('shows an item task by task: the lead and its report first, the co-units beneath with their latest', () => {
    seed.report('4.2', '区经济信息商务局', '2025-08', 'in_progress', '已完成清单梳理', { percent: 60, reporterName: '王五' });
    // 区司法局 last reported in July: not this cycle nor the last, but still its latest word on the task.
    seed.report('4.2', '区司法局', '2025-07', 'in_progress', '七月进展', { at: instantOf('2025-07-28', '09:00', TZ) });
    const v = new StatusView(seed.deps);
    const page = itemPage({ items: v.itemStatus(4), latest, now: v.now, timeZone: TZ, nonce: 'n' });
    const block = /<div class="task-card" id="t-4\.2">([^]*?)<\/div>\n<\/div>/.exec(page)?.[1] ?? '';
    expect(block).toContain('<h3>4.2 <span class="light light-green">绿灯</span></h3>');
    const order = ['区经济信息商务局', '配合单位', '区司法局', '区市场监管局'].map((s) => block.indexOf(s));
    expect(order.every((n, i) => n >= 0 && (i === 0 || n > (order[i - 1] ?? 0)))).toBe(true);
    expect(block).toContain('推进中 60%：已完成清单梳理<div class="muted">2025年8月报送，9月15日 10:00，王五</div>');
    expect(block).toContain('推进中：七月进展<div class="muted">2025年7月报送，7月28日 09:00，联络员</div>');
    expect(block).toMatch(/区市场监管局[^]*尚未报送/);
    expect(page).toContain('<h2>第4项\u3000优化法治化营商环境 <span class="light light-red">红灯</span></h2>');
  });

  it('shows a unit: its tasks in colour, its cycles, and its history with withdrawn reports struck through', () => {
    const kept = seed.report('3.2', '区司法局', '2025-08', 'in_progress', '清单已上报');
    const withdrawn = seed.report('6.2', '区司法局', '2025-08', 'blocked', HOSTILE);
    db.store.reports.withdraw(withdrawn, new Date(seed.deps.clock!()));
    const v = new StatusView(seed.deps);
    const status = v.unitStatus('区司法局')!;
    const records = cycleRecords(v, 3).map((c) => ({ cycle: c.cycle, record: c.units.find((u) => u.unit === '区司法局') ?? null }));
    const page = unitPage({ status, history: db.store.reports.historyOfUnit('区司法局'), records, now: v.now, timeZone: TZ, nonce: 'n' });
    expect(page).toContain(`<h2>区司法局 <span class="light light-red">红灯</span></h2>`);
    expect(page).toContain(`共 ${status.assignments.length} 项分工：红灯 ${status.counts.red}，黄灯 ${status.counts.yellow}，绿灯 ${status.counts.green}`);
    expect(status.counts.green).toBe(1);
    const history = /<table class="data history">([^]*?)<\/table>/.exec(page)?.[1] ?? '';
    expect(history.match(/<tr class/g)).toHaveLength(2);
    expect(history).toMatch(/<tr class="withdrawn">[^]*6\.2[^]*有困难[^]*&lt;script&gt;[^]*（已撤回）/);
    expect(history).toMatch(/<tr class="">[^]*3\.2[^]*推进中[^]*清单已上报/);
    expect(kept).toBeLessThan(withdrawn);
    expect(page).not.toContain('<script>alert');
    // August was due on 1 September (30 August is a Saturday): the report of 15 September came late.
    expect(page).toContain('<td>2025年8月</td><td>19</td><td>1</td><td>0</td><td>5%</td>');
  });
});

describe('the reporting-rate chart', () => {
  const cycle = (label: string, id: string) => ({ id, kind: 'monthly' as const, label, start: '', end: '', due: '' });
  const record = (label: string, id: string, expected: number, reported: number, onTime: number): CycleRecord => ({
    cycle: cycle(label, id),
    expected,
    reported,
    onTime,
    units: [],
  });

  it('draws a bar per cycle for the reporting and on-time rates, with the same numbers in a table', () => {
    const svg = rateChart([record('2025年7月', '2025-07', 0, 0, 0), record('2025年8月', '2025-08', 40, 30, 20), record('2025年9月', '2025-09', 40, 4, 4)]).value;
    // Two bars for each cycle that owed reports; none for July, which owed none.
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(4);
    expect(svg).toContain('<title>2025年8月报送率 75%</title>');
    expect(svg).toContain('<title>2025年8月按时报送率 50%</title>');
    expect(svg).toContain('本期（进行中）');
    expect(svg).toContain('<tr><td>2025年7月</td><td>0</td><td>0</td><td>0</td><td>—</td><td>—</td></tr>');
    expect(svg).toContain('<tr><td>2025年9月（本期）</td><td>40</td><td>4</td><td>4</td><td>10%</td><td>10%</td></tr>');
    expect(rateChart([]).value).toContain('还没有可统计的报送周期');
  });
});

describe('the 通报 panel', () => {
  const db = useTempStore('duban-bulletin-panel-');

  it('shows the same 通报 the bot posts, rendered from its markdown with any markup in it as text', async () => {
    const seed = await seedStatus(db.store);
    seed.report('4.2', '区经济信息商务局', '2025-08', 'blocked', `经费未落实<b>急</b>${HOSTILE}`);
    const v = new StatusView(seed.deps);
    const b = bulletin(v);
    const page = boardPage({
      board: v.board(),
      plans: v.plans,
      filters: NO_FILTERS,
      problems: [],
      records: cycleRecords(v, 6),
      timeZone: TZ,
      nonce: 'n',
      bulletin: { ...b, html: markdownHtml(b.markdown) },
    });
    const panel = /<section class="panel" id="bulletin">([^]*?)<\/section>/.exec(page)?.[1] ?? '';
    expect(panel).toContain(`<h4>${b.title}</h4>`);
    expect(panel).toContain('<textarea class="source" readonly>');
    expect(panel).toContain('经费未落实');
    expect(panel).not.toMatch(/<b>|<script|<img/);
    expect(markdownHtml('**粗体** <i>x</i> [链接](javascript:alert(1))').value).toBe(
      '<p><strong>粗体</strong> &lt;i&gt;x&lt;/i&gt; [链接](javascript:alert(1))</p>\n',
    );
  });
});
