/**
 * The board page rendered from the seed plan's real status board: colours with their words, role marks and
 * reasons per cell, escaping of what liaisons typed, and the filters.
 */
import { boardPage, type BoardPageInput } from '../../src/dashboard/board-page';
import { filterBoard, NO_FILTERS, parseFilters, type BoardFilters } from '../../src/dashboard/filters';
import { cycleRecords } from '../../src/status/cycle-record';
import { StatusView, type StatusDeps } from '../../src/status/status-view';
import { useTempStore } from '../store/temp-db';
import { HOSTILE, seedStatus, type SeedStatus } from './seed-status';

describe('the board page', () => {
  const db = useTempStore('duban-board-page-');
  let seed: SeedStatus;
  let deps: StatusDeps;

  beforeEach(async () => {
    seed = await seedStatus(db.store);
    deps = seed.deps;
  });

  const known = (v: StatusView) => ({ plans: v.plans, units: v.board().units.map((u) => u.unit), canonical: (n: string) => deps.directory().canonical(n) });
  const render = (filters: BoardFilters = NO_FILTERS, extra: Partial<BoardPageInput> = {}) => {
    const v = new StatusView(deps);
    return boardPage({ board: v.board(), plans: v.plans, filters, problems: [], records: cycleRecords(v, 6), timeZone: 'Asia/Shanghai', nonce: 'n0nce', ...extra });
  };
  /** The board cell of a unit on a task: its class, tooltip and text. */
  const cell = (page: string, unit: string, key: string) => {
    const m = new RegExp(`<td class="cell"><a class="(light-\\w+)" href="[^"]*#t-${key.replace('.', '\\.')}" title="(${unit} · ${key.replace('.', '\\.')} [^"]*)">(.*?)</a></td>`).exec(page);
    if (!m) throw new Error(`no cell for ${unit} on ${key}`);
    return { cls: m[1], title: m[2], text: m[3] };
  };

  it('shows each cell in its colour with its word, the role mark, the reason and the standing report', () => {
    seed.report('4.2', '区经济信息商务局', '2025-08', 'blocked', '需要协调经费', { percent: 30, reporterName: '王五' });
    seed.report('1.2', '区司法局', '2025-08', 'done', '已办结');
    const page = render();
    expect(cell(page, '区经济信息商务局', '4.2')).toEqual({
      cls: 'light-yellow',
      title: '区经济信息商务局 · 4.2 牵头\n黄灯：有困难\n最新报送：有困难 30%：需要协调经费（2025年8月报送，9月15日 10:00，王五）',
      text: '牵<br>黄',
    });
    expect(cell(page, '区司法局', '4.2')).toEqual({ cls: 'light-red', title: '区司法局 · 4.2 配合\n红灯：逾期未报送 10 个工作日\n尚未报送', text: '配<br>红' });
    expect(cell(page, '区司法局', '1.2')).toMatchObject({ cls: 'light-green', text: '牵<br>绿' });
    expect(cell(page, '区司法局', '1.2').title).toContain('绿灯：已完成');
    // The task takes its lead's colour: 4.2 is yellow although its co-units are red.
    expect(page).toMatch(/<b>4\.2<\/b>[^<]*<span class="light light-yellow">黄灯<\/span><\/td>/);
    const totals = new StatusView(deps).board().totals.tasks;
    expect(totals).toEqual({ red: 18, yellow: 1, green: 1 });
    expect(page).toContain('<b>18</b>红灯任务');
    expect(page).toContain('<b>1</b>黄灯任务');
    // On a phone: the lead in full, the co-units folded under their count by colour.
    expect(page).toContain('<details class="co"><summary>配合单位 2 个（红灯 2）</summary>');
  });

  it('never lets what a liaison typed add markup: report text and reporter names are escaped everywhere', () => {
    seed.report('4.2', '区经济信息商务局', '2025-08', 'blocked', HOSTILE, { reporterName: HOSTILE });
    const page = render();
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('" onmouseover="');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot; onmouseover=&quot;alert(2)');
    // The only script is the page's own, allowed by its nonce.
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('<script nonce="n0nce">');
  });

  it('filters by section, unit (an alias too) and colour, and says which values name nothing', () => {
    seed.report('7.1', '区司法局', '2025-08', 'in_progress');
    const v = new StatusView(deps);
    const { filters, problems } = parseFilters(new URLSearchParams({ section: '二', unit: '司法局', status: '红灯' }), known(v));
    expect(problems).toEqual([]);
    expect(filters).toEqual({ sections: ['1:二'], section: '二', unit: '区司法局', status: 'red' });
    const shown = filterBoard(v.board(), v.plans, filters);
    expect(shown.units).toEqual(['区司法局']);
    expect(shown.groups.map((g) => g.section?.number)).toEqual(['二']);
    const keys = shown.groups.flatMap((g) => g.items.flatMap((i) => i.tasks.map((t) => t.key)));
    // 7.1 was reported (green for 区司法局); 8.1 and 8.2 are red for it.
    expect(keys).toEqual(['8.1', '8.2']);
    const green = filterBoard(v.board(), v.plans, { ...filters, status: 'green' });
    expect(green.groups.flatMap((g) => g.items.flatMap((i) => i.tasks.map((t) => t.key)))).toEqual(['7.1']);

    const page = render(filters);
    expect(page).toContain('<option value="二" selected>');
    expect(page).toContain('<option value="区司法局" selected>');
    expect(page).toContain('<option value="red" selected>');
    expect(page).toContain('显示 2 项任务、1 个单位');
    expect(page).not.toContain('#t-7.1');

    // Without a unit, a colour keeps the tasks of that colour (their lead's), every unit column that has one.
    const red = filterBoard(v.board(), v.plans, parseFilters(new URLSearchParams('status=red'), known(v)).filters);
    const redTasks = red.groups.flatMap((g) => g.items.flatMap((i) => i.tasks));
    expect(redTasks.length).toBe(v.board().totals.tasks.red);
    expect(redTasks.every((t) => t.light === 'red')).toBe(true);

    const bad = parseFilters(new URLSearchParams({ section: '九', unit: '不存在局', status: '紫灯' }), known(v));
    expect(bad.filters).toEqual(NO_FILTERS);
    expect(bad.problems).toEqual([
      '计划中没有“九”这个部分，已显示全部部分。',
      '计划中没有“不存在局”这个单位，已显示全部单位。请从“单位”列表中选择。',
      '状态“紫灯”无效，应为 红灯、黄灯 或 绿灯，已显示全部状态。',
    ]);
    const withProblems = render(NO_FILTERS, { problems: bad.problems });
    expect(withProblems).toContain('<p class="problem" role="alert">计划中没有“九”这个部分，已显示全部部分。</p>');
  });

  it('offers the 台账 downloads and shows the 通报 when given them', () => {
    const page = render(NO_FILTERS, { downloads: true, bulletin: null });
    expect(page).toContain('href="dashboard/ledger.xlsx"');
    expect(page).toContain('href="dashboard/ledger.csv"');
    expect(render()).not.toContain('ledger.xlsx');
  });
});
