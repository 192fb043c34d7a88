/**
 * The 通报 for the leaders: on 15 October 2025 September has closed. 秀洲国家高新区管委会 reported everything on
 * time, 王江泾镇 everything late (10 October), 区司法局 part of it, the others nothing. Lists and day counts are
 * checked, as are DingTalk's markdown limits (no tables, user text escaped) and the size bound.
 */
import { emptyUnitDirectory } from '../../src/units/unit-directory';
import { bulletin, bulletinTitle, MAX_BULLETIN_BYTES } from '../../src/status/bulletin';
import { StatusView } from '../../src/status/status-view';
import type { ParsedPlan } from '../../src/plan/types';
import { item, task, useTempStore } from '../store/temp-db';
import { addReports, loadSeedWithDeadlines, REPORTS, statusDeps, viewOf, type ReportInput } from './ledger-fixture';

/** Every assignment of a unit reported for September at one time. */
function allOf(view: StatusView, unit: string, at: string): ReportInput[] {
  return view.assignments(unit).map((a) => ({ task: a.duty.taskKey, unit, cycle: '2025-09', status: 'in_progress', reporterName: '联络员', at }));
}

function paragraphsAfter(markdown: string, heading: string): string[] {
  const rest = markdown.split('\n\n');
  const at = rest.findIndex((p) => p.startsWith(heading));
  const out: string[] = [];
  for (const p of rest.slice(at + 1)) {
    if (p.startsWith('**')) break;
    out.push(p);
  }
  return out;
}

describe('the 通报', () => {
  const db = useTempStore('duban-bulletin-');
  let planId = 0;

  beforeEach(async () => {
    planId = await loadSeedWithDeadlines(db.store);
    const view = viewOf(statusDeps(db.store));
    addReports(db.store, planId, [
      ...REPORTS,
      ...allOf(view, '秀洲国家高新区管委会', '2025-09-28 11:00'),
      ...allOf(view, '王江泾镇', '2025-10-10 09:00'),
      { task: '6.4', unit: '区财政局', cycle: '2025-09', status: 'blocked', text: '| 经费 | 人员 |\n|---|---|\n**急** [详情](http://x) <b>', at: '2025-10-13 09:00' },
    ]);
  });

  it('is titled after the cycle and the plan, and dated', () => {
    const { title, markdown } = bulletin(viewOf(statusDeps(db.store)));
    expect(title).toBe('关于2025年9月秀洲区法治政府建设工作要点落实情况的通报');
    expect(markdown.split('\n\n').slice(0, 3)).toEqual([
      '#### 关于2025年9月秀洲区法治政府建设工作要点落实情况的通报',
      '截至2025年10月15日 10:00，2025年9月工作进展报送已于9月30日截止。现将各单位报送和任务落实情况通报如下。',
      '**一、总体情况**',
    ]);
  });

  it('counts the reports owed, made and made on time, and the tasks and assignments by colour', () => {
    const { markdown } = bulletin(viewOf(statusDeps(db.store)));
    const overview = paragraphsAfter(markdown, '**一、总体情况**');
    // 231 assignments owe September (区财政局 finished 6.2 in August); 6 + 10 + 7 reported, 6 + 4 of them on time.
    expect(overview[0]).toBe('本期应报送 19 个单位、231 项分工，已报送 23 项，报送率 10%；其中按时报送 10 项，按时报送率 4.3%。');
    expect(overview[1]).toMatch(/^工作要点共 20 项任务，按牵头单位报送情况计，红灯 \d+ 项、黄灯 \d+ 项、绿灯 \d+ 项；共 232 项分工，红灯 \d+ 项/);
    expect(overview[2]).toBe('各项分工目前进展：已完成 1 项，推进中 20 项，有困难 3 项，未启动 0 项，未报送 208 项。');
  });

  it('names the units that reported on time, those that reported late and those that still owe, with working days', () => {
    const { markdown } = bulletin(viewOf(statusDeps(db.store)));
    expect(paragraphsAfter(markdown, '**二、按时报送的单位（1 个）**')).toEqual(['秀洲国家高新区管委会。']);
    // 1–8 October are holidays: 9 and 10 October are the first two working days after the due date.
    expect(paragraphsAfter(markdown, '**三、逾期补报的单位（1 个）**')).toEqual(['- 王江泾镇：10月10日补报，逾期 2 个工作日']);
    const missing = paragraphsAfter(markdown, '**四、逾期未报送的单位（17 个）**');
    expect(missing).toHaveLength(17);
    // The most left unreported first.
    expect(missing[0]).toBe('- 区市场监管局：16 项分工均未报送，已逾期 6 个工作日');
    expect(missing).toContain('- 区司法局：19 项分工中 15 项未报送，已逾期 6 个工作日');
    expect(missing).toContain('- 区财政局：14 项分工中 13 项未报送，已逾期 6 个工作日');
    expect(missing).toContain('- 油车港镇：10 项分工均未报送，已逾期 6 个工作日');
    expect(missing.join()).not.toMatch(/王江泾镇|秀洲国家高新区管委会/);
  });

  it('lists the tasks at red with why, and the difficulties with the units\' words escaped', () => {
    const { markdown } = bulletin(viewOf(statusDeps(db.store)));
    const red = paragraphsAfter(markdown, '**五、红灯事项');
    expect(red).toContain('- **9.1** 制定《秀洲区人民政府2020年度重大行政决策事项目录》,将重…（牵头：区政府办公室）：已过计划时限 6 个工作日');
    expect(red).toContain('- **4.1** 深入实施优化营商环境“10+N”行动,开展法治化营商环境优化…（牵头：区发展和改革局）：逾期未报送 6 个工作日');
    expect(red.some((l) => l.startsWith('- **4.2** '))).toBe(false);
    // The closing paragraph follows the last list.
    expect(paragraphsAfter(markdown, '**六、有困难的事项（3 项）**').slice(0, -1)).toEqual([
      '- **4.2** 区司法局（配合）：需要协调经费',
      '- **6.2** 区司法局（牵头）：场地尚未落实',
      '- **6.4** 区财政局（牵头）：｜ 经费 ｜ 人员 ｜ ｜---｜---｜ ＊＊急＊＊ ［详情］(http://x) ＜b＞',
    ]);
    expect(markdown.endsWith('请逾期未报送的单位抓紧补报；红灯事项的牵头单位要加快推进，确保按计划时限完成；有困难的事项请牵头单位会同配合单位研究解决，需要协调的及时报告。')).toBe(true);
  });

  it('uses only DingTalk\'s markdown: headings, bold and lists; no tables, no emoji', () => {
    const { markdown } = bulletin(viewOf(statusDeps(db.store)));
    expect(markdown).not.toContain('|');
    expect(markdown).not.toMatch(/\p{Extended_Pictographic}/u);
    for (const p of markdown.split('\n\n')) expect(p).toMatch(/^(#### |\*\*[一二三四五六]、|- |[^\s#*|>-])/);
  });

  it('reports on the active cycle so far: who has reported and who not yet, nobody overdue', () => {
    const view = viewOf(statusDeps(db.store));
    addReports(db.store, planId, allOf(view, '油车港镇', '2025-10-14 09:00').map((r) => ({ ...r, cycle: '2025-10' })));
    const { title, markdown } = bulletin(viewOf(statusDeps(db.store)), 'active');
    expect(title).toBe('关于2025年10月秀洲区法治政府建设工作要点落实情况的通报');
    expect(markdown).toContain('截至2025年10月15日 10:00，2025年10月工作进展报送将于10月30日截止。');
    expect(paragraphsAfter(markdown, '**二、已报齐的单位（1 个）**')).toEqual(['油车港镇。']);
    expect(paragraphsAfter(markdown, '**三、尚未报送的单位（18 个，10月30日截止）**')).toContain('- 王江泾镇：10 项分工均未报送');
    expect(markdown).not.toMatch(/逾期未报送的单位|逾期补报|已逾期/);
    expect(markdown).not.toContain('按时报送率');
  });

  it('is the previous cycle\'s by default', () => {
    const view = viewOf(statusDeps(db.store));
    expect(bulletin(view)).toEqual(bulletin(view, 'previous'));
  });
});

describe('the 通报 of a large plan', () => {
  const db = useTempStore('duban-bulletin-big-');

  it('stays under the size bound, cutting its lists with how many were left out', () => {
    const units = Array.from({ length: 600 }, (_, i) => `某某市某某区第${i + 1}号综合行政服务管理中心办公室`);
    const plan: ParsedPlan = {
      title: '2025年某某区重点工作任务清单',
      year: 2025,
      issuer: null,
      date: null,
      sections: [],
      items: Array.from({ length: 30 }, (_, n) =>
        item(n + 1, null, `第${n + 1}项重点工作`, Array.from({ length: 4 }, (_, t) => task(`${n + 1}.${t + 1}`, `${'落实各项重点工作任务'.repeat(5)}${n}-${t}`, units.slice((n * 20 + t * 5) % 600, ((n * 20 + t * 5) % 600) + 5)))),
      ),
      warnings: [],
    };
    db.store.importPlan(plan, { name: 'big.txt', sha256: 'x' }, new Date('2025-09-01T00:00:00Z'));
    const directory = emptyUnitDirectory();
    const view = new StatusView({ ...statusDeps(db.store), directory: () => directory });
    const { title, markdown } = bulletin(view);
    expect(title).toBe('关于2025年9月某某区重点工作任务清单落实情况的通报');
    expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThanOrEqual(MAX_BULLETIN_BYTES);
    expect(markdown).toMatch(/\*\*三、逾期未报送的单位（600 个）\*\*/);
    expect(markdown).toContain('- ……等 600 个单位');
    expect(markdown).toContain('- ……共 120 项，其余详见台账');
    expect(markdown).toMatch(/请逾期未报送的单位抓紧补报/);
  });
});

describe('bulletinTitle', () => {
  it('drops the plan\'s year and names several plans together', () => {
    expect(bulletinTitle(['2025年度秀洲区法治政府建设工作要点'], '2025年第三季度')).toBe('关于2025年第三季度秀洲区法治政府建设工作要点落实情况的通报');
    expect(bulletinTitle(['甲', '乙'], '2025年第39周')).toBe('关于2025年第39周各项工作要点落实情况的通报');
  });
});
